"""Importing current grades from the journal: all or nothing, a row report,
idempotent re-import, who may import what (R9)."""

import datetime as dt

import pytest

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.grades.importing import applying
from umka.grades.models import Grade
from umka.grades.tests.factories import add_grade
from umka.grades.tests.helpers import (
    HEADER,
    csv_bytes,
    grade_state,
    run_import,
    xlsx_bytes,
)
from umka.grades.work_types import work_type
from umka.imports import services
from umka.imports.models import ImportJob
from umka.imports.selectors import error_text
from umka.school.models import Enrolment

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    HEADER,
    [
        "Иванова Мария Петровна",
        "7А",
        "Алгебра",
        "12.11.2026",
        "3",
        "Линейные уравнения с параметром",
        "Самостоятельная",
    ],
    [
        "Петров Пётр Сергеевич",
        "7 а",
        "алгебра",
        "12.11.2026",
        "5",
        "Линейные уравнения с параметром",
        "самостоятельная работа",
    ],
    ["Иванова Мария", "7A", "Алг.", "2026-11-16", "4", "Системы уравнений", ""],
]


def errors_by_row(job):
    return {
        (e["row"], e["column"]): error_text(e)
        for e in job.errors
        if e["row"] is not None
    }


@pytest.mark.requirement("R9")
def test_csv_import_writes_every_grade(school, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(GOOD_ROWS),
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["created"] == 3
    grades = list(Grade.objects.order_by("date", "student__last_name"))
    assert [(g.student, g.value, g.work_type) for g in grades] == [
        (school.student, 3, "самостоятельная работа"),
        (school.classmate, 5, "самостоятельная работа"),
        (school.student, 4, ""),
    ]
    first = grades[0]
    assert first.school_class == school.class_7a
    assert first.subject == school.algebra
    assert first.date == dt.date(2026, 11, 12)
    assert first.topic_key == "линейные уравнения с параметром"
    assert first.teacher == school.teacher
    assert first.source == Grade.Source.IMPORT
    assert first.import_job == job
    assert job.source == b""
    assert AuditEntry.objects.filter(action="grades.import_applied").count() == 1


@pytest.mark.requirement("R9")
def test_xlsx_import_with_a_title_row_and_excel_dates(
    school, django_capture_on_commit_callbacks
):
    data = xlsx_bytes(
        [
            ["Выгрузка из электронного журнала, 7А, алгебра"],
            HEADER,
            [
                "Иванова Мария Петровна",
                "7А",
                "Алгебра",
                dt.datetime(2026, 11, 12),
                5.0,
                "Линейные уравнения",
                "КР",
            ],
            [
                "Петров Пётр",
                "7А",
                "Алгебра",
                dt.date(2026, 11, 12),
                2,
                "Линейные уравнения",
                "к/р",
            ],
        ]
    )
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=data,
        file_name="journal.xlsx",
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert sorted(Grade.objects.values_list("value", "work_type")) == [
        (2, "контрольная работа"),
        (5, "контрольная работа"),
    ]


@pytest.mark.requirement("R9")
def test_a_broken_file_changes_nothing_and_reports_each_bad_row(
    school, django_capture_on_commit_callbacks
):
    add_grade(school)
    before = grade_state()
    rows = [
        HEADER,
        GOOD_ROWS[1],  # 2: fine
        ["Кузнецов Кирилл", "7А", "Алгебра", "12.11.2026", "4", "Тема", ""],  # 3
        ["Смирнов Олег Ильич", "7А", "Алгебра", "12.11.2026", "4", "Тема", ""],  # 4
        ["Сидоров Илья", "7А", "Алгебра", "10.11.2026", "4", "Тема", ""],  # 5
        ["Петров Пётр", "7А", "Астрономия", "12.11.2026", "4", "Тема", ""],  # 6
        ["Петров Пётр", "7А", "Алгебра", "12.11.2026", "1", "Тема", ""],  # 7
        ["Петров Пётр", "7А", "Алгебра", "12.11.2026", "6", "Тема", ""],  # 8
        ["Петров Пётр", "7А", "Алгебра", "25.11.2026", "4", "Тема", ""],  # 9
        ["Петров Пётр", "7А", "Алгебра", "20.08.2026", "4", "Тема", ""],  # 10
        ["Петров Пётр", "7Г", "Алгебра", "12.11.2026", "4", "Тема", ""],  # 11
        ["Петров Пётр", "7А", "Алгебра", "13.11.2026", "4", "", ""],  # 12
        ["Петров Пётр", "7А", "Алгебра", "вчера", "4", "Тема", ""],  # 13
    ]
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(rows),
    )
    assert job.status == ImportJob.Status.REJECTED
    assert grade_state() == before
    errors = errors_by_row(job)
    assert set(errors) == {
        (3, "ФИО"),
        (4, "ФИО"),
        (5, "Дата"),
        (6, "Предмет"),
        (7, "Оценка"),
        (8, "Оценка"),
        (9, "Дата"),
        (10, "Дата"),
        (11, "Класс"),
        (12, "Тема"),
        (13, "Дата"),
    }
    assert job.error_count == 11
    assert "Нет ученика «Кузнецов Кирилл» в 7А" in errors[(3, "ФИО")]
    assert "не учится в 7А" in errors[(4, "ФИО")]
    assert "7Б" in errors[(4, "ФИО")]
    assert "не был(а) в 7А" in errors[(5, "Дата")]
    assert "Астрономия" in errors[(6, "Предмет")]
    assert "2, 3, 4 или 5" in errors[(7, "Оценка")]
    assert "ещё не наступила" in errors[(9, "Дата")]
    assert "вне учебного года 2026/2027" in errors[(10, "Дата")]
    assert "Нет класса 7Г" in errors[(11, "Класс")]
    assert "тему или вид работы" in errors[(12, "Тема")]
    assert AuditEntry.objects.filter(action="grades.import_rejected").count() == 1


