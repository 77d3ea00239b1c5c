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


@register.inclusion_tag("privacy/_profile_links.html", takes_context=True)
def privacy_links(context, person):
    """On a person's profile: their own data page, or the administration's page
    for them (export on request, anonymisation)."""
    from umka.privacy import policies

    user = context["request"].user
    return {
        "person": person,
        "own": user.pk == person.pk,
        "manage": person.pk != user.pk and policies.can_manage_personal_data(user),
    }
