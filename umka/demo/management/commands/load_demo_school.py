"""`manage.py load_demo_school`: fill an empty database with the demo school once,
then print the demo logins. See umka/demo/README.md."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from umka.core.entry_points import SchoolCommand
from umka.core.errors import DomainError
from umka.demo import services
from umka.demo.builder import DEFAULT_SEED
from umka.demo.logins import DEMO_PASSWORD
from umka.demo.selectors import demo_accounts


class Command(SchoolCommand):
    help = (
        "Fill an empty database with a deterministic demo school (grades 1–11, "
        "staff, parents, the current academic year and its consultation schedule) "
        "and print the demo logins. "
        "Does nothing if the school already has data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed and day give the same school "
            f"(default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Pretend today is this date (YYYY-MM-DD); the academic year "
            "containing it is loaded. Default: today in the school's time zone.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe people and school data and load again. Refused unless the "
            "audit trail shows the database was only ever used as a demo.",
        )

    def handle(self, *args, seed, today, reset, **options):
        try:
            result = services.demo_school_load(seed=seed, today=today, reset=reset)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if result.status == services.OTHER_DATA:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The database already holds school data that is not the "
                        "demo school; nothing was loaded."
                    )
                )
            )
            return
        if result.status == services.ALREADY_LOADED:
            self.stdout.write(
                _("The demo school is already loaded (%(year)s).")
                % {"year": result.year}
            )
            if not result.year_is_current:
                self.stdout.write(
                    self.style.WARNING(
                        _(
                            "Its academic year does not contain today; run "
                            "load_demo_school --reset to load the current one."
                        )
                    )
                )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Loaded the demo school for %(year)s in %(seconds).1f s: "
                        "%(classes)d classes, %(students)d students, %(parents)d "
                        "parents, %(teachers)d teachers, %(people)d people in all."
                    )
                    % {"year": result.year, "seconds": result.seconds, **result.counts}
                )
            )
            self.stdout.write(
                _(
                    "Consultation schedules: %(schedules)d; consultations: "
                    "%(consultations)d; sessions: %(sessions)d."
                )
                % result.counts
            )
        self.print_logins()

    def print_logins(self) -> None:
        header = (_("Role"), _("Login"), _("Password"), _("Name"), _("What to see"))
        rows = [
            (
                login.role_label,
                login.username,
                DEMO_PASSWORD,
                user.full_name,
                login.note,
            )
            for login, user in demo_accounts()
            if user is not None
        ]
        if not rows:
            return
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(4)]

        def line(cells) -> str:
            text = "  ".join(
                str(c).ljust(w) for c, w in zip(cells[:4], widths, strict=True)
            )
            return f"{text}  {cells[4]}".rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(line(header)))
        for row in rows:
            self.stdout.write(line(row))