@pytest.mark.requirement("R9")
def test_reimporting_the_same_file_changes_nothing(
    school, django_capture_on_commit_callbacks
):
    data = csv_bytes(GOOD_ROWS)
    run_import(django_capture_on_commit_callbacks, actor=school.teacher, data=data)
    before = grade_state()
    again = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=data
    )
    assert again.status == ImportJob.Status.DONE
    assert (
        again.summary["created"],
        again.summary["changed"],
        again.summary["unchanged"],
    ) == (0, 0, 3)
    assert grade_state() == before


@pytest.mark.requirement("R9")
def test_a_corrected_grade_replaces_the_stored_one(
    school, django_capture_on_commit_callbacks
):
    run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(GOOD_ROWS),
    )
    corrected = [row[:] for row in GOOD_ROWS]
    corrected[1][4] = "4"
    corrected[1][5] = "линейные уравнения с параметром."  # same topic, other spelling
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.administrator,
        data=csv_bytes(corrected),
    )
    assert (job.summary["created"], job.summary["changed"]) == (0, 1)
    grade = Grade.objects.get(student=school.student, date=dt.date(2026, 11, 12))
    assert grade.value == 4
    assert grade.teacher == school.administrator
    assert Grade.objects.count() == 3


def test_two_rows_for_the_same_grade_are_an_error(
    school, django_capture_on_commit_callbacks
):
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes([*GOOD_ROWS, GOOD_ROWS[1]]),
    )
    assert job.status == ImportJob.Status.REJECTED
    assert "Строка 2 уже" in errors_by_row(job)[(5, "ФИО")]


@pytest.mark.requirement("R9")
def test_a_teacher_imports_only_the_classes_and_subjects_they_teach(
    school, django_capture_on_commit_callbacks
):
    rows = [
        HEADER,
        GOOD_ROWS[1],
        ["Смирнов Олег", "7Б", "Алгебра", "12.11.2026", "4", "Тема", ""],
        ["Петров Пётр", "7А", "Геометрия", "12.11.2026", "4", "Треугольники", ""],
    ]
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.REJECTED
    errors = errors_by_row(job)
    assert set(errors) == {(3, "Предмет"), (4, "Предмет")}
    assert "«Алгебра» в 7Б ведёте не вы" in errors[(3, "Предмет")]
    assert not Grade.objects.exists()
    # The administration imports any class and subject.
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.deputy, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Grade.objects.count() == 3


