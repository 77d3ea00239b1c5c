"""The forum's card on a course space's page (`courses.sections`)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from umka.courses import policies as spaces
from umka.courses.sections import Section
from umka.forums import policies
from umka.forums.models import Forum, Thread


def forum_section(request, space) -> Section | None:
    """Those who take part in the space's forum (not parents) see the card."""
    user = request.user
    if not (
        policies.spaces_with_forum_for(user).filter(pk=space.pk).exists()
        or spaces.oversees_spaces(user)
    ):
        return None
    forum = Forum.objects.filter(space=space).first()
    latest = (
        list(
            Thread.objects.filter(forum=forum)
            .select_related("author")
            .order_by("-pinned", "-last_post_at", "-pk")[:5]
        )
        if forum
        else []
    )
    html = render_to_string(
        "forums/_section.html",
        {"space": space, "threads": latest},
        request=request,
    )
    return Section(key="forum", title=_("Forum"), html=html)
