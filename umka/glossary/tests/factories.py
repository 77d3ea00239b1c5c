"""Glossary entries for the tests, in «Алгебра, 7А» of the course school."""

from umka.glossary import services


def propose(school, term="Медиана", *, author=None, aliases="", definition=None):
    return services.entry_propose(
        actor=author or school.student,
        space=school.space,
        term=term,
        aliases=aliases,
        definition=definition or f"**{term}** — понятие курса алгебры.",
    )


def approved(school, term="Медиана", **kwargs):
    entry = propose(school, term, **kwargs)
    return services.entry_approve(
        actor=school.teacher, entry=entry, version=entry.version
    )


def graded(school, term="Медиана", **kwargs):
    entry = approved(school, term, **kwargs)
    return services.entry_grade(
        actor=school.teacher,
        entry=entry,
        version=entry.version,
        mark=5,
        review="Определение точное, пример удачный.",
    )
