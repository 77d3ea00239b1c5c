"""Rate limits on new requests and replies (umka.core.ratelimit): a clear message,
what was typed kept, one audit entry, nothing written."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.requests import answering
from umka.requests.models import Request, RequestMessage
from umka.requests.tests.factories import write
from umka.requests.tests.test_views import form

pytestmark = pytest.mark.django_db


def test_new_requests_over_the_rate_are_refused_keeping_the_text(
    client, school, settings
):
    settings.RATE_LIMITS = {"requests.create": "2/h"}
    client.force_login(school.parent)
    for _ in range(2):
        assert client.post(reverse("requests:new"), form(school)).status_code == 302
    typed = form(school, text="Третий вопрос, набранный заново")
    response = client.post(reverse("requests:new"), typed)
    page = response.content.decode()
    assert "Слишком много попыток" in page
    assert "Третий вопрос, набранный заново" in page
    assert Request.objects.count() == 2
    client.post(reverse("requests:new"), typed)
    assert AuditEntry.objects.filter(action="core.rate_limited").count() == 1


def test_replies_over_the_rate_are_refused(school, settings):
    settings.RATE_LIMITS = {"requests.reply": "1/h"}
    req = write(school)
    web = RequestFactory().post("/")
    answering.request_reply(actor=school.parent, req=req, text="Первое", request=web)
    with pytest.raises(DomainError, match="Слишком много попыток"):
        answering.request_reply(
            actor=school.parent, req=req, text="Второе", request=web
        )
    assert RequestMessage.objects.filter(kind=RequestMessage.Kind.MESSAGE).count() == 1
    entry = AuditEntry.objects.get(action="core.rate_limited")
    assert entry.actor == school.parent
