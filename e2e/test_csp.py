"""Issue 15: the pages work under the Content-Security-Policy (an htmx partial
loads, a data-attribute behaviour runs) and a script injected into the page —
inline or as an on*= handler — is blocked, the browser reporting the violation."""

from playwright.sync_api import expect

from e2e.conftest import open_menu, sign_in
from umka.demo.logins import DEMO_PASSWORD

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""


def test_pages_work_under_the_policy_and_injected_scripts_are_blocked(page, site):
    page.add_init_script(LISTEN)
    sign_in(page, "parent", DEMO_PASSWORD)
    page.goto("/requests/new/")

    response = page.request.get(site.url + "/requests/new/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]

    # An htmx partial: choosing the child redraws the fields (a request, a swap).
    child = page.locator("#id_student option", has_text="7А").get_attribute("value")
    page.locator("#id_student").select_option(child)
    expect(page.locator(f'#request-fields[data-student="{child}"]')).to_have_count(1)
    assert page.evaluate("window.__violations") == []

    # Injected markup: an inline script and an event handler never run.
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__inline_ran = true";
          document.body.append(s);
          const holder = document.createElement("div");
          holder.innerHTML = '<img src="/nope.png" onerror="window.__handler_ran=1">';
          document.body.append(holder);
        }"""
    )
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__inline_ran === undefined")
    assert page.evaluate("window.__handler_ran === undefined")
    violations = page.evaluate("window.__violations")
    assert all(v.startswith("script-src") for v in violations), violations

    # A behaviour moved out of an on*= attribute into the static file still works:
    # the language switch submits itself.
    open_menu(page)
    page.locator("#lang-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_menu(page)
    page.locator("#lang-select").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
