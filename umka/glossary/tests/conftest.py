import pytest

from umka.courses.tests.factories import course_school


@pytest.fixture
def school(db):
    return course_school()
