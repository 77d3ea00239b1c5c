"""Progress of a running import, kept in the cache so the web process can read
what the worker writes (the file cache and Redis are shared between processes)."""

from django.core.cache import cache

_TIMEOUT = 24 * 60 * 60


def _key(job_id: int) -> str:
    return f"umka:imports:progress:{job_id}"


def progress_set(job_id: int, *, phase: str, done: int = 0, total: int = 0) -> None:
    """`phase` is "reading", "validating" or "applying"."""
    cache.set(_key(job_id), {"phase": phase, "done": done, "total": total}, _TIMEOUT)


def progress_get(job_id: int) -> dict | None:
    """{"phase", "done", "total", "percent"} or None when nothing was reported."""
    value = cache.get(_key(job_id))
    if not value:
        return None
    total = value.get("total") or 0
    value["percent"] = (
        min(100, round(100 * value.get("done", 0) / total)) if total else 0
    )
    return value


def progress_clear(job_id: int) -> None:
    cache.delete(_key(job_id))
