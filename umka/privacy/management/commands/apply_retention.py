"""`manage.py apply_retention`: what the nightly task does, on demand."""

from umka.core.entry_points import SchoolCommand
from umka.privacy.retention import apply_retention


class Command(SchoolCommand):
    help = "Remove records past their retention periods (chat, request files, audit)."

    def handle(self, *args, **options):
        removed = apply_retention()
        for kind, count in sorted(removed.items()):
            self.stdout.write(f"{kind}: {count}")
