import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from django.utils import timezone

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.tests.factories import make_parent, make_person, make_student
from umka.audit.models import AuditEntry
from umka.core import clock as school_clock
from umka.imports import services
from umka.imports.models import ImportJob
from umka.imports.tests.helpers import csv_bytes, make_admin, run_import
from umka.school.models import (
    Contract,
    Enrolment,
    TeachingAssignment,
    WorkingTime,
)
from umka.school.tests.factories import (
    AcademicYearFactory,
    ContractFactory,
    EnrolmentFactory,
    SchoolClassFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
STUDENTS_HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Класс", "Логин"]
PARENTS_HEADER = ["ФИО", "E-mail", "Телефон", "Дети", "Кем приходится"]
STAFF_HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Роли",
    "Предметы и классы",
    "Нагрузка",
    "Часы на консультации",
    "Режим работы",
    "E-mail",
]


@pytest.fixture
def school():
    year = AcademicYearFactory()
    classes = {
        name: SchoolClassFactory(year=year, grade=int(name[:-1]), letter=name[-1])
        for name in ("5А", "5Б", "7А", "7Б")
    }
    SubjectFactory(name="Математика")
    SubjectFactory(name="Алгебра")
    return {"year": year, "classes": classes, "admin": make_admin()}


@pytest.fixture
def do_import(school, django_capture_on_commit_callbacks):
    def do(kind, rows, **options):
        data = rows if isinstance(rows, bytes) else csv_bytes(rows)
        options.setdefault("actor", school["admin"])
        options.setdefault("year", school["year"])
        return run_import(
            django_capture_on_commit_callbacks, kind=kind, data=data, **options
        )

    return do


def _people_state():
    """Everything an import may touch, to prove that nothing was."""
    return {
        "users": sorted(
            User.objects.values_list("username", "email", "phone", "middle_name")
        ),
        "roles": RoleAssignment.objects.count(),
        "enrolments": sorted(
            Enrolment.objects.values_list("student_id", "school_class_id", "ends_on")
        ),
        "links": sorted(
            ParentLink.objects.values_list("parent_id", "student_id", "kind")
        ),
        "contracts": sorted(Contract.objects.values_list("person_id", "position")),
        "lessons": TeachingAssignment.objects.count(),
        "working": WorkingTime.objects.count(),
    }


