import pytest

from umka.compliance.regulation import PROVED, clause_text, requirements

pytestmark = pytest.mark.requirement("R14")


def test_the_map_lists_r1_to_r14_with_their_clauses():
    found = requirements()

    assert [r.id for r in found] == [f"R{n}" for n in range(1, 15)]
    assert all(r.must for r in found)
    # Every clause R1–R13 is quoted from the act itself.
    assert all(r.text for r in found if r.id in PROVED)


def test_a_clause_is_quoted_with_its_list():
    r12 = next(r for r in requirements() if r.id == "R12")

    assert r12.text.startswith("3.8. Педагогическому работнику")
    assert r12.text.count("·") == 3


def test_the_misnumbered_list_of_forms_is_clause_3_2():
    text = "1.1. Настоящий Порядок.\n1.1. Устанавливаются виды:\n· чат;\n3.3. Другое."

    assert clause_text("3.2", text) == "1.1. Устанавливаются виды:\n· чат;"
    assert clause_text("9.9", text) == ""
