"""Back office for people, roles and parent links (R3).

Roles and parent links change only through umka.accounts.services, so every
grant, revoke, link, verification and removal lands in the audit trail (R13);
other edits of a person are recorded as «accounts.person_changed».
"""

import django.contrib.auth.admin  # noqa: F401 (registers Group before we drop it)
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Prefetch, Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import InlineForeignKeyField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from umka.accounts import policies, services
from umka.accounts.models import ParentLink, Role, RoleAssignment, User
from umka.accounts.usernames import base_username, taken_usernames, unique_username
from umka.audit.services import model_changes, record
from umka.core import clock
from umka.core.admin_site import UmkaModelAdmin, UmkaTabularInline
from umka.school.models import Enrolment

# What the back office edits on a person: never is_superuser, is_staff or groups.
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "username",
    "email",
    "phone",
    "birth_date",
    "is_active",
    "must_change_password",
)

# Groups and Django permissions are not used: access follows the roles.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service has just created."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def _save_person(request, person: User) -> dict:
    """Save the edited fields of a person and record what changed."""
    with transaction.atomic():
        before = User.objects.select_for_update().get(pk=person.pk)
        person.save()
        changes = model_changes(before, person, PERSON_FIELDS)
        if changes:
            record(
                actor=request.user,
                action="accounts.person_changed",
                target=person,
                changes=changes,
                request=request,
            )
    return changes


def _verify_links(request, links) -> int:
    count = 0
    with transaction.atomic():
        for link in links.filter(verified_at__isnull=True).select_related(
            "parent", "student"
        ):
            services.parent_link_verify(actor=request.user, link=link, request=request)
            count += 1
    return count


def _report_verified(modeladmin, request, count: int) -> None:
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d parent link verified.",
            "%(count)d parent links verified.",
            count,
        )
        % {"count": count},
        messages.SUCCESS if count else messages.INFO,
    )


# --- Forms ------------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PERSON_FIELDS

    def clean_username(self):
        username = self.cleaned_data["username"]
        clash = User.objects.filter(username__iexact=username)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("The login «%(username)s» is already taken."),
                params={"username": username},
            )
        return username


class PersonAddForm(PersonForm):
    """A new person gets a one-time password, shown once after saving."""

    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(PersonForm.Meta):
        fields = (
            "last_name",
            "first_name",
            "middle_name",
            "username",
            "email",
            "phone",
            "birth_date",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].required = False
        self.fields["username"].help_text = _(
            "Leave empty to make a login from the full name."
        )

    def clean_username(self):
        if not self.cleaned_data.get("username"):
            return ""
        return super().clean_username()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and cleaned.get("last_name"):
            base = base_username(
                cleaned["last_name"],
                cleaned.get("first_name", ""),
                cleaned.get("middle_name", ""),
            )
            cleaned["username"] = unique_username(base, taken_usernames(base))
            self.instance.username = cleaned["username"]
        return cleaned


class ParentLinkForm(forms.ModelForm):
    """A link's people and kind are fixed once made: to change them, remove it and
    link again. Verification cannot be taken back."""

    verify = forms.BooleanField(
        label=_("verified by the administrator"),
        required=False,
        help_text=_("Documents checked: the link gives the parent rights."),
    )

    class Meta:
        model = ParentLink
        fields = ("parent", "student", "kind", "verify", "kept_by_adult_student")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("parent", "student", "kind"):
                field = self.fields.get(name)
                # The inline's own side is already fixed by the formset.
                if field is not None and not isinstance(field, InlineForeignKeyField):
                    field.disabled = True
            self.fields["verify"].initial = self.instance.is_verified
            self.fields["verify"].disabled = self.instance.is_verified

    def clean(self):
        cleaned = super().clean()
        parent, student = cleaned.get("parent"), cleaned.get("student")
        if parent and student and parent.pk == student.pk:
            raise forms.ValidationError(_("A person cannot be their own parent."))
        return cleaned


