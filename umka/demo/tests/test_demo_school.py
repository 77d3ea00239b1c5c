"""The demo school as loaded into the database (loaded once for this module)."""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import translation

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.policies import active_parent_links, children_of
from umka.audit.models import AuditEntry
from umka.audit.services import record
from umka.consultations.models import ScheduleDocument
from umka.core import clock as school_clock
from umka.core.dates import add_years, age_on
from umka.core.errors import DomainError
from umka.demo import curriculum as cur
from umka.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from umka.demo.selectors import loaded_digest
from umka.demo.services import ALREADY_LOADED, LOADED, demo_school_load
from umka.demo.tests.schedule_check import sessions_from_database, violations
from umka.school.models import (
    AcademicYear,
    Contract,
    Enrolment,
    Holiday,
    ProgramPart,
    ProgramPartCompletion,
    School,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
    WorkingTime,
)

pytestmark = pytest.mark.django_db
SECTIONS = {"student-home", "parent-home", "teacher-home", "work-home", "admin-home"}


def sign_in(client, username: str):
    """Through the real sign-in page (django-axes needs the request)."""
    return client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )


def people_with(role: str):
    return User.objects.filter(role_assignments__role=role)


def current_enrolments():
    return Enrolment.objects.filter(ends_on__isnull=True)


def test_load_reports_what_it_made(demo_school):
    assert demo_school.status == LOADED
    assert demo_school.counts["people"] == User.objects.count()
    # How long it takes is measured by `make bench-demo`, not asserted here: a
    # timed test fails on a busy machine.
    assert demo_school.seconds > 0


def test_the_database_holds_exactly_the_plan(demo_school):
    assert loaded_digest() == demo_school.digest


def test_reloading_with_the_same_seed_gives_the_same_school(demo_school, client):
    sign_in(client, "student")  # browsing the demo does not block a reset
    again = demo_school_load(today=school_clock.today(), reset=True)
    assert again.status == LOADED
    assert again.digest == demo_school.digest
    assert loaded_digest() == demo_school.digest
    assert AuditEntry.objects.filter(action="demo.reset").count() == 1
    # The trail keeps every entry; the old account's name stays on it.
    signed_in = AuditEntry.objects.get(action="accounts.signed_in")
    assert signed_in.actor is None
    assert signed_in.actor_name


