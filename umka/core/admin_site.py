"""The back office: Django's admin, opened to the school administrator.

Access follows the school's roles, not Django's staff flag and model permissions:
superusers and people with the administrator role (`User.is_school_admin`) may use
it. Signing in always happens on our own page (accounts:login), so lockout and the
audit trail of sign-ins are the same everywhere.

This module is imported while the app registry is being populated (it holds the
AdminConfig named in INSTALLED_APPS): it must not import models.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def is_school_admin(user) -> bool:
    """Active superuser or active holder of the administrator role: the back office,
    imports and other set-up work. The one home of this rule
    (`accounts.policies.can_administer_school` is this function); it reads only the
    user model's own `is_school_admin`, so the bottom of the house imports no app."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_school_admin
    )


def two_factor_verified(request) -> bool:
    """The back office needs a session verified with a second factor
    (umka.signin), unless the site runs with TWO_FACTOR_REQUIRED off (the demo)."""
    from django.conf import settings

    if not getattr(settings, "TWO_FACTOR_REQUIRED", False):
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def redirect_to_login(next_url: str, login_url: str | None = None):
    # django.contrib.auth.views imports models: not at module level here.
    from django.contrib.auth.views import redirect_to_login as redirect

    return redirect(next_url, login_url)


class UmkaAdminSite(admin.AdminSite):
    site_header = _("Umka back office")
    site_title = _("Umka back office")
    index_title = _("School administration")

    def has_permission(self, request) -> bool:
        return is_school_admin(request.user) and two_factor_verified(request)

    def admin_view(self, view, cacheable=False):
        """Anonymous → our sign-in page; signed in without the role → 404.

        Django would send both to its own login form, which for a signed-in person
        without access is a redirect loop through accounts:login.
        """
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        """No second login form: send people to accounts:login, keeping ?next=."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(
                    reverse("admin:index", current_app=self.name)
                )
            raise Http404
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, resolve_url("accounts:login"))

    def password_change(self, request, extra_context=None):
        # Our own page records the change in the audit trail.
        return HttpResponseRedirect(reverse("accounts:password_change"))


class UmkaAdminConfig(AdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS."""

    default_site = "umka.core.admin_site.UmkaAdminSite"


class SchoolAdminPermissions:
    """Model permissions come from the role: the school administrator may do it all.

    Subclasses narrow this down (a read-only trail, a single School row…).
    """

    def has_module_permission(self, request) -> bool:
        return is_school_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_school_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_school_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_school_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_school_admin(request.user)


class UmkaModelAdmin(SchoolAdminPermissions, admin.ModelAdmin):
    list_per_page = 50
    # One COUNT less on every changelist; the filtered count is still shown.
    show_full_result_count = False


class UmkaTabularInline(SchoolAdminPermissions, admin.TabularInline):
    extra = 0


class UmkaStackedInline(SchoolAdminPermissions, admin.StackedInline):
    extra = 0
