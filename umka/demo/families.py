"""The demo school's students and families: places in the classes, movers between
classes, and the families around them — parents, guardians, links waiting for
verification, adult students who kept a parent's access (a step of
`builder._Builder`, drawing its random numbers in the builder's fixed order)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from umka.accounts.models import ParentLink, Role, User
from umka.core.dates import AGE_OF_MAJORITY, add_years
from umka.demo.names import (
    BOYS,
    GIRLS,
    GRANDFATHERS,
    GRANDMOTHERS,
    MEN,
    SURNAMES,
)
from umka.school.models import Enrolment, SchoolClass

CLASS_SIZE = (22, 28)
MOVERS = 4
PENDING_FAMILIES = 6


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


class FamilySteps:
    """The builder's steps that enrol the students and make their families (mixed
    into `builder._Builder`, whose helpers `_adult`, `_person`, `_login`,
    `_date_between` they use)."""

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
