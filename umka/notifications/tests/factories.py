import factory
from factory.django import DjangoModelFactory

from umka.accounts.tests.factories import UserFactory
from umka.notifications.models import Notification

KIND = "tests.ping"


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = KIND
    title = factory.Sequence(lambda n: f"Уведомление {n}")
    body = "Текст уведомления"
    url = "/"
