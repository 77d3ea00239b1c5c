"""The engine takes a new kind of file without changing: a kind declares its
columns, planner, applier, who may use it and its labels, and the upload, the
check, the all-or-nothing apply, the report and the pages follow."""

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.imports import policies, registry
from umka.imports.headers import Column
from umka.imports.models import ImportJob
from umka.imports.rows import Applied, Plan, Row
from umka.imports.tests.helpers import csv_bytes, make_admin, run_import

pytestmark = pytest.mark.django_db

WRITTEN: list[str] = []


@dataclass
class WordPlan(Plan):
    words: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.words), "changed": 0, "unchanged": 0}


def plan_words(table, headers, context, progress):
    plan = WordPlan()
    for number, cells in table.rows:
        row = Row(number, cells, headers, plan.errors)
        word = str(row.raw("word") or "")
        if not word.isalpha():
            row.error("word", gettext_noop("The cell is empty."))
        else:
            plan.words.append(word)
    return plan


def apply_words(plan, context, progress):
    WRITTEN.extend(plan.words)
    return Applied()


@pytest.fixture
def words_kind(monkeypatch):
    """A kind for teachers only, registered for this test alone."""
    kind = registry.Kind(
        key="words",
        label="Words",
        list_title="Words",
        columns=(Column("word", "Слово", ("word",), "A word.", "", True),),
        plan=plan_words,
        apply=apply_words,
        may_use=lambda user: user.is_teacher,
        visible_jobs=lambda user: Q(created_by=user.pk) if user.is_teacher else None,
        refusal="Words",
        result_text=lambda summary: f"{summary.get('created')} words",
    )
    monkeypatch.setitem(registry._kinds, "words", kind)
    WRITTEN.clear()
    return kind


def test_a_new_kind_is_checked_applied_and_reported_by_the_engine(
    words_kind, django_capture_on_commit_callbacks
):
    teacher = make_person(Role.TEACHER)

    good = run_import(
        django_capture_on_commit_callbacks,
        actor=teacher,
        kind="words",
        data=csv_bytes([["Слово"], ["мама"], ["рама"]]),
    )
    bad = run_import(
        django_capture_on_commit_callbacks,
        actor=teacher,
        kind="words",
        data=csv_bytes([["Слово"], ["мыла"], ["123"]]),
    )

    assert good.status == ImportJob.Status.DONE
    assert good.result_text == "2 words"
    assert bad.status == ImportJob.Status.REJECTED
    assert [(e["row"], e["column"]) for e in bad.errors] == [(3, "Слово")]
    assert WRITTEN == ["мама", "рама"]  # all or nothing: «мыла» never written


def test_a_new_kind_gets_the_pages_and_its_own_rule(
    client, words_kind, django_capture_on_commit_callbacks
):
    teacher = make_person(Role.TEACHER)
    client.force_login(teacher)

    page = client.get(reverse("imports:upload") + "?kind=words")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:upload"),
            {"kind": "words", "file": SimpleUploadedFile("w.csv", b"word\r\nmama\r\n")},
        )
    job = ImportJob.objects.get(kind="words")

    assert page.status_code == 200
    assert 'value="words"' in page.content.decode()
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    assert client.get(response["Location"]).status_code == 200
    assert [k.key for k in policies.kinds_for(teacher)] == ["words"]
    client.force_login(make_admin())
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert (
        client.get(reverse("imports:template", args=["words", "csv"])).status_code
        == 404
    )
