"""SQLite's LIKE folds case for Latin letters only, so a search for «иванов» would miss
«Иванов». On SQLite connections we replace LIKE with a Unicode-aware version
(PostgreSQL needs nothing: Django's icontains uses UPPER there)."""

import functools
import re

from django.db.backends.signals import connection_created


@functools.lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_regex(str(pattern), escape).fullmatch(str(value)) is not None


def _install(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("like", 2, unicode_like, deterministic=True)
        raw.create_function("like", 3, unicode_like, deterministic=True)


def install() -> None:
    connection_created.connect(_install, dispatch_uid="umka_sqlite_unicode_like")
