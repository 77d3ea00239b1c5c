"""The seminar's phases as people see them: the five steps with their dates,
and one line saying what this person must do now and by when (Moodle's
Workshop confused students with phases; here every page says it plainly)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from umka.assignments.services import when
from umka.core import clock
from umka.seminars.models import PHASES, Phase, Seminar


@dataclass(frozen=True)
class Step:
    phase: str
    label: str
    until: str  # «до 17.11.2026 18:00», or ""
    state: str  # "done", "current", "next"


def _until(seminar: Seminar, phase: str) -> str:
    moment = {
        Phase.SETUP: seminar.opens_at,
        Phase.SUBMISSION: seminar.submission_due_at,
        Phase.ASSESSMENT: seminar.assessment_due_at,
    }.get(phase)
    return _("until %(when)s") % {"when": when(moment)} if moment else ""


def steps(seminar: Seminar) -> list[Step]:
    current = seminar.phase_index
    return [
        Step(
            phase=phase,
            label=str(Phase(phase).label),
            until=_until(seminar, phase),
            state="done" if i < current else "current" if i == current else "next",
        )
        for i, phase in enumerate(PHASES)
    ]


def next_phase(seminar: Seminar) -> str | None:
    i = seminar.phase_index
    return PHASES[i + 1] if i + 1 < len(PHASES) else None


def submission_open(seminar: Seminar, now=None) -> bool:
    """Works are accepted: the submission phase before its due date, or late
    work during the assessment when the teacher accepts it."""
    now = now or clock.now()
    if seminar.phase == Phase.SUBMISSION:
        return now < seminar.submission_due_at
    return (
        seminar.phase == Phase.ASSESSMENT
        and seminar.late_allowed
        and now < seminar.assessment_due_at
    )


def assessment_open(seminar: Seminar, now=None) -> bool:
    now = now or clock.now()
    return seminar.phase == Phase.ASSESSMENT and now < seminar.assessment_due_at


def student_todo(seminar: Seminar, work, to_assess: int, assessed: int) -> str:
    """What a student must do now and by when, in one line."""
    now = clock.now()
    phase = seminar.phase
    if phase == Phase.SETUP:
        return _("The seminar has not started: submission opens on %(when)s.") % {
            "when": when(seminar.opens_at)
        }
    if phase == Phase.SUBMISSION:
        if now >= seminar.submission_due_at:
            return _(
                "Submission has closed; the peer assessment starts in a few minutes."
            )
        if work is None:
            return _("Submit your work by %(when)s.") % {
                "when": when(seminar.submission_due_at)
            }
        return _(
            "Your work is submitted; you may change it until %(when)s. Then you "
            "assess your classmates' works."
        ) % {"when": when(seminar.submission_due_at)}
    if phase == Phase.ASSESSMENT:
        if work is None or not work.is_active:
            if submission_open(seminar, now):
                return _("Submit your work late, by %(when)s.") % {
                    "when": when(seminar.assessment_due_at)
                }
            return _(
                "You did not submit a work: there is nothing for you to do in "
                "this seminar."
            )
        left = to_assess - assessed
        if now >= seminar.assessment_due_at:
            return _("The peer assessment has closed; the teacher grades next.")
        if left > 0:
            return ngettext(
                "Assess %(left)s work of your classmates (done %(done)s of "
                "%(all)s) by %(when)s.",
                "Assess %(left)s works of your classmates (done %(done)s of "
                "%(all)s) by %(when)s.",
                left,
            ) % {
                "left": left,
                "done": assessed,
                "all": to_assess,
                "when": when(seminar.assessment_due_at),
            }
        return _(
            "You have assessed every work given to you; you may correct your "
            "assessments until %(when)s."
        ) % {"when": when(seminar.assessment_due_at)}
    if phase == Phase.GRADING:
        if work is not None and work.status == work.Status.GRADED:
            return _("Your grades and the teacher's review are ready.")
        return _("Nothing to do: the teacher is grading the works and assessments.")
    if work is not None and work.status == work.Status.GRADED:
        return _("The seminar is over: read your grades and the teacher's review.")
    return _("The seminar is over.")


def teacher_todo(seminar: Seminar, counts: dict) -> str:
    """What the teacher does now, in one line (`counts`: works, students,
    allocated, assessed, graded)."""
    now = clock.now()
    phase = seminar.phase
    if phase == Phase.SETUP:
        if not counts.get("criteria"):
            return _("Add the assessment criteria, then open the submission.")
        if seminar.by_date:
            return _("Submission opens by itself on %(when)s.") % {
                "when": when(seminar.opens_at)
            }
        return _("Open the submission when you are ready.")
    if phase == Phase.SUBMISSION:
        line = _("Works submitted: %(works)s of %(students)s.") % counts
        if now >= seminar.submission_due_at:
            return line + " " + _("Submission has closed: start the peer assessment.")
        return (
            line
            + " "
            + _("Submission is open until %(when)s.")
            % {"when": when(seminar.submission_due_at)}
        )
    if phase == Phase.ASSESSMENT:
        return _(
            "Peer assessment until %(when)s: done %(assessed)s of %(allocated)s."
        ) % {**counts, "when": when(seminar.assessment_due_at)}
    if phase == Phase.GRADING:
        left = counts["works"] - counts["graded"]
        if left:
            return ngettext(
                "Grade %(left)s more work and its assessments, with a review.",
                "Grade %(left)s more works and their assessments, with a review.",
                left,
            ) % {"left": left}
        return _("Every work is graded: close the seminar.")
    return _("The seminar is closed.")