def _errors(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def _person_entries():
    return AuditEntry.objects.filter(action__startswith="accounts.")


# --- the required case: a broken file --------------------------------------------


@pytest.mark.requirement("R13")
def test_broken_file_changes_nothing_and_reports_each_bad_row(school, do_import):
    """Bad date, unknown class and a duplicate login: nothing is written, every bad
    row is reported with its row, column and reason, and the trail records it."""
    existing = make_student(username="already.here")
    EnrolmentFactory(student=existing, school_class=school["classes"]["7А"])
    before = _people_state()
    entries_before = AuditEntry.objects.count()

    job = do_import("students", (DATA / "broken_students.csv").read_bytes())

    assert job.status == ImportJob.Status.REJECTED
    assert _people_state() == before
    assert _errors(job) == [
        (
            3,
            "Дата рождения",
            "«%(value)s» is not a valid date. Write it as ДД.ММ.ГГГГ, e.g. 17.05.2013.",
        ),
        (4, "Класс", "There is no class %(class)s in the academic year %(year)s."),
        (5, "Логин", "The login «%(login)s» is also given in row %(other)s."),
    ]
    assert job.error_count == 3
    assert job.credentials == []
    assert job.summary["rows"] == 5
    assert job.source == b""
    # The trail: the upload and the rejection, no person.
    actions = list(
        AuditEntry.objects.filter(target_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["imports.job_created", "imports.job_rejected"]
    assert AuditEntry.objects.count() == entries_before + 2
    rejected = AuditEntry.objects.get(action="imports.job_rejected")
    assert rejected.actor == school["admin"]
    assert rejected.changes["errors"] == 3


def test_errors_are_reported_in_russian(school, do_import):
    from umka.imports.selectors import error_rows

    job = do_import("students", (DATA / "broken_students.csv").read_bytes())

    texts = [e["text"] for e in error_rows(job)]
    year = str(school["year"])
    assert texts == [
        "«31.02.2013» — такой даты нет. Запишите дату как ДД.ММ.ГГГГ, например "
        "17.05.2013.",
        f"В учебном году {year} нет класса 7Я.",
        "Логин «k.orlova.2013» уже указан в строке 2.",
    ]


# --- students -------------------------------------------------------------------


def test_students_are_created_with_logins_roles_classes_and_one_time_passwords(
    school, do_import
):
    job = do_import(
        "students",
        [
            STUDENTS_HEADER,
            ["Иванова", "Мария", "Петровна", "17.05.2013", "7А", ""],
            ["Петров", "Пётр", "", "02.11.2012", "7 б", "petya"],
        ],
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary == {
        "rows": 2,
        "created": 2,
        "changed": 0,
        "unchanged": 0,
        "ignored_columns": [],
    }
    maria = User.objects.get(username="ivanova.mp")
    petya = User.objects.get(username="petya")
    assert maria.birth_date == dt.date(2013, 5, 17)
    assert maria.roles == {Role.STUDENT}
    assert maria.must_change_password
    assert identify_hasher(maria.password).algorithm == "umka_onetime_pbkdf2"
    enrolment = Enrolment.objects.get(student=maria)
    assert enrolment.school_class == school["classes"]["7А"]
    assert enrolment.starts_on == school["year"].starts_on
    assert Enrolment.objects.get(student=petya).school_class == school["classes"]["7Б"]
    slips = {c["login"]: c for c in job.credentials}
    assert set(slips) == {"ivanova.mp", "petya"}
    assert slips["ivanova.mp"]["detail"] == "7А"
    assert check_password(slips["petya"]["password"], petya.password)
    assert job.credentials_count == 2
    assert job.credentials_expire_at > timezone.now() + dt.timedelta(days=6)


def test_generated_logins_avoid_existing_ones_and_logins_given_later_in_the_file(
    school, do_import
):
    make_person(username="ivanova.mp")

    do_import(
        "students",
        [
            STUDENTS_HEADER,
            ["Иванова", "Мария", "Петровна", "17.05.2013", "7А", ""],
            ["Иванова", "Марина", "Павловна", "01.01.2013", "7А", "ivanova.mp2"],
        ],
    )

    assert User.objects.get(first_name="Мария").username == "ivanova.mp3"


@pytest.mark.requirement("R13")
def test_reimporting_the_same_file_changes_nothing(school, do_import):
    rows = [
        STUDENTS_HEADER,
        ["Иванова", "Мария", "Петровна", "17.05.2013", "7А", ""],
        ["Петров", "Пётр", "", "02.11.2012", "7Б", "petya"],
    ]
    do_import("students", rows)
    state, entries = _people_state(), _person_entries().count()

    again = do_import("students", rows)

    assert again.status == ImportJob.Status.DONE
    assert again.summary["created"] == 0
    assert again.summary["changed"] == 0
    assert again.summary["unchanged"] == 2
    assert again.credentials == []
    assert again.changes == []
    assert _people_state() == state
    assert _person_entries().count() == entries


def test_matching_ignores_case_and_yo(school, do_import):
    do_import(
        "students", [STUDENTS_HEADER, ["Пётр", "Семёнов", "", "02.11.2012", "7Б", ""]]
    )

    again = do_import(
        "students", [STUDENTS_HEADER, ["ПЕТР", "семенов", "", "02.11.2012", "7Б", ""]]
    )

    assert again.summary["unchanged"] == 1
    assert User.objects.filter(role_assignments__role=Role.STUDENT).count() == 1


def test_names_in_capitals_are_stored_as_names_are_written(school, do_import):
    job = do_import(
        "students",
        [
            ["ФИО", "Дата рождения", "Класс"],
            ["КУЗНЕЦОВА АННА СЕРГЕЕВНА", "17.05.2013", "7А"],
            ["РИМСКИЙ-КОРСАКОВ НИКОЛАЙ АНДРЕЕВИЧ", "18.03.2013", "7А"],
            ["МАМЕДОВ РАШИД ИЛЬХАМ ОГЛЫ", "02.02.2013", "7Б"],
        ],
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    assert sorted(
        User.objects.filter(role_assignments__role=Role.STUDENT).values_list(
            "last_name", "first_name", "middle_name"
        )
    ) == [
        ("Кузнецова", "Анна", "Сергеевна"),
        ("Мамедов", "Рашид", "Ильхам оглы"),
        ("Римский-Корсаков", "Николай", "Андреевич"),
    ]
    assert job.credentials[0]["name"] == "Кузнецова Анна Сергеевна"


def test_capitals_match_the_same_people_and_mend_names_stored_in_capitals(
    school, do_import
):
    do_import(
        "students",
        [STUDENTS_HEADER, ["Кузнецова", "Анна", "Сергеевна", "17.05.2013", "7А", ""]],
    )
    shouting = make_student(
        last_name="ПЕТРОВ",
        first_name="ПЁТР",
        middle_name="",
        birth_date=dt.date(2012, 11, 2),
    )

    again = do_import(
        "students",
        [
            STUDENTS_HEADER,
            ["КУЗНЕЦОВА", "АННА", "СЕРГЕЕВНА", "17.05.2013", "7А", ""],
            ["Петров", "Пётр", "", "02.11.2012", "7Б", ""],
        ],
    )

    assert again.status == ImportJob.Status.DONE, again.errors
    assert again.summary["created"] == 0
    assert User.objects.filter(last_name="Кузнецова").count() == 1
    shouting.refresh_from_db()
    assert (shouting.last_name, shouting.first_name) == ("Петров", "Пётр")
    mended = next(c for c in again.changes if c["row"] == 3)["changes"]
    assert mended["last_name"] == ["ПЕТРОВ", "Петров"]


@pytest.mark.requirement("R13")
def test_new_class_closes_the_old_enrolment_and_opens_one_from_today(school, do_import):
    student = make_student(
        username="maria",
        last_name="Иванова",
        first_name="Мария",
        middle_name="",
        birth_date=dt.date(2013, 5, 17),
    )
    old = EnrolmentFactory(
        student=student,
        school_class=school["classes"]["7А"],
        starts_on=school["year"].starts_on,
    )
    today = school_clock.today()
    if today <= school["year"].starts_on:
        pytest.skip("needs a day inside the academic year")

    job = do_import(
        "students", [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7Б", ""]]
    )

    assert job.summary["changed"] == 1
    old.refresh_from_db()
    assert old.ends_on == today - dt.timedelta(days=1)
    new = Enrolment.objects.get(student=student, ends_on__isnull=True)
    assert new.school_class == school["classes"]["7Б"]
    assert new.starts_on == today
    entry = AuditEntry.objects.get(
        action="accounts.person_changed", target_id=str(student.pk)
    )
    assert entry.changes["class"] == ["7А", "7Б"]
    assert entry.changes["import_job"] == job.pk
    assert job.changes == [
        {"row": 2, "name": "Иванова Мария", "changes": {"class": ["7А", "7Б"]}}
    ]


def test_a_class_fixed_the_same_day_corrects_the_enrolment_instead(school, do_import):
    rows = [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]]
    do_import("students", rows)
    rows[1][4] = "7Б"
    student = User.objects.get(username="ivanova.m")
    Enrolment.objects.filter(student=student).update(starts_on=school_clock.today())

    do_import("students", rows)

    assert list(
        Enrolment.objects.filter(student=student).values_list(
            "school_class__letter", "ends_on"
        )
    ) == [("Б", None)]


def test_a_new_phone_is_an_update_with_before_and_after(school, do_import):
    header = [*STUDENTS_HEADER, "Телефон"]
    do_import(
        "students",
        [header, ["Иванова", "Мария", "", "17.05.2013", "7А", "", "+79160000000"]],
    )

    job = do_import(
        "students",
        [header, ["Иванова", "Мария", "", "17.05.2013", "7А", "", "8 916 111-22-33"]],
    )

    assert job.summary["changed"] == 1
    assert User.objects.get(username="ivanova.m").phone == "+79161112233"
    entry = AuditEntry.objects.get(action="accounts.person_changed")
    assert entry.changes["phone"] == ["+79160000000", "+79161112233"]


def test_an_empty_optional_cell_keeps_the_stored_value(school, do_import):
    header = [*STUDENTS_HEADER, "Телефон"]
    do_import(
        "students",
        [header, ["Иванова", "Мария", "", "17.05.2013", "7А", "", "+79160000000"]],
    )

    job = do_import(
        "students", [header, ["Иванова", "Мария", "", "17.05.2013", "7А", "", ""]]
    )

    assert job.summary["unchanged"] == 1
    assert User.objects.get(username="ivanova.m").phone == "+79160000000"


# --- each validation error --------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["Иванова", "Мария", "", "17.05.2099", "7А", ""],
            "Дата рождения",
            "in the future",
        ),
        (["Иванова", "Мария", "", "", "7А", ""], "Дата рождения", "The cell is empty."),
        (
            ["Иванова", "Мария", "", "17.05.2013", "седьмой", ""],
            "Класс",
            "is not a class",
        ),
        (
            ["Иванова", "Мария", "", "17.05.2013", "9В", ""],
            "Класс",
            "There is no class",
        ),
        (["", "Мария", "", "17.05.2013", "7А", ""], "Фамилия", "The cell is empty."),
        (["Иванова2", "Мария", "", "17.05.2013", "7А", ""], "Фамилия", "Only letters"),
        (
            ["Иванова", "Мария", "", "17.05.2013", "7А", "bad login"],
            "Логин",
            "cannot be a login",
        ),
        (
            ["Иванова", "Мария", "", "17.05.2013", "7А", "taken"],
            "Логин",
            "belongs to another person",
        ),
    ],
)
def test_each_bad_cell_is_reported(school, do_import, row, column, message):
    make_person(username="taken", last_name="Сидоров", first_name="Иван")

    job = do_import("students", [STUDENTS_HEADER, row])

    assert job.status == ImportJob.Status.REJECTED
    [(number, reported_column, reported)] = _errors(job)
    assert (number, reported_column) == (2, column)
    assert message in reported


def test_a_missing_column_is_a_file_level_error_naming_it(school, do_import):
    job = do_import(
        "students", [["Фамилия", "Имя", "Класс"], ["Иванова", "Мария", "7А"]]
    )

    assert _errors(job) == [(1, "Дата рождения", "The required column is missing.")]


def test_an_unreadable_file_is_rejected(school, do_import):
    job = do_import("students", b"\xd0\xcf\x11\xe0" + bytes(64), file_name="old.xls")

    assert job.status == ImportJob.Status.REJECTED
    assert "97-2003" in job.errors[0]["message"]


def test_the_same_student_twice_in_a_file(school, do_import):
    row = ["Иванова", "Мария", "", "17.05.2013", "7А", ""]

    job = do_import(
        "students",
        [STUDENTS_HEADER, row, ["Петров", "Пётр", "", "02.11.2012", "7А", ""], row],
    )

    assert _errors(job) == [
        (4, "Фамилия", "The same student is already in row %(other)s.")
    ]


def test_a_new_login_for_someone_already_registered_is_refused(school, do_import):
    make_student(
        username="maria",
        last_name="Иванова",
        first_name="Мария",
        middle_name="",
        birth_date=dt.date(2013, 5, 17),
    )

    job = do_import(
        "students",
        [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", "maria2"]],
    )

    assert job.errors[0]["params"] == {"login": "maria"}


def test_a_login_clash_with_an_existing_student_of_another_birth_date(
    school, do_import
):
    make_student(
        username="maria",
        last_name="Иванова",
        first_name="Мария",
        middle_name="",
        birth_date=dt.date(2013, 5, 17),
    )

    job = do_import(
        "students",
        [STUDENTS_HEADER, ["Иванова", "Мария", "", "18.05.2013", "7А", "Maria"]],
    )

    assert "belongs to another person" in job.errors[0]["message"]


def test_a_file_without_an_academic_year_is_rejected(school, do_import):
    job = do_import(
        "students",
        [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]],
        year=None,
    )

    assert "No academic year" in job.errors[0]["message"]


def test_a_title_row_above_the_header_is_skipped(school, do_import):
    job = do_import(
        "students",
        [
            ["Список учеников"],
            STUDENTS_HEADER,
            ["Иванова", "Мария", "", "31.02.2013", "7А", ""],
        ],
    )

    assert _errors(job)[0][:2] == (3, "Дата рождения")


# --- parents --------------------------------------------------------------------


@pytest.fixture
def children(school):
    maria = make_student(
        username="ivanova.mp",
        last_name="Иванова",
        first_name="Мария",
        middle_name="Петровна",
        birth_date=dt.date(2013, 5, 17),
    )
    petya = make_student(
        username="petrov.ps",
        last_name="Петров",
        first_name="Пётр",
        middle_name="Сергеевич",
        birth_date=dt.date(2012, 11, 2),
    )
    return maria, petya


@pytest.mark.requirement("R3")
def test_parents_are_linked_to_children_by_login_or_name_and_birth_date(
    school, do_import, children
):
    maria, petya = children

    job = do_import(
        "parents",
        [
            PARENTS_HEADER,
            [
                "Иванова Елена Викторовна",
                "Elena@Example.org",
                "",
                "Иванова Мария, 17.05.2013",
                "мать",
            ],
            [
                "Петров Сергей Иванович",
                "",
                "8 903 765-43-21",
                "petrov.ps; ivanova.mp",
                "отец",
            ],
        ],
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    elena = User.objects.get(email="elena@example.org")
    sergei = User.objects.get(phone="+79037654321")
    assert elena.roles == {Role.PARENT}
    links = {(k.parent, k.student, k.kind) for k in ParentLink.objects.all()}
    assert links == {
        (elena, maria, "mother"),
        (sergei, petya, "father"),
        (sergei, maria, "father"),
    }
    # The checkbox «links checked against documents» was on (the default).
    link = ParentLink.objects.get(parent=elena)
    assert link.verified_at is not None
    assert link.verified_by == school["admin"]
    assert AuditEntry.objects.filter(action="accounts.parent_link_created").count() == 3


def test_a_child_named_twice_is_linked_once(school, do_import, children):
    job = do_import(
        "parents",
        [
            PARENTS_HEADER,
            [
                "Иванова Елена",
                "elena@example.org",
                "",
                "ivanova.mp; Иванова Мария Петровна, 17.05.2013",
                "мать",
            ],
        ],
    )

    assert job.status == ImportJob.Status.DONE, job.failure
    assert ParentLink.objects.count() == 1


def test_links_stay_unverified_when_documents_were_not_checked(
    school, do_import, children
):
    do_import(
        "parents",
        [
            PARENTS_HEADER,
            ["Иванова Елена", "elena@example.org", "", "ivanova.mp", "мать"],
        ],
        verify_links=False,
    )

    assert ParentLink.objects.get().verified_at is None


@pytest.mark.requirement("R13")
def test_reimporting_parents_changes_nothing_but_a_later_check_verifies(
    school, do_import, children
):
    rows = [
        PARENTS_HEADER,
        ["Иванова Елена", "elena@example.org", "", "ivanova.mp", "мать"],
    ]
    do_import("parents", rows, verify_links=False)
    entries = _person_entries().count()

    again = do_import("parents", rows, verify_links=False)
    assert again.summary["unchanged"] == 1
    assert _person_entries().count() == entries

    verified = do_import("parents", rows)
    assert verified.summary["changed"] == 1
    assert ParentLink.objects.get().verified_at is not None
    assert (
        AuditEntry.objects.filter(action="accounts.parent_link_verified").count() == 1
    )


def test_an_existing_parent_is_found_by_name_and_phone(school, do_import, children):
    mother = make_parent(
        last_name="Иванова",
        first_name="Елена",
        middle_name="",
        phone="8 (916) 123-45-67",
    )

    job = do_import(
        "parents",
        [
            PARENTS_HEADER,
            ["Иванова Елена", "", "+7 916 123 45 67", "ivanova.mp", "мать"],
        ],
    )

    assert job.summary["changed"] == 1
    assert ParentLink.objects.get().parent == mother
    assert job.credentials == []


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["Иванова Елена", "", "", "ivanova.mp", "мать"],
            "E-mail",
            "Give an e-mail or a phone",
        ),
        (
            ["Иванова Елена", "e@example.org", "", "nobody", "мать"],
            "Дети",
            "no student with the login",
        ),
        (
            ["Иванова Елена", "e@example.org", "", "Сидоров Иван, 01.01.2013", "мать"],
            "Дети",
            "No student",
        ),
        (
            ["Иванова Елена", "e@example.org", "", "ivanova.mp", "тётя"],
            "Кем приходится",
            "not understood",
        ),
        (
            ["Иванова Елена", "e@example.org", "", "teacher1", "мать"],
            "Дети",
            "is not a student",
        ),
    ],
)
def test_each_bad_parent_row_is_reported(
    school, do_import, children, row, column, message
):
    make_person(Role.TEACHER, username="teacher1")

    job = do_import("parents", [PARENTS_HEADER, row])

    [(number, reported_column, reported)] = _errors(job)
    assert (number, reported_column) == (2, column)
    assert message in reported


