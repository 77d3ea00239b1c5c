"""The answer form of an assignment: what each part shows (choices, shuffled
items), reading the posted answers back, and the answers as the student gave them
(to show again after a refusal: nothing typed is lost)."""

import random
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from umka.assignments.models import Kind, Part
from umka.core.errors import DomainError


@dataclass
class PartView:
    part: Part
    #: (value, label) pairs for choices; matching's right sides; ordering's items.
    options: list = field(default_factory=list)
    lefts: list = field(default_factory=list)
    value: object = None  # the current response, to fill the form again

    @property
    def name(self) -> str:
        return f"p{self.part.pk}"


def _shuffled(items: list, seed: str) -> list:
    order = list(items)
    random.Random(seed).shuffle(order)  # noqa: S311 (presentation, not security)
    return order


def part_views(parts, student_pk, responses: dict | None = None) -> list[PartView]:
    """What the form shows; `responses` (part id → response) fills it again."""
    views = []
    for part in parts:
        view = PartView(part=part, value=(responses or {}).get(part.pk, {}))
        data = part.data or {}
        if part.kind in (Kind.SINGLE, Kind.MULTIPLE):
            view.options = [
                (i, c["text"]) for i, c in enumerate(data.get("choices", []))
            ]
        elif part.kind == Kind.MATCHING:
            chosen = view.value.get("matches", {}) if view.value else {}
            view.lefts = [
                (i, p["left"], chosen.get(str(i), ""))
                for i, p in enumerate(data.get("pairs", []))
            ]
            view.options = sorted({p["right"] for p in data.get("pairs", [])})
        elif part.kind == Kind.ORDERING:
            places = view.value.get("places", {}) if view.value else {}
            items = [
                (i, item, str(places.get(str(i), "")))
                for i, item in enumerate(data.get("items", []))
            ]
            view.options = _shuffled(items, f"{part.pk}:{student_pk}")
            view.lefts = [str(n) for n in range(1, len(items) + 1)]
        views.append(view)
    return views


def read_responses(parts, post) -> dict[int, dict]:
    """Part id → response from the posted form (refuses an ordering that does not
    give each place once)."""
    responses = {}
    for part in parts:
        name = f"p{part.pk}"
        if part.kind == Kind.SINGLE:
            responses[part.pk] = {"choice": post.get(name)}
        elif part.kind == Kind.MULTIPLE:
            responses[part.pk] = {"choices": post.getlist(name)}
        elif part.kind in (Kind.SHORT, Kind.NUMBER, Kind.TEXT):
            responses[part.pk] = {"text": post.get(name, "")}
        elif part.kind == Kind.MATCHING:
            responses[part.pk] = {
                "matches": {
                    str(i): post.get(f"{name}_m{i}", "")
                    for i in range(len(part.data.get("pairs", [])))
                }
            }
        elif part.kind == Kind.ORDERING:
            responses[part.pk] = {
                "places": {
                    str(i): post.get(f"{name}_o{i}", "")
                    for i in range(len(part.data.get("items", [])))
                }
            }
    return responses


def ordering_to_order(parts, responses: dict[int, dict]) -> dict[int, dict]:
    """Turn the places the student chose (item → place) into the order the scorer
    reads; refuse places that are missing or repeated."""
    for part in parts:
        if part.kind != Kind.ORDERING:
            continue
        places = responses.get(part.pk, {}).get("places", {})
        count = len(part.data.get("items", []))
        chosen = {}
        for item, place in places.items():
            try:
                chosen[int(item)] = int(place)
            except (TypeError, ValueError):
                continue
        if not any(chosen.values()):
            responses[part.pk] = {"order": [], "places": places}
            continue
        if sorted(chosen.values()) != list(range(1, count + 1)):
            raise DomainError(
                _("Question %(n)s: give each place from 1 to %(count)s once.")
                % {"n": part.position, "count": count},
                code="ordering",
            )
        order = [item for item, _place in sorted(chosen.items(), key=lambda p: p[1])]
        responses[part.pk] = {"order": order, "places": places}
    return responses
