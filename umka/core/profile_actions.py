"""What a person may do with another person, shown on that person's profile
(issue 14: a teacher's page tells a family they may write a request, book an
individual consultation, and lists the teacher's consultations they attend).

Each app registers a provider in its AppConfig.ready(), so accounts imports none
of them (like audit actions and notification kinds):

    @register
    def bookings(viewer, person) -> list[ProfileAction]: ...
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProfileAction:
    label: str
    url: str
    #: Lines under the action (e.g. upcoming consultations), each (text, url).
    items: list[tuple[str, str]] = field(default_factory=list)
    code: str = ""


Provider = Callable[..., list[ProfileAction]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def actions_for(viewer, person) -> list[ProfileAction]:
    """Every registered app's actions of `viewer` towards `person` (none for
    oneself)."""
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return []
    return [action for provider in _providers for action in provider(viewer, person)]
