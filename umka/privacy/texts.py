"""The consent text, versioned (152-ФЗ, ст. 9 ч. 4: a consent names what it allows).

A consent row keeps the version it was given to. A new wording is a new entry
appended here (never an edit of an old one): consents to the old version stay
valid for what it said, and the page asks for the new one.

The text is a legal document in Russian, the language of the school's documents;
it is shown as is, not translated.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentText:
    version: str
    published_on: dt.date
    body: str


VERSIONS: tuple[ConsentText, ...] = (
    ConsentText(
        version="2026-1",
        published_on=dt.date(2026, 9, 1),
        body=(
            "Я даю согласие образовательной организации на обработку персональных "
            "данных (моих или моего несовершеннолетнего ребёнка, чьим законным "
            "представителем я являюсь) при получении образовательной помощи "
            "дистанционно через платформу «Умка»: фамилия, имя, отчество, дата "
            "рождения, адрес электронной почты, телефон, класс, текст обращений, "
            "записей на индивидуальные консультации, выполненных работ, сообщений в "
            "чате консультаций и приложенные к ним файлы.\n\n"
            "Цель обработки: запись на консультации, рассмотрение обращений, "
            "проверка работ и ответы педагогов. Действия: сбор, запись, хранение, "
            "уточнение, использование, передача педагогам школы, обезличивание, "
            "удаление. Обработка автоматизированная, данные хранятся на серверах "
            "школы на территории Российской Федерации.\n\n"
            "Согласие действует до его отзыва. Отозвать его можно в любой момент на "
            "этой же странице или письменным заявлением в школу. После отзыва "
            "новые записи, обращения и работы не принимаются; уже сделанные "
            "хранятся в сроки, установленные школой, затем удаляются или "
            "обезличиваются. Данные, которые школа ведёт по закону об образовании "
            "(классный журнал, оценки, зачисление), обрабатываются и без согласия "
            "(152-ФЗ, ст. 6 ч. 1 п. 2)."
        ),
    ),
)


def current() -> ConsentText:
    return VERSIONS[-1]


def by_version(version: str) -> ConsentText | None:
    return next((t for t in VERSIONS if t.version == version), None)
