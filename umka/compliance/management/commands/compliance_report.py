"""`manage.py compliance_report [--format=text|html|json]` (R14): the compliance
report, the same as the page; exits non-zero when a requirement R1–R13 has no test."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from umka.compliance import report
from umka.core.entry_points import SchoolCommand


class Command(SchoolCommand):
    help = "Print the compliance report; fail when a requirement has no test."
    requires_system_checks = []

    def execute(self, *args, **options):
        # It reads files, never the database (nor the school's clock), so it runs
        # where none is migrated: CI right after `make test`, a clean clone.
        return BaseCommand.execute(self, *args, **options)

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["text", "html", "json"], default="text"
        )
        parser.add_argument(
            "--root",
            type=Path,
            default=None,
            help="the project whose tests are read (default: this one)",
        )
        parser.add_argument(
            "--junit",
            type=Path,
            default=None,
            help="the JUnit XML report of the last run (default: reports/junit.xml)",
        )

    def handle(self, *args, **options):
        built = report.build(options["root"], options["junit"])
        if options["format"] == "json":
            text = json.dumps(report.as_json(built), ensure_ascii=False, indent=2)
        elif options["format"] == "html":
            text = report.as_html(built)
        else:
            text = report.as_text(built)
        self.stdout.write(text)
        if built.unproved:
            raise CommandError(
                "No test proves: %s" % ", ".join(built.unproved)  # noqa: UP031
            )
