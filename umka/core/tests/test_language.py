import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_russian_whatever_the_browser_asks(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Войти" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_selects_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in" in page
    assert "Войти" not in page
