"""The back office speaks correct Russian (issue 14): Django's phrases that put a
model's name where Russian needs another case are rephrased, and it has the site's
look."""

import pytest
from django.urls import reverse
from django.utils import translation

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_person(Role.ADMINISTRATOR))
    return client


def test_the_change_list_title_is_correct_russian(admin_client):
    with translation.override("ru"):
        page = admin_client.get(
            reverse("admin:accounts_user_changelist"), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
    assert "Выберите человек" not in page
    assert "Выберите, что изменить: человек" in page
    assert "Добавить человек" not in page


def test_the_add_page_title_is_correct_russian(admin_client):
    with translation.override("ru"):
        page = admin_client.get(
            reverse("admin:accounts_user_add"), HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
    assert "Добавить человек" not in page
    assert "Добавление: человек" in page


def test_the_back_office_has_the_sites_look(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "admin_umka/umka-admin.css" in page
    assert reverse("home") in page
