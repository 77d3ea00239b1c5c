"""Background tasks (Huey): sending notification e-mail, finding lost ones."""

from huey import crontab
from huey.exceptions import RetryTask

from umka.core.entry_points import school_periodic_task, school_task
from umka.notifications import services


@school_task()
def deliver_email(delivery_id: int) -> None:
    """Send one e-mail of the outbox; on failure Huey runs it again at the time the
    service chose (backoff, quiet hours)."""
    try:
        services.email_delivery_send(delivery_id=delivery_id)
    except services.DeliveryDeferred as deferred:
        raise RetryTask(eta=deferred.retry_at) from deferred


@school_periodic_task(crontab(minute="*/10"))
def requeue_stale_email() -> None:
    """Every 10 minutes: queue again due e-mails whose task was lost."""
    services.email_deliveries_requeue()
