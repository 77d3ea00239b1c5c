"""`{% load richtext %}{{ text|richtext }}`: Markdown through the one rich-text path,
and `{% richtext_assets %}`: KaTeX and the editor script a page with maths needs."""

import functools
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

from umka.core import richtext as path

register = template.Library()


@register.filter(name="richtext")
def richtext_filter(value):
    return path.render(value)


@functools.cache
def _katex_installed() -> bool:
    return Path(settings.KATEX_JS_DIR).is_dir()


@register.simple_tag
def richtext_assets():
    """KaTeX (when Debian's libjs-katex is installed: without it the TeX stays
    readable as text) and the script that typesets maths and uploads pasted images."""
    script = format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script>',
        static("umka/richtext.css"),
        static("umka/richtext.js"),
    )
    if not _katex_installed():
        return script
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script>{}',
        static("vendor/katex/katex.min.css"),
        static("vendor/katex/katex.min.js"),
        script,
    )
