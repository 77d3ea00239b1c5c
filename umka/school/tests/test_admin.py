"""The back office for the school structure; every change is audited (R7, R13)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person, make_student
from umka.audit.models import AuditEntry
from umka.audit.tests.adminforms import add_inline_row, changeform_data
from umka.school.models import (
    Contract,
    ProgramPart,
    School,
    SchoolClass,
    Subject,
    WorkingTime,
)
from umka.school.selectors import current_school
from umka.school.tests.factories import (
    AcademicYearFactory,
    ContractFactory,
    EnrolmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "school",
    "academicyear",
    "studyperiod",
    "holiday",
    "schoolclass",
    "enrolment",
    "subject",
    "programpart",
    "teachingassignment",
    "contract",
]


def _url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:school_{model}_{view}", args=args)


@pytest.fixture
def school_admin(client):
    user = make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_school_administrator_opens_every_school_list_and_add_page(
    client, school_admin, model
):
    assert client.get(_url(model)).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.DEPUTY_HEAD])
def test_others_cannot_change_the_school_structure(client, role):
    client.force_login(make_person(role))
    subject = SubjectFactory(name="Химия")

    assert client.get(_url("subject")).status_code == 404
    response = client.post(
        _url("subject", "change", subject.pk), {"name": "Алхимия", "short_name": ""}
    )

    assert response.status_code == 404
    subject.refresh_from_db()
    assert subject.name == "Химия"
    assert not AuditEntry.objects.filter(action__startswith="school.").exists()


@pytest.mark.requirement("R13")
def test_adding_a_subject_records_its_values(client, school_admin):
    client.post(_url("subject", "add"), {"name": "Информатика", "short_name": "Инф."})

    subject = Subject.objects.get()
    entry = AuditEntry.objects.get(action="school.record_created")
    assert entry.actor == school_admin
    assert entry.target_id == str(subject.pk)
    assert entry.changes == {"name": "Информатика", "short_name": "Инф."}


@pytest.mark.requirement("R13")
def test_changing_a_class_records_before_and_after(client, school_admin):
    school_class = SchoolClassFactory(grade=7, letter="А")
    teacher = make_person(Role.TEACHER, last_name="Волкова")
    data = changeform_data(client.get(_url("schoolclass", "change", school_class.pk)))
    data["class_teacher"] = str(teacher.pk)

    response = client.post(_url("schoolclass", "change", school_class.pk), data)

    assert response.status_code == 302, response.context["errors"]
    entry = AuditEntry.objects.get(action="school.record_changed")
    assert entry.changes == {"class_teacher": [None, str(teacher)]}


@pytest.mark.requirement("R13")
def test_unchanged_save_records_nothing(client, school_admin):
    school_class = SchoolClassFactory()
    EnrolmentFactory(school_class=school_class, student=make_student())
    data = changeform_data(client.get(_url("schoolclass", "change", school_class.pk)))

    response = client.post(_url("schoolclass", "change", school_class.pk), data)

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action__startswith="school.").exists()


@pytest.mark.requirement("R7", "R13")
def test_contract_with_working_days_is_saved_and_audited(client, school_admin):
    deputy = make_person(Role.DEPUTY_HEAD)
    data = changeform_data(client.get(_url("contract", "add")))
    data.update({"person": str(deputy.pk), "position": "Заместитель директора"})
    add_inline_row(
        data, "working_times", weekday="0", starts_at="09:00", ends_at="17:00"
    )
    add_inline_row(
        data, "working_times", weekday="2", starts_at="10:00", ends_at="15:00"
    )

    response = client.post(_url("contract", "add"), data)

    assert response.status_code == 302, response.context["errors"]
    contract = Contract.objects.get(person=deputy)
    assert contract.working_times.count() == 2
    created = AuditEntry.objects.filter(action="school.record_created")
    assert created.count() == 3
    assert {e.target_type.model for e in created} == {"contract", "workingtime"}


@pytest.mark.requirement("R7", "R13")
def test_changing_and_removing_working_days_is_audited(client, school_admin):
    contract = ContractFactory(
        position="Педагог-психолог", weekly_load_hours=None, consultation_hours=None
    )
    monday = WorkingTime.objects.create(
        contract=contract, weekday=0, starts_at=dt.time(9), ends_at=dt.time(17)
    )
    friday = WorkingTime.objects.create(
        contract=contract, weekday=4, starts_at=dt.time(9), ends_at=dt.time(13)
    )
    data = changeform_data(client.get(_url("contract", "change", contract.pk)))
    rows = {
        int(value): key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("working_times-") and key.endswith("-id")
    }
    data[f"{rows[monday.pk]}-ends_at"] = "16:00"
    data[f"{rows[friday.pk]}-DELETE"] = "on"

    response = client.post(_url("contract", "change", contract.pk), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(contract.working_times.values_list("weekday", flat=True)) == [0]
    changed = AuditEntry.objects.get(action="school.record_changed")
    assert changed.target_id == str(monday.pk)
    assert changed.changes == {"ends_at": ["17:00:00", "16:00:00"]}
    deleted = AuditEntry.objects.get(action="school.record_deleted")
    assert deleted.target_id == str(friday.pk)
    assert deleted.changes["weekday"] == str(WorkingTime.Weekday.FRIDAY.label)


@pytest.mark.requirement("R7")
def test_consultation_hours_above_the_load_are_refused(client, school_admin):
    teacher = make_person(Role.TEACHER)
    data = changeform_data(client.get(_url("contract", "add")))
    data.update(
        {
            "person": str(teacher.pk),
            "position": "Учитель",
            "weekly_load_hours": "18",
            "consultation_hours": "20",
        }
    )

    response = client.post(_url("contract", "add"), data)

    assert response.status_code == 200
    assert not Contract.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="school.").exists()


@pytest.mark.requirement("R13")
def test_deleting_classes_with_the_bulk_action_is_audited(client, school_admin):
    classes = [SchoolClassFactory(grade=5, letter=letter) for letter in "АБ"]

    response = client.post(
        _url("schoolclass"),
        {
            "action": "delete_selected",
            "_selected_action": [c.pk for c in classes],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not SchoolClass.objects.exists()
    deleted = AuditEntry.objects.filter(action="school.record_deleted")
    assert {e.target_repr for e in deleted} == {"5А", "5Б"}


def test_there_is_one_school_and_saving_it_refreshes_the_cached_copy(
    client, school_admin, django_capture_on_commit_callbacks
):
    school = SchoolFactory(time_zone="Europe/Moscow")
    assert current_school().time_zone == "Europe/Moscow"
    data = changeform_data(client.get(_url("school", "change", school.pk)))
    data["time_zone"] = "Asia/Yekaterinburg"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("school", "change", school.pk), data)

    assert response.status_code == 302
    assert current_school().time_zone == "Asia/Yekaterinburg"
    assert client.get(_url("school", "add")).status_code == 403
    assert client.post(_url("school", "delete", school.pk)).status_code == 403
    assert School.objects.count() == 1


def test_class_search_finds_a_class_by_its_name(client, school_admin):
    wanted = SchoolClassFactory(grade=7, letter="Б")
    SchoolClassFactory(grade=7, letter="А")
    SchoolClassFactory(grade=8, letter="Б")

    response = client.get(_url("schoolclass"), {"q": "7б"})

    assert list(response.context["cl"].result_list) == [wanted]


def _class_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("schoolclass"))
    assert response.status_code == 200
    return len(queries)


def _make_classes(grades, year) -> None:
    for grade in grades:
        for letter in "АБВ":
            school_class = SchoolClassFactory(
                year=year,
                grade=grade,
                letter=letter,
                class_teacher=make_person(Role.TEACHER),
            )
            EnrolmentFactory(school_class=school_class, student=make_student())


def test_class_list_shows_student_counts_without_a_query_per_class(
    client, school_admin, django_assert_max_num_queries
):
    year = AcademicYearFactory()
    _make_classes([1], year)
    client.get(_url("schoolclass"))
    few = _class_list_queries(client)

    _make_classes(range(2, 11), year)
    many = _class_list_queries(client)

    assert SchoolClass.objects.count() == 30
    assert many == few
    with django_assert_max_num_queries(12):
        response = client.get(_url("schoolclass"))
    assert {c.students_total for c in response.context["cl"].result_list} == {1}


def _program_part(grade: int) -> ProgramPart:
    return ProgramPart.objects.create(
        subject=SubjectFactory(),
        grade=grade,
        number=ProgramPart.objects.filter(grade=grade).count() + 1,
        title="Раздел",
    )


@pytest.mark.parametrize(
    "model", ["teachingassignment", "contract", "enrolment", "programpart"]
)
def test_lists_with_related_columns_do_not_query_per_row(client, school_admin, model):
    year = AcademicYearFactory()

    def make_rows(grade):
        for letter in "АБВГ":
            school_class = SchoolClassFactory(year=year, grade=grade, letter=letter)
            teacher = make_person(Role.TEACHER)
            TeachingAssignmentFactory(teacher=teacher, school_class=school_class)
            ContractFactory(person=teacher, weekly_load_hours=Decimal("20"))
            EnrolmentFactory(student=make_student(), school_class=school_class)
            _program_part(grade)

    make_rows(1)
    client.get(_url(model))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(model))
    make_rows(2)
    make_rows(3)
    with CaptureQueriesContext(connection) as many:
        client.get(_url(model))

    assert len(many) == len(few)
