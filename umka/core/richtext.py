"""The one rich-text path of Umka: what people write in deferred work (instructions,
answers, reviews, and later forum posts and glossary entries) is Markdown, turned
into HTML by markdown-it-py and cleaned by the project's one sanitiser
(`umka.core.sanitize.clean_html`) with the tags Markdown adds.

- Maths between `$…$` (inline) and `$$…$$` (display) becomes
  `<span class="math inline">` / `<div class="math block">` holding the TeX as
  text; KaTeX, served from the project (Debian's `libjs-katex`, never a CDN),
  typesets it in the browser (`static/umka/richtext.js`).
- Headings start at `<h3>` (the page has its own `<h1>`, `<h2>`).
- Raw HTML in the source is shown as text, never interpreted.
- Images: only from sources an app registered (`register_image_source`), e.g. the
  pasted images a course space serves after checking who may see them; any other
  `src` is dropped.

    from umka.core.richtext import render
    html = render(text)   # SafeString, cached by text
"""

import functools
import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from umka.core.sanitize import clean_html, text_of

#: Tags Markdown produces beyond the sanitiser's base list.
RICH_TAGS = frozenset(
    {
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "del",
        "sup",
        "sub",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
    }
)
RICH_ATTRIBUTES = {"img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
MATH_CLASSES = {"span": {"math", "inline"}, "div": {"math", "block"}}
#: The longest text a person may write in one field of deferred work.
MAX_CHARS = 20_000

_image_sources: list[re.Pattern[str]] = []


def register_image_source(pattern: str) -> None:
    """Allow `<img src>` values that fully match `pattern` (a regular expression):
    an app that stores pasted images and serves them after its own access check."""
    compiled = re.compile(pattern)
    if all(p.pattern != compiled.pattern for p in _image_sources):
        _image_sources.append(compiled)
        _render.cache_clear()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if any(p.fullmatch(value) for p in _image_sources) else None
    if attribute == "align":
        return value if value in ("left", "right", "center") else None
    return value


def _shift_headings(state) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


@functools.cache
def _parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "breaks": True})
        .enable("table")
        .enable("strikethrough")
        .use(dollarmath_plugin, allow_digits=False, double_inline=True)
    )
    md.core.ruler.push("umka_shift_headings", _shift_headings)
    return md


@functools.lru_cache(maxsize=4096)
def _render(text: str) -> str:
    return clean_html(
        _parser().render(text),
        extra_tags=RICH_TAGS,
        extra_attributes=RICH_ATTRIBUTES,
        allowed_classes=MATH_CLASSES,
        attribute_filter=_keep_attribute,
    )


def render(text: str | None) -> SafeString:
    """Safe HTML of a Markdown text (empty for none)."""
    return mark_safe(_render(text or ""))  # noqa: S308 (cleaned by nh3 above)


_BLOCK = re.compile(
    r"</?(?:p|div|li|br|hr|h\d|tr|td|th|blockquote|pre|ul|ol|table)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


def plain(text: str | None, limit: int | None = None) -> str:
    """The visible text of a Markdown text: previews, notices, spreadsheets
    (blocks become spaces, inline formatting just goes)."""
    value = text_of(_ANY_TAG.sub("", _BLOCK.sub(" ", _render(text or ""))))
    if limit is not None and len(value) > limit:
        return value[: limit - 1].rstrip() + "…"
    return value