# --- staff ----------------------------------------------------------------------


def test_staff_get_roles_contract_lessons_and_working_time(school, do_import):
    job = do_import(
        "staff",
        [
            STAFF_HEADER,
            [
                "Смирнова",
                "Ольга",
                "Николаевна",
                "Учитель математики",
                "учитель",
                "Математика: 5А 5, 5Б 5; Алгебра: 7А 3",
                "18",
                "2",
                "",
                "smirnova@example.org",
            ],
            [
                "Кузнецов",
                "Андрей",
                "",
                "Заместитель директора",
                "заместитель директора, администратор",
                "",
                "",
                "",
                "пн-пт 09:00-17:00",
                "kuznetsov@example.org",
            ],
        ],
    )

    assert job.status == ImportJob.Status.DONE, job.errors
    olga = User.objects.get(email="smirnova@example.org")
    assert olga.roles == {Role.TEACHER}
    assert olga.contract.weekly_load_hours == Decimal("18")
    assert olga.contract.consultation_hours == Decimal("2")
    lessons = {
        (t.subject.name, str(t.school_class), t.hours_per_week)
        for t in TeachingAssignment.objects.filter(teacher=olga)
    }
    assert lessons == {
        ("Математика", "5А", Decimal("5")),
        ("Математика", "5Б", Decimal("5")),
        ("Алгебра", "7А", Decimal("3")),
    }
    andrei = User.objects.get(email="kuznetsov@example.org")
    assert andrei.roles == {Role.DEPUTY_HEAD, Role.ADMINISTRATOR}
    assert WorkingTime.objects.filter(contract__person=andrei).count() == 5


