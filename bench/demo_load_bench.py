"""How fast `load_demo_school` fills an empty database (the brief: well under a minute).

Runs on a throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL,
e.g. postgres://postgres@127.0.0.1:5432/umka_bench — it must exist and be empty)
with the production password hashers, and prints seconds for the plan (pure Python),
the first load, and a --reset reload:

    .venv/bin/python bench/demo_load_bench.py [--seed 17]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="umka-bench-")
    os.environ["UMKA_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{var}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from umka.core import clock
    from umka.demo.builder import DEFAULT_SEED, build_demo_school
    from umka.demo.services import demo_school_load

    seed = DEFAULT_SEED if args.seed is None else args.seed
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    started = time.perf_counter()
    plan = build_demo_school(seed=seed, today=clock.today())
    print(f"plan in memory:  {time.perf_counter() - started:6.2f} s")
    rows = sum(
        len(rows)
        for rows in (
            plan.users,
            plan.roles,
            plan.enrolments,
            plan.links,
            plan.contracts,
            plan.working_times,
            plan.assignments,
            plan.parts,
            plan.completions,
        )
    )
    print(f"rows:            {rows:6d} ({len(plan.users)} people)")

    try:
        first = demo_school_load(seed=seed)
        print(f"first load:      {first.seconds:6.2f} s")
        again = demo_school_load(seed=seed, reset=True)
        print(f"reset + reload:  {again.seconds:6.2f} s")
        assert first.digest == again.digest  # noqa: S101 (the bench's own check)
    finally:
        connection.close()
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
