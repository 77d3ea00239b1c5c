"""The regulation as code reads it (R14): the requirements map
(`regulation/requirements.md`, IDs R1–R14) and the text of each clause
(`regulation/regulation.txt`, the school's local act, in Russian)."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent / "regulation"
REQUIREMENTS = HERE / "requirements.md"
TEXT = HERE / "regulation.txt"

#: Requirements every one of which must be proved by a test (R14 is the report).
PROVED = tuple(f"R{n}" for n in range(1, 14))

#: The act numbers its list of help forms (clause 3.2) «1.1» by mistake.
_MISNUMBERED = {"3.2": "1.1. Устанавливаются"}


@dataclass(frozen=True)
class Requirement:
    id: str
    clause: str  # «3.3 / 3.9», «1.1–1.3», «—»
    says: str  # what the clause says (English summary)
    must: str  # what the software must do
    text: str  # the clause itself, in the act's words ("" for R14)


def _clause_numbers(clause: str) -> list[str]:
    """«1.1–1.3» → 1.1, 1.2, 1.3; «3.3 / 3.9» → 3.3 (the second copy repeats it)."""
    first = clause.split("/")[0].strip()
    span = re.fullmatch(r"(\d+)\.(\d+)\s*[–-]\s*\1\.(\d+)", first)
    if span:
        major, start, end = span.groups()
        return [f"{major}.{n}" for n in range(int(start), int(end) + 1)]
    return re.findall(r"\d+\.\d+", first)


def clause_text(number: str, text: str) -> str:
    """The clause's paragraph (with its «·» list), first copy, from the act."""
    start = _MISNUMBERED.get(number, f"{number}. ")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(start):
            found = [line.strip()]
            for following in lines[i + 1 :]:
                stripped = following.strip()
                if stripped.startswith("·"):
                    found.append(stripped)
                elif stripped:
                    break
            return "\n".join(found)
    return ""


@cache
def requirements() -> tuple[Requirement, ...]:
    """Every requirement of the map, in order (R1 … R14)."""
    act = TEXT.read_text(encoding="utf-8")
    found = []
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not re.fullmatch(r"R\d+", cells[0]):
            continue
        rid, clause, says, must = cells
        text = "\n".join(
            part for n in _clause_numbers(clause) if (part := clause_text(n, act))
        )
        found.append(Requirement(rid, clause, _plain(says), _plain(must), text))
    return tuple(found)


def _plain(cell: str) -> str:
    return cell.replace("**", "").replace("`", "")
