"""The deferred-work school of `courses.tests.factories` (7А and 7Б, algebra,
teachers, students, parents, the administration) and materials in it."""

from umka.courses.tests.factories import ROLES, as_role, course_school  # noqa: F401
from umka.materials import services
from umka.materials.models import Material
from umka.materials.tests import documents


def make_material(
    school,
    *,
    title="Линейные уравнения: карточка",
    kind="page",
    audience="classes",
    classes=None,
    publish=True,
    author=None,
    data=None,
    name="Карточка.pdf",
    **values,
) -> Material:
    extra = {}
    if kind == "page":
        extra["body"] = values.pop("body", "Решаем $2x + 3 = 7$.")
    elif kind == "link":
        extra["url"] = values.pop("url", "https://example.org/uravneniya")
    else:
        extra["upload"] = documents.upload(name, data or documents.pdf())
    material = services.material_create(
        actor=author or school.teacher,
        kind=kind,
        title=title,
        audience=audience,
        classes=[school.class_7a] if classes is None else classes,
        subject=values.pop("subject", school.algebra),
        **extra,
        **values,
    )
    if publish:
        services.material_publish(actor=author or school.teacher, material=material)
    return material
