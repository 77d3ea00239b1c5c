"""`{{ assessment.scores|score:criterion }}`: the points given for a criterion."""

from django import template

register = template.Library()


@register.filter
def score(scores: dict, criterion) -> str:
    value = (scores or {}).get(str(criterion.pk))
    return "—" if value is None else str(value)
