"""The teacher's queue «Проверить» (R6, R13): work waiting for a grade and a
written review, from every form of deferred work that registers a source.

    class Source:
        def waiting(self, teacher) -> Iterable[QueueItem]: ...  # constant queries
        def overseen(self) -> Iterable[QueueItem]: ...   # overdue, for the deputy
        def remind(self, now) -> int: ...      # a notice once, a working day before
        def escalate(self, now) -> int: ...    # up to a deputy once overdue
    review_queue.register(Source())

The deadline is the school's (`School.review_days` working days after the work
came in, `deadlines.review_due_from`); `tasks.remind_and_escalate` runs every
source's reminders and escalation.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.functional import Promise


@dataclass(frozen=True)
class QueueItem:
    key: str
    form: str | Promise
    space_title: str
    title: str
    student_name: str
    submitted_at: dt.datetime
    review_due_at: dt.datetime
    url: str
    late: bool = False
    escalated_to_name: str = ""

    def overdue(self, now: dt.datetime) -> bool:
        return self.review_due_at <= now


class Source(Protocol):
    def waiting(self, teacher) -> Iterable[QueueItem]: ...

    def overseen(self) -> Iterable[QueueItem]: ...

    def remind(self, now: dt.datetime) -> int: ...

    def escalate(self, now: dt.datetime) -> int: ...


_sources: list[Source] = []


def register(source: Source) -> Source:
    if all(type(s) is not type(source) for s in _sources):
        _sources.append(source)
    return source


def queue_for(teacher) -> list[QueueItem]:
    """Everything waiting for `teacher`, oldest first."""
    items = [item for source in _sources for item in source.waiting(teacher)]
    return sorted(items, key=lambda i: (i.submitted_at, i.key))


def overdue_overseen() -> list[QueueItem]:
    """Overdue reviews of the whole school (deputy heads, director), oldest first."""
    items = [item for source in _sources for item in source.overseen()]
    return sorted(items, key=lambda i: (i.review_due_at, i.key))


def remind_and_escalate(now: dt.datetime) -> dict[str, int]:
    reminded = sum(source.remind(now) for source in _sources)
    escalated = sum(source.escalate(now) for source in _sources)
    return {"reminded": reminded, "escalated": escalated}
