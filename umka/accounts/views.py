from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from umka.accounts import looked, policies, selectors, services, sign_in_steps
from umka.accounts.forms import LoginForm
from umka.accounts.models import User
from umka.audit.policies import can_browse_audit
from umka.audit.services import client_ip, record
from umka.core import ratelimit
from umka.core.profile_actions import actions_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # E.g. a second factor, when the person has one or their role requires it.
        step = sign_in_steps.next_step(
            self.request, form.get_user(), self.get_success_url()
        )
        return step or super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            was_forced = user.must_change_password
            if was_forced:
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            record(
                actor=user,
                action="accounts.password_changed",
                target=user,
                changes={"first_sign_in": was_forced},
                request=self.request,
            )
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # A few e-mails an hour per address and per network address: the form
        # cannot be used to flood someone's mailbox. Any address is limited alike,
        # so the refusal tells nothing about which addresses are registered.
        try:
            ratelimit.enforce(
                action="accounts.password_reset",
                who=form.cleaned_data["email"].strip().lower(),
                actor=self.request.user,
                request=self.request,
            )
            ratelimit.enforce(
                action="accounts.password_reset_ip",
                who=client_ip(self.request) or "-",
                actor=self.request.user,
                request=self.request,
            )
        except ratelimit.RateLimited as refusal:
            form.add_error(None, refusal)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # The entry names the address, not the account: the page never tells a
        # stranger whether an address is registered.
        record(
            actor=None,
            action="accounts.password_reset_requested",
            changes={"email": form.cleaned_data["email"]},
            request=self.request,
        )
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            if user.must_change_password:
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            record(
                actor=user,
                action="accounts.password_reset_done",
                target=user,
                request=self.request,
            )
        return response


@login_required
def person_detail(request, pk: int):
    """A person's profile; 404 for anyone who may not see it (R3)."""
    person = policies.access_person(
        request.user, pk, among=User.objects.prefetch_related("role_assignments")
    )
    looked.record_child_view(
        viewer=request.user, child=person, kind=looked.PROFILE, request=request
    )
    context = {
        "looks": looked.looks_for(request.user, person),
        "looks_in_trail": can_browse_audit(request.user),
        "person": person,
        "private": policies.can_see_private_details(request.user, person),
        "adult_self": person.pk == request.user.pk and policies.is_adult(person),
        **selectors.person_profile(person),
        # What the viewer may do with this person: each app registers its part.
        "profile_actions": actions_for(request.user, person),
    }
    return render(request, "accounts/person_detail.html", context)


@login_required
@require_POST
def parent_link_keep(request, pk: int):
    """An adult student keeps or ends a parent's access to their data (R3)."""
    link = policies.access_link_to_keep(request.user, pk)
    kept = request.POST.get("keep") == "1"
    services.parent_link_set_kept(
        actor=request.user, link=link, kept=kept, request=request
    )
    if kept:
        messages.success(
            request,
            _("%(parent)s keeps access to your studies.") % {"parent": link.parent},
        )
    else:
        messages.success(
            request,
            _("%(parent)s no longer has access to your studies.")
            % {"parent": link.parent},
        )
    return redirect("accounts:person", link.student_id)
