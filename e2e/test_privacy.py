"""Personal data in the browser (152-ФЗ): the demo `parent` sees the consents the
demo recorded for themself and their child, withdraws the child's and gives it
again, and opens what the school holds about them."""

from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

CHILD = """
from umka.accounts.models import User
print(User.objects.get(username="student").pk)
"""


def test_parent_withdraws_and_gives_consent_and_sees_their_data(site, page):
    child = site.shell(CHILD).splitlines()[-1]
    sign_in(page, "parent", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Персональные данные"
    ).click()
    row = page.locator(f'#consents li[data-person="{child}"]')
    expect(row.locator('[data-consent="given"]')).to_be_visible()
    expect(page.get_by_text("Без согласия нельзя записаться")).to_be_visible()

    row.get_by_role("button", name="Отозвать согласие").click()
    expect(page.get_by_role("status")).to_contain_text("отозвано")
    expect(row.locator('[data-consent="missing"]')).to_be_visible()
    # Other browser tests book for this child: the consent goes back.
    row.get_by_role("button", name="Даю согласие").click()
    expect(row.locator('[data-consent="given"]')).to_be_visible()

    page.locator("#exports li").first.get_by_role("link", name="посмотреть").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Персональные данные:")
    expect(page.locator('[data-model="privacy.Consent"]').first).to_be_visible()
