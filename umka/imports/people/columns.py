"""The columns of people files (students, parents, staff) and their header rules.

A file may give ФИО in one column instead of Фамилия, Имя, Отчество (the name
columns every kind shares live in umka.imports.headers); a parents file needs an
e-mail or a phone column (with ФИО it identifies a parent).
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


def parents_need_a_contact(result: HeaderMap) -> None:
    if not {"email", "phone"} & set(result.index):
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
