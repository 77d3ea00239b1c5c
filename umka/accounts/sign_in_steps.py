"""Steps between the right password and being signed in, registered by other apps
(umka.signin adds the second factor) so accounts imports none of them.

A step is `step(request, user, next_url) -> HttpResponse | None`: a response to
send instead of signing the person in, or None to go on.
"""

from collections.abc import Callable

from django.http import HttpResponse

Step = Callable[..., HttpResponse | None]

_steps: list[Step] = []


def register(step: Step) -> Step:
    if step not in _steps:
        _steps.append(step)
    return step


def next_step(request, user, next_url: str) -> HttpResponse | None:
    """The first registered step that wants to answer instead, if any."""
    for step in _steps:
        if (response := step(request, user, next_url)) is not None:
            return response
    return None
