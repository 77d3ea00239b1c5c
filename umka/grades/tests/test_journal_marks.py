"""Real e-journal exports (fault 4 of issue 9): «н» is an absence, «5-», «4+» and
«5/4» count as the school decides, «зач»/«незач» are a pass or a fail — none of
them refuses the file, none of the non-marks counts in an average; a «7» or «отл»
still refuses the whole file with its row and column (R9)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from umka.accounts.tests.factories import make_student
from umka.grades.marks import (
    DOUBLE_LOWER,
    SIGNED_MINUS_LOWER,
    Mark,
    MarkRules,
    parse_mark,
)
from umka.grades.models import Grade
from umka.grades.tests.factories import YEAR_START
from umka.grades.tests.helpers import HEADER, csv_bytes, grade_state, run_import
from umka.imports.cleaning import CellError
from umka.imports.models import ImportJob
from umka.imports.selectors import error_text
from umka.school.models import Enrolment, School

pytestmark = pytest.mark.django_db

JOURNAL = Path(__file__).parent / "data" / "journal_7a_algebra.csv"
#: The students of the journal file besides the school's Иванова and Петров, as
#: the school registered them (the file writes two of them in capitals).
CLASSMATES = [
    ("Кузнецова", "Анна", "Сергеевна"),
    ("Абрамов", "Глеб", "Игоревич"),
    ("Белова", "Дарья", "Олеговна"),
    ("Римская-Корсакова", "Ольга", "Дмитриевна"),
    ("Григорьев", "Матвей", "Андреевич"),
    ("Дьячкова", "Софья", "Павловна"),
    ("Егоров", "Тимофей", "Ильич"),
    ("Жукова", "Вера", "Романовна"),
]
ABSENT, PASS, FAIL, MARK = (
    Grade.Kind.ABSENT,
    Grade.Kind.PASS,
    Grade.Kind.FAIL,
    Grade.Kind.MARK,
)


def journal_class(school) -> dict[str, object]:
    """7А as the journal file knows it: ten students since the year began."""
    students = {}
    for last, first, middle in CLASSMATES:
        student = make_student(last_name=last, first_name=first, middle_name=middle)
        Enrolment.objects.create(
            student=student, school_class=school.class_7a, starts_on=YEAR_START
        )
        students[last] = student
    return students


def row(name, mark, day="12.11.2026", topic="Дроби", work="ответ у доски"):
    return [name, "7А", "Алгебра", day, mark, topic, work]


# --- One cell --------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["н", "Н", "нб", "н/б", " н. "])
def test_an_absence_is_not_a_grade(cell):
    assert parse_mark(cell) == Mark(ABSENT)


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("зач", PASS),
        ("Зачёт", PASS),
        ("зачтено", PASS),
        ("з", PASS),
        ("незач", FAIL),
        ("не зачтено", FAIL),
        ("НЕ ЗАЧТЕНО", FAIL),
        ("нз", FAIL),
    ],
)
def test_pass_and_fail_are_kept_as_such(cell, kind):
    assert parse_mark(cell) == Mark(kind)


@pytest.mark.parametrize(
    ("cell", "main", "strict"),
    [
        ("5", 5, 5),
        (5.0, 5, 5),
        ("5-", 5, 4),
        ("5 –", 5, 4),
        ("4+", 4, 4),
        ("3+", 3, 3),
        ("2-", 2, 2),
        ("5/4", 5, 4),
        ("4/5", 4, 4),
        ("5-/4", 5, 4),
    ],
)
def test_signed_and_double_marks_count_as_the_school_says(cell, main, strict):
    assert parse_mark(cell).value == main
    rules = MarkRules(signed=SIGNED_MINUS_LOWER, double=DOUBLE_LOWER)
    assert parse_mark(cell, rules).value == strict


def test_a_signed_mark_keeps_its_spelling_for_the_family():
    assert parse_mark("5-") == Mark(MARK, 5, "5-")
    assert parse_mark("5 / 4") == Mark(MARK, 5, "5/4")
    assert parse_mark("4") == Mark(MARK, 4, "")


@pytest.mark.parametrize("cell", ["7", "1", "0", "отл", "5/7", "++", "6-", "неуд"])
def test_anything_else_is_still_an_error(cell):
    with pytest.raises(CellError) as error:
        parse_mark(cell)
    assert error.value.params == {"value": cell}


# --- The whole file ------------------------------------------------------------------


@pytest.mark.requirement("R9")
def test_a_real_journal_export_imports_end_to_end(
    school, client, django_capture_on_commit_callbacks
):
    classmates = journal_class(school)

    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=JOURNAL.read_bytes(),
        file_name=JOURNAL.name,
    )

    assert job.status == ImportJob.Status.DONE, job.errors[:3]
    assert job.total_rows == 120
    assert Grade.objects.count() == 120
    kinds = dict(
        Grade.objects.values_list("kind").annotate(
            n=__import__("django").db.models.Count("pk")
        )
    )
    assert kinds == {MARK: 92, ABSENT: 18, PASS: 3, FAIL: 7}
    assert job.summary["absences"] == 18
    # Row 101 of the file (Егоров, 15.10.2026) is an absence, not a refusal.
    absent = Grade.objects.get(student=classmates["Егоров"], date=dt.date(2026, 10, 15))
    assert (absent.kind, absent.value) == (ABSENT, None)
    # Names in capitals found their students; double-barrelled ones too.
    assert Grade.objects.filter(student=classmates["Кузнецова"]).count() == 12
    assert Grade.objects.filter(student=classmates["Римская-Корсакова"]).count() == 12
    signed = Grade.objects.get(student=school.classmate, date=dt.date(2026, 9, 8))
    assert (signed.value, signed.written, signed.shown) == (5, "5-", "5-")
    assert not Grade.objects.filter(kind__in=[ABSENT, PASS, FAIL], value__isnull=False)

    # The teacher sees the absences in the analysis, apart from the averages.
    client.force_login(school.teacher)
    page = client.get(
        reverse("grades:analysis")
        + f"?school_class={school.class_7a.pk}&subject={school.algebra.pk}&period=year"
    ).content.decode()
    assert '<dd id="analysis-absences">18</dd>' in page
    marks = list(Grade.objects.filter(kind=MARK).values_list("value", flat=True))
    assert f"<dd>{sum(marks) / len(marks):.2f}".replace(".", ",") in page

    # Again: nothing changes.
    before = grade_state()
    again = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=JOURNAL.read_bytes(),
        file_name=JOURNAL.name,
    )
    assert (again.summary["created"], again.summary["changed"]) == (0, 0)
    assert grade_state() == before


@pytest.mark.requirement("R9")
def test_one_absence_in_row_101_no_longer_refuses_the_file(
    school, django_capture_on_commit_callbacks
):
    rows = [HEADER] + [
        row(
            "Иванова Мария Петровна",
            "4",
            day=f"{2 + n % 28:02d}.10.2026",
            work=f"работа {n}",
        )
        for n in range(99)
    ]
    rows.append(row("Иванова Мария Петровна", "н", day="30.10.2026"))  # row 101
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.DONE, job.errors[:3]
    assert Grade.objects.get(date=dt.date(2026, 10, 30)).kind == ABSENT


@pytest.mark.requirement("R9")
@pytest.mark.parametrize("bad", ["7", "отл"])
def test_a_real_error_still_refuses_the_whole_file(
    school, bad, django_capture_on_commit_callbacks
):
    rows = [
        HEADER,
        row("Иванова Мария", "н"),
        row("Петров Пётр", "5-", work="домашняя работа"),
        row("Иванова Мария", bad, work="домашняя работа"),
    ]
    before = grade_state()
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.REJECTED
    assert grade_state() == before
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [
        (4, "Оценка", bad)
    ]
    assert "2, 3, 4 или 5" in error_text(job.errors[0])


@pytest.mark.requirement("R9")
def test_the_schools_setting_decides_what_compound_marks_count_as(
    school, django_capture_on_commit_callbacks
):
    School.objects.create(
        name="Школа",
        short_name="Школа",
        signed_marks="minus_lower",
        double_marks="lower",
    )
    rows = [
        HEADER,
        row("Иванова Мария", "5-"),
        row("Петров Пётр", "5/4"),
        row("Иванова Мария", "4+", work="домашняя работа"),
    ]
    job = run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert sorted(Grade.objects.values_list("written", "value")) == [
        ("4+", 4),
        ("5-", 4),
        ("5/4", 4),
    ]


def test_by_default_a_compound_mark_counts_as_its_main_mark(
    school, django_capture_on_commit_callbacks
):
    rows = [HEADER, row("Иванова Мария", "5-"), row("Петров Пётр", "5/4")]
    run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(rows)
    )
    assert sorted(Grade.objects.values_list("written", "value")) == [
        ("5-", 5),
        ("5/4", 5),
    ]


def test_a_changed_cell_is_reported_before_and_after(
    school, django_capture_on_commit_callbacks
):
    first = [HEADER, row("Иванова Мария", "4")]
    run_import(
        django_capture_on_commit_callbacks, actor=school.teacher, data=csv_bytes(first)
    )
    job = run_import(
        django_capture_on_commit_callbacks,
        actor=school.teacher,
        data=csv_bytes([HEADER, row("ИВАНОВА МАРИЯ", "н")]),
        dry_run=True,
    )
    assert job.status == ImportJob.Status.CHECKED
    assert job.changes == [
        {
            "row": 2,
            "name": "Иванова Мария Петровна · Алгебра, 12.11.2026",
            "changes": {"value": ["4", "absent"]},
        }
    ]
    assert Grade.objects.get().kind == MARK


# --- What families and teachers see ------------------------------------------------


@pytest.mark.requirement("R9", "R3")
def test_my_grades_show_absences_and_pass_fail_and_average_marks_only(client, school):
    for day, kind, value, written in (
        (dt.date(2026, 11, 9), MARK, 5, "5-"),
        (dt.date(2026, 11, 10), MARK, 3, ""),
        (dt.date(2026, 11, 11), ABSENT, None, ""),
        (dt.date(2026, 11, 12), FAIL, None, ""),
    ):
        Grade.objects.create(
            student=school.student,
            school_class=school.class_7a,
            subject=school.algebra,
            date=day,
            kind=kind,
            value=value,
            written=written,
            topic="Дроби",
            topic_key="дроби",
        )
    for who in (school.student, school.parent):
        client.force_login(who)
        page = client.get(reverse("grades:mine")).content.decode()
        # (5 + 3) / 2: the absence and the fail are not in the average.
        assert "средний балл 4,00" in page
        assert re.search(r'<span class="chip absent" data-kind="absent"[^>]*>н<', page)
        assert re.search(r'<span class="chip fail" data-kind="fail"[^>]*>незач<', page)
        assert re.search(r'<span class="chip v5"[^>]*засчитывается как 5">5-<', page)
        assert "1 отсутствие" in page


def test_entering_by_hand_keeps_an_absence(client, school):
    Grade.objects.create(
        student=school.student,
        school_class=school.class_7a,
        subject=school.algebra,
        date=dt.date(2026, 11, 16),
        kind=ABSENT,
        topic="Дроби",
        topic_key="дроби",
    )
    client.force_login(school.teacher)
    url = (
        reverse("grades:entry")
        + f"?school_class={school.class_7a.pk}&subject={school.algebra.pk}"
        + "&date=2026-11-16&topic=Дроби"
    )
    page = client.get(url).content.decode()
    assert '<option value="absent" selected>н</option>' in page
    client.post(
        url,
        {
            f"grade_{school.student.pk}": "absent",
            f"grade_{school.classmate.pk}": "pass",
        },
    )
    assert sorted(Grade.objects.values_list("student__last_name", "kind")) == [
        ("Иванова", ABSENT),
        ("Петров", PASS),
    ]
