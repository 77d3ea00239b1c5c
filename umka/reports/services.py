"""The monthly report to the director (R13): its settings and the sending, on the
school's clock (the day and hour are the school's wall clock)."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.audit.services import model_changes, record
from umka.core import clock
from umka.core.spreadsheets import XLSX_TYPE
from umka.notifications.emails import absolute_url
from umka.reports import audit_actions
from umka.reports.build import report_build
from umka.reports.exports import xlsx_bytes
from umka.reports.models import MonthlyReportSetting
from umka.reports.periods import previous_month


def monthly_setting() -> MonthlyReportSetting:
    setting = MonthlyReportSetting.objects.order_by("pk").first()
    return setting or MonthlyReportSetting(enabled=False)


def monthly_setting_save(
    *, actor: User, enabled: bool, day: int, hour: int, request=None
) -> MonthlyReportSetting:
    with transaction.atomic():
        setting = (
            MonthlyReportSetting.objects.select_for_update().order_by("pk").first()
        )
        if setting is None:
            setting = MonthlyReportSetting.objects.create(
                enabled=enabled, day=day, hour=hour
            )
            before = MonthlyReportSetting(enabled=False, day=day, hour=hour)
        else:
            before = MonthlyReportSetting(
                enabled=setting.enabled, day=setting.day, hour=setting.hour
            )
            setting.enabled, setting.day, setting.hour = enabled, day, hour
            setting.full_clean()
            setting.save(update_fields=["enabled", "day", "hour"])
        record(
            actor=actor,
            action=audit_actions.MONTHLY_CHANGED,
            target=setting,
            changes=model_changes(before, setting, fields=["enabled", "day", "hour"]),
            request=request,
        )
    return setting


def directors() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.DIRECTOR
        ).exclude(email="")
    )


def monthly_report_send(now: dt.datetime | None = None) -> bool:
    """Send the previous month's report once the set day and hour have come on the
    school's clock; once a month (`last_sent_for`). True when it was sent."""
    now = now or clock.now()
    local = clock.local(now)
    with transaction.atomic():
        setting = (
            MonthlyReportSetting.objects.select_for_update().order_by("pk").first()
        )
        if setting is None or not setting.enabled:
            return False
        month = previous_month(local.date())
        due = clock.at(
            local.date().replace(day=setting.day), dt.time(setting.hour), clock.zone()
        )
        if now < due or setting.last_sent_for == month.first:
            return False
        to = directors()
        if not to:
            return False
        report = report_build(month)
        message = EmailMessage(
            subject=_("Umka: the report for %(first)s – %(last)s")
            % {
                "first": month.first.strftime("%d.%m.%Y"),
                "last": month.last.strftime("%d.%m.%Y"),
            },
            body=_(
                "The report for the previous month is attached (XLSX). "
                "The same report with its charts: %(url)s"
            )
            % {
                "url": absolute_url(reverse("reports:index"))
                + "?period=month&on="
                + month.first.isoformat()
            },
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[u.email for u in to],
        )
        message.attach(
            f"umka-report-{month.first:%Y-%m}.xlsx", xlsx_bytes(report), XLSX_TYPE
        )
        setting.last_sent_for = month.first
        setting.save(update_fields=["last_sent_for"])
        record(
            actor=None,
            action=audit_actions.MONTHLY_SENT,
            target=setting,
            changes={"month": str(month.first), "to": [u.username for u in to]},
        )
        transaction.on_commit(message.send)
    return True
