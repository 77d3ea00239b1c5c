"""Topics of requests: the text a person typed, and the key requests are counted by.

«Уравнения с одной переменной», «уравнения  с одной переменной.» and «Уравнения с
одной переменной!» are one topic for the teacher's analysis (R9), so every request
keeps its `topic` as typed and a `topic_key` made by `normalise_topic()` — the one
comparison form of the project, shared with the teacher's topic analysis
(`umka.grades.topics`: NFC, case-folded, «ё» as «е», punctuation and symbols as
spaces, spaces collapsed), so the keys of both apps meet.
"""

import re
import unicodedata

from umka.grades.topics import normalise_topic

__all__ = ["TOPIC_MAX", "clean_topic", "normalise_topic"]

#: Longest topic (a program part's title fits).
TOPIC_MAX = 200
_SPACES = re.compile(r"\s+")


def clean_topic(text: str) -> str:
    """The topic as shown: one line, single spaces, at most TOPIC_MAX characters."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text or ""))).strip()[
        :TOPIC_MAX
    ]
