"""One home per rule (R7, R11): the same data gives the same message from the service
that refuses it, the planning form that shows the refusal, and the schedule board
that lists it once the data got in another way (the back office, an import)."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from umka.consultations import rules
from umka.consultations.models import Consultation, Occurrence
from umka.consultations.planning import services as planning_services
from umka.consultations.planning.forms import PlanForm
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.core import clock
from umka.core.errors import DomainError
from umka.school.models import SchoolClass
from umka.school.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    SchoolFactory()
    return small_school()


def _fields(school, **overrides) -> dict:
    fields = {
        "organiser": school.teacher,
        "form": Consultation.Form.VIDEOCONFERENCE,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
    }
    fields.update(overrides)
    return fields


def plan(school, **overrides) -> Consultation:
    return planning_services.consultation_plan(
        actor=school.deputy, schedule=school.schedule, **_fields(school, **overrides)
    )


def service_says(school, **overrides) -> str:
    with pytest.raises(DomainError) as refused:
        plan(school, **overrides)
    return refused.value.messages[0]


def form_says(client, school, **overrides) -> str:
    """The refusal at the top of the planning form, as text."""
    fields = _fields(school, **overrides)
    data = {
        "period": str(school.quarter.pk),
        "organiser": str(fields["organiser"].pk),
        "subject": str(fields["subject"].pk) if fields["subject"] else "",
        "classes": [str(c.pk) for c in fields["classes"]],
        "form": fields["form"],
        "volume": fields.get("volume", Consultation.Volume.OVERVIEW),
        "topics": fields.get("topics", ""),
        "purpose": fields.get("purpose", Consultation.Purpose.ONGOING),
        "program_part": str(fields["program_part"].pk)
        if fields.get("program_part")
        else "",
        "recurrence": Consultation.Recurrence.ONCE,
        "starts_on": fields["starts_on"].isoformat(),
        "start_time": f"{fields['start_time']:%H:%M}",
        "duration_minutes": str(fields["duration_minutes"]),
    }
    client.force_login(school.deputy)
    response = client.post(reverse("consultations:plan"), data)
    assert response.status_code == 200
    alert = re.search(
        r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", alert.group(1)))


def force(school, **overrides) -> Consultation:
    """The same consultation written past the rules (as an import or the back
    office could), with its one session."""
    fields = _fields(school, **overrides)
    classes = fields.pop("classes")
    consultation = Consultation.objects.create(
        schedule=school.schedule, created_by=school.deputy, **fields
    )
    consultation.audience_classes.set(classes)
    starts_at = clock.at(consultation.starts_on, consultation.start_time)
    Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=consultation.duration_minutes),
    )
    return consultation


def board_says(client, school) -> list[str]:
    client.force_login(school.deputy)
    response = client.get(
        reverse("consultations:schedule", args=[school.schedule.pk]),
        {"week": "2026-11-16"},
    )
    return [c.message for c in response.context["board"].conflicts]


def _one_voice(client, school, **data) -> str:
    said = service_says(school, **data)
    assert said in form_says(client, school, **data)
    force(school, **data)
    assert said in board_says(client, school)
    return said


@pytest.mark.requirement("R7")
def test_weekly_hours_are_worded_alike_everywhere(client, school):
    plan(school, duration_minutes=90)

    said = _one_voice(client, school, starts_on=dt.date(2026, 11, 19))

    assert "16.11.2026–22.11.2026" in said
    assert "2,25" in said
    assert "0,25" in said


@pytest.mark.requirement("R7")
def test_working_time_is_worded_alike_everywhere(client, school):
    said = _one_voice(
        client,
        school,
        organiser=school.deputy,
        subject=None,
        start_time=dt.time(16, 30),
        duration_minutes=60,
    )

    assert "с 08:00 до 17:00" in said
    assert "16:30–17:30" in said


@pytest.mark.requirement("R7")
def test_missing_contract_terms_are_worded_alike_everywhere(client, school):
    school.other_teacher.contract.delete()

    said = _one_voice(client, school, organiser=school.other_teacher)

    assert school.other_teacher.full_name in said


@pytest.mark.requirement("R11")
def test_an_early_attestation_consultation_is_worded_alike_everywhere(client, school):
    said = _one_voice(
        client,
        school,
        classes=[school.class_7b, school.class_7a],
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 14),
    )

    assert "7Б" in said
    assert "15.12.2026" in said
    assert "14.12.2026" in said


def test_a_double_booked_organiser_is_worded_alike_everywhere(client, school):
    plan(school)

    said = _one_voice(
        client, school, classes=[school.class_7b], start_time=dt.time(15, 30)
    )

    assert "15:00–15:45" in said
    assert "15:30–16:15" in said


def test_a_double_booked_class_is_worded_alike_everywhere(client, school):
    plan(school)

    said = _one_voice(
        client,
        school,
        organiser=school.other_teacher,
        start_time=dt.time(15, 15),
    )

    assert "7А" in said


@pytest.mark.requirement("R11")
def test_the_form_and_the_service_require_every_class_in_the_parts_grade(
    client, school
):
    """Some chosen class in the grade is not enough: the rule is per class."""
    class_8a = SchoolClass.objects.create(year=school.year, grade=8, letter="А")
    data = {
        "classes": [school.class_7a, class_8a],
        "purpose": Consultation.Purpose.ATTESTATION,
        "program_part": school.part,
        "starts_on": dt.date(2026, 12, 16),
    }

    said = service_says(school, **data)
    form = PlanForm(
        {
            "period": str(school.quarter.pk),
            "organiser": str(school.teacher.pk),
            "subject": str(school.maths.pk),
            "classes": [str(school.class_7a.pk), str(class_8a.pk)],
            "form": Consultation.Form.WEBINAR,
            "volume": Consultation.Volume.OVERVIEW,
            "purpose": Consultation.Purpose.ATTESTATION,
            "program_part": str(school.part.pk),
            "recurrence": Consultation.Recurrence.ONCE,
            "starts_on": "2026-12-16",
            "start_time": "15:00",
            "duration_minutes": "45",
        },
        user=school.deputy,
        today=clock.today(),
    )

    assert not form.is_valid()
    assert form.errors["program_part"] == [said]
    assert "8А" in said
    (finding,) = rules.plan_findings(
        form=Consultation.Form.WEBINAR,
        volume=Consultation.Volume.OVERVIEW,
        topics="",
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        subject=school.maths,
        classes=[school.class_7a, class_8a],
    )
    assert finding.rule == "R11"
    assert finding.text == said
