"""One spelling of a topic for comparing and grouping (R9).

Grades, requests («обращения») and consultations name topics in free text; the same
topic arrives as «Линейные уравнения.», «линейные  уравнения» or «Линейные
уравнения (повторение)». `normalise_topic` gives them one key: Unicode NFC,
case-folded, «ё» as «е», punctuation and symbols replaced by spaces, spaces
collapsed. Words and numbers are kept, so «Степень с натуральным показателем» and
«Степень с целым показателем» stay apart. Every app that keys topics (grades,
requests, consultations' analysis) uses this one function, so their keys meet.

`clean_topic` is the topic as shown: one line, single spaces, at most TOPIC_MAX
characters (a program part's title fits).
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
#: Longest topic (a program part's title fits).
TOPIC_MAX = 200


def normalise_topic(text: object) -> str:
    """«  Линейные уравнения с параметром. » → «линейные уравнения с параметром»."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", value).split())


def clean_topic(text: str) -> str:
    """The topic as shown: one line, single spaces, at most TOPIC_MAX characters."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text or ""))).strip()[
        :TOPIC_MAX
    ]
