"""`{{ post.body|excerpt:300 }}`: a post's visible text, shortened (quotes)."""

from django import template

from umka.core import richtext

register = template.Library()


@register.filter
def excerpt(value, limit=300):
    return richtext.plain(value, limit=int(limit))
