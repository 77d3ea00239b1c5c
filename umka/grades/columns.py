"""The columns of a file of grades and how its headers are recognised.

Reuses the people import's header rules (umka.imports.columns): case, spaces, «ё»,
a hint in brackets and a trailing «*» do not matter; Russian and English names.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from umka.imports.columns import (
    FIRST_NAME,
    FULL_NAME,
    LAST_NAME,
    MIDDLE_NAME,
    Column,
    HeaderMap,
    normalise_header,
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
    _("Required: 2, 3, 4 or 5."),
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


def map_headers(headers: list[object]) -> HeaderMap:
    """Match a header row against the columns of a file of grades."""
    by_name = {name: column for column in COLUMNS for name in column.names}
    result = HeaderMap()
    for position, raw in enumerate(headers):
        text = " ".join(str(raw or "").split())
        if not text:
            continue
        column = by_name.get(normalise_header(text))
        if column is None:
            result.ignored.append(text)
        elif column.key in result.index:
            result.problems.append(
                (
                    text,
                    gettext_noop(
                        "The column appears twice (also as «%(other)s»). Keep one."
                    ),
                    {"other": result.titles[column.key]},
                )
            )
        else:
            result.index[column.key] = position
            result.titles[column.key] = text
    for column in COLUMNS:
        if column.required and column.key not in result.index:
            result.problems.append(
                (column.title, gettext_noop("The required column is missing."), {})
            )
    split = "last_name" in result.index or "first_name" in result.index
    if "full_name" in result.index and split:
        result.problems.append(
            (
                result.titles["full_name"],
                gettext_noop(
                    "Give either ФИО in one column or Фамилия and Имя in two, not both."
                ),
                {},
            )
        )
    elif "full_name" not in result.index:
        for key, title in (("last_name", "Фамилия"), ("first_name", "Имя")):
            if key not in result.index:
                result.problems.append(
                    (title, gettext_noop("The required column is missing."), {})
                )
    if "topic" not in result.index and "work_type" not in result.index:
        result.problems.append(
            (
                TOPIC.title,
                gettext_noop("The file needs a column «Тема» or «Вид работы»."),
                {},
            )
        )
    return result
