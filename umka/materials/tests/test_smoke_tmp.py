import pytest
from django.urls import reverse
from umka.materials.tests.factories import make_material

pytestmark = pytest.mark.django_db


def test_smoke(client, school):
    m = make_material(school)
    f = make_material(school, kind="file", title="PDF")
    client.force_login(school.student)
    r = client.get(reverse("materials:index"))
    assert r.status_code == 200, r.content
    assert "Линейные" in r.content.decode()
    r = client.get(reverse("materials:index") + "?q=уравнения")
    assert "Линейные" in r.content.decode()
    r = client.get(reverse("materials:detail", args=[f.pk]))
    assert r.status_code == 200
    r = client.get(reverse("materials:file", args=[f.pk]))
    assert r.status_code == 200
    client.force_login(school.teacher)
    for name in ("detail", "edit", "versions", "opened"):
        assert client.get(reverse(f"materials:{name}", args=[f.pk])).status_code == 200
    assert client.get(reverse("materials:new")).status_code == 200
    assert (
        client.get(reverse("courses:space", args=[school.space.pk])).status_code == 200
    )
    assert (
        client.get(
            reverse("materials:program", args=[school.class_7a.pk, school.algebra.pk])
        ).status_code
        == 200
    )