@pytest.mark.requirement("R13")
def test_reimporting_staff_changes_nothing_and_a_new_load_is_recorded(
    school, do_import
):
    rows = [
        STAFF_HEADER,
        [
            "Смирнова",
            "Ольга",
            "",
            "Учитель",
            "учитель",
            "Математика: 5А 5",
            "18",
            "2",
            "",
            "smirnova@example.org",
        ],
    ]
    do_import("staff", rows)
    state, entries = _people_state(), _person_entries().count()

    assert do_import("staff", rows).summary["unchanged"] == 1
    assert _people_state() == state
    assert _person_entries().count() == entries

    rows[1][5], rows[1][6] = "Математика: 5А 6", "20"
    job = do_import("staff", rows)
    assert job.summary["changed"] == 1
    changes = AuditEntry.objects.filter(action="accounts.person_changed").get().changes
    assert changes["weekly_load_hours"] == ["18", "20"]
    assert changes["lessons_hours"] == [None, ["Математика 5А: 5 → 6"]]


def test_existing_contract_is_updated_not_duplicated(school, do_import):
    person = make_person(
        Role.TEACHER, username="olga", last_name="Смирнова", first_name="Ольга"
    )
    ContractFactory(person=person, position="Учитель")

    job = do_import(
        "staff",
        [
            ["Фамилия", "Имя", "Должность", "Роли", "Нагрузка", "Логин"],
            ["Смирнова", "Ольга", "Учитель математики", "учитель", "18", "olga"],
        ],
    )

    assert job.summary["changed"] == 1
    assert Contract.objects.get(person=person).position == "Учитель математики"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"Роли": "космонавт"}, "Роли", "Unknown role"),
        (
            {"Роли": "иной работник", "Режим работы": ""},
            "Предметы и классы",
            "do not include «учитель»",
        ),
        (
            {"Предметы и классы": "Физика: 5А 2"},
            "Предметы и классы",
            "There is no subject",
        ),
        (
            {"Предметы и классы": "Математика: 9В 2"},
            "Предметы и классы",
            "There is no class",
        ),
        ({"Нагрузка": ""}, "Нагрузка", "weekly load"),
        ({"Часы на консультации": "20"}, "Часы на консультации", "cannot exceed"),
        ({"Нагрузка": "70"}, "Нагрузка", "between 0 and 60"),
        ({"E-mail": ""}, "E-mail", "Give a login, an e-mail or a phone"),
    ],
)
def test_each_bad_staff_row_is_reported(school, do_import, cells, column, message):
    row = dict(
        zip(
            STAFF_HEADER,
            [
                "Смирнова",
                "Ольга",
                "",
                "Учитель",
                "учитель",
                "Математика: 5А 5",
                "18",
                "2",
                "",
                "smirnova@example.org",
            ],
            strict=True,
        )
    )
    row.update(cells)

    job = do_import("staff", [STAFF_HEADER, list(row.values())])

    assert job.status == ImportJob.Status.REJECTED
    found = [(c, m) for _r, c, m in _errors(job) if c == column and message in m]
    assert found, _errors(job)


