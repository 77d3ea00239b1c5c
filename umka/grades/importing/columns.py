"""The columns of a file of grades and the rules about its header.

Headers are matched as in every import (umka.imports.headers): case, spaces, «ё»,
a hint in brackets and a trailing «*» do not matter; Russian and English names.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from umka.imports.headers import (
    FIRST_NAME,
    FULL_NAME,
    LAST_NAME,
    MIDDLE_NAME,
    Column,
    HeaderMap,
)

STUDENT = Column(
    "full_name",
    "Ученик",
    (
        *FULL_NAME.aliases,
        FULL_NAME.title,
        "ученик",
        "ученица",
        "обучающийся",
        "фио ученика",
        "фио обучающегося",
        "student",
    ),
    _("The student's ФИО in one cell (or Фамилия, Имя, Отчество in three)."),
    "Иванова Мария Петровна",
)
BIRTH_DATE = Column(
    "birth_date",
    "Дата рождения",
    ("дата рождения", "дата рожд", "д р", "birth date", "date of birth"),
    _("Optional: tells apart two students of a class with the same name."),
    "17.05.2013",
)
LOGIN = Column(
    "login",
    "Логин",
    ("логин", "login", "username", "user name", "имя пользователя"),
    _("Optional: the student's login in Umka; identifies the student exactly."),
)
SCHOOL_CLASS = Column(
    "school_class",
    "Класс",
    ("класс", "class", "school class"),
    _("Required. The class the student was in on that day: «7А», «7 а», «7-А»."),
    "7А",
    required=True,
)
SUBJECT = Column(
    "subject",
    "Предмет",
    ("предмет", "учебный предмет", "дисциплина", "subject"),
    _("Required. As the school's curriculum names it, e.g. «Алгебра»."),
    "Алгебра",
    required=True,
)
DATE = Column(
    "date",
    "Дата",
    ("дата", "дата урока", "дата отметки", "дата оценки", "date"),
    _(
        "Required. ДД.ММ.ГГГГ or an Excel date, within the current academic year "
        "and not in the future."
    ),
    "14.11.2026",
    required=True,
)
VALUE = Column(
    "value",
    "Оценка",
    ("оценка", "отметка", "балл", "grade", "mark"),
    _(
        "Required: 2, 3, 4 or 5 (also «5-», «4+», «5/4»); «н» for an absence; «зач» "
        "or «незач» for a pass or a fail."
    ),
    "4",
    required=True,
)
TOPIC = Column(
    "topic",
    "Тема",
    ("тема", "тема урока", "тема работы", "topic", "lesson topic"),
    _("The lesson's topic. The topic or the kind of work is required."),
    "Линейные уравнения с параметром",
)
WORK_TYPE = Column(
    "work_type",
    "Вид работы",
    (
        "вид работы",
        "тип работы",
        "форма контроля",
        "вид контроля",
        "тип оценки",
        "work type",
        "kind of work",
    ),
    _(
        "Optional: контрольная работа, самостоятельная работа, ответ у доски, "
        "домашняя работа…"
    ),
    "самостоятельная работа",
)

COLUMNS = (
    STUDENT,
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    BIRTH_DATE,
    LOGIN,
    SCHOOL_CLASS,
    SUBJECT,
    DATE,
    VALUE,
    TOPIC,
    WORK_TYPE,
)
#: What the template files offer (the split name columns are accepted, not offered).
TEMPLATE_COLUMNS = (STUDENT, SCHOOL_CLASS, SUBJECT, DATE, VALUE, TOPIC, WORK_TYPE)


def topic_or_work_type(result: HeaderMap) -> None:
    if not result.has("topic") and not result.has("work_type"):
        result.problems.append(
            (
                TOPIC.title,
                gettext_noop("The file needs a column «Тема» or «Вид работы»."),
                {},
            )
        )
