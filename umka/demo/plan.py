"""What the demo school consists of (`DemoPlan`, unsaved model instances) and its
fingerprint (`digest_of`), which the database's copy is compared with."""

import datetime as dt
import hashlib
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from umka.accounts.models import ParentLink, RoleAssignment, User
from umka.demo.calendar import TIME_ZONE
from umka.demo.schedule import SchedulePlan, plan_lines
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
