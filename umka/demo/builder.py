"""The demo school planned in memory: unsaved model instances made from a seed and
a date, with no database access. `umka.demo.services` writes them.

The same seed and the same «today» always give the same plan: every random choice
comes from one `random.Random(seed)`, drawn in a fixed order.
"""

import datetime as dt
import hashlib
import math
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.usernames import base_username, unique_username
from umka.core.dates import AGE_OF_MAJORITY, add_years
from umka.demo import curriculum as cur
from umka.demo.logins import DEMO_LOGINS
from umka.demo.names import (
    BOYS,
    GIRLS,
    GRANDFATHERS,
    GRANDMOTHERS,
    MEN,
    SURNAMES,
    WOMEN,
    patronymic_from,
    surname_for,
)
from umka.demo.schedule import SchedulePlan, SchedulePlanner, plan_lines
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
    Subject,
    TeachingAssignment,
    WorkingTime,
)

DEFAULT_SEED = 17
TIME_ZONE = "Europe/Moscow"
SCHOOL_NAME = (
    "Муниципальное бюджетное общеобразовательное учреждение "
    "«Средняя общеобразовательная школа № 17»"
)
SCHOOL_SHORT_NAME = "МБОУ СОШ № 17"
SCHOOL_ADDRESS = "ул. Школьная, д. 17"
# Reserved for examples (RFC 2606): demo data must never e-mail a real person.
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

MIN_TEACHERS = 40
TARGET_TEACHING_HOURS = 22  # a subject teacher's share before consultations
MAX_TEACHING_HOURS = 27  # leaves room for consultations within 30 h
MIN_LOAD, MAX_LOAD = 18, 30
CLASS_SIZE = (22, 28)
LETTERS = "АБВ"
MOVERS = 4
PENDING_FAMILIES = 6

SATURDAY, SUNDAY = 5, 6


# --- The calendar ------------------------------------------------------------------


def academic_year_start(today: dt.date) -> int:
    """The calendar year in which the academic year containing `today` began."""
    return today.year if today.month >= 9 else today.year - 1


