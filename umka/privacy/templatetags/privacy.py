from django import template

register = template.Library()


@register.filter
def cell(row: dict, name: str):
    """One value of an exported row, lists joined."""
    value = row.get(name)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value in (None, ""):
        return "—"
    return value