def test_non_teaching_staff_need_working_time(school, do_import):
    job = do_import(
        "staff",
        [
            STAFF_HEADER,
            [
                "Кузнецов",
                "Андрей",
                "",
                "Психолог",
                "иной работник",
                "",
                "",
                "",
                "",
                "k@example.org",
            ],
        ],
    )

    assert _errors(job) == [
        (
            2,
            "Режим работы",
            "Staff who do not teach consult within their working hours: "
            "give them, e.g. «пн-пт 09:00-17:00».",
        )
    ]


# --- check only, audit, passwords ---------------------------------------------------


def test_check_only_writes_nothing_but_says_what_would_happen(school, do_import):
    before = _people_state()

    job = do_import(
        "students",
        [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]],
        dry_run=True,
    )

    assert job.status == ImportJob.Status.CHECKED
    assert job.summary["created"] == 1
    assert _people_state() == before
    assert job.credentials == []


@pytest.mark.requirement("R13")
def test_an_import_is_recorded_in_the_audit_trail(school, do_import):
    job = do_import(
        "students",
        [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]],
    )

    applied = AuditEntry.objects.get(action="imports.job_applied")
    assert applied.actor == school["admin"]
    assert applied.target_id == str(job.pk)
    assert applied.changes == {
        "kind": "students",
        "file": "people.csv",
        "rows": 1,
        "created": 1,
        "changed": 0,
        "unchanged": 0,
        "errors": 0,
    }
    created = AuditEntry.objects.get(action="accounts.person_created")
    assert created.target_repr == "Иванова Мария"
    assert created.changes["import_job"] == job.pk
    # Passwords never reach the trail.
    password = job.credentials[0]["password"]
    assert not AuditEntry.objects.filter(changes__icontains=password).exists()


