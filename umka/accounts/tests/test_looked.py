"""«Кто смотрел данные моего ребёнка»: staff opening a child's profile, grades or
requests are in the audit trail — once per person × child × page an hour — and the
administration and the child's parents can read who it was."""

import pytest
from django.urls import reverse

from umka.accounts import looked
from umka.audit.models import AuditEntry
from umka.grades.tests import factories as grades
from umka.requests.tests import factories as requests

pytestmark = pytest.mark.django_db


def _views(child=None, kind=None):
    entries = AuditEntry.objects.filter(action=looked.CHILD_DATA_VIEWED)
    if child is not None:
        entries = entries.filter(target_id=str(child.pk))
    if kind is not None:
        entries = entries.filter(changes__page=kind)
    return entries


@pytest.fixture
def school(clock):
    clock.travel(grades.NOW)
    return grades.grades_school()


def test_staff_opening_a_childs_profile_is_recorded_once_an_hour(client, school, clock):
    client.force_login(school.deputy)
    url = reverse("accounts:person", args=[school.student.pk])
    for _ in range(3):
        assert client.get(url).status_code == 200
    entry = _views(school.student, looked.PROFILE).get()
    assert entry.actor == school.deputy
    assert entry.target_repr == str(school.student)
    from django.core.cache import cache

    cache.clear()  # what an hour does to the once-an-hour mark
    client.get(url)
    assert _views(school.student, looked.PROFILE).count() == 2


def test_a_colleagues_profile_and_ones_own_are_not_looking(client, school):
    client.force_login(school.deputy)
    client.get(reverse("accounts:person", args=[school.teacher.pk]))
    client.get(reverse("accounts:person", args=[school.deputy.pk]))
    assert not _views().exists()


@pytest.mark.parametrize("who", ["student", "parent"])
def test_the_family_opening_the_childs_page_is_not_recorded(client, school, who):
    client.force_login(getattr(school, who))
    assert (
        client.get(reverse("accounts:person", args=[school.student.pk])).status_code
        == 200
    )
    assert not _views().exists()


def test_a_teacher_opening_the_grade_sheet_records_each_student_once(client, school):
    client.force_login(school.teacher)
    url = (
        reverse("grades:entry")
        + f"?school_class={school.class_7a.pk}&subject={school.algebra.pk}"
        + "&date=2026-11-10&topic=Дроби&work_type=ответ"
    )
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    recorded = set(_views(kind=looked.GRADES).values_list("target_id", flat=True))
    assert str(school.student.pk) in recorded
    assert str(school.classmate.pk) in recorded
    assert _views(school.student, looked.GRADES).count() == 1


def test_a_teacher_opening_a_childs_request_is_recorded(client, clock):
    clock.travel(requests.NOW)
    school = requests.request_school()
    req = requests.write(school)
    client.force_login(school.teacher)
    assert client.get(req.get_absolute_url()).status_code == 200
    entry = _views(school.student, looked.REQUESTS).get()
    assert entry.actor == school.teacher
    client.force_login(school.parent)  # the author: not «looking»
    client.get(req.get_absolute_url())
    assert _views().count() == 1


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("parent", True),
        ("deputy", True),
        ("administrator", True),
        ("director", True),
        ("other_parent", False),
        ("teacher", False),
        ("student", False),
    ],
)
def test_who_looked_is_shown_to_the_parents_and_the_administration(
    client, school, who, sees
):
    looked.record_child_view(
        viewer=school.teacher, child=school.student, kind=looked.GRADES
    )
    client.force_login(getattr(school, who))
    response = client.get(reverse("accounts:person", args=[school.student.pk]))
    if response.status_code == 404:
        assert not sees
        return
    page = response.content.decode()
    assert ('id="who-looked"' in page) is sees
    if sees:
        assert school.teacher.full_name in page
        assert "оценки" in page


def test_the_administration_filters_the_trail_by_the_child(client, school):
    looked.record_child_view(
        viewer=school.teacher, child=school.student, kind=looked.GRADES
    )
    looked.record_child_view(
        viewer=school.teacher, child=school.classmate, kind=looked.GRADES
    )
    client.force_login(school.deputy)
    url = reverse("audit:list") + (
        f"?action={looked.CHILD_DATA_VIEWED}&type=accounts.user"
        f"&object={school.student.pk}"
    )
    page = client.get(url).content.decode()
    assert school.student.full_name in page
    assert school.classmate.full_name not in page


def test_views_are_newest_first(school, clock):
    looked.record_child_view(viewer=school.teacher, child=school.student, kind="grades")
    clock.advance(minutes=5)
    looked.record_child_view(viewer=school.deputy, child=school.student, kind="profile")
    looks = looked.looks_for(school.deputy, school.student)
    assert [look.who for look in looks] == [
        school.deputy.full_name,
        school.teacher.full_name,
    ]
