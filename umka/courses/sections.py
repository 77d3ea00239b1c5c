"""Sections of a course space's page: each form of deferred work shows its own
(assignments now; seminar, glossary and forum next) by registering one.

    def assignments_section(request, space) -> Section | None: ...
    sections.register(assignments_section, order=10)

A section is a title and the HTML its app rendered (with its own template and
policies), or None when the person has nothing to see there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    html: SafeString


Renderer = Callable[[object, object], Section | None]
_renderers: list[tuple[int, Renderer]] = []


def register(renderer: Renderer, *, order: int = 50) -> Renderer:
    if all(r is not renderer for _, r in _renderers):
        _renderers.append((order, renderer))
        _renderers.sort(key=lambda pair: pair[0])
    return renderer


def sections_of(request, space) -> list[Section]:
    return [s for _, r in _renderers if (s := r(request, space)) is not None]
