"""The «График консультаций» as a PDF for the information stand (R8).

The PDF's text is read back with a small reader of what reportlab writes (Flate /
ASCII85 streams, ToUnicode maps of the embedded DejaVu subsets), so the test needs
no PDF library."""

import base64
import datetime as dt
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from umka.consultations.models import Consultation
from umka.consultations.planning import services as planning_services
from umka.consultations.publication import selectors as publication
from umka.consultations.publication.tests.test_public import (
    make_school,
    plan,
    publish,
    published_in_bulk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return make_school()


_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STRING = rb"\((?:\\[0-7]{1,3}|\\.|[^\\()])*\)"
_TEXT = re.compile(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|(" + _STRING + rb")\s*Tj", re.S)
_ESCAPES = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    raw = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0].strip()
    if b"ASCII85Decode" in head:
        raw = base64.a85decode(raw, adobe=True)
    if b"FlateDecode" in head:
        raw = zlib.decompress(raw)
    return raw


def _unescape(literal: bytes) -> bytes:
    out, i, body = bytearray(), 0, literal[1:-1]
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8) & 0xFF)
            i += 1 + len(octal.group())
        else:
            following = body[i + 1 : i + 2]
            out.append(_ESCAPES.get(following, following[0]))
            i += 2
    return bytes(out)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in order (enough for what reportlab produces)."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    cmaps = {}
    for body in objects.values():
        name = re.search(rb"/Name /(F\d+\+\d+)", body)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if name and to_unicode:
            cmap = _stream(objects[int(to_unicode.group(1))])
            cmaps[name.group(1)] = {
                int(code, 16): chr(int(char, 16))
                for code, char in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)
            }
    kids = re.search(rb"/Kids \[([^\]]*)\]", data).group(1)
    pages = []
    for page in re.findall(rb"(\d+) 0 R", kids):
        content = _stream(
            objects[int(re.search(rb"/Contents (\d+) 0 R", objects[int(page)])[1])]
        )
        font, text = b"", []
        for match in _TEXT.finditer(content):
            if match.group(1):
                font = match.group(1)
                continue
            cmap = cmaps.get(font, {})
            text.append("".join(cmap.get(b, chr(b)) for b in _unescape(match[2])))
        pages.append("\n".join(text))
    return pages


@pytest.mark.requirement("R8")
def test_pdf_of_the_published_schedule_has_the_title_and_the_rows(client, school):
    plan(school, how_to_join="Кабинет 214")
    publish(school)

    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    pages = pdf_pages(response.content)
    assert len(pages) >= 1
    text = pages[0]
    assert "График консультаций" in text
    with translation.override("ru"):
        assert translation.gettext("APPROVED") in text  # «УТВЕРЖДАЮ»
    assert publication.initials_and_surname(school.director) in text
    assert "45-о" in text
    for value in ("Кондратьева Оксана", "Алгебра", "7А", "15:00–15:45", "Кабинет 214"):
        assert value in text


@pytest.mark.requirement("R8")
def test_pdf_of_300_rows_runs_over_pages_repeating_the_header_row(client, school):
    schedule = published_in_bulk(school, consultations=300, weeks=1)

    response = client.get(reverse("schedule:pdf", args=[schedule.pk]))

    assert response.status_code == 200
    assert len(response.content) > 20_000
    pages = pdf_pages(response.content)
    assert len(pages) > 1
    header = str(publication.COLUMNS[1])  # «ФИО педагога»
    assert all(header in page for page in pages)
    last_rows = re.findall(r"^(\d+)$", pages[-1], re.M)
    assert "300" in last_rows


def test_pdf_shows_cancelled_sessions_and_topics(client, school):
    consultation = plan(
        school,
        recurrence=Consultation.Recurrence.WEEKLY,
        volume=Consultation.Volume.TOPICAL,
        topics="Линейные уравнения\nСистемы уравнений",
    )
    publish(school)

    planning_services.occurrence_cancel(
        actor=school.teacher,
        occurrence=consultation.occurrences.order_by("starts_at").first(),
        reason="Карантин",
    )

    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    text = "\n".join(pdf_pages(response.content))
    assert "Карантин" in text
    assert "Линейные уравнения; Систем" in text.replace("\n", " ")


def test_pdf_of_a_draft_is_not_public(client, school):
    plan(school)

    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    assert response.status_code == 404


def test_staff_get_a_draft_pdf_to_sign(client, school):
    plan(school)
    client.force_login(school.director)

    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    assert response.status_code == 200
    text = pdf_pages(response.content)[0]
    assert "«___»" in text


def test_pdf_fonts_are_vendored():
    from umka.consultations.publication.print_pdf import FONTS

    assert (FONTS / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (FONTS / "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    assert (FONTS / "LICENSE.txt").exists()


def test_pdf_dates_in_the_period_line(client, school):
    plan(school)
    publish(school)

    response = client.get(reverse("schedule:pdf", args=[school.schedule.pk]))

    text = pdf_pages(response.content)[0]
    assert f"{school.quarter.starts_on:%d.%m.%Y}" in text
    assert f"{school.quarter.ends_on:%d.%m.%Y}" in text
    assert dt.date(2026, 11, 17).strftime("%d.%m.%Y") in text


@pytest.mark.requirement("R8")
def test_pdf_of_one_class_lists_only_its_consultations(client, school):
    """A class's own sheet for its door: the public page's filters apply to the
    print form and the PDF, and the page's links carry them."""
    plan(school, how_to_join="Кабинет 214")
    plan(
        school,
        classes=[school.class_7b],
        start_time=dt.time(16, 0),
        how_to_join="Кабинет 305",
    )
    publish(school)
    url = reverse("schedule:pdf", args=[school.schedule.pk])

    whole = " ".join(pdf_pages(client.get(url).content))
    one = " ".join(pdf_pages(client.get(url, {"class": school.class_7b.pk}).content))

    assert "Кабинет 214" in whole
    assert "Кабинет 305" in whole
    assert "Кабинет 305" in one
    assert "Кабинет 214" not in one
    page = client.get(reverse("schedule:index"), {"class": school.class_7b.pk})
    assert f"{url}?class={school.class_7b.pk}" in page.content.decode()


@pytest.mark.requirement("R8")
def test_pdf_prints_short_and_long_cells_and_hostile_text_literally(client, school):
    """Short cells are drawn as plain strings, long ones wrap: both print what is
    stored, markup-like text included."""
    plan(school, how_to_join="<b>Кабинет</b> & 214")
    plan(
        school,
        start_time=dt.time(16, 0),
        how_to_join="Ссылка будет отправлена в электронном журнале накануне вечером",
    )
    publish(school)

    text = " ".join(
        pdf_pages(
            client.get(reverse("schedule:pdf", args=[school.schedule.pk])).content
        )
    )

    assert "<b>Кабинет</b>&214" in "".join(text.split())
    for word in ("Ссылка", "отправлена", "журнале", "вечером"):
        assert word in text
