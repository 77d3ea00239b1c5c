"""The version for the visually impaired: kept per browser, rendered by the server."""

import pytest
from django.urls import reverse

from umka.core.lowvision import COOKIE, LowVision


def test_the_cookie_round_trips_and_unknown_values_fall_back_to_defaults():
    chosen = LowVision(size=3, scheme="blue", images=False, letters=2, lines=1)
    assert LowVision.parse(chosen.serialise()) == chosen
    assert LowVision.parse("s9-cpink-ix-l7-hq") == LowVision(images=True)
    assert LowVision.parse("") is None
    assert LowVision.parse(None) is None


def test_one_change_at_a_time():
    lv = LowVision()
    assert lv.changed("size=3").size == 3
    assert lv.changed("scheme=wb").scheme == "wb"
    assert lv.changed("images=0").images is False
    assert lv.changed("letters=1").letters == 1
    assert lv.changed("lines=2").lines == 2
    assert lv.changed("size=12") == lv
    assert lv.changed("nonsense") == lv


@pytest.mark.django_db
def test_one_button_switches_it_on_and_every_page_carries_the_classes(client):
    response = client.post(
        reverse("low_vision"), {"change": "on", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[COOKIE]["httponly"]
    page = client.get("/accounts/login/").content.decode()
    assert 'class="lv lv-size-2 lv-scheme-bw' in page
    # The panel offers the three schemes and the way back.
    assert 'value="scheme=wb"' in page
    assert 'value="off"' in page

    client.post(reverse("low_vision"), {"change": "scheme=blue", "next": "/"})
    client.post(reverse("low_vision"), {"change": "images=0", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert "lv-scheme-blue" in page
    assert "lv-no-images" in page

    client.post(reverse("low_vision"), {"change": "off", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert "lv-scheme" not in page
    # …and the header's one button is back.
    assert 'name="change" value="on"' in page


@pytest.mark.django_db
def test_it_never_redirects_to_another_site(client):
    response = client.post(
        reverse("low_vision"), {"change": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_settings_page_works_without_javascript(client):
    page = client.get(reverse("low_vision") + "?next=/").content.decode()
    for change in ("size=3", "scheme=blue", "images=0", "letters=2", "lines=2"):
        assert f'value="{change}"' in page
