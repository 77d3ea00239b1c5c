"""The administration's reports (R13), in the browser: the director opens the
dashboard «Требует внимания», follows an overdue request to its page, and downloads
the quarter's XLSX; the file opens with openpyxl and its totals match the page."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import sign_in
from umka.demo.logins import DEMO_PASSWORD

#: The demo's overdue requests change with the date: ask the database.
OVERDUE = """
from django.utils import timezone
from umka.requests.models import Request
req = (
    Request.objects.filter(
        status__in=["new", "in_progress", "redirected"], due_at__lt=timezone.now()
    )
    .order_by("due_at", "pk")
    .first()
)
print(req.pk)
"""


@pytest.mark.requirement("R13")
def test_director_follows_an_overdue_request_and_downloads_the_quarter(site, page):
    pk = site.shell(OVERDUE).splitlines()[-1]
    assert pk.isdigit(), pk
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "director", DEMO_PASSWORD)

    page.goto("/reports/attention/")
    expect(page.get_by_role("heading", name="Требует внимания")).to_be_visible()
    page.locator(f'a[href="/requests/{pk}/"]').first.click()
    expect(page).to_have_url(f"{site.url}/requests/{pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/reports/?period=quarter")
    requests = page.locator("#section-requests")
    expect(requests.locator("svg")).to_be_visible()
    on_page = requests.locator("tfoot td").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = next(s for s in book.worksheets if "Обращения" in s.title)
    totals = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Итого")
    in_file = ["" if v is None else str(v).replace(".", ",") for v in totals]
    assert in_file == [text.strip() for text in on_page]
    assert int(on_page[1]) > 0  # the demo's quarter has requests
