from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from umka.accounts.models import STAFF_ROLES, Role
from umka.core import clock
from umka.home import selectors


@login_required
def home(request):
    """Each person's own page; one section per role they hold."""
    user = request.user
    today = clock.today()
    context = {"today": today}
    if user.is_administration:
        context["administration"] = selectors.administration_section(today)
    if user.roles or user.is_superuser:
        context["consultations"] = selectors.consultations_section(user, timezone.now())
    now = timezone.now()
    context["my_requests"] = selectors.requests_section(user, now)
    context["my_bookings"] = selectors.bookings_section(user, now)
    if user.is_teacher:
        context["teaching"] = selectors.teacher_section(user, today)
    if user.roles & (STAFF_ROLES - {Role.TEACHER}):
        context["work"] = selectors.work_section(user)
    if user.is_parent:
        context["family"] = selectors.parent_section(user, today)
    if user.is_student:
        context["studies"] = selectors.student_section(user, today)
    return render(request, "home/home.html", context)
