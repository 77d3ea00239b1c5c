"""Personal data held by course spaces (see umka/privacy/registry.py)."""

from umka.courses.models import SpaceImage, SpaceStudent, SpaceTeacher
from umka.privacy import registry

registry.declare(SpaceTeacher, people=("teacher",), fields=("space", "added_at"))
registry.declare(SpaceStudent, people=("student",), fields=("space", "added_at"))
registry.declare(
    SpaceImage, people=("uploaded_by",), fields=("space", "name", "uploaded_at")
)
