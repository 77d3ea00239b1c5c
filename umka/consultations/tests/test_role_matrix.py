"""Every consultations view, for every role: the status code and whether anything
was written (a refusal writes nothing). Both were recorded before the views' own
`may_*` checks moved into `policies.py` and are pinned here: the move changed no
one's access (R3, R8, R13). The requests run in order, so an earlier action's effect
(a session moved, then cancelled) is part of what is pinned."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.consultations.models import (
    ApprovalDelegation,
    CalendarToken,
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import small_school
from umka.school.models import StudyPeriod
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "student",
    "other_student",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "deputy",
    "director",
    "administrator",
]


@pytest.fixture
def world():
    """A published schedule with an attestation consultation of `teacher` for 7А
    (its material attached) and a draft schedule of the next quarter."""
    SchoolFactory()
    school = small_school()
    school.administrator = make_person(Role.ADMINISTRATOR)
    consultation = planning_services.consultation_plan(
        actor=school.deputy,
        schedule=school.schedule,
        organiser=school.teacher,
        form=Consultation.Form.WEBINAR,
        subject=school.maths,
        classes=[school.class_7a],
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 15),
        start_time=dt.time(15, 0),
        duration_minutes=45,
    )
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)
    schedule_services.schedule_publish(actor=school.deputy, schedule=school.schedule)
    occurrence = consultation.occurrences.get()
    item = occurrence.checklist.get(kind=ChecklistItem.Kind.CRITERIA)
    material = ChecklistMaterial.objects.create(
        item=item,
        file=SimpleUploadedFile("criteria.txt", b"5: 90%"),
        title="Критерии",
        uploaded_by=school.teacher,
    )
    next_quarter = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=3,
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 3, 20),
    )
    draft = ScheduleDocument.objects.create(year=school.year, period=next_quarter)
    return {
        "school": school,
        "consultation": consultation,
        "occurrence": occurrence,
        "item": item,
        "material": material,
        "schedule": school.schedule,
        "draft": draft,
    }


def _requests(w) -> dict[str, tuple[str, str, dict]]:
    """name → (method, url, data)."""
    s, d = w["schedule"], w["draft"]
    c, o, i = w["consultation"], w["occurrence"], w["item"]
    school = w["school"]
    return {
        "mine": ("get", reverse("consultations:mine"), {}),
        "plan": ("get", reverse("consultations:plan"), {}),
        "plan_fields": ("get", reverse("consultations:plan_fields"), {}),
        "detail": ("get", reverse("consultations:detail", args=[c.pk]), {}),
        "session": ("get", reverse("consultations:session", args=[o.pk]), {}),
        "material": (
            "get",
            reverse("consultations:material", args=[w["material"].pk]),
            {},
        ),
        "schedules": ("get", reverse("consultations:schedules"), {}),
        "schedule": ("get", reverse("consultations:schedule", args=[s.pk]), {}),
        "versions": (
            "get",
            reverse("consultations:schedule_versions", args=[s.pk]),
            {},
        ),
        "version": (
            "get",
            reverse("consultations:schedule_version", args=[s.pk, 1]),
            {},
        ),
        "compare": (
            "get",
            reverse("consultations:schedule_compare", args=[s.pk]) + "?a=1&b=1",
            {},
        ),
        "public": ("get", reverse("schedule:detail", args=[s.pk]), {}),
        "print": ("get", reverse("schedule:print", args=[s.pk]), {}),
        "draft_print": ("get", reverse("schedule:print", args=[d.pk]), {}),
        "draft_pdf": ("get", reverse("schedule:pdf", args=[d.pk]), {}),
        "organiser_feed": (
            "get",
            reverse("schedule:calendar_organiser", args=[school.teacher.pk]),
            {},
        ),
        "student_feed": (
            "get",
            reverse("schedule:calendar_organiser", args=[school.student.pk]),
            {},
        ),
        "calendar_mine": ("get", reverse("schedule:calendar_mine"), {}),
        "remove": (
            "post",
            reverse("consultations:consultation_remove", args=[c.pk]),
            {},
        ),
        "move": (
            "post",
            reverse("consultations:session_move", args=[o.pk]),
            {"new_date": "2026-12-16", "new_time": "15:00", "reason": "Олимпиада"},
        ),
        "cancel": (
            "post",
            reverse("consultations:session_cancel", args=[o.pk]),
            {"reason": "Болезнь"},
        ),
        "held": ("post", reverse("consultations:session_held", args=[o.pk]), {}),
        "checklist_item": (
            "post",
            reverse("consultations:checklist_item", args=[i.pk]),
            {f"item{i.pk}-done": "on", f"item{i.pk}-note": "Критерии"},
        ),
        "schedule_open": (
            "post",
            reverse("consultations:schedule_open"),
            {"year": school.year.pk, "period": d.period_id},
        ),
        "delegate": (
            "post",
            reverse("consultations:schedule_delegate"),
            {"deputy": school.deputy.pk, "valid_from": "2026-11-10"},
        ),
        "submit": (
            "post",
            reverse("consultations:schedule_submit", args=[d.pk]),
            {"confirmed": "yes"},
        ),
        "return": (
            "post",
            reverse("consultations:schedule_return", args=[d.pk]),
            {"reason": "Нет консультаций"},
        ),
        "approve": (
            "post",
            reverse("consultations:schedule_approve", args=[d.pk]),
            {"confirmed": "yes"},
        ),
        "publish": (
            "post",
            reverse("consultations:schedule_publish", args=[d.pk]),
            {"confirmed": "yes"},
        ),
    }


def _state() -> list:
    """Everything a request could write."""
    return [
        list(Consultation.objects.order_by("pk").values()),
        list(Occurrence.objects.order_by("pk").values()),
        list(ChecklistItem.objects.order_by("pk").values()),
        list(ScheduleDocument.objects.order_by("pk").values()),
        ScheduleVersion.objects.count(),
        ApprovalDelegation.objects.count(),
        CalendarToken.objects.count(),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    ]


def _user(world, role):
    school = world["school"]
    if role == "other_student":
        return school.other_student
    return getattr(school, role)


def _seen(client, world, role) -> dict[str, str]:
    """name → the status code, with «w» when the request wrote something."""
    if role != "anonymous":
        client.force_login(_user(world, role))
    seen = {}
    for name, (method, url, data) in _requests(world).items():
        before = _state()
        response = getattr(client, method)(url, data)
        seen[name] = f"{response.status_code}{'w' if _state() != before else ''}"
    return seen


#: Per view, the answer to each role of ROLES in order: the status code, with «w»
#: when the request wrote something (every refusal writes nothing).
# fmt: off
EXPECTED = {
    #                  anon stud o.st par  o.pa tea  o.te dep  dir  adm
    "mine":            "302  404  404  404  404  200  200  200  200  200",
    "plan":            "302  404  404  404  404  200  200  200  200  404",
    "plan_fields":     "302  404  404  404  404  200  200  200  200  404",
    "detail":          "302  200  404  200  404  200  404  200  200  200",
    "session":         "302  200  404  200  404  200  404  200  200  200",
    "material":        "302  200  404  200  404  200  404  200  200  200",
    "schedules":       "302  404  404  404  404  200  200  200  200  200",
    "schedule":        "302  404  404  404  404  200  200  200  200  200",
    "versions":        "302  404  404  404  404  200  200  200  200  200",
    "version":         "302  404  404  404  404  200  200  200  200  200",
    "compare":         "302  404  404  404  404  200  200  200  200  200",
    "public":          "200  200  200  200  200  200  200  200  200  200",
    "print":           "200  200  200  200  200  200  200  200  200  200",
    "draft_print":     "404  404  404  404  404  200  200  200  200  200",
    "draft_pdf":       "404  404  404  404  404  200  200  200  200  200",
    "organiser_feed":  "200  200  200  200  200  200  200  200  200  200",
    "student_feed":    "404  404  404  404  404  404  404  404  404  404",
    "calendar_mine":   "302  200  200  200  200  200  200  200  200  200",
    "remove":          "302  404  404  404  404  200  404  200  200  404",
    "move":            "302  404  404  404  404  302w 404  302w 302w 404",
    "cancel":          "302  404  404  404  404  302w 404  302w 302w 404",
    "held":            "302  404  404  404  404  200  404  200  200  404",
    "checklist_item":  "302  404  404  404  404  302w 404  302w 302w 404",
    "schedule_open":   "302  404  404  404  404  403  403  302  302  302",
    "delegate":        "302  404  404  404  404  403  403  403  302w 403",
    "submit":          "302  404  404  404  404  403  403  302  302  403",
    "return":          "302  404  404  404  404  403  403  302  302  403",
    "approve":         "302  404  404  404  404  403  403  403  302  403",
    "publish":         "302  404  404  404  404  403  403  302  302  302",
}
# fmt: on


@pytest.mark.requirement("R3", "R8")
@pytest.mark.parametrize("role", ROLES)
def test_every_view_answers_each_role_as_before(client, world, role):
    column = ROLES.index(role)
    assert _seen(client, world, role) == {
        view: answers.split()[column] for view, answers in EXPECTED.items()
    }
