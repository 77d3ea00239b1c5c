"""The main menu, built from each app's policies: no role lists in templates.

Each app registers its entries from its `AppConfig.ready()`:

    menu.register(menu.Entry("grades", _("Grades"), "grades:index", order=50,
                             shown_to=policies.can_open_grades))

`shown_to(user)` is a policy of the app (cheap: roles, no queries — the menu is on
every page). The page itself still checks its own policy: the menu only spares
people links that lead to a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    order: int
    shown_to: Callable[[object], bool]


@dataclass(frozen=True)
class Link:
    key: str
    label: str | Promise
    url: str
    current: bool


_entries: dict[str, Entry] = {}


def register(entry: Entry) -> Entry:
    _entries[entry.key] = entry
    _urls.clear()
    return entry


#: Each entry's address, worked out once per script prefix and URLconf: the menu
#: is on every page, and reversing a dozen names each time cost more than its
#: policies.
_urls: dict[tuple, str | None] = {}


def _url(entry: Entry) -> str | None:
    key = (entry.url_name, get_script_prefix(), get_urlconf())
    if key not in _urls:
        try:
            _urls[key] = reverse(entry.url_name)
        except NoReverseMatch:  # an app switched off in urls.py
            _urls[key] = None
    return _urls[key]


def links_for(user, path: str = "") -> list[Link]:
    """The entries `user` may open, in order; `current` marks the one `path` is in."""
    if user is None or not user.is_authenticated:
        return []
    links = []
    for entry in sorted(_entries.values(), key=lambda e: (e.order, e.key)):
        if not entry.shown_to(user):
            continue
        url = _url(entry)
        if url is None:
            continue
        links.append(Link(entry.key, entry.label, url, False))
    # The longest matching prefix is the current section («/» only for the home page).
    best = max(
        (
            link
            for link in links
            if path == link.url or (link.url != "/" and path.startswith(link.url))
        ),
        key=lambda link: len(link.url),
        default=None,
    )
    return [Link(link.key, link.label, link.url, link is best) for link in links]


def main_menu(request):
    """Context processor: `main_menu`, the links of the signed-in person."""
    user = getattr(request, "user", None)
    return {"main_menu": links_for(user, getattr(request, "path", ""))}
