"""One spelling of a topic for comparing and grouping (R9).

Grades, requests («обращения») and consultations name topics in free text; the same
topic arrives as «Линейные уравнения.», «линейные  уравнения» or «Линейные
уравнения (повторение)». `normalise_topic` gives them one key: Unicode NFC,
case-folded, «ё» as «е», punctuation and symbols replaced by spaces, spaces
collapsed. Words and numbers are kept, so «Степень с натуральным показателем» and
«Степень с целым показателем» stay apart. The requests app imports it from here.
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_topic(text: object) -> str:
    """«  Линейные уравнения с параметром. » → «линейные уравнения с параметром»."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", value).split())
