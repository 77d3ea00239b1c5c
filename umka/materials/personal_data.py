"""Personal data held by materials (see umka/privacy/registry.py).

Materials are the school's teaching works: kept when their author leaves.
"""

from umka.materials.models import (
    Material,
    MaterialFile,
    MaterialOpening,
    MaterialVersion,
)
from umka.privacy import registry

registry.declare(
    MaterialFile, people=("uploaded_by",), fields=("name", "size", "uploaded_at")
)
registry.declare(Material, people=("author",), fields=("title", "kind", "created_at"))
registry.declare(
    MaterialVersion, people=("changed_by",), fields=("material", "number", "changed_at")
)
registry.declare(
    MaterialOpening,
    people=("person",),
    fields=("material", "first_at", "last_at", "times"),
)
