"""Personal data held by imports (see umka/privacy/registry.py)."""

from umka.imports.models import ImportJob
from umka.privacy import registry

registry.declare(
    ImportJob,
    people=("created_by",),
    fields=("kind", "status", "file_name", "created_at", "finished_at"),
)
