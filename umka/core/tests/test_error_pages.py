import pytest
from django.test import RequestFactory

from umka.core import views


@pytest.mark.django_db
def test_404_page_is_friendly_and_in_russian(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_500_page_renders_without_the_database():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()
    assert "Traceback" not in response.content.decode()