def _on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class Calendar:
    """One academic year after the usual Russian pattern (four quarters)."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    quarters: tuple[tuple[dt.date, dt.date], ...]
    holidays: tuple[tuple[str, dt.date, dt.date], ...]

    def is_study_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < SATURDAY
            and any(start <= day <= end for start, end in self.quarters)
            and not any(start <= day <= end for _n, start, end in self.holidays)
        )

    def study_days(self) -> list[dt.date]:
        first, last = self.quarters[0][0], self.quarters[-1][1]
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [day for day in days if self.is_study_day(day)]


def school_calendar(today: dt.date) -> Calendar:
    """Quarters and holidays of the year containing `today`.

    Autumn holidays: the nine days from the last Saturday on or before 26 October
    (2025: 25.10–03.11); winter: 29 December to the first Sunday on or after
    8 January; spring: the nine days from the last Saturday of March; summer from
    27 May. The extra February week of the 1st grade is not a row: a Holiday
    closes the whole school.
    """
    y = academic_year_start(today)
    starts_on, ends_on = dt.date(y, 9, 1), dt.date(y + 1, 8, 31)
    # Lessons start on 1 September, or on the Monday after it at a weekend.
    first_day = (
        _on_or_after(starts_on, 0) if starts_on.weekday() >= SATURDAY else starts_on
    )
    autumn = _on_or_before(dt.date(y, 10, 26), SATURDAY)
    autumn_end = autumn + dt.timedelta(days=9)
    second_starts = autumn_end + dt.timedelta(days=1)
    if second_starts == dt.date(y, 11, 4):
        second_starts += dt.timedelta(days=1)
    winter, winter_end = dt.date(y, 12, 29), _on_or_after(dt.date(y + 1, 1, 8), SUNDAY)
    spring = _on_or_before(dt.date(y + 1, 3, 31), SATURDAY)
    spring_end = spring + dt.timedelta(days=8)
    last_day = dt.date(y + 1, 5, 26)
    quarters = (
        (first_day, autumn - dt.timedelta(days=1)),
        (second_starts, winter - dt.timedelta(days=1)),
        (winter_end + dt.timedelta(days=1), spring - dt.timedelta(days=1)),
        (spring_end + dt.timedelta(days=1), last_day),
    )
    holidays = (
        ("Осенние каникулы", autumn, autumn_end),
        ("День народного единства", dt.date(y, 11, 4), dt.date(y, 11, 4)),
        ("Зимние каникулы", winter, winter_end),
        ("День защитника Отечества", dt.date(y + 1, 2, 23), dt.date(y + 1, 2, 23)),
        ("Международный женский день", dt.date(y + 1, 3, 8), dt.date(y + 1, 3, 8)),
        ("Весенние каникулы", spring, spring_end),
        ("Праздник Весны и Труда", dt.date(y + 1, 5, 1), dt.date(y + 1, 5, 1)),
        ("День Победы", dt.date(y + 1, 5, 9), dt.date(y + 1, 5, 9)),
        ("Летние каникулы", last_day + dt.timedelta(days=1), ends_on),
    )
    return Calendar(f"{y}/{y + 1}", starts_on, ends_on, quarters, holidays)


# --- The plan ----------------------------------------------------------------------


@dataclass
class DemoPlan:
    """Everything the demo school consists of, as unsaved model instances whose
    foreign keys point at one another (saved in dependency order)."""

    seed: int
    today: dt.date
    school: School
    year: AcademicYear
    periods: list[StudyPeriod] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    subjects: dict[str, Subject] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    classes: list[SchoolClass] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    links: list[ParentLink] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    working_times: list[WorkingTime] = field(default_factory=list)
    assignments: list[TeachingAssignment] = field(default_factory=list)
    parts: list[ProgramPart] = field(default_factory=list)
    completions: list[ProgramPartCompletion] = field(default_factory=list)
    logins: dict[str, User] = field(default_factory=dict)
    #: The consultation schedule (umka.demo.schedule).
    schedule: SchedulePlan = field(default_factory=SchedulePlan)

    def digest(self) -> str:
        """A fingerprint of people, roles, classes, links and the consultation
        schedule (see `digest_of`)."""
        roles = defaultdict(list)
        for assignment in self.roles:
            roles[assignment.user.username].append(str(assignment.role))
        current = {
            e.student.username: str(e.school_class)
            for e in self.enrolments
            if e.ends_on is None
        }
        people = [
            (u.username, u.full_name, u.birth_date, current.get(u.username, ""))
            for u in self.users
        ]
        links = [
            (link.parent.username, link.student.username, str(link.kind))
            + (link.verified_at is not None, link.kept_by_adult_student)
            for link in self.links
        ]
        schedule = plan_lines(self.schedule, zoneinfo.ZoneInfo(TIME_ZONE))
        return digest_of(people, roles, links, schedule)


def digest_of(people, roles: dict[str, list[str]], links, schedule=()) -> str:
    """sha256 over (login, ФИО, birth date, class, roles), the parent links and the
    lines describing the consultation schedule (umka.demo.schedule)."""
    h = hashlib.sha256()
    for username, full_name, birth_date, school_class in sorted(people):
        h.update(
            "|".join(
                (
                    username,
                    full_name,
                    birth_date.isoformat() if birth_date else "",
                    school_class,
                    ",".join(sorted(roles.get(username, []))),
                )
            ).encode()
            + b"\n"
        )
    for link in sorted(links):
        h.update("|".join(map(str, link)).encode() + b"\n")
    for line in sorted(schedule):
        h.update(line.encode() + b"\n")
    return h.hexdigest()


@dataclass
class _Slot:
    """A student's place before the student has a name."""

    school_class: SchoolClass
    female: bool
    birth_date: dt.date
    moved_from: SchoolClass | None = None
    moved_on: dt.date | None = None
    user: User | None = None
    taken: bool = False

    @property
    def grade(self) -> int:
        return self.school_class.grade


