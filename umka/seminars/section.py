"""The seminars' section of a course space's page (`courses.sections`): each
seminar with its phase, and for a student the one line of what to do now."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from umka.courses import policies as spaces
from umka.courses.sections import Section
from umka.seminars import phases, policies
from umka.seminars.models import Assessment, Work


def seminars_section(request, space) -> Section | None:
    user = request.user
    teaches = spaces.is_space_teacher(user, space) or spaces.oversees_spaces(user)
    seminars = policies.seminars_visible_to(user).filter(space=space)
    if teaches:
        seminars = seminars.annotate(
            submitted=Count("works", filter=Q(works__withdrawn_at__isnull=True)),
            graded=Count("works", filter=Q(works__status=Work.Status.GRADED)),
        )
    seminars = list(seminars.order_by("-submission_due_at", "pk"))
    may_create = spaces.can_teach_in(user, space)
    if not seminars and not may_create:
        return None
    rows = []
    if teaches:
        rows = [(s, "") for s in seminars]
    else:
        works = {
            w.seminar_id: w
            for w in Work.objects.filter(seminar__in=seminars, author=user)
        }
        load = {
            row["work__seminar"]: row
            for row in Assessment.objects.filter(
                work__seminar__in=seminars,
                reviewer=user,
                work__withdrawn_at__isnull=True,
            )
            .values("work__seminar")
            .annotate(
                given=Count("pk"), done=Count("pk", filter=Q(assessed_at__isnull=False))
            )
        }
        for s in seminars:
            mine = load.get(s.pk, {})
            todo = (
                phases.student_todo(
                    s, works.get(s.pk), mine.get("given", 0), mine.get("done", 0)
                )
                if user.is_student
                else ""
            )
            rows.append((s, todo))
    html = render_to_string(
        "seminars/_section.html",
        {"space": space, "rows": rows, "teaches": teaches, "may_create": may_create},
        request=request,
    )
    return Section(key="seminars", title=_("Seminars"), html=html)