def test_loading_twice_changes_nothing(demo_school):
    before = (
        User.objects.count(),
        Enrolment.objects.count(),
        AuditEntry.objects.count(),
    )
    result = demo_school_load()
    assert result.status == ALREADY_LOADED
    assert result.year_is_current
    after = (
        User.objects.count(),
        Enrolment.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


def test_the_load_is_one_audit_entry(demo_school):
    entry = AuditEntry.objects.get(action="demo.loaded")
    assert entry.changes["students"] == demo_school.counts["students"]
    assert entry.action_label != "demo.loaded"  # the label is registered
    assert AuditEntry.objects.count() == 1


def test_reset_is_refused_once_the_demo_has_been_used(demo_school):
    record(actor=None, action="accounts.person_created")
    people = User.objects.count()
    with translation.override("en"), pytest.raises(DomainError, match="audit trail"):
        demo_school_load(reset=True)
    assert User.objects.count() == people


def test_command_prints_every_demo_login(demo_school):
    out = StringIO()
    call_command("load_demo_school", stdout=out)
    text = out.getvalue()
    assert "уже загружена" in text
    for login in DEMO_LOGINS:
        assert f" {login.username} " in text
    assert DEMO_PASSWORD in text
    assert User.objects.get(username="teacher").full_name in text


def test_school_and_the_current_year(demo_school):
    school = School.objects.get()
    assert school.time_zone == "Europe/Moscow"
    assert school.short_name.startswith("МБОУ")
    today = school_clock.today()
    year = AcademicYear.objects.get()
    assert year.starts_on <= today <= year.ends_on
    assert (year.starts_on.month, year.starts_on.day) == (9, 1)
    assert StudyPeriod.objects.filter(year=year, kind="quarter").count() == 4
    names = set(Holiday.objects.values_list("name", flat=True))
    assert names >= {"Осенние каникулы", "Зимние каникулы", "Весенние каникулы"}
    assert names >= {"День народного единства", "День Победы"}


def test_grades_one_to_eleven_with_two_or_three_classes(demo_school):
    per_grade = Counter(SchoolClass.objects.values_list("grade", flat=True))
    assert sorted(per_grade) == list(range(1, 12))
    assert set(per_grade.values()) <= {2, 3}
    assert not SchoolClass.objects.filter(class_teacher__isnull=True).exists()
    leaders = SchoolClass.objects.values_list("class_teacher", flat=True)
    assert len(set(leaders)) == len(leaders)


def test_classes_have_about_25_students(demo_school):
    sizes = list(
        SchoolClass.objects.annotate(
            n=Count("enrolments", filter=Q(enrolments__ends_on__isnull=True))
        ).values_list("n", flat=True)
    )
    assert all(20 <= n <= 30 for n in sizes), sizes
    assert 23 <= sum(sizes) / len(sizes) <= 27


def test_every_student_has_a_class_and_a_verified_parent(demo_school):
    students = people_with(Role.STUDENT)
    assert students.count() == current_enrolments().count()
    assert not students.exclude(pk__in=current_enrolments().values("student")).exists()
    verified = ParentLink.objects.filter(verified_at__isnull=False)
    assert not students.exclude(pk__in=verified.values("student")).exists()


def test_birth_dates_match_the_grade(demo_school):
    year = AcademicYear.objects.get()
    today = school_clock.today()
    for enrolment in current_enrolments().select_related("student", "school_class"):
        born = enrolment.student.birth_date
        age = age_on(born, year.starts_on)
        if add_years(born, 18) <= today and enrolment.school_class.grade == 11:
            continue  # the 11th graders who have turned 18
        assert age == 6 + enrolment.school_class.grade, enrolment


def test_a_few_students_moved_class_during_the_year(demo_school):
    closed = Enrolment.objects.filter(ends_on__isnull=False).select_related(
        "school_class"
    )
    assert 2 <= closed.count() <= 6
    for old in closed:
        new = Enrolment.objects.get(student=old.student, ends_on__isnull=True)
        assert new.school_class.grade == old.school_class.grade
        assert new.school_class != old.school_class
        assert new.starts_on > old.ends_on


def test_two_adult_students_one_kept_the_parent_link(demo_school):
    today = school_clock.today()
    adults = people_with(Role.STUDENT).filter(
        birth_date__lte=add_years(today, -18),
        enrolments__school_class__grade=11,
    )
    kept = [s for s in adults if s.parent_links.filter(kept_by_adult_student=True)]
    not_kept = [
        s for s in adults if not s.parent_links.filter(kept_by_adult_student=True)
    ]
    assert kept
    assert not_kept
    assert active_parent_links(today).filter(student__in=kept).exists()
    assert not active_parent_links(today).filter(student__in=not_kept).exists()


def test_families_with_two_or_three_children_and_pending_links(demo_school):
    children = Counter(
        ParentLink.objects.filter(kind="mother").values_list("parent", flat=True)
    )
    assert sum(1 for n in children.values() if n == 2) >= 20
    assert any(n == 3 for n in children.values())
    pending = ParentLink.objects.filter(verified_at__isnull=True)
    assert 3 <= pending.values("parent").distinct().count() <= 10
    assert ParentLink.objects.filter(kind="guardian").exists()
    adults = people_with(Role.PARENT)
    assert not adults.filter(Q(email="") | Q(phone="")).exists()
    assert not adults.exclude(phone__regex=r"^\+7 9\d\d \d{3}-\d\d-\d\d$").exists()
    assert (
        not User.objects.exclude(email="")
        .exclude(
            Q(email__endswith="@example.org")
            | Q(email__endswith="@example.com")
            | Q(email__endswith="@example.net")
        )
        .exists()
    )


def test_staff_and_administration(demo_school):
    assert people_with(Role.TEACHER).count() >= 40
    assert people_with(Role.DIRECTOR).count() == 1
    assert people_with(Role.DEPUTY_HEAD).count() >= 2
    assert people_with(Role.UNIT_HEAD).count() >= 1
    assert people_with(Role.STAFF).count() >= 3
    assert people_with(Role.ADMINISTRATOR).count() == 1
    non_teaching = Contract.objects.filter(weekly_load_hours__isnull=True)
    assert non_teaching.count() >= 8
    for contract in non_teaching.annotate(days=Count("working_times")):
        assert contract.days == 5, contract
    assert not WorkingTime.objects.filter(weekday__gt=4).exists()
    assert User.objects.get(username="admin").is_staff


def test_teachers_loads_and_assignments(demo_school):
    taught = dict(
        TeachingAssignment.objects.values_list("teacher").annotate(
            h=Sum("hours_per_week")
        )
    )
    for contract in Contract.objects.filter(person__in=people_with(Role.TEACHER)):
        assert 18 <= contract.weekly_load_hours <= 30, contract
        assert 1 <= contract.consultation_hours <= 3, contract
        assert taught[contract.person_id] <= contract.weekly_load_hours, contract
        assert contract.position.startswith("Учитель")
    assert not people_with(Role.TEACHER).filter(contract__isnull=True).exists()


def test_every_class_is_taught_its_whole_curriculum(demo_school):
    hours = defaultdict(lambda: defaultdict(int))
    for class_id, subject, h in TeachingAssignment.objects.values_list(
        "school_class", "subject__name", "hours_per_week"
    ):
        hours[class_id][subject] += h
    for school_class in SchoolClass.objects.all():
        grouped = {cur.FOREIGN} | ({cur.CRAFT} if school_class.grade > 4 else set())
        expected = {  # English and труд are taught in two groups
            subject: h * (2 if subject in grouped else 1)
            for subject, h in cur.subjects_of_grade(school_class.grade)
        }
        assert dict(hours[school_class.pk]) == expected, school_class


def test_primary_classes_are_taught_by_their_class_teacher(demo_school):
    for school_class in SchoolClass.objects.filter(grade__lte=4):
        subjects = set(
            TeachingAssignment.objects.filter(
                school_class=school_class, teacher=school_class.class_teacher
            ).values_list("subject__name", flat=True)
        )
        assert {cur.RUSSIAN, cur.MATHS, cur.WORLD} <= subjects


def test_program_parts_and_completion_dates(demo_school):
    per_subject = Counter(ProgramPart.objects.values_list("subject", "grade"))
    assert all(3 <= n <= 6 for n in per_subject.values())
    assert ProgramPart.objects.filter(
        subject__name=cur.ALGEBRA, grade=7, title="Рациональные числа"
    ).exists()
    year = AcademicYear.objects.get()
    completions = ProgramPartCompletion.objects.all()
    assert completions.count() >= SchoolClass.objects.count() * 30
    assert not completions.exclude(
        planned_on__range=(year.starts_on, year.ends_on)
    ).exists()
    assert not completions.exclude(
        program_part__grade=F("school_class__grade")
    ).exists()


def test_the_consultation_schedule_of_today_follows_the_rules(demo_school):
    """The schedule depends on the day it is loaded; test_demo_schedule.py checks
    it in detail on a fixed day."""
    assert ScheduleDocument.objects.count() == StudyPeriod.objects.count()
    sessions, terms = sessions_from_database()
    assert len(sessions) == demo_school.counts["sessions"]
    assert violations(sessions, terms) == []


def test_one_role_per_kind_and_no_one_roleless(demo_school):
    assert not User.objects.filter(role_assignments__isnull=True).exists()
    duplicates = (
        RoleAssignment.objects.values("user", "role")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_names_have_the_right_gender_forms(demo_school):
    for last, middle in User.objects.values_list("last_name", "middle_name"):
        if middle.endswith(("вна", "чна")):
            assert last.endswith(("а", "ая", "ко", "ых")), (last, middle)
        else:
            assert middle.endswith(("вич", "ич")), middle
            assert not last.endswith(("ова", "ева", "ина", "ая")), last


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_demo_login_signs_in_and_sees_its_own_home(demo_school, client, login):
    response = sign_in(client, login.username)
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 200
    page = response.content.decode()
    for section in SECTIONS:
        assert (f'id="{section}"' in page) == (section in login.sections), section


def test_parent_sees_two_children_in_different_classes(demo_school, client):
    parent = User.objects.get(username="parent")
    children = list(children_of(parent, school_clock.today()))
    assert len(children) == 2
    assert "student" in {c.username for c in children}
    client.force_login(parent)
    page = client.get(reverse("home")).content.decode()
    assert page.count("child-card") == 2
    assert "7А" in page
    assert "3Б" in page


def test_student_and_teacher_share_7a(demo_school, client):
    student = User.objects.get(username="student")
    teacher = User.objects.get(username="teacher")
    seventh_a = SchoolClass.objects.get(grade=7, letter="А")
    assert seventh_a.class_teacher == teacher
    assert current_enrolments().get(student=student).school_class == seventh_a
    assert TeachingAssignment.objects.filter(
        teacher=teacher, school_class=seventh_a, subject__name=cur.ALGEBRA
    ).exists()
    client.force_login(student)
    assert teacher.full_name in client.get(reverse("home")).content.decode()


def test_teacher_parent_is_both(demo_school):
    person = User.objects.get(username="teacher_parent")
    assert person.roles >= {Role.TEACHER, Role.PARENT}
    assert children_of(person, school_clock.today()).count() == 1


def test_admin_opens_the_back_office(demo_school, client):
    sign_in(client, "admin")
    assert client.get(reverse("admin:index")).status_code == 200
