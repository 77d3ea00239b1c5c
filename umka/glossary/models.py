"""The glossary of a course space («глоссарий», R6): students propose terms with
definitions, the teacher approves, edits or returns them with a comment, and
may grade an approved entry as a contribution with a written review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from umka.courses.models import (
    CourseSpace,
    GradedWork,
    QueuedForReview,
    SpaceImage,
)
from umka.school.models import ProgramPart


class Entry(GradedWork, QueuedForReview):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the teacher")
        RETURNED = "returned", _("Returned with a comment")
        APPROVED = "approved", _("Approved")

    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="glossary_entries",
        verbose_name=_("course space"),
    )
    term = models.CharField(_("term"), max_length=200)
    aliases = models.TextField(_("other names"), blank=True)
    definition = models.TextField(_("definition"))
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program part"),
    )
    #: Term, aliases and definition in one spelling (`text.term_key`) for search.
    search = models.TextField(_("search text"), blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="glossary_entries",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    return_comment = models.TextField(_("teacher's comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"))
    updated_at = models.DateTimeField(_("changed"))
    images = models.ManyToManyField(
        SpaceImage,
        blank=True,
        related_name="glossary_entries",
        verbose_name=_("pasted images"),
    )

    class Meta:
        verbose_name = _("glossary entry")
        verbose_name_plural = _("glossary entries")
        ordering = ["space", "term", "pk"]
        constraints = [
            *GradedWork.Meta.constraints,
            # R6: a graded entry carries a written review, and only an approved one.
            models.CheckConstraint(
                condition=Q(mark__isnull=True)
                | (Q(status="approved", graded_at__isnull=False) & ~Q(review="")),
                name="graded_entry_has_review",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_comment=""),
                name="returned_entry_has_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_due_at"], name="glossary_queue")
        ]

    def __str__(self) -> str:
        return self.term


class EntryKey(models.Model):
    """The term and each alias in one spelling: the database refuses a second
    entry of the same term or alias in a space (ignoring case and ё/е)."""

    space = models.ForeignKey(
        CourseSpace, on_delete=models.CASCADE, related_name="+", verbose_name=_("space")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="keys", verbose_name=_("entry")
    )
    key = models.CharField(_("key"), max_length=200)
    is_alias = models.BooleanField(_("other name"), default=False)

    class Meta:
        verbose_name = _("glossary key")
        verbose_name_plural = _("glossary keys")
        constraints = [
            models.UniqueConstraint(fields=["space", "key"], name="one_term_per_space")
        ]

    def __str__(self) -> str:
        return self.key
