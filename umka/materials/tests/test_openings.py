"""Who opened a material (R2, R13): recorded per person with times and a count;
a teacher sees which students and parents opened it; other students never do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.tests.factories import ParentLinkFactory, make_parent
from umka.materials import openings
from umka.materials.models import MaterialOpening
from umka.materials.tests.factories import ROLES, as_role, make_material

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("R2", "R13")
def test_openings_are_recorded_with_first_and_last_time(client, school, clock):
    material = make_material(school)
    client.force_login(school.student)
    url = reverse("materials:detail", args=[material.pk])
    client.get(url)
    first = clock.now
    clock.advance(hours=2)
    client.get(url)
    opening = MaterialOpening.objects.get(person=school.student)
    assert (opening.first_at, opening.last_at, opening.times) == (
        first,
        clock.now,
        2,
    )


def test_a_forbidden_opening_is_not_recorded(client, school):
    material = make_material(school)
    client.force_login(school.other_student)
    assert (
        client.get(reverse("materials:detail", args=[material.pk])).status_code == 404
    )
    assert not MaterialOpening.objects.exists()


@pytest.mark.requirement("R2", "R13")
def test_the_teacher_sees_which_students_and_parents_opened_it(client, school):
    material = make_material(school)
    client.force_login(school.parent)
    client.get(reverse("materials:detail", args=[material.pk]))
    client.force_login(school.teacher)
    page = client.get(reverse("materials:opened", args=[material.pk])).content.decode()
    assert f'data-person="{school.parent.pk}" class="opened"' in page
    assert f'data-person="{school.student.pk}" class="not-opened"' in page
    assert f'data-person="{school.classmate.pk}" class="not-opened"' in page
    assert f'data-person="{school.other_student.pk}"' not in page
    assert "Открыли: 1 из 3" in page


@pytest.mark.requirement("R2")
@pytest.mark.parametrize("role", ROLES)
def test_openings_page_is_not_shown_to_students_or_parents(client, school, role):
    material = make_material(school)
    response = as_role(client, school, role).get(
        reverse("materials:opened", args=[material.pk])
    )
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("teacher", "deputy", "administrator"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    if role in ("student", "parent"):
        page = as_role(client, school, role).get(
            reverse("materials:detail", args=[material.pk])
        )
        assert reverse("materials:opened", args=[material.pk]) not in (
            page.content.decode()
        )


def test_the_openings_page_takes_the_same_queries_for_a_larger_class(client, school):
    material = make_material(school)
    client.force_login(school.teacher)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("materials:opened", args=[material.pk]))
        return len(ctx)

    before = count()
    for _ in range(5):
        parent = make_parent()
        ParentLinkFactory(parent=parent, student=school.classmate)
        openings.opening_record(person=parent, material=material)
    assert count() == before


def test_counting_the_openings_of_many_materials(school):
    one, two = make_material(school), make_material(school, title="Другой")
    for person in (school.student, school.parent):
        openings.opening_record(person=person, material=one)
    openings.opening_record(person=school.student, material=one)
    counts = openings.openings_count(type(one).objects.filter(pk__in=[one.pk, two.pk]))
    assert counts == {one.pk: 2}