@pytest.mark.parametrize("who", ["student", "parent"])
def test_students_and_parents_cannot_import(school, who):
    with pytest.raises(DomainError):
        services.import_job_create(
            actor=getattr(school, who),
            kind="grades",
            file_name="x.csv",
            data=csv_bytes(GOOD_ROWS),
        )
    assert not ImportJob.objects.exists()


def test_namesakes_in_a_class_need_the_birth_date_or_login(
    school, django_capture_on_commit_callbacks
):
    from umka.accounts.tests.factories import make_student

    twin = make_student(
        last_name="Иванова",
        first_name="Мария",
        middle_name="Петровна",
        birth_date=dt.date(2013, 9, 1),
        username="ivanova.mp2",
    )
    Enrolment.objects.create(
        student=twin, school_class=school.class_7a, starts_on=dt.date(2026, 9, 1)
    )
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(GOOD_ROWS[:2]),
    )
    assert "несколько учеников" in errors_by_row(job)[(2, "ФИО")]
    header = [*HEADER, "Дата рождения", "Логин"]
    rows = [
        header,
        [*GOOD_ROWS[1], "01.09.2013", ""],
        [*GOOD_ROWS[2], "", ""],
        ["Иванова Мария", *GOOD_ROWS[1][1:], "", school.student.username],
    ]
    rows[3][5] = "Другая тема"
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert set(Grade.objects.values_list("student", flat=True)) == {
        twin.pk,
        school.classmate.pk,
        school.student.pk,
    }


def test_a_login_of_someone_else_is_an_error(
    school, django_capture_on_commit_callbacks
):
    rows = [[*HEADER, "Логин"], [*GOOD_ROWS[1], school.classmate.username]]
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert "принадлежит другому ученику" in errors_by_row(job)[(2, "Логин")]


def test_a_student_who_moved_is_graded_in_the_class_of_the_day(
    school, django_capture_on_commit_callbacks
):
    rows = [
        HEADER,
        ["Сидоров Илья", "7А", "Алгебра", "30.10.2026", "4", "Тема", ""],
        ["Сидоров Илья", "7Б", "Алгебра", "16.11.2026", "3", "Тема", ""],
    ]
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.deputy, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert list(
        Grade.objects.order_by("date").values_list("school_class__letter", flat=True)
    ) == ["А", "Б"]


def test_missing_columns_are_reported_on_the_header_row(
    school, django_capture_on_commit_callbacks
):
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(
            [["ФИО", "Класс", "Дата"], ["Иванова Мария", "7А", "1.11.2026"]]
        ),
    )
    assert job.status == ImportJob.Status.REJECTED
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (1, "Предмет"),
        (1, "Оценка"),
        (1, "Тема"),
    }


def test_an_unreadable_file_is_rejected(school, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=b"\xd0\xcf\x11\xe0 old excel",
        file_name="grades.xls",
    )
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors[0]["row"] is None


def test_a_check_only_run_writes_nothing(school, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(GOOD_ROWS),
        dry_run=True,
    )
    assert job.status == ImportJob.Status.CHECKED
    assert job.summary["created"] == 3
    assert not Grade.objects.exists()


def test_an_internal_error_fails_the_job_and_writes_nothing(
    school, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(applying.Grade.objects, "bulk_create", broken)
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes(GOOD_ROWS),
    )
    assert job.status == ImportJob.Status.FAILED
    assert "boom" in job.failure
    assert not Grade.objects.exists()


def test_work_types_are_spelled_one_way():
    assert work_type("Контрольная") == "контрольная работа"
    assert work_type("к/р") == "контрольная работа"
    assert work_type("ДЗ") == "домашняя работа"
    assert work_type("ВПР") == "ВПР"
    assert work_type(None) == ""
