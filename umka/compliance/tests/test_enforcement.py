"""The RULES table names real functions and the product's real refusals."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from umka.compliance.enforcement import RULES
from umka.compliance.regulation import requirements

pytestmark = pytest.mark.requirement("R14")

ROOT = Path(__file__).resolve().parents[3]


def _catalogued() -> set[str]:
    ids = set()
    for po_path in ROOT.glob("umka/**/locale/ru/LC_MESSAGES/django.po"):
        with po_path.open("rb") as po_file:
            ids |= {m.id for m in read_po(po_file, locale="ru") if m.id}
    return ids


def test_every_requirement_names_what_enforces_it():
    assert sorted(RULES, key=lambda r: int(r[1:])) == [r.id for r in requirements()]
    assert all(RULES.values())


@pytest.mark.parametrize(
    "rule", [rule for rules in RULES.values() for rule in rules], ids=str
)
def test_every_rule_is_an_importable_function(rule):
    assert callable(import_string(rule.function))


def test_every_refusal_is_a_message_the_product_shows_in_russian():
    catalogued = _catalogued()
    messages = {rule.message for rules in RULES.values() for rule in rules}
    messages.discard("")
    assert messages - catalogued == set()
    with translation.override("ru"):
        untranslated = [m for m in messages if gettext(m) == m]  # noqa: INT001
    assert untranslated == []
