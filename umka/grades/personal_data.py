"""Personal data held by grades (see umka/privacy/registry.py)."""

from umka.grades.models import Grade
from umka.privacy import registry

registry.declare(
    Grade,
    people=("student", "teacher"),
    fields=(
        "student",
        "subject",
        "date",
        "kind",
        "value",
        "topic",
        "work_type",
        "teacher",
    ),
)
