"""Reading an uploaded workbook in a child process with bounded memory and time.

`readers` refuses a workbook by its zip directory, a long cell and too many rows;
this is the last line: whatever a file does inside openpyxl, it happens in a child
process whose address space is limited (`resource.setrlimit(RLIMIT_AS)`, setting
IMPORT_READ_MEMORY_MB) and which is stopped after IMPORT_READ_SECONDS. The worker
itself never holds more than the file and the rows read, and the teacher gets a
clear message instead of a server that went down.

CSV files are read in the worker: their size is bounded by the upload limit.
IMPORT_READ_MEMORY_MB = 0 reads workbooks in the worker too (no child process).
"""

import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_noop

from umka.imports import readers
from umka.imports.readers import FileProblem, Table

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parent.parent.parent
#: The readers' limits the child applies (tests and settings may change them).
_LIMITS = (
    "MAX_ROWS",
    "MAX_LINES",
    "MAX_CELL_CHARS",
    "XLSX_MAX_UNPACKED_BYTES",
    "XLSX_MAX_RATIO",
)


def memory_limit_mb() -> int:
    return int(getattr(settings, "IMPORT_READ_MEMORY_MB", 512))


def time_limit_seconds() -> float:
    return float(getattr(settings, "IMPORT_READ_SECONDS", 120))


def _too_big() -> FileProblem:
    return FileProblem(
        gettext_noop(
            "The file needs more than %(max)s MB of memory to read: it cannot be a "
            "list to import. Save only the needed sheet as a new .xlsx or CSV file."
        ),
        {"max": memory_limit_mb()},
    )


def read_table_bounded(data: bytes, file_name: str) -> Table:
    """`readers.read_table`, with a workbook read in a bounded child process."""
    limit = memory_limit_mb()
    if not limit or not data.startswith(readers._XLSX_MAGIC):
        return readers.read_table(data, file_name)
    # Cheap, and refuses a bomb before any process starts.
    readers.check_xlsx_sizes(data)
    payload = pickle.dumps(
        {
            "data": data,
            "file_name": file_name,
            "memory_bytes": limit * 1024 * 1024,
            "limits": {name: getattr(readers, name) for name in _LIMITS},
        }
    )
    path = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), path])),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "umka.imports.bounded"],
            input=payload,
            capture_output=True,
            timeout=time_limit_seconds(),
            env=env,
            cwd=_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FileProblem(
            gettext_noop(
                "The file took longer than %(seconds)s seconds to read: it cannot "
                "be a list to import. Save only the needed sheet as a new .xlsx or "
                "CSV file."
            ),
            {"seconds": int(time_limit_seconds())},
        ) from exc
    if done.returncode != 0 or not done.stdout:
        # Killed, or Python itself could not get memory: the file's fault.
        logger.warning(
            "Reading an import file in a child failed (%s): %s",
            done.returncode,
            done.stderr[-2000:].decode(errors="replace"),
        )
        raise _too_big()
    outcome = pickle.loads(done.stdout)  # noqa: S301 — our own child's answer
    if outcome["ok"]:
        return outcome["table"]
    if outcome.get("memory"):
        raise _too_big()
    raise FileProblem(outcome["message"], outcome["params"])


def _child() -> None:
    """Runs in the child: limit the address space, read, answer on stdout."""
    import resource

    request = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 — from our parent
    resource.setrlimit(
        resource.RLIMIT_AS, (request["memory_bytes"], request["memory_bytes"])
    )
    for name, value in request["limits"].items():
        setattr(readers, name, value)
    try:
        table = readers.read_table(request["data"], request["file_name"])
        outcome = {"ok": True, "table": table}
    except FileProblem as problem:
        outcome = {"ok": False, "message": problem.message, "params": problem.params}
    except MemoryError:
        outcome = {"ok": False, "memory": True}
    sys.stdout.buffer.write(pickle.dumps(outcome))


if __name__ == "__main__":
    _child()
