"""Reads of a glossary: approved entries in Russian alphabetical order (by
letter, by search, by program part), the letters in use, the proposals."""

from umka.accounts.policies import children_of
from umka.glossary import policies
from umka.glossary.models import Entry
from umka.glossary.text import initial, sort_key, term_key


def approved(space, *, letter: str = "", query: str = "", part=None) -> list[Entry]:
    """Approved entries of `space`, alphabetical (Ё after Е): those filed under
    `letter`, matching `query` (term, other names or definition; case and ё/е
    ignored) or of a program part."""
    entries = Entry.objects.filter(
        space=space, status=Entry.Status.APPROVED
    ).select_related("program_part")
    if query and term_key(query):
        entries = entries.filter(search__contains=term_key(query))
    if part is not None:
        entries = entries.filter(program_part=part)
    found = sorted(entries, key=lambda e: sort_key(e.term))
    for e in found:
        e.initial = initial(e.term)
    if letter:
        found = [e for e in found if e.initial == letter]
    return found


def letters(space) -> list[str]:
    """The index: the letters approved terms start with, in alphabet order."""
    terms = Entry.objects.filter(space=space, status=Entry.Status.APPROVED)
    used = {initial(t) for t in terms.values_list("term", flat=True)}
    return sorted(used, key=sort_key)


def waiting(space) -> list[Entry]:
    return list(
        Entry.objects.filter(space=space, status=Entry.Status.PROPOSED)
        .select_related("author")
        .order_by("updated_at", "pk")
    )


def proposals_of(space, user) -> list[Entry]:
    """A student's (and a parent's children's) entries not yet approved or
    graded: what they wait for or must correct."""
    authors = [user.pk]
    if user.is_parent:
        authors += list(children_of(user).values_list("pk", flat=True))
    return sorted(
        policies.entries_visible_to(user)
        .filter(space=space, author__in=authors)
        .exclude(status=Entry.Status.APPROVED, mark__isnull=True)
        .select_related("author"),
        key=lambda e: sort_key(e.term),
    )
