import pytest
from django.core import mail
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.notifications.models import EmailDelivery, Notification
from umka.notifications.services import MAX_ATTEMPTS, notify
from umka.notifications.tests.factories import KIND

pytestmark = pytest.mark.django_db

MODELS = ["notification", "emaildelivery", "notificationpreference"]


@pytest.fixture
def delivery(school, clock):
    (notice,) = notify(recipients=[make_person(Role.TEACHER)], kind=KIND, title="Т")
    return notice.email_delivery


@pytest.mark.parametrize("model", MODELS)
def test_school_administrator_reads_the_notifications(client, delivery, model):
    client.force_login(make_person(Role.ADMINISTRATOR))

    changelist = client.get(reverse(f"admin:notifications_{model}_changelist"))

    assert changelist.status_code == 200
    assert client.get(reverse(f"admin:notifications_{model}_add")).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_others_do_not_see_them_in_the_back_office(client, delivery, model):
    client.force_login(make_person(Role.TEACHER))

    response = client.get(reverse(f"admin:notifications_{model}_changelist"))

    assert response.status_code == 404


def test_nothing_can_be_changed_or_deleted(client, delivery):
    client.force_login(make_person(Role.ADMINISTRATOR))
    notice = delivery.notification
    url = reverse("admin:notifications_notification_delete", args=[notice.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=notice.pk).exists()


def test_the_administrator_sends_failed_email_again(
    client, delivery, django_capture_on_commit_callbacks
):
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailDelivery.Status.FAILED, attempts=MAX_ATTEMPTS, last_error="Boom"
    )
    client.force_login(make_person(Role.ADMINISTRATOR))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_emaildelivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert len(mail.outbox) == 1
