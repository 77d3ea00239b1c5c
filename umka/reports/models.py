"""The monthly report e-mailed to the director (R13)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReportSetting(models.Model):
    """One row: on which day of the month the previous month's report goes to the
    director(s), and which month it last went for."""

    enabled = models.BooleanField(_("send the monthly report"), default=True)
    day = models.PositiveSmallIntegerField(
        _("day of the month"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("The report on the previous month is sent on this day."),
    )
    hour = models.PositiveSmallIntegerField(
        _("hour, on the school's clock"),
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    last_sent_for = models.DateField(
        _("last sent for the month of"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly report")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__gte=1, day__lte=28), name="report_day_1_28"
            ),
            models.CheckConstraint(
                condition=models.Q(hour__gte=0, hour__lte=23), name="report_hour_0_23"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Monthly report on day %(day)s") % {"day": self.day})
