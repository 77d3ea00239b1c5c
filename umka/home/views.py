from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from umka.consultations.policies import can_open_own_consultations
from umka.consultations.schedule.selectors import schedule_tasks
from umka.core import clock
from umka.home import policies, selectors


@login_required
def home(request):
    """Each person's own page; one section per role they hold (home.policies)."""
    user = request.user
    today = clock.today()
    now = timezone.now()
    sections = policies.sections_for(user)
    context = {"today": today}
    if policies.ADMINISTRATION in sections:
        context["administration"] = selectors.administration_section(today)
        context["schedule_tasks"] = schedule_tasks(user)
    if policies.CONSULTATIONS in sections:
        context["consultations"] = selectors.consultations_section(user, now)
        context["own_consultations"] = can_open_own_consultations(user)
    context["my_requests"] = selectors.requests_section(user, now)
    context["my_bookings"] = selectors.bookings_section(user, now)
    if policies.TEACHING in sections:
        context["teaching"] = selectors.teacher_section(user, today)
    if policies.WORK in sections:
        context["work"] = selectors.work_section(user)
    if policies.FAMILY in sections:
        context["family"] = selectors.parent_section(user, today)
    if policies.STUDIES in sections:
        context["studies"] = selectors.student_section(user, today)
    return render(request, "home/home.html", context)
