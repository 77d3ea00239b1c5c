"""The outbox of background tasks (umka.core.outbox): a task the queue could not
take when a person's change was committed waits here until the queue is back."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    #: «module:name» of the Huey task (a `school_task` in some app's tasks.py).
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    #: Not before this instant (a delayed task); empty: at once.
    eta = models.DateTimeField(_("not before"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
