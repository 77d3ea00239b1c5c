"""The demo school planned in memory: unsaved model instances made from a seed and
a date, with no database access. `umka.demo.services` writes them.

The same seed and the same «today» always give the same plan: every random choice
comes from one `random.Random(seed)`, drawn in a fixed order.
"""

import datetime as dt
import random
import zoneinfo

from umka.accounts.models import RoleAssignment, User
from umka.accounts.usernames import base_username, unique_username
from umka.demo import curriculum as cur
from umka.demo.calendar import TIME_ZONE, academic_year_start, school_calendar
from umka.demo.families import FamilySteps
from umka.demo.logins import DEMO_LOGINS
from umka.demo.names import (
    GRANDFATHERS,
    MEN,
    SURNAMES,
    WOMEN,
    patronymic_from,
    surname_for,
)
from umka.demo.plan import DemoPlan, digest_of
from umka.demo.schedule import SchedulePlanner
from umka.demo.staff import StaffSteps
from umka.school.models import (
    AcademicYear,
    Contract,
    Holiday,
    ProgramPart,
    ProgramPartCompletion,
    School,
    SchoolClass,
    StudyPeriod,
    Subject,
    WorkingTime,
)

DEFAULT_SEED = 17
SCHOOL_NAME = (
    "Муниципальное бюджетное общеобразовательное учреждение "
    "«Средняя общеобразовательная школа № 17»"
)
SCHOOL_SHORT_NAME = "МБОУ СОШ № 17"
SCHOOL_ADDRESS = "ул. Школьная, д. 17"
# Reserved for examples (RFC 2606): demo data must never e-mail a real person.
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
LETTERS = "АБВ"

# DemoPlan, digest_of (plan.py) and TIME_ZONE (calendar.py) stay importable from
# here: demo.selectors and the schedule's test helpers read them from the builder.
__all__ = ["DEFAULT_SEED", "TIME_ZONE", "DemoPlan", "build_demo_school", "digest_of"]


class _Builder(StaffSteps, FamilySteps):
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

    def classes(self) -> None:
        rng = self.rng
        for grade in range(1, 12):
            count = 2 if grade >= 10 else rng.choice((2, 3, 3))
            for letter in LETTERS[:count]:
                self.plan.classes.append(
                    SchoolClass(year=self.plan.year, grade=grade, letter=letter)
                )
        self.by_name = {str(c): c for c in self.plan.classes}

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
