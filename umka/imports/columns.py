"""The columns of each kind of file and how headers are recognised.

Headers are matched case- and space-insensitively, «ё» as «е», ignoring a hint in
brackets («Дата рождения (ДД.ММ.ГГГГ)») and a trailing «*»; common Russian variants
and English names are accepted. A file may give ФИО in one column instead of three.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from umka.imports.models import ImportKind


def normalise_header(text: object) -> str:
    """«  Дата рождения (ДД.ММ.ГГГГ)* » → «дата рождения»."""
    value = str(text or "").replace("\xa0", " ").casefold().replace("ё", "е")
    value = re.sub(r"\(.*?\)|\[.*?\]", " ", value)
    value = re.sub(r"[_\-.*:;,/\\№#\"'«»]+", " ", value)
    return " ".join(value.split())


@dataclass(frozen=True)
class Column:
    key: str
    #: The header as our templates write it; also how the report names a column
    #: the file lacks. Column names are part of the file format, hence not translated.
    title: str
    aliases: tuple[str, ...]
    help: Promise
    example: str = ""
    required: bool = False

    @property
    def names(self) -> frozenset[str]:
        return frozenset(normalise_header(a) for a in (self.title, *self.aliases))


LAST_NAME = Column(
    "last_name",
    "Фамилия",
    ("фамилия", "last name", "surname", "family name"),
    _("Required (or give ФИО in one column)."),
    "Иванова",
)
FIRST_NAME = Column(
    "first_name",
    "Имя",
    ("имя", "first name", "given name"),
    _("Required (or give ФИО in one column)."),
    "Мария",
)
MIDDLE_NAME = Column(
    "middle_name",
    "Отчество",
    ("отчество", "patronymic", "middle name"),
    _("Optional: leave empty if the person has none."),
    "Петровна",
)
FULL_NAME = Column(
    "full_name",
    "ФИО",
    ("фио", "ф и о", "фамилия имя отчество", "full name"),
    _("Instead of the three columns above: «Фамилия Имя Отчество» in one cell."),
)
LOGIN = Column(
    "login",
    "Логин",
    ("логин", "login", "username", "user name", "имя пользователя", "учетная запись"),
    _(
        "Optional. If given, it identifies the person on every later import. If "
        "empty, a login is made from the name for new people (ivanova.mp)."
    ),
)
EMAIL = Column(
    "email",
    "E-mail",
    (
        "email",
        "e mail",
        "эл почта",
        "электронная почта",
        "адрес электронной почты",
        "почта",
        "mail",
    ),
    _("Optional."),
    "ivanova@example.ru",
)
PHONE = Column(
    "phone",
    "Телефон",
    ("телефон", "тел", "мобильный телефон", "номер телефона", "phone", "mobile"),
    _("Optional. Any common format: +7 916 123-45-67, 8 (916) 123-45-67."),
    "+7 916 123-45-67",
)

STUDENT_COLUMNS = (
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    FULL_NAME,
    Column(
        "birth_date",
        "Дата рождения",
        ("дата рождения", "дата рожд", "д р", "birth date", "date of birth", "dob"),
        _("Required. ДД.ММ.ГГГГ (17.05.2013), ГГГГ-ММ-ДД or an Excel date."),
        "17.05.2013",
        required=True,
    ),
    Column(
        "school_class",
        "Класс",
        ("класс", "class", "school class"),
        _(
            "Required. A class of the chosen academic year: «7А», «7 А» or «7-а». "
            "A new class moves the student (the old enrolment ends yesterday)."
        ),
        "7А",
        required=True,
    ),
    LOGIN,
    EMAIL,
    PHONE,
)

PARENT_COLUMNS = (
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    FULL_NAME,
    Column(
        "email",
        EMAIL.title,
        EMAIL.aliases,
        _("E-mail or phone is required: together with ФИО it identifies the person."),
        EMAIL.example,
    ),
    Column(
        "phone",
        PHONE.title,
        PHONE.aliases,
        _("E-mail or phone is required: together with ФИО it identifies the person."),
        PHONE.example,
    ),
    Column(
        "children",
        "Дети",
        ("дети", "ребенок", "children", "child", "students"),
        _(
            "Required. One or more children separated by «;»: the student's login, "
            "or «Фамилия Имя Отчество, ДД.ММ.ГГГГ». Import the students first."
        ),
        "Иванова Мария Петровна, 17.05.2013; ivanov.pp",
        required=True,
    ),
    Column(
        "relation",
        "Кем приходится",
        ("кем приходится", "степень родства", "родство", "relation", "relationship"),
        _("Required: мать, отец, опекун or иной законный представитель."),
        "мать",
        required=True,
    ),
    LOGIN,
)

STAFF_COLUMNS = (
    LAST_NAME,
    FIRST_NAME,
    MIDDLE_NAME,
    FULL_NAME,
    Column(
        "position",
        "Должность",
        ("должность", "position", "job title"),
        _("Required, as in the employment contract."),
        "Учитель математики",
        required=True,
    ),
    Column(
        "roles",
        "Роли",
        ("роли", "роль", "roles", "role"),
        _(
            "Required, separated by commas: учитель, заместитель директора, "
            "руководитель структурного подразделения, иной работник, администратор, "
            "директор."
        ),
        "учитель",
        required=True,
    ),
    Column(
        "subjects",
        "Предметы и классы",
        ("предметы и классы", "предметы", "subjects", "subjects and classes"),
        _(
            "Teachers: «subject: class hours, class hours; subject: …», e.g. "
            "«Математика: 5А 5, 5Б 5; Алгебра: 7А 3». Subjects and classes must exist."
        ),
        "Математика: 5А 5, 5Б 5; Алгебра: 7А 3",
    ),
    Column(
        "load",
        "Нагрузка",
        (
            "нагрузка",
            "учебная нагрузка",
            "нагрузка часов в неделю",
            "load",
            "weekly load",
        ),
        _("Teachers: required, hours a week (up to 60)."),
        "18",
    ),
    Column(
        "consultation_hours",
        "Часы на консультации",
        (
            "часы на консультации",
            "часы консультаций",
            "консультации",
            "consultation hours",
        ),
        _("Optional: hours a week of the load set aside for consultations."),
        "2",
    ),
    Column(
        "working_time",
        "Режим работы",
        ("режим работы", "график работы", "часы работы", "working time", "schedule"),
        _(
            "Required for staff who do not teach (deputy head, head of unit, other "
            "staff): «пн-пт 09:00-17:00» or «пн, ср 10:00-14:00; пт 09:00-13:00»."
        ),
        "",
    ),
    Column(
        "email",
        EMAIL.title,
        EMAIL.aliases,
        _("Login, e-mail or phone is required: it identifies the person."),
        "petrov@example.ru",
    ),
    Column(
        "phone",
        PHONE.title,
        PHONE.aliases,
        _("Login, e-mail or phone is required: it identifies the person."),
        "",
    ),
    LOGIN,
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.STUDENTS: STUDENT_COLUMNS,
    ImportKind.PARENTS: PARENT_COLUMNS,
    ImportKind.STAFF: STAFF_COLUMNS,
}

#: Columns a template file offers (ФИО in one column is accepted, not suggested).
TEMPLATE_KEYS = {
    kind: tuple(c for c in columns if c.key != "full_name")
    for kind, columns in COLUMNS.items()
}


@dataclass
class HeaderMap:
    """Which column of the file holds which field, and what the file calls it."""

    index: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: (column title, msgid, params) of problems with the header row itself
    problems: list[tuple[str, str, dict]] = field(default_factory=list)

    def title(self, key: str) -> str:
        return self.titles.get(key, key)


def map_headers(kind: str, headers: list[object]) -> HeaderMap:
    """Match the header row against the columns of `kind`."""
    columns = COLUMNS[kind]
    by_name = {name: column for column in columns for name in column.names}
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
    for column in columns:
        if column.required and column.key not in result.index:
            result.problems.append(
                (column.title, gettext_noop("The required column is missing."), {})
            )
    has_split_name = "last_name" in result.index and "first_name" in result.index
    if "full_name" in result.index and (
        "last_name" in result.index or "first_name" in result.index
    ):
        result.problems.append(
            (
                result.titles["full_name"],
                gettext_noop(
                    "Give either ФИО in one column or Фамилия and Имя in two, not both."
                ),
                {},
            )
        )
    elif not has_split_name and "full_name" not in result.index:
        for key, title in (("last_name", "Фамилия"), ("first_name", "Имя")):
            if key not in result.index:
                result.problems.append(
                    (title, gettext_noop("The required column is missing."), {})
                )
    if kind == ImportKind.PARENTS and not {"email", "phone"} & set(result.index):
        result.problems.append(
            (
                "E-mail",
                gettext_noop(
                    "The file needs a column «E-mail» or «Телефон»: a parent is "
                    "identified by name and contact."
                ),
                {},
            )
        )
    return result
