"""Password-reset e-mails are limited per address and per network address."""

import pytest
from django.core import mail
from django.urls import reverse

from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_password_reset_mails_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = {"accounts.password_reset": "2/h"}
    person = make_person(email="mama@example.org")
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": person.email}).status_code == 302
    response = client.post(url, {"email": "MAMA@example.org"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Слишком много попыток" in page
    assert 'value="MAMA@example.org"' in page
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="core.rate_limited").count() == 1


def test_password_reset_mails_are_limited_per_network_address(client, settings):
    settings.RATE_LIMITS = {"accounts.password_reset_ip": "1/h"}
    url = reverse("accounts:password_reset")
    assert client.post(url, {"email": "a@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 429
