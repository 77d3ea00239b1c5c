"""Accessibility in the browser: axe-core over each role's main pages on a phone.

For every demo role: the home page and every page of its main menu, in the ordinary
version and in the version for the visually impaired (ГОСТ Р 52872-2019), plus the
home page in the dark theme. axe must find no violation of any impact. The run also
saves each role's home page on a 390 px phone in `e2e/artifacts/` and asserts the
phone header's height (issue «What families and staff meet first», items 4, 12–14).

The figures (pages checked, violations by impact) are printed and written to
`e2e/artifacts/accessibility.txt`.
"""

import re
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from e2e.conftest import ARTIFACTS, sign_in
from umka.demo.logins import DEMO_PASSWORD

ROLES = ["student", "parent", "teacher", "deputy", "director", "admin", "staff"]
LOW_VISION = "s3-cwb-i0-l1-h1"  # the largest text, white on black, no images
HEADER_MAX_PX = 120

axe = Axe()


def _check(page, url: str, label: str, found: list[str], impacts: Counter) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status < 400, (url, response.status)
    expect(page.locator("main")).to_be_visible()
    results = axe.run(page)
    for violation in results.response["violations"]:
        impacts[violation.get("impact") or "unknown"] += 1
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(
            f"{label} {url}: {violation['id']} ({violation['impact']}) {targets}"
        )


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_main_pages_have_no_accessibility_violation(browser, site, role):
    context = browser.new_context(
        base_url=site.url, locale="ru-RU", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    found: list[str] = []
    impacts: Counter = Counter()
    checked = 0
    try:
        sign_in(page, role, DEMO_PASSWORD)
        expect(page.locator("main")).to_be_visible()

        # The phone's first screen: a compact header, saved for people to look at.
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= HEADER_MAX_PX, (role, header)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"home-{role}-390px.png"))

        urls = ["/"] + [
            href
            for href in page.locator(".main-nav a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            if href != "/"
        ]
        for url in urls:
            _check(page, url, "ordinary", found, impacts)
            checked += 1

        page.emulate_media(color_scheme="dark")
        _check(page, "/", "dark", found, impacts)
        checked += 1
        page.emulate_media(color_scheme="light")

        context.add_cookies([{"name": "umka_lv", "value": LOW_VISION, "url": site.url}])
        for url in urls:
            _check(page, url, "low-vision", found, impacts)
            checked += 1
        assert "lv-scheme-wb" in (page.locator("html").get_attribute("class") or "")
    finally:
        context.close()

    summary = (
        f"{role}: {checked} pages checked, violations by impact: "
        f"{dict(impacts) or 'none'}"
    )
    print(summary)
    with (ARTIFACTS / "accessibility.txt").open("a", encoding="utf-8") as report:
        report.write(summary + "\n")
    assert not found, "\n".join(found)


def test_the_low_vision_version_is_one_button_away_and_remembered(page, site):
    page.goto("/schedule/")
    page.get_by_role("button", name="Версия для слабовидящих").click()
    html = page.locator("html")
    expect(html).to_have_class(re.compile(r"\blv-scheme-bw\b"))
    panel = page.get_by_role("form", name="Настройки версии для слабовидящих")
    panel.get_by_role("button", name="Очень крупный текст").click()
    expect(html).to_have_class(re.compile(r"\blv-size-3\b"))
    panel = page.get_by_role("form", name="Настройки версии для слабовидящих")
    panel.get_by_role("button", name="Белым по чёрному").click()
    expect(html).to_have_class(re.compile(r"\blv-scheme-wb\b"))
    # Remembered by this browser: another page keeps it, and the text is larger.
    page.goto("/accounts/login/")
    expect(html).to_have_class(re.compile(r"\blv-size-3\b"))
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(size.rstrip("px")) >= 24
    # The page still works in it: sign in.
    sign_in(page, "parent", DEMO_PASSWORD)
    expect(page.locator("#parent-home")).to_be_visible()
    page.get_by_role("button", name="Обычная версия").click()
    expect(html).not_to_have_class(re.compile(r"\blv\b"))
