"""Personal data held by ratings (see umka/privacy/registry.py).

A rating is exported to the person who gave it (and the student it was for), never
to the staff member rated: staff see their ratings without names.
"""

from umka.privacy import registry
from umka.ratings.models import Rating

registry.declare(
    Rating,
    people=("rater", "student"),
    fields=("kind", "title", "score", "comment", "created_at"),
    texts={"rater": ("comment",)},
)
