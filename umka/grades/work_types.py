"""Kinds of work and lesson topics as the journal writes them, in one spelling
(shared by the import and by grades entered by hand)."""

import re

from django.utils.translation import gettext_noop

from umka.imports.cleaning import CellError, fold, text

#: Kinds of work as journals spell them → one spelling (unknown ones stay as typed).
WORK_TYPES = {
    "контрольная работа": ("контрольная", "кр", "к р", "контр работа"),
    "самостоятельная работа": ("самостоятельная", "ср", "с р", "сам работа"),
    "проверочная работа": ("проверочная",),
    "ответ у доски": ("ответ у доски",),
    "устный ответ": ("устно", "ответ на уроке"),
    "работа на уроке": ("работа на уроке",),
    "домашняя работа": ("домашнее задание", "дз", "д з"),
    "диктант": ("диктант",),
    "сочинение": ("сочинение",),
    "изложение": ("изложение",),
    "тест": ("тестирование",),
    "лабораторная работа": ("лабораторная", "лр", "л р"),
    "практическая работа": ("практическая", "пр", "п р"),
    "зачёт": ("зачет",),
}
_WORK_TYPE_BY_NAME = {
    fold(name): canonical
    for canonical, names in WORK_TYPES.items()
    for name in (canonical, *names)
}


def work_type(value: object) -> str:
    """«Контрольная», «к/р», «КР» → «контрольная работа»; unknown kinds as typed."""
    raw = text(value)
    if len(raw) > 100:
        raise CellError(gettext_noop("Too long: at most %(max)s characters."), max=100)
    key = " ".join(re.sub(r"[^\w ]+", " ", fold(raw)).split())
    return _WORK_TYPE_BY_NAME.get(key, raw)


def topic(value: object) -> str:
    raw = text(value)
    if len(raw) > 300:
        raise CellError(gettext_noop("Too long: at most %(max)s characters."), max=300)
    return raw
