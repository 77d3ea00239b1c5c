"""Who and which class is busy when in the demo schedule, as sessions of
`umka.consultations.rules`: a slot is free when the rules find nothing against it."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from umka.accounts.models import User
from umka.consultations import rules
from umka.consultations.recurrence import week_start
from umka.demo.schedule.offers import clock_of
from umka.school.models import (
    SchoolClass,
)


class Ledger:
    """Who and which class is busy when, as sessions of `umka.consultations.rules`:
    a candidate is free when the rules find nothing against it — no clash of its
    organiser or classes, its organiser's contract kept (R7)."""

    def __init__(self, terms: rules.Terms) -> None:
        self.terms = terms
        self.people: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)
        self.classes: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)
        self.weeks: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)

    def session(
        self, person, classes, day, start, end, *, checked=True, part=None
    ) -> rules.Session:
        return rules.Session(
            dt.datetime.combine(day, clock_of(start), tzinfo=self.terms.zone),
            dt.datetime.combine(day, clock_of(end), tzinfo=self.terms.zone),
            id(person),
            tuple(id(c) for c in classes),
            checked=checked,
            part=part,
        )

    def free(
        self,
        person: User,
        classes: Sequence[SchoolClass],
        day: dt.date,
        start: int,
        end: int,
    ) -> bool:
        candidate = self.session(person, classes, day, start, end)
        nearby = [
            *self.people[id(person), day],
            *(s for c in classes for s in self.classes[id(c), day]),
        ]
        if rules.clash_findings([candidate, *nearby], self.terms):
            return False
        week = self.weeks[id(person), week_start(day)]
        return not rules.contract_findings([candidate, *week], self.terms)

    def take(self, person, classes, day, start, end) -> None:
        taken = self.session(person, classes, day, start, end, checked=False)
        self.people[id(person), day].append(taken)
        for c in classes:
            self.classes[id(c), day].append(taken)
        self.weeks[id(person), week_start(day)].append(taken)

    def release(self, person, classes, day, start, end) -> None:
        taken = self.session(person, classes, day, start, end)

        def drop(sessions: list[rules.Session]) -> None:
            sessions.remove(
                next(
                    s
                    for s in sessions
                    if (s.organiser, s.starts_at, s.ends_at)
                    == (taken.organiser, taken.starts_at, taken.ends_at)
                )
            )

        drop(self.people[id(person), day])
        for c in classes:
            drop(self.classes[id(c), day])
        drop(self.weeks[id(person), week_start(day)])
