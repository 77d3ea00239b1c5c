"""The school's structure that rows are checked against, read once per file: the
classes of a year by name, the subjects by name and by short name."""

from umka.imports.cleaning import class_key, fold
from umka.school.models import SchoolClass, Subject


def classes_by_name(year) -> dict[tuple[int, str], SchoolClass]:
    """(grade, letter) → class of `year` (a Latin look-alike letter counts as its
    Cyrillic twin, as in `cleaning.class_name`); empty without a year."""
    if year is None:
        return {}
    return {
        class_key(c.grade, c.letter): c
        for c in SchoolClass.objects.filter(year=year).select_related("year")
    }


def subjects_by_name() -> dict[str, Subject]:
    """Folded name or short name → subject; a full name wins over a short one."""
    subjects = list(Subject.objects.all())
    found = {fold(s.short_name): s for s in reversed(subjects) if s.short_name}
    found.update({fold(s.name): s for s in subjects})
    return found
