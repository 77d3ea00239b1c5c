"""Personal data held by assignments (see umka/privacy/registry.py).

Assignments and bank questions are the school's teaching material: a teacher
who left keeps them, under the new name only.
"""

from umka.assignments.models import (
    Answer,
    AnswerFile,
    Assignment,
    BankQuestion,
    Extension,
    Submission,
)
from umka.privacy import registry

registry.declare(BankQuestion, people=("owner",), fields=("name", "kind", "created_at"))
registry.declare(
    Assignment, people=("author",), fields=("space", "title", "status", "created_at")
)
registry.declare(
    Extension,
    people=("student", "granted_by"),
    fields=("assignment", "student", "due_at", "reason", "granted_at"),
)
registry.declare(
    Submission,
    people=("student", "graded_by", "escalated_to"),
    fields=(
        "assignment",
        "student",
        "attempt",
        "status",
        "submitted_at",
        "late",
        "points",
        "mark",
        "review",
        "graded_at",
    ),
)
# The student's answers and files, reached through their submission.
registry.declare(
    Answer,
    people=("submission__student",),
    fields=("submission", "part", "response", "score"),
    texts={"submission__student": ("response",)},
)
registry.declare(
    AnswerFile,
    people=("answer__submission__student",),
    fields=("answer", "name"),
    texts={"answer__submission__student": ("file", "name")},
)
