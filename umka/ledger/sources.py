"""The help ledger's sources: each app registers a provider of the help a student
received from it, in its own `ledger_entries.py`:

    def entries(student, start, end) -> list[Entry]: ...
    sources.register(entries)

`start` and `end` are aware datetimes, [start, end). A provider runs a constant
number of queries, however many entries it returns (the ledger's query count is
pinned in tests).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    #: «Group consultation», «Individual consultation», «Request», …
    kind: str | Promise
    happened_at: dt.datetime
    title: str
    #: Who gave the help (a name), or "".
    staff: str = ""
    #: What came of it: an outcome note, an answer, a grade and review.
    detail: str = ""
    url: str = ""


Provider = Callable[[object, dt.datetime, dt.datetime], list[Entry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def entries_for(student, start: dt.datetime, end: dt.datetime) -> list[Entry]:
    """Every piece of help `student` received in [start, end), newest first."""
    found: list[Entry] = []
    for provider in _providers:
        found.extend(provider(student, start, end))
    found.sort(key=lambda entry: entry.happened_at, reverse=True)
    return found
