import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import (
    ParentLinkFactory,
    make_parent,
    make_person,
    make_student,
)
from umka.school.tests.factories import (
    ContractFactory,
    EnrolmentFactory,
    SchoolClassFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    maths, russian = (
        SubjectFactory(name="Математика"),
        SubjectFactory(name="Русский язык"),
    )
    class_7a = SchoolClassFactory(grade=7, letter="А")
    class_5b = SchoolClassFactory(grade=5, letter="Б")
    teacher = make_person(Role.TEACHER, last_name="Соколова", first_name="Елена")
    class_7a.class_teacher = teacher
    class_7a.save()
    ContractFactory(person=teacher, position="Учитель математики")
    TeachingAssignmentFactory(teacher=teacher, subject=maths, school_class=class_7a)
    TeachingAssignmentFactory(
        teacher=teacher, subject=maths, school_class=class_5b, hours_per_week=Decimal(5)
    )
    other_teacher = make_person(Role.TEACHER, last_name="Орлов", first_name="Пётр")
    TeachingAssignmentFactory(
        teacher=other_teacher, subject=russian, school_class=class_5b
    )
    anna = make_student(last_name="Смирнова", first_name="Анна")
    boris = make_student(last_name="Смирнов", first_name="Борис")
    EnrolmentFactory(student=anna, school_class=class_7a)
    EnrolmentFactory(student=boris, school_class=class_5b)
    parent = make_parent(last_name="Смирнова", first_name="Ольга")
    ParentLinkFactory(parent=parent, student=anna)
    ParentLinkFactory(parent=parent, student=boris)
    return locals()


def page_of(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_student_sees_own_class_subjects_and_teachers(client, school):
    page = page_of(client, school["anna"])
    assert 'id="student-home"' in page
    assert "Класс 7А" in page
    assert "Математика" in page
    assert "Соколова Елена" in page
    assert "Русский язык" not in page  # a subject of another class
    assert 'id="admin-home"' not in page


def test_parent_sees_each_child_and_nobody_else(client, school):
    stranger = make_student(last_name="Чужой")
    EnrolmentFactory(student=stranger, school_class=school["class_7a"])
    page = page_of(client, school["parent"])
    assert 'id="parent-home"' in page
    assert page.count('class="card child-card"') == 2
    assert "Смирнова Анна" in page
    assert "Смирнов Борис" in page
    assert "Чужой" not in page


def test_teacher_sees_classes_subjects_and_load(client, school):
    page = page_of(client, school["teacher"])
    assert 'id="teacher-home"' in page
    assert "5Б" in page
    assert "7А" in page
    assert "Учитель математики" in page


def test_teacher_who_is_also_a_parent_sees_both_sections(client, school):
    teacher = school["teacher"]
    from umka.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=teacher, role=Role.PARENT)
    ParentLinkFactory(parent=teacher, student=school["boris"])
    page = page_of(client, teacher)
    assert 'id="teacher-home"' in page
    assert 'id="parent-home"' in page


@pytest.mark.parametrize("role", [Role.DEPUTY_HEAD, Role.ADMINISTRATOR, Role.DIRECTOR])
def test_administration_sees_the_school(client, school, role):
    page = page_of(client, make_person(role))
    assert 'id="admin-home"' in page
    assert "7А" in page
    assert 'id="student-home"' not in page


def test_person_without_roles_is_told_what_to_do(client):
    page = page_of(client, make_person())
    assert "нет роли" in page


def test_home_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def _add_family(school, n):
    for i in range(n):
        child = make_student(birth_date=dt.date(2012, 1, 1))
        EnrolmentFactory(student=child, school_class=school["class_5b"])
        ParentLinkFactory(parent=school["parent"], student=child)
        TeachingAssignmentFactory(
            teacher=school["teacher"],
            subject=SubjectFactory(name=f"Предмет {i}"),
            school_class=SchoolClassFactory(grade=9),
        )


@pytest.mark.parametrize("who", ["parent", "teacher", "admin"])
def test_home_query_count_does_not_grow_with_the_school(
    client, school, who, django_assert_max_num_queries
):
    user = school[who] if who != "admin" else make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    client.get(reverse("home"))  # warm caches (school, translations)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    _add_family(school, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_other_staff_see_their_position_and_working_time(client):
    import datetime as dt

    from umka.school.models import WorkingTime

    psychologist = make_person(Role.STAFF)
    contract = ContractFactory(
        person=psychologist,
        position="Педагог-психолог",
        weekly_load_hours=None,
        consultation_hours=None,
    )
    WorkingTime.objects.create(
        contract=contract, weekday=0, starts_at=dt.time(9), ends_at=dt.time(17)
    )
    page = page_of(client, psychologist)
    assert 'id="work-home"' in page
    assert "Педагог-психолог" in page
    assert "09:00–17:00" in page
    assert 'id="teacher-home"' not in page


#: Who sees which section of their home page (requests and bookings: everyone).
SECTIONS = {
    "student": {"consultations", "studies"},
    "other_student": {"consultations", "studies"},
    "parent": {"consultations", "family"},
    "other_parent": {"consultations", "family"},
    "teacher": {"consultations", "teaching"},
    "deputy": {"administration", "consultations", "work"},
    "administrator": {"administration", "consultations"},
}


@pytest.mark.requirement("R3")
@pytest.mark.parametrize("name", ["anonymous", *SECTIONS])
def test_home_role_matrix(client, school, name):
    people = {
        "student": school["anna"],
        "other_student": school["boris"],
        "parent": school["parent"],
        "other_parent": make_parent(),
        "teacher": school["teacher"],
        "deputy": make_person(Role.DEPUTY_HEAD),
        "administrator": make_person(Role.ADMINISTRATOR),
    }
    if name != "anonymous":
        client.force_login(people[name])
    response = client.get(reverse("home"))
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = {
        key
        for key in ("administration", "consultations", "teaching", "work")
        + ("family", "studies")
        if key in response.context
    }
    assert shown == SECTIONS[name]
