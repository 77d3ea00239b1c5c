"""The monthly report's periodic check: every hour, send it when its day has come."""

from huey import crontab

from umka.core.entry_points import school_periodic_task


@school_periodic_task(crontab(minute="5"))
def reports_monthly_send() -> None:
    from umka.reports.services import monthly_report_send

    monthly_report_send()
