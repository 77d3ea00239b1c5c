"""The people kinds of import — students, parents, staff — as the school
administrator uploads them (R3: people, roles and parent links come from the
school's own lists). Registered with the engine when the imports app starts."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.models import Role
from umka.imports import registry
from umka.imports.headers import person_name_columns
from umka.imports.people import columns
from umka.imports.people.applying import apply_people
from umka.imports.people.parents import ParentPlanner
from umka.imports.people.planning import PeoplePlanner
from umka.imports.people.staff import StaffPlanner
from umka.imports.people.students import StudentPlanner
from umka.imports.policies import can_import_people
from umka.imports.selectors import readable_value

STUDENTS, PARENTS, STAFF = "students", "parents", "staff"
PEOPLE = (STUDENTS, PARENTS, STAFF)

EXAMPLES: dict[str, tuple[dict[str, str], ...]] = {
    STUDENTS: (
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "middle_name": "Петровна",
            "birth_date": "17.05.2013",
            "school_class": "7А",
        },
        {
            "last_name": "Петров",
            "first_name": "Пётр",
            "middle_name": "Сергеевич",
            "birth_date": "02.11.2012",
            "school_class": "7Б",
            "login": "petrov.ps",
            "email": "petrov.p@example.ru",
        },
    ),
    PARENTS: (
        {
            "last_name": "Иванова",
            "first_name": "Елена",
            "middle_name": "Викторовна",
            "email": "ivanova.ev@example.ru",
            "phone": "+7 916 123-45-67",
            "children": "Иванова Мария Петровна, 17.05.2013",
            "relation": "мать",
        },
        {
            "last_name": "Петров",
            "first_name": "Сергей",
            "middle_name": "Иванович",
            "phone": "8 (903) 765-43-21",
            "children": "petrov.ps; Петрова Анна Сергеевна, 09.03.2016",
            "relation": "отец",
        },
    ),
    STAFF: (
        {
            "last_name": "Смирнова",
            "first_name": "Ольга",
            "middle_name": "Николаевна",
            "position": "Учитель математики",
            "roles": "учитель",
            "subjects": "Математика: 5А 5, 5Б 5; Алгебра: 7А 3",
            "load": "18",
            "consultation_hours": "2",
            "email": "smirnova.on@example.ru",
        },
        {
            "last_name": "Кузнецов",
            "first_name": "Андрей",
            "middle_name": "Павлович",
            "position": "Заместитель директора по УВР",
            "roles": "заместитель директора",
            "working_time": "пн-пт 09:00-17:00",
            "email": "kuznetsov.ap@example.ru",
        },
    ),
}

RULES = (
    gettext_lazy(
        "Import the students first, then the parents (they refer to the children), "
        "then the staff."
    ),
    gettext_lazy(
        "Uploading the same file again changes nothing: people are recognised by "
        "their login or, without one, students by name and birth date, parents and "
        "staff by name and e-mail or phone."
    ),
    gettext_lazy(
        "A changed cell updates the person (a new class moves the student from "
        "today). An empty cell never erases stored data, and an import never "
        "deletes anyone."
    ),
    gettext_lazy(
        "New people get a login and a one-time password; you print the list and "
        "hand it out. At first sign-in each person chooses their own password."
    ),
)

CHANGE_LABELS = {
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "last_name": gettext_lazy("Surname"),
    "first_name": gettext_lazy("First name"),
    "middle_name": gettext_lazy("Patronymic"),
    "birth_date": gettext_lazy("Birth date"),
    "class": gettext_lazy("Class"),
    "roles": gettext_lazy("Roles"),
    "children": gettext_lazy("Children"),
    "verified": gettext_lazy("Links verified"),
    "position": gettext_lazy("Position"),
    "weekly_load_hours": gettext_lazy("Weekly load, hours"),
    "consultation_hours": gettext_lazy("Consultation hours"),
    "working_time": gettext_lazy("Working time"),
    "lessons_added": gettext_lazy("Subjects and classes added"),
    "lessons_hours": gettext_lazy("Hours changed"),
}


def change_value(name: str, value) -> str:
    if name == "roles" and value:
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return readable_value(value)


def result_text(summary) -> str:
    return _(
        "Created: %(created)s, changed: %(changed)s, unchanged: %(unchanged)s."
    ) % {
        "created": summary.get("created", 0),
        "changed": summary.get("changed", 0),
        "unchanged": summary.get("unchanged", 0),
    }


def people_jobs_visible(user) -> Q | None:
    """Every administrator sees every people import (they share the setting up)."""
    return Q() if can_import_people(user) else None


def _links_detail(job) -> list[tuple[str, str]]:
    verified = job.options.get("verify_links", True)
    return [
        (
            _("Parent links"),
            _("verified by the import (documents checked)")
            if verified
            else _("to be verified in the back office"),
        )
    ]


VERIFY_LINKS = registry.Option(
    "verify_links",
    lambda: forms.BooleanField(
        label=gettext_lazy("Parent links are checked against documents"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Parents: the school has seen the documents (birth certificate, "
            "guardianship order), so the links give parents their rights at once. "
            "Untick to verify each link later in the back office."
        ),
    ),
    default=True,
)


def _people_kind(
    key: str, label, planner: type[PeoplePlanner], order: int, **own
) -> registry.Kind:
    """One people kind: what the three share, and its own columns and planner."""

    def plan(table, headers, context, progress):
        return planner(context).build(table, headers, progress)

    return registry.register(
        registry.Kind(
            key=key,
            label=label,
            list_title=gettext_lazy("Import of people"),
            plan=plan,
            apply=apply_people,
            may_use=can_import_people,
            visible_jobs=people_jobs_visible,
            refusal=gettext_lazy("Only the school administrator may import people."),
            result_text=result_text,
            examples=EXAMPLES[key],
            rules=RULES,
            asks_year=True,
            issues_credentials=True,
            change_labels=CHANGE_LABELS,
            change_value=change_value,
            order=order,
            **own,
        )
    )


_people_kind(
    STUDENTS,
    gettext_lazy("Students"),
    StudentPlanner,
    10,
    columns=columns.STUDENT_COLUMNS,
    header_checks=(person_name_columns,),
    needs_year=True,
)
_people_kind(
    PARENTS,
    gettext_lazy("Parents"),
    ParentPlanner,
    20,
    columns=columns.PARENT_COLUMNS,
    header_checks=(person_name_columns, columns.parents_need_a_contact),
    options=(VERIFY_LINKS,),
    details=_links_detail,
)
_people_kind(
    STAFF,
    gettext_lazy("Staff"),
    StaffPlanner,
    30,
    columns=columns.STAFF_COLUMNS,
    header_checks=(person_name_columns,),
    needs_year=True,
)
