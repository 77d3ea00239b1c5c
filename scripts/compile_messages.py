"""Compile every locale/*/LC_MESSAGES/django.po into .mo with Babel (pure Python).

Django's own compilemessages needs GNU gettext, which a fresh machine may lack.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po")):
        if ".venv" in po_path.parts:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        count += 1
    sys.stdout.write(f"compiled {count} message catalogues\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
