"""The one HTML sanitiser of Umka: whatever rich text a person writes (a chat
message today) passes through `clean_html` before it is stored or shown.

An allow-list (nh3, the Rust ammonia library): simple formatting, lists, quotes,
code and links; everything else — scripts, styles, event handlers, images, iframes —
is removed. Links may only be http(s) or mailto and open in a new tab without
giving the opened page a handle on ours.
"""

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "div",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def clean_html(value: str) -> str:
    """Safe HTML to store and render as is."""
    cleaned = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
    return cleaned.strip()


def text_of(value: str) -> str:
    """The visible text of sanitised HTML: for length checks, previews, search."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
