"""The one HTML sanitiser of Umka: whatever rich text a person writes (a chat
message today) passes through `clean_html` before it is stored or shown.

An allow-list (nh3, the Rust ammonia library): simple formatting, lists, quotes,
code and links; everything else — scripts, styles, event handlers, images, iframes —
is removed. Links may only be http(s) or mailto and open in a new tab without
giving the opened page a handle on ours.
"""

import html
import re
from collections.abc import Callable, Iterable, Mapping

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


def clean_html(
    value: str,
    *,
    extra_tags: Iterable[str] = (),
    extra_attributes: Mapping[str, Iterable[str]] | None = None,
    allowed_classes: Mapping[str, Iterable[str]] | None = None,
    attribute_filter: Callable[[str, str, str], str | None] | None = None,
) -> str:
    """Safe HTML to store and render as is.

    The rich-text path (`umka.core.richtext`) widens the same allow-list with the
    tags Markdown produces (`extra_tags`, `extra_attributes`, `allowed_classes`)
    and vets attribute values (`attribute_filter`: the value to keep, or None);
    the links' rules stay the ones above.
    """
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    for tag, attrs in (extra_attributes or {}).items():
        attributes.setdefault(tag, set()).update(attrs)
    options = {}
    if allowed_classes:
        options["allowed_classes"] = {
            tag: set(names) for tag, names in allowed_classes.items()
        }
    if attribute_filter is not None:
        options["attribute_filter"] = attribute_filter
    cleaned = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS) | set(extra_tags),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
        **options,
    )
    return cleaned.strip()


def text_of(value: str) -> str:
    """The visible text of sanitised HTML: for length checks, previews, search."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
