"""The one rich-text path: Markdown → HTML cleaned by nh3, maths for KaTeX, images
only from registered sources, and no payload of the shared list survives."""

from html.parser import HTMLParser

import pytest

from umka.core import richtext
from umka.core.tests.payloads import xss_payloads

ALLOWED = richtext.RICH_TAGS | {
    "p", "br", "div", "b", "strong", "i", "em", "u", "s", "ul", "ol", "li",
    "blockquote", "code", "pre", "a",
}  # fmt: skip


class Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str):
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", xss_payloads())
def test_no_payload_survives_the_path(payload):
    for text in (payload, f"**{payload}**", f"[x]({payload})", f"$ {payload} $"):
        for tag, attrs in elements(str(richtext.render(text))):
            assert tag in ALLOWED, (text, tag)
            assert not any(name.startswith("on") for name in attrs), (text, attrs)
            for name in ("href", "src"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:"))


def test_markdown_becomes_formatting():
    html = str(richtext.render("# Тема\n\n**жирный** и *курсив*\n\n- один\n- два"))
    assert "<h3>Тема</h3>" in html
    assert "<strong>жирный</strong>" in html
    assert "<em>курсив</em>" in html
    assert "<li>один</li>" in html


def test_raw_html_is_shown_as_text():
    assert str(richtext.render("<b>x</b>")) == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


def test_maths_is_left_for_katex_as_text():
    html = str(richtext.render("Корень $x^2 < 4$ и\n\n$$\\frac{a}{b}$$"))
    assert '<span class="math inline">x^2 &lt; 4</span>' in html
    assert '<div class="math block">' in html
    assert "\\frac{a}{b}" in html


def test_prices_are_not_maths():
    assert "math" not in str(richtext.render("Цена $5 и $10"))


def test_images_only_from_registered_sources():
    key = "0b7b8c1e-1f7e-4e2a-9d4e-0a1b2c3d4e5f"
    kept = str(richtext.render(f"![схема](/courses/images/{key}/)"))
    assert f'src="/courses/images/{key}/"' in kept
    for src in ("https://evil.example/x.png", "/media/x.png", "javascript:alert(1)"):
        assert "src=" not in str(richtext.render(f"![x]({src})"))


def test_links_open_safely():
    html = str(richtext.render("[сайт](https://example.org)"))
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'target="_blank"' in html


def test_plain_text_for_notices_and_spreadsheets():
    assert richtext.plain("**Хорошо**, но *проверьте* знак") == (
        "Хорошо, но проверьте знак"
    )
    assert richtext.plain("а" * 50, limit=10) == "ааааааааа…"
