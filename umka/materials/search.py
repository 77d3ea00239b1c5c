"""Search of materials by title and by the text inside them, always inside the
searcher's own `materials_visible_to` (R2: nothing outside their rights).

- PostgreSQL: full-text search with the Russian configuration on the generated
  `document` column of `materials_materialtext` («уравнения» finds «уравнение»),
  and a trigram fallback on the title for typos (`pg_trgm`), ranked.
- SQLite (the embedded default): an FTS5 table kept by triggers; each word is
  matched by its beginning without the ending («уравнения» → «уравнени*»).

Both are created by migration 0002.
"""

import re

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from umka.materials.models import Material

#: Longest query read (a pasted paragraph is cut here).
QUERY_MAX = 200

_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    return _WORD.findall((query or "")[:QUERY_MAX].lower().replace("ё", "е"))[:12]


#: Russian endings of nouns and adjectives, longest first.
_ENDINGS = sorted(
    [
        "иями",
        "ями",
        "ами",
        "иям",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ах",
        "ях",
        "ов",
        "ев",
        "ей",
        "ом",
        "ем",
        "ой",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ые",
        "ие",
        "ую",
        "юю",
        "ам",
        "ям",
        "их",
        "ых",
        "ым",
        "им",
        "а",
        "я",
        "о",
        "е",
        "ы",
        "и",
        "у",
        "ю",
        "ь",
        "й",
    ],
    key=len,
    reverse=True,
)


def _prefix(word: str) -> str:
    # Russian changes the ending, rarely the stem: «уравнение», «уравнения»,
    # «уравнениями» share «уравнени».
    if len(word) < 4 or word.isdigit():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression of plain words (every operator of the person's
    text quoted away): all words, each by its beginning."""
    return " ".join(f'"{_prefix(w)}"*' for w in words(query))


_PG_MATCH = (
    "SELECT material_id FROM materials_materialtext"
    " WHERE document @@ websearch_to_tsquery('russian', %s)"
    # `<%` is word similarity over pg_trgm's threshold (0.6), served by the
    # trigram index: «уравнеие» finds «Уравнение».
    " OR %s <%% title"
)
_PG_RANK = (
    "SELECT ts_rank(document, websearch_to_tsquery('russian', %s))"
    " + word_similarity(%s, title) FROM materials_materialtext"
    " WHERE material_id = materials_material.id"
)
_SQLITE_MATCH = "SELECT rowid FROM materials_fts WHERE materials_fts MATCH %s"


def search(visible: QuerySet[Material], query: str) -> QuerySet[Material]:
    """The materials of `visible` that match `query`, best first (PostgreSQL) or
    newest first (SQLite); none for an empty query."""
    text = " ".join(words(query))
    if not text:
        return visible.none()
    # The SQL is fixed text; the person's words go only as parameters.
    if connection.vendor == "postgresql":
        matching = RawSQL(_PG_MATCH, [text, text])  # noqa: S611
        rank = RawSQL(_PG_RANK, [text, text], output_field=FloatField())  # noqa: S611
        return (
            visible.filter(pk__in=matching)
            .annotate(rank=rank)
            .order_by("-rank", "-publish_at", "-pk")
        )
    matching = RawSQL(_SQLITE_MATCH, [fts5_query(query)])  # noqa: S611
    return visible.filter(pk__in=matching).order_by("-publish_at", "-pk")
