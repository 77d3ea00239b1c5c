"""The help ledger in the browser (R13): the demo `parent` follows the link on
their home page to their child `student`'s ledger and sees the help the school
gave, as the database has it (the demo's names change with the date)."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

FIRST_ENTRY = """
from umka.accounts.models import User
from umka.core import clock
from umka.ledger import selectors
student = User.objects.get(username="student")
start, end = selectors.default_period(clock.today())
entries = selectors.ledger(student, start, end)
print(f"{student.pk}|{student.full_name}|{entries[0].title if entries else ''}")
"""


@pytest.mark.requirement("R13")
def test_parent_opens_the_childs_ledger_and_sees_an_entry(site, page):
    pk, name, title = site.shell(FIRST_ENTRY).splitlines()[-1].split("|", 2)
    assert title, "the demo student has no help in the ledger's default period"

    sign_in(page, "parent", DEMO_PASSWORD)
    page.locator(f'a.ledger-link[href="/ledger/{pk}/"]').click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("#ledger-entries")).to_contain_text(title)
