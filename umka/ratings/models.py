"""A participant's rating of one piece of help (R13): a held group consultation
session, an individual meeting, an answered request, a graded piece of work."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    """One person's score (1–5) and comment on one piece of help, given once.

    The rated thing is named by its kind («bookings.booking», see `kinds`) and id;
    `staff` is who gave the help, copied so averages need no other app's table.
    A student and a parent rate separately: each is a `rater`.
    """

    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ratings_given",
        verbose_name=_("rated by"),
    )
    #: The student the help was for (empty when a parent rates a group session).
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("student"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ratings_received",
        verbose_name=_("staff member"),
    )
    kind = models.CharField(_("kind of help"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object"))
    title = models.CharField(_("what was rated"), max_length=300)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["staff", "created_at"], name="rating_staff_created"),
            models.Index(fields=["score", "created_at"], name="rating_score_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["rater", "kind", "object_id"], name="one_rating_per_rater"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.score}"
