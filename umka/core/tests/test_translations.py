"""Every user-facing string has a Russian translation (the UI speaks Russian first)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/ru/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_are_russian_catalogues():
    assert len(CATALOGUES) >= 4


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(po_path):
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale="ru")
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert untranslated == []


def test_russian_is_the_default_language():
    with translation.override("ru"):
        assert gettext("Sign in") == "Войти"
    with translation.override("en"):
        assert gettext("Sign in") == "Sign in"
