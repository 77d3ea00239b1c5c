"""Hostile text for tests: the shared script-injection payload list.

`umka/core/tests/data/xss-payloads.txt` is a copy of the project's shared
`testdata/xss-payloads.txt` (one payload a line, each calling `alert(N)` with its own
number), kept in the repository so CI needs nothing outside the checkout.
"""

from pathlib import Path

PAYLOADS_FILE = Path(__file__).resolve().parent / "data" / "xss-payloads.txt"


def xss_payloads() -> list[str]:
    return [
        line
        for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