@dataclass
class _Family:
    children: list[_Slot]
    stem: str | None = None
    mother: User | None = None
    parents: str = ""  # "both", "mother", "father", "guardian"
    pending: bool = False
    kept_by_adult: bool = False


class _Builder:
    def __init__(self, seed: int, today: dt.date):
        # Demo data, not secrets: a seeded generator is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.today = today
        self.calendar = school_calendar(today)
        self.tz = zoneinfo.ZoneInfo(TIME_ZONE)
        y = academic_year_start(today)
        self.y = y
        self.joined = dt.datetime(y, 8, 25, 9, 0, tzinfo=self.tz)
        self.plan = DemoPlan(
            seed=seed,
            today=today,
            school=School(
                name=SCHOOL_NAME,
                short_name=SCHOOL_SHORT_NAME,
                time_zone=TIME_ZONE,
                address=SCHOOL_ADDRESS,
            ),
            year=AcademicYear(
                name=self.calendar.name,
                starts_on=self.calendar.starts_on,
                ends_on=self.calendar.ends_on,
            ),
        )
        self.fixed: dict[int, str] = {}  # id(user) → demo login
        self.stems: dict[int, str] = {}  # id(user) → masculine surname
        self.women: set[int] = set()
        self.with_contacts: set[int] = set()  # e-mail and phone

    # -- helpers --------------------------------------------------------------------

    def _date_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _person(
        self,
        *,
        female: bool,
        first: str,
        stem: str,
        father: str,
        birth_date: dt.date,
        roles: tuple[str, ...],
        contact: bool = True,
    ) -> User:
        user = User(
            last_name=surname_for(stem, female=female),
            first_name=first,
            middle_name=patronymic_from(father, female=female),
            birth_date=birth_date,
            date_joined=self.joined,
            must_change_password=False,
        )
        self.plan.users.append(user)
        self.plan.roles.extend(RoleAssignment(user=user, role=role) for role in roles)
        self.stems[id(user)] = stem
        if female:
            self.women.add(id(user))
        if contact:
            self.with_contacts.add(id(user))
        return user

    def _adult(
        self,
        *,
        female: bool,
        roles: tuple[str, ...],
        born: tuple[int, int] | dt.date,
        stem: str | None = None,
    ) -> User:
        rng = self.rng
        if not isinstance(born, dt.date):
            born = self._date_between(dt.date(born[0], 1, 1), dt.date(born[1], 12, 31))
        return self._person(
            female=female,
            first=rng.choice(WOMEN if female else MEN),
            stem=stem or rng.choice(SURNAMES),
            father=rng.choice(GRANDFATHERS),
            birth_date=born,
            roles=roles,
        )

    def _login(self, username: str, user: User) -> User:
        self.fixed[id(user)] = username
        return user

    def _working_week(self, contract: Contract, start: str, end: str, friday: str):
        for weekday in range(5):
            self.plan.working_times.append(
                WorkingTime(
                    contract=contract,
                    weekday=weekday,
                    starts_at=dt.time.fromisoformat(start),
                    ends_at=dt.time.fromisoformat(friday if weekday == 4 else end),
                )
            )

    def _contract(self, person: User, position: str, **kwargs) -> Contract:
        contract = Contract(person=person, position=position, **kwargs)
        self.plan.contracts.append(contract)
        return contract

    # -- the steps, in the order the random numbers are drawn -------------------

    def build(self) -> DemoPlan:
        self.calendar_rows()
        self.subjects()
        self.administration()
        self.classes()
        self.teachers()
        self.students()
        self.families()
        self.program()
        self.usernames()
        self.consultations()
        return self.plan

    def calendar_rows(self) -> None:
        plan = self.plan
        plan.periods = [
            StudyPeriod(
                year=plan.year,
                kind=StudyPeriod.Kind.QUARTER,
                number=n,
                starts_on=start,
                ends_on=end,
            )
            for n, (start, end) in enumerate(self.calendar.quarters, start=1)
        ]
        plan.holidays = [
            Holiday(year=plan.year, name=name, starts_on=start, ends_on=end)
            for name, start, end in self.calendar.holidays
        ]

    def subjects(self) -> None:
        self.plan.subjects = {
            name: Subject(name=name, short_name=cur.SHORT_NAMES[name])
            for name in cur.HOURS
        }

    def administration(self) -> None:
        rng = self.rng
        self.admin = self._login(
            "admin",
            self._adult(female=True, born=(1985, 1995), roles=(Role.ADMINISTRATOR,)),
        )
        self.admin.is_staff = True
        director = self._login(
            "director",
            self._adult(
                female=rng.random() < 0.7, born=(1966, 1976), roles=(Role.DIRECTOR,)
            ),
        )
        self._working_week(
            self._contract(director, "Директор"), "08:00", "17:00", "16:00"
        )
        deputies = [
            ("Заместитель директора по учебно-воспитательной работе", "deputy"),
            ("Заместитель директора по учебно-воспитательной работе", None),
            ("Заместитель директора по воспитательной работе", None),
        ]
        for position, login in deputies:
            deputy = self._adult(
                female=rng.random() < 0.8, born=(1968, 1988), roles=(Role.DEPUTY_HEAD,)
            )
            if login:
                self._login(login, deputy)
            self._working_week(
                self._contract(deputy, position), "08:00", "17:00", "15:45"
            )
        unit_head = self._login(
            "unit_head",
            self._adult(
                female=rng.random() < 0.5, born=(1975, 1992), roles=(Role.UNIT_HEAD,)
            ),
        )
        self._working_week(
            self._contract(unit_head, "Руководитель центра «Точка роста»"),
            "09:00",
            "17:30",
            "16:30",
        )
        others = [
            ("Педагог-психолог", "staff", ("08:30", "17:00", "15:45")),
            ("Социальный педагог", None, ("08:30", "17:00", "15:45")),
            ("Учитель-логопед", None, ("08:00", "14:00", "13:00")),
            ("Педагог-библиотекарь", None, ("09:00", "17:30", "16:15")),
        ]
        for position, login, hours in others:
            person = self._adult(
                female=rng.random() < 0.85, born=(1970, 1996), roles=(Role.STAFF,)
            )
            if login:
                self._login(login, person)
            self._working_week(self._contract(person, position), *hours)

    def classes(self) -> None:
        rng = self.rng
        for grade in range(1, 12):
            count = 2 if grade >= 10 else rng.choice((2, 3, 3))
            for letter in LETTERS[:count]:
                self.plan.classes.append(
                    SchoolClass(year=self.plan.year, grade=grade, letter=letter)
                )
        self.by_name = {str(c): c for c in self.plan.classes}

    def teachers(self) -> None:
        rng, plan = self.rng, self.plan
        hours: dict[int, Decimal] = defaultdict(Decimal)  # id(teacher) → taught
        order: list[tuple[User, str]] = []  # (teacher, position)

        def assign(teacher: User, subject: str, school_class: SchoolClass, h: int):
            plan.assignments.append(
                TeachingAssignment(
                    teacher=teacher,
                    subject=plan.subjects[subject],
                    school_class=school_class,
                    hours_per_week=Decimal(h),
                )
            )
            hours[id(teacher)] += h

        # The primary class teacher teaches most subjects of the own class.
        for school_class in plan.classes:
            if school_class.grade > 4:
                continue
            teacher = self._adult(
                female=rng.random() < 0.95, born=(1963, 1998), roles=(Role.TEACHER,)
            )
            school_class.class_teacher = teacher
            order.append((teacher, cur.PRIMARY_POSITION))
            for subject, h in cur.subjects_of_grade(school_class.grade):
                if subject in cur.PRIMARY_TEACHER_SUBJECTS:
                    assign(teacher, subject, school_class, h)

        # Subject teachers: a class's hours of a specialty go to one teacher (one
        # per group where the class is halved).
        bundles: dict[str, list[tuple[SchoolClass, list[tuple[str, int]]]]] = {}
        for specialty in cur.SUBJECT_SPECIALTIES:
            items = []
            for school_class in plan.classes:
                if school_class.grade not in specialty.grades:
                    continue
                lessons = [
                    (subject, h)
                    for subject, h in cur.subjects_of_grade(school_class.grade)
                    if subject in specialty.subjects
                    and not (
                        school_class.grade <= 4
                        and subject in cur.PRIMARY_TEACHER_SUBJECTS
                    )
                ]
                if lessons:
                    items.append((school_class, lessons))
            # The second groups follow all the first ones, half the hours further
            # on: the two halves of a class never fall to the same teacher.
            bundles[specialty.code] = items * 2 if specialty.grouped else items
        totals = {
            code: sum(h for _c, lessons in items for _s, h in lessons)
            for code, items in bundles.items()
        }
        staff = {
            specialty.code: max(
                2 if specialty.grouped else 1,
                round(totals[specialty.code] / TARGET_TEACHING_HOURS),
            )
            for specialty in cur.SUBJECT_SPECIALTIES
        }
        while len(order) + sum(staff.values()) < MIN_TEACHERS:
            busiest = max(staff, key=lambda code: (totals[code] / staff[code], code))
            staff[busiest] += 1

        for specialty in cur.SUBJECT_SPECIALTIES:
            items, total = bundles[specialty.code], totals[specialty.code]
            while True:
                n = staff[specialty.code]
                shares: list[list] = [[] for _ in range(n)]
                done = 0
                # Contiguous runs of classes (a teacher keeps parallel classes).
                for school_class, lessons in items:
                    h = sum(x for _s, x in lessons)
                    shares[min(n - 1, int((done + h / 2) * n / total))].append(
                        (school_class, lessons)
                    )
                    done += h
                if all(
                    sum(x for _c, ls in share for _s, x in ls) <= MAX_TEACHING_HOURS
                    for share in shares
                ):
                    break
                staff[specialty.code] += 1
            women = 0.85 if specialty.mostly_women else 0.3
            for share in shares:
                teacher = self._adult(
                    female=rng.random() < women,
                    born=(1963, 1998),
                    roles=(Role.TEACHER,),
                )
                taught = {subject for _c, ls in share for subject, _h in ls}
                order.append((teacher, specialty.position(taught)))
                for school_class, lessons in share:
                    for subject, h in lessons:
                        assign(teacher, subject, school_class, h)

        for teacher, position in order:
            taught = hours[id(teacher)]
            consult = Decimal(rng.choice(("1", "1.5", "2", "2", "3")))
            consult = min(consult, MAX_LOAD - taught)
            load = max(Decimal(MIN_LOAD), Decimal(math.ceil(taught + consult)))
            self._contract(
                teacher, position, weekly_load_hours=load, consultation_hours=consult
            )
        self.teacher_order = [teacher for teacher, _p in order]
        self._class_teachers()

    def _class_teachers(self) -> None:
        """A class teacher for each class from grade 5: someone who teaches it.
        7А gets its maths teacher — the demo login `teacher`."""
        in_class: dict[int, dict[int, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        for a in self.plan.assignments:
            in_class[id(a.school_class)][id(a.teacher)] += a.hours_per_week
        leading = {id(c.class_teacher) for c in self.plan.classes if c.class_teacher}
        rank = {id(t): n for n, t in enumerate(self.teacher_order)}
        demo_class = self.by_name["7А"]
        maths = next(
            a.teacher
            for a in self.plan.assignments
            if a.school_class is demo_class and a.subject.name == cur.ALGEBRA
        )
        demo_class.class_teacher = self._login("teacher", maths)
        leading.add(id(maths))
        not_pe = {
            id(a.teacher)
            for a in self.plan.assignments
            if a.subject.name not in (cur.PE, cur.OBZR, cur.MUSIC)
        }
        for school_class in self.plan.classes:
            if school_class.class_teacher is not None:
                continue
            teaching = in_class[id(school_class)]
            candidates = sorted(
                (t for t in self.teacher_order if id(t) not in leading),
                key=lambda t: (
                    -teaching.get(id(t), 0),
                    id(t) not in not_pe,
                    rank[id(t)],
                ),
            )
            school_class.class_teacher = candidates[0]
            leading.add(id(candidates[0]))
        # A primary teacher (a woman) whose own child is in the 6th grade: born
        # when she was 24 to 42.
        women = [
            t
            for t in self.teacher_order
            if id(t) in self.women and id(t) not in self.fixed
        ]
        self.teacher_parent = self._login(
            "teacher_parent",
            next(
                (t for t in women if self.y - 55 <= t.birth_date.year <= self.y - 37),
                women[0],
            ),
        )
        self.plan.roles.append(
            RoleAssignment(user=self.teacher_parent, role=Role.PARENT)
        )

    def students(self) -> None:
        rng = self.rng
        self.slots: list[_Slot] = []
        by_class: dict[str, list[_Slot]] = {}
        for school_class in self.plan.classes:
            g = school_class.grade
            # Grade 1 is 7 years old on 1 September, grade 11 is 17.
            first = dt.date(self.y - 7 - g, 9, 2)
            last = dt.date(self.y - 6 - g, 9, 1)
            slots = [
                _Slot(school_class, rng.random() < 0.5, self._date_between(first, last))
                for _ in range(rng.randint(*CLASS_SIZE))
            ]
            by_class[str(school_class)] = slots
            self.slots.extend(slots)
        grade_6 = [c for c in self.plan.classes if c.grade == 6]
        self.special = {
            "student": by_class["7А"][rng.randrange(len(by_class["7А"]))],
            "sibling": by_class["3Б"][rng.randrange(len(by_class["3Б"]))],
            "teacher_child": rng.choice(by_class[str(rng.choice(grade_6))]),
            "adult_kept": rng.choice(by_class["11А"]),
            "adult_not_kept": rng.choice(by_class["11Б"]),
        }
        # Two 11th graders have just turned 18 (R3: a parent's rights end on the
        # 18th birthday unless the adult student keeps the link).
        eighteen = add_years(self.today, -AGE_OF_MAJORITY)
        for key in ("adult_kept", "adult_not_kept"):
            days = dt.timedelta(days=rng.randint(5, 60))
            self.special[key].birth_date = eighteen - days
        specials = {id(s) for s in self.special.values()}
        # A few students changed class mid-year (the old enrolment is closed).
        lo = dt.date(self.y, 9, 15)
        hi = min(self.today, dt.date(self.y + 1, 5, 15))
        days = [d for d in self.calendar.study_days() if lo <= d <= hi] or [
            dt.date(self.y, 9, 2)
        ]
        movable = [
            s for s in self.slots if 2 <= s.grade <= 10 and id(s) not in specials
        ]
        for slot in rng.sample(movable, MOVERS):
            parallel = [
                c
                for c in self.plan.classes
                if c.grade == slot.grade and c is not slot.school_class
            ]
            slot.moved_from, slot.school_class = slot.school_class, rng.choice(parallel)
            slot.moved_on = rng.choice(days)

    def families(self) -> None:
        rng, sp = self.rng, self.special
        families = [
            _Family([sp["student"], sp["sibling"]], parents="both"),
            _Family(
                [sp["teacher_child"]],
                stem=self.stems[id(self.teacher_parent)],
                mother=self.teacher_parent,
                parents="both",
            ),
            _Family([sp["adult_kept"]], parents="both", kept_by_adult=True),
            _Family([sp["adult_not_kept"]], parents="both"),
        ]
        for family in families:
            for slot in family.children:
                slot.taken = True
        pools: dict[int, list[_Slot]] = defaultdict(list)
        order = list(self.slots)
        rng.shuffle(order)
        for slot in order:
            pools[slot.grade].append(slot)
        ordinary = []
        for slot in order:
            if slot.taken:
                continue
            slot.taken = True
            family = _Family([slot])
            r = rng.random()
            extra = 2 if r < 0.025 else 1 if r < 0.16 else 0
            for _ in range(extra):
                grades = [
                    g
                    for g in sorted(pools)
                    if all(abs(g - c.grade) >= 2 for c in family.children)
                    and any(not s.taken for s in pools[g])
                ]
                if not grades:
                    break
                pool = pools[rng.choice(grades)]
                while pool[-1].taken:
                    pool.pop()
                sibling = pool.pop()
                sibling.taken = True
                family.children.append(sibling)
            r = rng.random()
            family.parents = (
                "both"
                if r < 0.62
                else "mother"
                if r < 0.9
                else "father"
                if r < 0.96
                else "guardian"
            )
            ordinary.append(family)
        for family in rng.sample(
            [f for f in ordinary if f.parents == "both"], PENDING_FAMILIES
        ):
            family.pending = True
        for family in families + ordinary:
            self._name_family(family)

    def _name_family(self, family: _Family) -> None:
        rng, plan = self.rng, self.plan
        stem = family.stem or rng.choice(SURNAMES)
        father_name = rng.choice(MEN)
        used: set[str] = set()
        for slot in sorted(family.children, key=lambda s: s.birth_date):
            names = GIRLS if slot.female else BOYS
            first = rng.choice(names)
            while first in used:
                first = rng.choice(names)
            used.add(first)
            student = self._person(
                female=slot.female,
                first=first,
                stem=stem,
                father=father_name,
                birth_date=slot.birth_date,
                roles=(Role.STUDENT,),
                contact=slot.grade >= 7 and rng.random() < 0.7,
            )
            slot.user = student
            start = self.calendar.starts_on
            if slot.moved_from is not None:
                plan.enrolments.append(
                    Enrolment(
                        student=student,
                        school_class=slot.moved_from,
                        starts_on=start,
                        ends_on=slot.moved_on - dt.timedelta(days=1),
                    )
                )
                start = slot.moved_on
            plan.enrolments.append(
                Enrolment(
                    student=student, school_class=slot.school_class, starts_on=start
                )
            )
        oldest = min(s.birth_date for s in family.children)
        parents: list[tuple[User, str]] = []
        mother_born = oldest - dt.timedelta(days=rng.randint(21 * 365, 37 * 365))
        if family.parents in ("both", "mother"):
            mother = family.mother or self._adult(
                female=True, roles=(Role.PARENT,), born=mother_born, stem=stem
            )
            parents.append((mother, ParentLink.Kind.MOTHER))
        if family.parents in ("both", "father"):
            father = self._person(
                female=False,
                first=father_name,
                stem=stem,
                father=rng.choice(GRANDFATHERS),
                birth_date=mother_born - dt.timedelta(days=rng.randint(0, 6 * 365)),
                roles=(Role.PARENT,),
            )
            parents.append((father, ParentLink.Kind.FATHER))
        if family.parents == "guardian":
            grandmother = self._person(
                female=True,
                first=rng.choice(GRANDMOTHERS),
                stem=stem,
                father=rng.choice(GRANDFATHERS),
                birth_date=mother_born
                - dt.timedelta(days=rng.randint(20 * 365, 28 * 365)),
                roles=(Role.PARENT,),
            )
            parents.append((grandmother, ParentLink.Kind.GUARDIAN))
        if family.children[0] is self.special["student"]:
            self._login("parent", parents[0][0])
            self._login("student", family.children[0].user)
        for parent, kind in parents:
            pending = family.pending and kind == ParentLink.Kind.FATHER
            # Checked by the administrator before the year began.
            day, hour, minute = (
                rng.randint(20, 31),
                rng.randint(9, 16),
                rng.randint(0, 59),
            )
            verified_at = dt.datetime(self.y, 8, day, hour, minute, tzinfo=self.tz)
            for slot in family.children:
                plan.links.append(
                    ParentLink(
                        parent=parent,
                        student=slot.user,
                        kind=kind,
                        verified_at=None if pending else verified_at,
                        verified_by=None if pending else self.admin,
                        kept_by_adult_student=family.kept_by_adult
                        and kind == ParentLink.Kind.MOTHER,
                    )
                )

    def program(self) -> None:
        plan, rng = self.plan, self.rng
        parts: dict[tuple[str, int], list[ProgramPart]] = {}
        for grade in range(1, 12):
            for subject, _h in cur.subjects_of_grade(grade):
                parts[subject, grade] = [
                    ProgramPart(
                        subject=plan.subjects[subject],
                        grade=grade,
                        number=n,
                        title=title,
                    )
                    for n, title in enumerate(cur.part_titles(subject, grade), start=1)
                ]
                plan.parts.extend(parts[subject, grade])
        days = self.calendar.study_days()
        for school_class in plan.classes:
            for subject, _h in cur.subjects_of_grade(school_class.grade):
                own = parts[subject, school_class.grade]
                for n, part in enumerate(own, start=1):
                    # Parts end evenly through the year; each class a few days apart.
                    at = round(n * len(days) / len(own)) - 1
                    at = min(len(days) - 1, max(0, at - rng.randint(0, 4)))
                    plan.completions.append(
                        ProgramPartCompletion(
                            program_part=part,
                            school_class=school_class,
                            planned_on=days[at],
                        )
                    )

    def usernames(self) -> None:
        """Fixed logins for the demo accounts, «ivanova.mp» for everyone else; then
        e-mail (reserved domains) and phone."""
        rng = self.rng
        taken = {login.username for login in DEMO_LOGINS}
        for user in self.plan.users:
            login = self.fixed.get(id(user))
            if login is None:
                login = unique_username(
                    base_username(user.last_name, user.first_name, user.middle_name),
                    taken,
                )
            else:
                self.plan.logins[login] = user
            user.username = login
            if id(user) in self.with_contacts:
                user.email = f"{login.replace('_', '.')}@{rng.choice(EMAIL_DOMAINS)}"
                code, number = rng.randint(0, 99), rng.randint(0, 9_999_999)
                digits = f"{code:02d}{number:07d}"
                user.phone = (
                    f"+7 9{digits[:2]} {digits[2:5]}-{digits[5:7]}-{digits[7:]}"
                )

    def consultations(self) -> None:
        """The consultation schedule of the year (R7–R12), after everything else:
        its random draws come last, so the people stay as they were."""
        plan = self.plan
        self.plan.schedule = SchedulePlanner(
            rng=self.rng,
            today=self.today,
            tz=self.tz,
            year=plan.year,
            periods=plan.periods,
            holidays=[(h.starts_on, h.ends_on) for h in plan.holidays],
            classes=plan.classes,
            contracts=plan.contracts,
            working_times=plan.working_times,
            assignments=plan.assignments,
            parts=plan.parts,
            completions=plan.completions,
            logins=plan.logins,
        ).plan()


def build_demo_school(*, seed: int = DEFAULT_SEED, today: dt.date) -> DemoPlan:
    """Plan the demo school for the academic year containing `today`."""
    return _Builder(seed, today).build()
