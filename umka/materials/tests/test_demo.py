"""The demo school's learning materials: every class has materials per subject
and program part of every kind, drafts and a scheduled one, a parents-only memo
for 7А; the demo logins see what their role needs."""

import pytest
from django.urls import reverse

from umka.accounts.models import User
from umka.demo.tests.conftest import demo_school  # noqa: F401
from umka.materials import policies
from umka.materials.models import Material, MaterialClass
from umka.school.models import SchoolClass, TeachingAssignment

pytestmark = pytest.mark.django_db


def test_every_class_has_materials_per_subject_and_part(demo_school, clock):  # noqa: F811
    for school_class in SchoolClass.objects.all():
        ids = MaterialClass.objects.filter(school_class=school_class).values("material")
        materials = Material.objects.filter(pk__in=ids)
        subjects = set(
            TeachingAssignment.objects.filter(school_class=school_class).values_list(
                "subject", flat=True
            )
        )
        assert subjects <= set(materials.values_list("subject", flat=True))
        assert materials.filter(program_part__isnull=False).exists(), school_class
        assert materials.filter(purpose="process").exists()
    kinds = set(Material.objects.values_list("kind", flat=True))
    assert kinds == {"file", "page", "link", "video"}
    assert Material.objects.filter(publish_at__isnull=True).count() == 2
    assert Material.objects.filter(publish_at__gt=clock.now).count() == 1
    assert Material.objects.filter(audience="parents").count() == 1
    assert Material.objects.filter(audience="staff").count() == 1
    assert Material.objects.filter(body__contains="$$x = -").exists()


def test_demo_logins_see_what_their_role_needs(demo_school, client):  # noqa: F811
    student = User.objects.get(username="student")
    parent = User.objects.get(username="parent")
    teacher = User.objects.get(username="teacher")
    memo = Material.objects.get(audience="parents")
    assert policies.can_view(parent, memo)
    assert not policies.can_view(student, memo)
    drafts = Material.objects.filter(publish_at__isnull=True)
    assert all(policies.can_view(teacher, d) for d in drafts)
    assert not any(policies.can_view(student, d) for d in drafts)
    client.force_login(parent)
    page = client.get(reverse("materials:index")).content.decode()
    assert "Памятка родителям 7А" in page
    client.force_login(student)
    found = client.get(reverse("materials:index") + "?q=уравнения")
    assert found.status_code == 200
    assert 'class="material-row"' in found.content.decode()
