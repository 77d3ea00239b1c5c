"""Where a person is signed in: one row per session, for «my sessions»."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedInSession(models.Model):
    """A session of a signed-in person: browser, address, last seen.

    Written at sign-in and by `SessionActivityMiddleware` at most once a minute;
    deleted at sign-out or when the person ends it. The session itself lives in
    Django's session store under the same key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("person"),
    )
    session_key = models.CharField(_("session key"), max_length=64, unique=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen", "-pk"]
        indexes = [models.Index(fields=["user", "-last_seen"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.user_agent[:40]}"
