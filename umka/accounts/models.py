"""People, their roles and the parent ↔ student links (R3)."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is in the school. One person may hold several roles."""

    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent / legal representative")
    TEACHER = "teacher", _("Teacher")
    DEPUTY_HEAD = "deputy_head", _("Deputy head")
    UNIT_HEAD = "unit_head", _("Head of structural unit")
    STAFF = "staff", _("Other staff")
    ADMINISTRATOR = "administrator", _("School administrator")
    DIRECTOR = "director", _("Director")


#: Roles that give help under the regulation (R3: педагогические работники,
#: заместители руководителя, иные работники).
STAFF_ROLES = frozenset(
    {Role.TEACHER, Role.DEPUTY_HEAD, Role.UNIT_HEAD, Role.STAFF, Role.DIRECTOR}
)
#: Roles that see the whole school.
ADMINISTRATION_ROLES = frozenset({Role.DEPUTY_HEAD, Role.ADMINISTRATOR, Role.DIRECTOR})


class User(AbstractUser):
    """A person: student, parent, staff member — or several of these at once.

    `first_name` is имя, `last_name` фамилия, `middle_name` отчество (optional).
    """

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"),
        default=False,
        help_text=_("Set for accounts created by an import with a one-time password."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "middle_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name", "middle_name"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        """ФИО: фамилия имя отчество."""
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    @property
    def short_name(self) -> str:
        """Фамилия И. О."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles; uses prefetched `role_assignments` when present."""
        return frozenset(a.role for a in self.role_assignments.all())

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_student(self) -> bool:
        return Role.STUDENT in self.roles

    @property
    def is_parent(self) -> bool:
        return Role.PARENT in self.roles

    @property
    def is_teacher(self) -> bool:
        return Role.TEACHER in self.roles

    @property
    def is_school_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES) or Role.ADMINISTRATOR in self.roles

    @property
    def is_administration(self) -> bool:
        """Deputy head, administrator or director: may see the whole school."""
        return self.is_superuser or bool(self.roles & ADMINISTRATION_ROLES)

    @property
    def is_school_admin(self) -> bool:
        return self.is_superuser or Role.ADMINISTRATOR in self.roles


class RoleAssignment(models.Model):
    """One role held by one person. Change only through accounts.services."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_user_role"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="role_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class ParentLink(models.Model):
    """A parent (законный представитель) ↔ student link.

    R3: it gives rights only once verified by the administrator, and only while the
    student is a minor — unless the adult student chose to keep it.
    """

    class Kind(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian")
        OTHER = "other", _("Other legal representative")

    parent = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="child_links",
        verbose_name=_("parent"),
    )
    student = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="parent_links",
        verbose_name=_("student"),
    )
    kind = models.CharField(_("kind of link"), max_length=16, choices=Kind.choices)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    kept_by_adult_student = models.BooleanField(
        _("kept by the adult student"),
        default=False,
        help_text=_(
            "The student, having turned 18, agreed that this parent keeps access."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "student"], name="unique_parent_student"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("student")), name="parent_is_not_student"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["mother", "father", "guardian", "other"]),
                name="parent_link_kind_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.student} ({self.get_kind_display()})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
