"""The demo school's grades: a realistic term, some topics clearly weak (R9)."""

import datetime as dt
import hashlib
import random
import time
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.test import override_settings
from django.urls import reverse

from umka.core.tests.clock import TEST_NOW
from umka.demo.builder import DEFAULT_SEED
from umka.demo.grades import SHOWCASE, load_demo_grades, wipe_demo_grades
from umka.demo.logins import DEMO_PASSWORD
from umka.demo.services import demo_school_load
from umka.grades import selectors
from umka.grades.models import Grade
from umka.imports.models import ImportJob
from umka.school.models import Enrolment, SchoolClass, StudyPeriod, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo school of the test clock's day with its grades, loaded once for this
    module and rolled back afterwards."""
    today = TEST_NOW.date()
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        demo_school_load(seed=DEFAULT_SEED, today=today)
        # The loader brings its grades; time them again on their own.
        wipe_demo_grades()
        started = time.perf_counter()
        count = load_demo_grades(rng=random.Random(DEFAULT_SEED), today=today)
        seconds = time.perf_counter() - started
        yield {"today": today, "count": count, "seconds": seconds}
        transaction.set_rollback(True)


def needs_a_term(demo) -> None:
    """Volume checks need a few weeks of lessons behind «today»."""
    first = Grade.objects.order_by("date").values_list("date", flat=True).first()
    if first is None or (demo["today"] - first).days < 21:
        pytest.skip("too early in the study period for a term of grades")


def digest() -> str:
    rows = Grade.objects.order_by("student_id", "subject_id", "date", "topic_key")
    text = "|".join(
        f"{s},{c},{d},{t},{w},{v}"
        for s, c, d, t, w, v in rows.values_list(
            "student_id", "subject_id", "date", "topic_key", "work_type", "value"
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def test_demo_grades_are_many(demo):
    # How fast they load is measured by `make bench-demo`, not asserted here.
    needs_a_term(demo)
    assert demo["count"] == Grade.objects.count()
    assert demo["count"] > 5_000
    job = ImportJob.objects.get(kind="grades")
    assert job.status == ImportJob.Status.DONE
    assert job.summary["created"] == demo["count"]


def test_every_demo_grade_is_of_a_student_in_that_class_on_that_day(demo):
    enrolled = Enrolment.objects.filter(
        student=OuterRef("student"),
        school_class=OuterRef("school_class"),
        starts_on__lte=OuterRef("date"),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
    assert not Grade.objects.exclude(Exists(enrolled)).exists()
    assert not Grade.objects.filter(Q(value__lt=2) | Q(value__gt=5)).exists()
    assert not Grade.objects.filter(kind=Grade.Kind.MARK, value__isnull=True).exists()
    assert not Grade.objects.filter(date__gt=demo["today"]).exists()
    assert not Grade.objects.filter(date__week_day__in=[1, 7]).exists()
    assert not Grade.objects.filter(teacher__isnull=True).exists()


def test_demo_grades_cover_the_term_at_a_realistic_rate(demo):
    needs_a_term(demo)
    today = demo["today"]
    period = (
        StudyPeriod.objects.filter(starts_on__lte=today).order_by("starts_on").last()
    )
    first = Grade.objects.order_by("date").first().date
    assert first >= (period.starts_on - dt.timedelta(days=100))
    days = (today - first).days + 1
    months = max(1.0, days / 30.4)
    per_student = Counter(
        Grade.objects.filter(school_class__grade__gte=5).values_list(
            "student_id", "subject_id"
        )
    )
    rates = sorted(n / months for n in per_student.values())
    median = rates[len(rates) // 2]
    assert 2.5 <= median <= 6
    grades = set(Grade.objects.values_list("school_class__grade", flat=True).distinct())
    assert set(range(5, 12)) <= grades
    algebra = Subject.objects.get(name="Алгебра")
    assert Grade.objects.filter(subject=algebra, school_class__grade=7).exists()


def test_seventh_a_algebra_has_a_clearly_weak_topic(demo):
    needs_a_term(demo)
    class_name, subject_name, topic = SHOWCASE
    school_class = SchoolClass.objects.get(
        grade=int(class_name[:-1]), letter=class_name[-1]
    )
    subject = Subject.objects.get(name=subject_name)
    window = selectors.Window("year", "", dt.date(2000, 1, 1), demo["today"])
    result = selectors.topic_analysis(
        school_class=school_class, subject=subject, window=window, with_links=False
    )
    weakest = result.topics[0]
    assert weakest.low_share >= 0.7
    assert weakest.count >= 15
    others = [t for t in result.topics[1:] if t.count >= 10]
    assert others
    assert max(t.low_share for t in others) < weakest.low_share - 0.25
    if topic in {t.title for t in result.topics}:
        assert weakest.title == topic
    assert result.students  # somebody needs help


def test_some_other_classes_have_a_weak_topic_too(demo):
    needs_a_term(demo)
    lows: dict[tuple, list[int]] = defaultdict(list)
    for key in Grade.objects.filter(kind=Grade.Kind.MARK).values_list(
        "school_class_id", "subject_id", "topic_key", "value"
    ):
        lows[key[:3]].append(key[3])
    weak_pairs = {
        key[:2]
        for key, values in lows.items()
        if len(values) >= 15 and sum(v <= 3 for v in values) / len(values) >= 0.7
    }
    assert len(weak_pairs) >= 10


def test_the_demo_teacher_sees_the_analysis_of_seventh_a(demo, client):
    client.post(
        reverse("accounts:login"), {"username": "teacher", "password": DEMO_PASSWORD}
    )
    school_class = SchoolClass.objects.get(grade=7, letter="А")
    subject = Subject.objects.get(name="Алгебра")
    response = client.get(
        reverse("grades:analysis"),
        {"school_class": school_class.pk, "subject": subject.pk, "period": "year"},
    )
    assert response.status_code == 200
    assert "Провести тематическую консультацию" in response.content.decode()
    client.logout()
    client.post(
        reverse("accounts:login"), {"username": "student", "password": DEMO_PASSWORD}
    )
    assert client.get(reverse("grades:mine")).status_code == 200


def test_demo_grades_are_deterministic_and_wiped(demo):
    before = digest()
    with transaction.atomic():
        wipe_demo_grades()
        assert not Grade.objects.exists()
        assert not ImportJob.objects.filter(kind="grades").exists()
        load_demo_grades(rng=random.Random(DEFAULT_SEED), today=demo["today"])
        assert digest() == before
        transaction.set_rollback(True)


def test_the_demo_journal_has_absences_and_a_pass_fail_subject(demo, client):
    needs_a_term(demo)
    kinds = Counter(Grade.objects.values_list("kind", flat=True))
    entries = sum(kinds.values())
    # Whoever misses a class work has «н»: a few per cent of the entries.
    assert 0.01 <= kinds[Grade.Kind.ABSENT] / entries <= 0.08
    orkse = Subject.objects.get(name="Основы религиозных культур и светской этики")
    results = Counter(
        Grade.objects.filter(subject=orkse).values_list("kind", flat=True)
    )
    assert set(results) <= {Grade.Kind.PASS, Grade.Kind.FAIL, Grade.Kind.ABSENT}
    assert results[Grade.Kind.PASS] > results[Grade.Kind.FAIL] > 0
    assert not Grade.objects.exclude(subject=orkse).filter(
        kind__in=[Grade.Kind.PASS, Grade.Kind.FAIL]
    )
    assert (
        ImportJob.objects.get(kind="grades").summary["absences"]
        == (kinds[Grade.Kind.ABSENT])
    )
    # The pages show them: a student of 4th grade with an ОРКСЭ result.
    pupil = (
        Grade.objects.filter(subject=orkse, kind=Grade.Kind.PASS)
        .values_list("student__username", flat=True)
        .first()
    )
    client.post(
        reverse("accounts:login"), {"username": pupil, "password": DEMO_PASSWORD}
    )
    page = client.get(reverse("grades:mine") + "?period=year").content.decode()
    assert 'data-kind="pass"' in page
