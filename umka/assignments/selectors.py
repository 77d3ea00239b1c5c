"""Reads of assignments: a teacher's roster of an assignment, a submission's
answers with what to show, the rubric of a grade."""

from collections import defaultdict
from decimal import Decimal

from umka.assignments.models import Answer, Assignment, Extension, Submission


def roster(assignment: Assignment, students) -> list[dict]:
    """Each student of the space with their attempts and extension (3 queries)."""
    by_student = defaultdict(list)
    for s in Submission.objects.filter(assignment=assignment).order_by("attempt"):
        s.assignment = assignment
        by_student[s.student_id].append(s)
    extensions = {
        e.student_id: e for e in Extension.objects.filter(assignment=assignment)
    }
    return [
        {
            "student": student,
            "submissions": by_student.get(student.pk, []),
            "latest": (by_student.get(student.pk) or [None])[-1],
            "extension": extensions.get(student.pk),
        }
        for student in students
    ]


def answers_of(submission: Submission) -> list[Answer]:
    answers = list(
        Answer.objects.filter(submission=submission)
        .select_related("part")
        .prefetch_related("files")
        .order_by("part__position")
    )
    for answer in answers:
        answer.shown = shown_response(answer)
    return answers


def shown_response(answer: Answer) -> dict:
    """The response in words: chosen texts, matches, the order given."""
    part, response = answer.part, answer.response or {}
    data = part.data or {}
    if part.kind in ("single", "multiple", "ordering"):
        if part.kind == "ordering":
            texts, picked = data.get("items", []), response.get("order", [])
        else:
            texts = [c["text"] for c in data.get("choices", [])]
            picked = response.get("choices", [response.get("choice")])
        indexes = [_int(v) for v in picked or []]
        return {
            "view": "items",
            "items": [
                texts[i] for i in indexes if i is not None and 0 <= i < len(texts)
            ],
        }
    if part.kind == "matching":
        matches = response.get("matches", {})
        return {
            "view": "pairs",
            "pairs": [
                (p["left"], matches.get(str(i), ""), p["right"])
                for i, p in enumerate(data.get("pairs", []))
            ],
        }
    return {"view": part.kind, "text": response.get("text", "")}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rubric_rows(submission: Submission) -> list[dict]:
    scores = submission.rubric or {}
    return [
        {
            "criterion": c,
            "points": Decimal(scores[str(c.pk)]) if str(c.pk) in scores else None,
        }
        for c in submission.assignment.criteria.all()
    ]
