"""The glossary's card on a course space's page (`courses.sections`)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from umka.courses.sections import Section
from umka.glossary import policies
from umka.glossary.models import Entry


def glossary_section(request, space) -> Section | None:
    user = request.user
    counts = Entry.objects.filter(space=space).aggregate(
        approved=Count("pk", filter=Q(status=Entry.Status.APPROVED)),
        waiting=Count("pk", filter=Q(status=Entry.Status.PROPOSED)),
        returned=Count("pk", filter=Q(status=Entry.Status.RETURNED, author=user.pk)),
    )
    html = render_to_string(
        "glossary/_section.html",
        {
            "space": space,
            "counts": counts,
            "may_propose": policies.can_propose(user, space),
            "sees_queue": policies.sees_queue(user, space),
        },
        request=request,
    )
    return Section(key="glossary", title=_("Glossary"), html=html)
