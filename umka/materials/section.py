"""The materials' section of a course space's page (`courses.sections`): what
the person may see of the space's materials, through the same policy."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from umka.core import clock
from umka.courses import policies as spaces
from umka.courses.sections import Section
from umka.materials import policies
from umka.materials.selectors import for_list


def materials_section(request, space) -> Section | None:
    user = request.user
    materials = list(
        for_list(
            policies.materials_visible_to(user)
            .filter(space=space)
            .order_by("-publish_at", "-pk")
        )[:50]
    )
    may_create = spaces.can_teach_in(user, space)
    if not materials and not may_create:
        return None
    html = render_to_string(
        "materials/_section.html",
        {
            "space": space,
            "materials": materials,
            "may_create": may_create,
            "now": clock.now(),
        },
        request=request,
    )
    return Section(key="materials", title=_("Materials"), html=html)
