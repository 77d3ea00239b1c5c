"""Personal data held by the glossary (see umka/privacy/registry.py)."""

from umka.glossary.models import Entry
from umka.privacy import registry

registry.declare(
    Entry,
    people=("author", "graded_by", "escalated_to", "decided_by"),
    fields=("space", "term", "definition", "status", "mark", "review", "created_at"),
    texts={"author": ("definition", "aliases", "search")},
)
