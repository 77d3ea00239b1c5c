"""Who sees which material (R2, R3): lists, search results, downloads and notices
all go through `materials_visible_to` / `can_view`, and each role sees exactly
what is meant for it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import ParentLinkFactory, make_person, make_student
from umka.materials import notices, policies, services
from umka.materials.models import Material
from umka.materials.tests.factories import make_material
from umka.notifications.models import Notification
from umka.school.models import Enrolment, School, TeachingAssignment
from umka.school.tests.factories import TeachingAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(school):
    """One material of each audience, a draft and a scheduled one."""
    staff_member = make_person(Role.STAFF, last_name="Психолог")
    return {
        "for_7a": make_material(school, title="Уравнения 7А"),
        "for_7b": make_material(
            school,
            title="Уравнения 7Б",
            author=school.other_teacher,
            classes=[school.class_7b],
        ),
        "parents_7a": make_material(
            school, title="Родителям 7А", audience="parents", kind="link"
        ),
        "staff": make_material(
            school, title="Методичка", audience="staff", classes=[], subject=None
        ),
        "draft_7a": make_material(school, title="Черновик 7А", publish=False),
        "scheduled_7a": services.material_publish(
            actor=school.teacher,
            material=make_material(school, title="Завтра 7А", publish=False),
            at=dt.datetime(2026, 11, 11, 8, 0, tzinfo=dt.UTC),
        ),
        "space_7a": make_material(
            school, title="Курс 7А", classes=[], space=school.space
        ),
        "staff_member": staff_member,
    }


#: Exactly what each role sees (titles).
EXPECTED = {
    "student": {"Уравнения 7А", "Курс 7А"},
    "classmate": {"Уравнения 7А", "Курс 7А"},
    "other_student": {"Уравнения 7Б"},
    "parent": {"Уравнения 7А", "Родителям 7А", "Курс 7А"},
    "other_parent": {"Уравнения 7Б"},
    # the author sees their drafts and scheduled ones
    "teacher": {
        "Уравнения 7А",
        "Уравнения 7Б",  # the same subject, another class: their subject
        "Родителям 7А",
        "Методичка",
        "Черновик 7А",
        "Завтра 7А",
        "Курс 7А",
    },
    "other_teacher": {
        "Уравнения 7А",
        "Уравнения 7Б",
        "Родителям 7А",
        "Методичка",
        "Курс 7А",
    },
    "staff_member": {"Методичка"},
}
EVERYTHING = {
    "Уравнения 7А",
    "Уравнения 7Б",
    "Родителям 7А",
    "Методичка",
    "Черновик 7А",
    "Завтра 7А",
    "Курс 7А",
}


def person(school, library, role):
    return library[role] if role == "staff_member" else getattr(school, role)


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", [*EXPECTED, "deputy", "administrator", "director"])
def test_each_role_sees_exactly_its_materials_in_the_list(
    client, school, library, role
):
    viewer = person(school, library, role)
    expected = EXPECTED.get(role, EVERYTHING)
    assert titles(policies.materials_visible_to(viewer)) == expected
    client.force_login(viewer)
    page = client.get(reverse("materials:index")).content.decode()
    shown = {t for t in EVERYTHING if f">{t}</a>" in page}
    assert shown == expected


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", [*EXPECTED, "deputy"])
def test_search_returns_only_what_the_searcher_may_see(client, school, library, role):
    viewer = person(school, library, role)
    client.force_login(viewer)
    page = client.get(reverse("materials:index") + "?q=уравнения").content.decode()
    shown = {t for t in EVERYTHING if f">{t}</a>" in page}
    expected = EXPECTED.get(role, EVERYTHING)
    assert shown == {t for t in expected if t.startswith("Уравнения")}


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", [*EXPECTED, "deputy", "anonymous"])
def test_downloads_answer_only_those_who_may_see_the_material(
    client, school, library, role
):
    files = {
        "Файл 7А": make_material(school, title="Файл 7А", kind="file"),
        "Файл 7Б": make_material(
            school,
            title="Файл 7Б",
            kind="file",
            author=school.other_teacher,
            classes=[school.class_7b],
        ),
        "Файл родителям": make_material(
            school, title="Файл родителям", kind="file", audience="parents"
        ),
    }
    if role != "anonymous":
        client.force_login(person(school, library, role))
    may = {
        "student": {"Файл 7А"},
        "classmate": {"Файл 7А"},
        "other_student": {"Файл 7Б"},
        "parent": {"Файл 7А", "Файл родителям"},
        "other_parent": {"Файл 7Б"},
        "teacher": set(files),
        "other_teacher": set(files),
        "staff_member": set(),
        "deputy": set(files),
        "anonymous": set(),
    }[role]
    for title, material in files.items():
        response = client.get(reverse("materials:file", args=[material.pk]))
        if title in may:
            assert response.status_code == 200, title
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        elif role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 404, title


@pytest.mark.requirement("R2")
def test_a_download_link_copied_into_another_account_answers_404(client, school):
    material = make_material(school, kind="file")
    link = reverse("materials:file", args=[material.pk])
    client.force_login(school.student)
    assert client.get(link).status_code == 200
    for other in (school.other_student, school.other_parent):
        client.force_login(other)
        assert client.get(link).status_code == 404
        assert client.get(link + "?inline=1").status_code == 404
        assert (
            client.get(reverse("materials:thumbnail", args=[material.pk])).status_code
            == 404
        )


@pytest.mark.requirement("R2")
def test_notices_go_only_to_those_the_policy_lets_see_the_material(
    school, django_capture_on_commit_callbacks
):
    unlinked = make_person(Role.PARENT)
    ParentLinkFactory(parent=unlinked, student=school.classmate, verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        for_class = make_material(school, title="Для 7А")
        for_parents = make_material(school, title="Для родителей", audience="parents")
    told = {
        m.title: set(
            Notification.objects.filter(target_id=str(m.pk)).values_list(
                "recipient__last_name", flat=True
            )
        )
        for m in (for_class, for_parents)
    }
    assert told["Для 7А"] == {
        school.student.last_name,
        school.classmate.last_name,
        school.parent.last_name,
    }
    assert told["Для родителей"] == {school.parent.last_name}


@pytest.mark.requirement("R2")
def test_a_scheduled_material_is_hidden_and_told_only_when_its_time_comes(
    school, clock
):
    material = make_material(school, title="По расписанию", publish=False)
    services.material_publish(
        actor=school.teacher,
        material=material,
        at=dt.datetime(2026, 11, 12, 6, 0, tzinfo=dt.UTC),
    )
    assert not policies.can_view(school.student, material)
    assert notices.publish_due() == 0
    assert not Notification.objects.exists()
    clock.set(2026, 11, 12, 9, 1)
    assert policies.can_view(school.student, material)
    assert notices.publish_due() == 3
    assert notices.publish_due() == 0  # once
    assert Notification.objects.filter(recipient=school.student).count() == 1


@pytest.mark.requirement("R2", "R3")
def test_a_parent_loses_access_on_the_childs_18th_birthday_in_the_schools_zone(
    school, clock
):
    School.objects.update(time_zone="Asia/Vladivostok")
    adult_soon = make_student(birth_date=dt.date(2008, 11, 20), last_name="Взрослый")
    Enrolment.objects.create(
        student=adult_soon, school_class=school.class_7a, starts_on=dt.date(2026, 9, 1)
    )
    mother = make_person(Role.PARENT, last_name="Мать")
    ParentLinkFactory(parent=mother, student=adult_soon)
    material = make_material(school, title="Для семьи")
    vladivostok = ZoneInfo("Asia/Vladivostok")
    # 19.11 23:59 in Vladivostok (still 19.11 16:59 in Moscow): a minor.
    clock.travel(dt.datetime(2026, 11, 19, 23, 59, tzinfo=vladivostok))
    assert policies.can_view(mother, material)
    # 20.11 00:00 in Vladivostok — while Moscow is still on 19.11: an adult.
    clock.travel(dt.datetime(2026, 11, 20, 0, 0, tzinfo=vladivostok))
    assert not policies.can_view(mother, material)
    assert policies.can_view(adult_soon, material)


@pytest.mark.requirement("R2", "R3")
def test_a_parent_keeps_access_when_the_adult_student_kept_the_link(school, clock):
    adult = make_student(birth_date=dt.date(2008, 1, 1))
    Enrolment.objects.create(
        student=adult, school_class=school.class_7a, starts_on=dt.date(2026, 9, 1)
    )
    father = make_person(Role.PARENT)
    ParentLinkFactory(parent=father, student=adult, kept_by_adult_student=True)
    assert policies.can_view(father, make_material(school))


@pytest.mark.requirement("R2")
def test_a_student_who_left_the_class_no_longer_sees_its_materials(school):
    material = make_material(school)
    Enrolment.objects.filter(student=school.student).update(
        ends_on=dt.date(2026, 11, 1)
    )
    assert not policies.can_view(school.student, material)
    assert not policies.can_view(school.parent, material)


@pytest.mark.requirement("R2")
def test_a_teacher_sees_the_classes_they_lead_and_no_other_subject(school):
    history = make_material(
        school,
        title="История 7Б",
        author=school.deputy,
        classes=[school.class_7b],
        subject=None,
    )
    assert not policies.can_view(school.teacher, history)
    school.class_7b.class_teacher = school.teacher
    school.class_7b.save()
    assert policies.can_view(school.teacher, history)


def test_only_editors_see_openings_and_only_the_author_or_administration_edit(
    school,
):
    material = make_material(school)
    assert policies.can_edit(school.teacher, material)
    assert policies.can_edit(school.deputy, material)
    assert not policies.can_edit(school.other_teacher, material)
    assert not policies.can_edit(school.student, material)
    assert policies.can_see_openings(school.teacher, material)
    assert not policies.can_see_openings(school.other_teacher, material)
    TeachingAssignmentFactory(
        teacher=school.other_teacher,
        subject=school.algebra,
        school_class=school.class_7a,
    )
    assert policies.can_see_openings(school.other_teacher, material)
    for outsider in (school.student, school.classmate, school.parent):
        assert not policies.can_see_openings(outsider, material)
    assert TeachingAssignment.objects.count() == 3
    assert Material.objects.count() == 1
