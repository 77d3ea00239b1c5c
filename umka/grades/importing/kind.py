"""Grades as a kind of import: a file exported from the electronic journal (R9 —
the data the teacher's topic analysis is built on). A teacher imports the grades
of the subjects and classes they teach, the administration any."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from umka.grades import audit_actions, policies
from umka.grades.importing.applying import apply_grades
from umka.grades.importing.columns import COLUMNS, TEMPLATE_COLUMNS, topic_or_work_type
from umka.grades.importing.planning import GradePlanner
from umka.grades.models import Grade, mark_text
from umka.imports import registry
from umka.imports.headers import person_name_columns
from umka.imports.selectors import readable_value

GRADES = "grades"

EXAMPLES = (
    {
        "full_name": "Иванова Мария Петровна",
        "school_class": "7А",
        "subject": "Алгебра",
        "date": "12.11.2026",
        "value": "3",
        "topic": "Линейные уравнения с параметром",
        "work_type": "самостоятельная работа",
    },
    {
        "full_name": "Петров Пётр Сергеевич",
        "school_class": "7А",
        "subject": "Алгебра",
        "date": "12.11.2026",
        "value": "5",
        "topic": "Линейные уравнения с параметром",
        "work_type": "ответ у доски",
    },
)

RULES = (
    gettext_lazy(
        "A teacher imports the grades of the subjects and classes they teach; the "
        "school administration imports any."
    ),
    gettext_lazy(
        "A student is found by ФИО and class (add the birth date or login when two "
        "students share a name); they must have been in that class on the day of "
        "the grade."
    ),
    gettext_lazy(
        "Dates: within the current academic year and not in the future. Grades: 2, "
        "3, 4 or 5; «5-», «4+» and «5/4» count as the school's settings say (by "
        "default the main mark: 5, 4 and 5). «н» is an absence and «зач» / «незач» "
        "a pass or a fail: they are kept as such and never count in an average."
    ),
    gettext_lazy(
        "Uploading the same file again changes nothing: a grade is recognised by "
        "student, subject, date, topic and kind of work. A changed grade in a later "
        "file replaces the stored one."
    ),
)


def plan_grades(table, headers, context, progress):
    return GradePlanner(actor=context.actor, today=context.today).build(
        table, headers, progress
    )


def grade_jobs_visible(user) -> Q | None:
    """The administration sees every upload of grades; a teacher their own."""
    if policies.is_administration(user):
        return Q()
    if policies.can_enter_grades(user):
        return Q(created_by=user.pk)
    return None


def result_text(summary) -> str:
    text = _("Added: %(created)s, changed: %(changed)s, unchanged: %(unchanged)s.") % {
        "created": summary.get("created", 0),
        "changed": summary.get("changed", 0),
        "unchanged": summary.get("unchanged", 0),
    }
    absences = summary.get("absences", 0)
    if absences:
        text += " " + ngettext(
            "Among them %(n)s absence.", "Among them %(n)s absences.", absences
        ) % {"n": absences}
    return text


CHANGE_LABELS = {
    "value": pgettext_lazy("school mark", "Grade"),
    "topic": gettext_lazy("Topic"),
    "class": gettext_lazy("Class"),
}


def change_value(name: str, value) -> str:
    if name == "value" and value in Grade.Kind.values:
        return mark_text(value, None)
    return readable_value(value)


registry.register(
    registry.Kind(
        key=GRADES,
        label=gettext_lazy("Grades"),
        list_title=gettext_lazy("Imports of grades"),
        columns=COLUMNS,
        plan=plan_grades,
        apply=apply_grades,
        may_use=policies.can_enter_grades,
        visible_jobs=grade_jobs_visible,
        refusal=gettext_lazy(
            "Only teachers and the school administration may import grades."
        ),
        result_text=result_text,
        header_checks=(person_name_columns, topic_or_work_type),
        template_columns=TEMPLATE_COLUMNS,
        examples=EXAMPLES,
        sheet_title="Оценки",
        csv_examples=True,
        rules=RULES,
        audit_actions={
            "created": audit_actions.IMPORT_CREATED,
            "done": audit_actions.IMPORT_APPLIED,
            "checked": audit_actions.IMPORT_CHECKED,
            "rejected": audit_actions.IMPORT_REJECTED,
            "failed": audit_actions.IMPORT_FAILED,
        },
        change_labels=CHANGE_LABELS,
        change_value=change_value,
        home=(gettext_lazy("Grades"), "grades:index"),
        order=50,
    )
)
