"""Compile every locale/*/LC_MESSAGES/django.po into .mo with Babel (pure Python).

Django's own compilemessages needs GNU gettext, which a fresh machine may lack.
"""

import io
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
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        mo_path = po_path.with_suffix(".mo")
        # Unchanged catalogues are not rewritten: a test run reading them in
        # another process (CI's PostgreSQL pass runs beside the SQLite one) never
        # sees half a file.
        if not mo_path.exists() or mo_path.read_bytes() != compiled.getvalue():
            mo_path.write_bytes(compiled.getvalue())
        count += 1
    sys.stdout.write(f"compiled {count} message catalogues\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