def _save_link_form(request, form) -> None:
    """Create, verify, keep or remove one link — each through its service."""
    data = form.cleaned_data
    if not form.instance.pk:
        if data.get(DELETION_FIELD_NAME):
            return
        link = services.parent_link_create(
            actor=request.user,
            parent=data["parent"],
            student=data["student"],
            kind=data["kind"],
            verified=bool(data.get("verify")),
            request=request,
        )
        _adopt(form.instance, link)
        return
    # The form has already written the new values into its instance: the
    # services compare against the stored row.
    link = ParentLink.objects.select_related("parent", "student").get(
        pk=form.instance.pk
    )
    if data.get(DELETION_FIELD_NAME):
        services.parent_link_remove(actor=request.user, link=link, request=request)
        return
    if data.get("verify") and not link.is_verified:
        services.parent_link_verify(actor=request.user, link=link, request=request)
    kept = bool(data.get("kept_by_adult_student"))
    services.parent_link_set_kept(
        actor=request.user, link=link, kept=kept, request=request
    )
    _adopt(form.instance, link)


# --- Filters ----------------------------------------------------------------------


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(role_assignments__role=self.value())
        return queryset


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", _("Verified")), ("no", _("Waiting for verification")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


# --- People -----------------------------------------------------------------------


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("role",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A held role is revoked (delete) or kept; another one is granted anew.
            self.fields["role"].disabled = True


class RoleAssignmentInline(UmkaTabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    fields = ("role", "granted_at", "granted_by")
    readonly_fields = ("granted_at", "granted_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("granted_by")


class ParentsInline(UmkaTabularInline):
    """This person's parents (when the person is a student)."""

    model = ParentLink
    form = ParentLinkForm
    fk_name = "student"
    fields = ("parent", "kind", "verify", "kept_by_adult_student", "verified_at")
    readonly_fields = ("verified_at",)
    autocomplete_fields = ("parent",)
    verbose_name = _("parent or legal representative")
    verbose_name_plural = _("parents and legal representatives")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent", "student")


class ChildrenInline(ParentsInline):
    """This person's children (when the person is a parent)."""

    fk_name = "parent"
    fields = ("student", "kind", "verify", "kept_by_adult_student", "verified_at")
    autocomplete_fields = ("student",)
    verbose_name = _("child")
    verbose_name_plural = _("children")


@admin.register(User)
class PersonAdmin(UmkaModelAdmin):
    form = PersonForm
    add_form = PersonAddForm
    list_display = (
        "full_name",
        "username",
        "roles_display",
        "class_or_position",
        "is_active",
    )
    list_display_links = ("full_name", "username")
    list_filter = (RoleFilter, "is_active", "must_change_password")
    search_fields = (
        "last_name",
        "first_name",
        "middle_name",
        "username",
        "email",
        "phone",
    )
    ordering = ("last_name", "first_name", "middle_name", "pk")
    readonly_fields = ("last_login", "date_joined", "is_superuser")
    fieldsets = (
        (_("Full name"), {"fields": ("last_name", "first_name", "middle_name")}),
        (_("Contacts"), {"fields": ("email", "phone")}),
        (None, {"fields": ("birth_date",)}),
        (
            _("Account"),
            {
                "fields": (
                    "username",
                    "is_active",
                    "must_change_password",
                    "is_superuser",
                    "last_login",
                    "date_joined",
                )
            },
        ),
    )
    add_fieldsets = (
        (_("Full name"), {"fields": ("last_name", "first_name", "middle_name")}),
        (_("Contacts"), {"fields": ("email", "phone")}),
        (None, {"fields": ("birth_date", "username", "roles")}),
    )
    inlines = (RoleAssignmentInline, ParentsInline, ChildrenInline)
    actions = ("verify_parent_links", "deactivate", "activate")

    def get_queryset(self, request):
        today = clock.today()
        current = (
            Enrolment.objects.filter(starts_on__lte=today)
            .exclude(ends_on__lt=today)
            .select_related("school_class")
            .order_by("-starts_on")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("contract")
            .prefetch_related(
                "role_assignments",
                Prefetch("enrolments", queryset=current, to_attr="current_enrolments"),
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_inlines(self, request, obj):
        # A new person's roles are chosen on the form itself.
        return self.inlines if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        # Only a superuser edits a superuser's account.
        if obj is not None and not policies.can_edit_in_back_office(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A person leaves by being switched off; the trail keeps naming them.
        return False

    # --- columns

    @admin.display(description=_("Full name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("roles"))
    def roles_display(self, obj):
        labels = dict(Role.choices)
        return ", ".join(str(labels[a.role]) for a in obj.role_assignments.all()) or "—"

    @admin.display(description=_("class or position"))
    def class_or_position(self, obj):
        if obj.current_enrolments:
            return str(obj.current_enrolments[0].school_class)
        contract = getattr(obj, "contract", None)
        return contract.position if contract else "—"

    # --- saving

    def save_model(self, request, obj, form, change):
        if change:
            _save_person(request, obj)
            return
        person, one_time = services.user_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            last_name=obj.last_name,
            first_name=obj.first_name,
            middle_name=obj.middle_name,
            email=obj.email,
            phone=obj.phone,
            birth_date=obj.birth_date,
            roles=tuple(form.cleaned_data.get("roles") or ()),
            request=request,
        )
        _adopt(obj, person)
        if one_time:
            self.message_user(
                request,
                _(
                    "Login «%(username)s», one-time password %(password)s. Give it "
                    "to the person: it is shown only now and must be changed at "
                    "the first sign-in."
                )
                % {"username": person.username, "password": one_time},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        # Fills new_objects / deleted_objects for the admin's history message;
        # writes nothing.
        formset.save(commit=False)
        person = formset.instance
        if formset.model is RoleAssignment:
            for assignment in formset.deleted_objects:
                services.role_revoke(
                    actor=request.user,
                    user=person,
                    role=assignment.role,
                    request=request,
                )
            for assignment in formset.new_objects:
                services.role_grant(
                    actor=request.user,
                    user=person,
                    role=assignment.role,
                    request=request,
                )
        elif formset.model is ParentLink:
            for link_form in formset.forms:
                if link_form.has_changed():
                    _save_link_form(request, link_form)
        else:  # pragma: no cover - every inline is listed above
            raise TypeError(f"Unexpected inline for {formset.model.__name__}")

    # --- actions

    @admin.action(description=_("Verify the parent links of the selected people"))
    def verify_parent_links(self, request, queryset):
        ids = queryset.values("pk")
        links = ParentLink.objects.filter(Q(parent__in=ids) | Q(student__in=ids))
        _report_verified(self, request, _verify_links(request, links))

    def _set_active(self, request, queryset, active: bool) -> int:
        count = 0
        with transaction.atomic():
            for person in queryset.filter(is_active=not active).exclude(
                pk=request.user.pk
            ):
                if not self.has_change_permission(request, person):
                    continue
                person.is_active = active
                _save_person(request, person)
                count += 1
        return count

    @admin.action(description=_("Switch off the selected accounts"))
    def deactivate(self, request, queryset):
        count = self._set_active(request, queryset, active=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d account switched off.",
                "%(count)d accounts switched off.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Switch on the selected accounts"))
    def activate(self, request, queryset):
        count = self._set_active(request, queryset, active=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d account switched on.",
                "%(count)d accounts switched on.",
                count,
            )
            % {"count": count},
        )


# --- Parent links -----------------------------------------------------------------


@admin.register(ParentLink)
class ParentLinkAdmin(UmkaModelAdmin):
    form = ParentLinkForm
    list_display = (
        "parent",
        "student",
        "kind",
        "is_verified",
        "verified_at",
        "kept_by_adult_student",
        "created_at",
    )
    list_filter = (VerifiedFilter, "kind", "kept_by_adult_student")
    list_select_related = ("parent", "student")
    search_fields = (
        "parent__last_name",
        "parent__first_name",
        "parent__middle_name",
        "parent__username",
        "student__last_name",
        "student__first_name",
        "student__middle_name",
        "student__username",
    )
    autocomplete_fields = ("parent", "student")
    readonly_fields = ("verified_at", "verified_by", "created_at")
    actions = ("verify",)
    date_hierarchy = "created_at"

    def get_fields(self, request, obj=None):
        fields = ["parent", "student", "kind", "verify", "kept_by_adult_student"]
        return fields + list(self.readonly_fields) if obj else fields

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def is_verified(self, obj):
        return obj.is_verified

    def save_model(self, request, obj, form, change):
        _save_link_form(request, form)

    def delete_model(self, request, obj):
        services.parent_link_remove(actor=request.user, link=obj, request=request)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for link in queryset.select_related("parent", "student"):
                services.parent_link_remove(
                    actor=request.user, link=link, request=request
                )

    @admin.action(description=_("Verify the selected parent links"))
    def verify(self, request, queryset):
        _report_verified(self, request, _verify_links(request, queryset))
