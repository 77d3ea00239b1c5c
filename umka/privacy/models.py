"""Consent to the processing of personal data (152-ФЗ, ст. 9).

One row per consent given: whose data (`subject`), who gave it (the subject, or a
parent for a minor child), which version of the text and when. Withdrawal stamps
`withdrawn_at`; the row stays as evidence of what was consented to and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("whose data"),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    text_version = models.CharField(_("version of the text"), max_length=32)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("consent to data processing")
        verbose_name_plural = _("consents to data processing")
        ordering = ["subject", "-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_person",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.text_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