def test_only_an_administrator_may_import(school):
    from umka.core.errors import DomainError

    with pytest.raises(DomainError):
        services.import_job_create(
            actor=make_person(Role.DEPUTY_HEAD),
            kind="students",
            file_name="x.csv",
            data=b"x",
        )
    assert not ImportJob.objects.exists()


def test_a_job_runs_once(school, do_import):
    job = do_import(
        "students", [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]]
    )

    again = services.import_job_run(job_id=job.pk)

    assert again.status == ImportJob.Status.DONE
    assert User.objects.filter(username__startswith="ivanova").count() == 1


def test_an_internal_error_rolls_everything_back(school, do_import, monkeypatch):
    from umka.imports.people import applying

    def broken(people):
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying, "_write_lessons", broken)
    before = _people_state()

    job = do_import(
        "students", [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]]
    )

    assert job.status == ImportJob.Status.FAILED
    assert job.failure == "RuntimeError: disk full"
    assert _people_state() == before
    assert AuditEntry.objects.filter(action="imports.job_failed").count() == 1
    assert not _person_entries().exists()


@pytest.mark.requirement("R13")
def test_passwords_can_be_erased_by_the_uploader_and_expire(school, do_import):
    rows = [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]]
    first = do_import("students", rows)
    second = do_import(
        "students", [STUDENTS_HEADER, ["Петров", "Пётр", "", "02.11.2012", "7А", ""]]
    )

    services.import_credentials_erase(actor=school["admin"], job=first)
    first.refresh_from_db()
    assert first.credentials == []
    assert first.credentials_erased_at is not None
    assert User.objects.get(username="ivanova.m").has_usable_password()

    assert services.import_credentials_expire() == 0
    later = timezone.now() + dt.timedelta(days=8)
    assert services.import_credentials_expire(now=later) == 1
    second.refresh_from_db()
    assert second.credentials == []
    reasons = sorted(
        AuditEntry.objects.filter(action="imports.credentials_erased").values_list(
            "changes__reason", flat=True
        )
    )
    assert reasons == ["expired", "handed_out"]


def test_another_administrator_may_not_erase_passwords(school, do_import):
    from umka.core.errors import DomainError

    job = do_import(
        "students", [STUDENTS_HEADER, ["Иванова", "Мария", "", "17.05.2013", "7А", ""]]
    )

    with pytest.raises(DomainError):
        services.import_credentials_erase(actor=make_admin(), job=job)
