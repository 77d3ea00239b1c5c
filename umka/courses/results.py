"""The results surface of deferred work (R6): every form — assignments now, the
seminar, glossary and forum next — registers a provider of its results, and the
student's page, the parents' page and the e-journal export read them all.

    def assignment_results(students, spaces) -> Iterable[Result]: ...
    results.register(assignment_results)

`students` is a queryset of users; `spaces` a queryset of course spaces or None
(every space). A provider answers in a constant number of queries, whatever the
number of results (the results page pins its query count).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from umka.core import richtext


@dataclass(frozen=True)
class Result:
    key: str  # «assignments.submission:12», unique across forms
    form: str | Promise  # «Электронное задание»
    space_id: int
    space_title: str
    subject: str
    student_id: int
    title: str
    topic: str  # the e-journal's «тема»
    url: str
    status: str  # "graded", "waiting", "returned", "missing"
    status_label: str | Promise
    grade: str = ""  # as shown: «5», «зачёт», «17 из 20 (4)»
    mark: int | None = None  # 2–5 for the e-journal
    review: str = ""  # Markdown, the written review («рецензия»)
    graded_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    late: bool = False

    @property
    def review_plain(self) -> str:
        return richtext.plain(self.review)

    @property
    def when(self) -> dt.datetime | None:
        return self.graded_at or self.submitted_at or self.due_at


Provider = Callable[[QuerySet, QuerySet | None], Iterable[Result]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def results_for(students: QuerySet, spaces: QuerySet | None = None) -> list[Result]:
    """Every form's results of `students` (in `spaces`), newest first."""
    found: list[Result] = []
    for provider in _providers:
        found.extend(provider(students, spaces))
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda r: (r.when or epoch, r.key), reverse=True)
