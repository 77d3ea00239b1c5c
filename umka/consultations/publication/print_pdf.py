"""The «График консультаций» as a PDF for the information stand (R8).

A4 landscape in the appendix's layout: the «УТВЕРЖДАЮ» block, the title with the
period, and the table whose header row repeats on every page. Whatever is stored
prints: every text is escaped before it becomes a Paragraph (markup-like text such
as «<b>» or «&» is shown literally), and a row taller than a page is split across
pages (`splitInRow`) instead of failing with reportlab's LayoutError. Cyrillic needs a
TrueType font: DejaVu Sans is vendored in static/consultations/fonts, so a machine
without system fonts prints the same document.

A cell whose text fits on one line is a plain string, drawn as it is (reportlab
lays a Paragraph out word by word: for the whole school's few thousand cells that
was most of the second the PDF took); only longer text becomes a Paragraph that
wraps.
"""

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from umka.consultations.models import ScheduleDocument
from umka.consultations.publication.rows import ConsultationRow
from umka.consultations.publication.selectors import (
    COLUMNS,
    ApprovalBlock,
    document_title,
    period_text,
)
from umka.core import clock

FONTS = Path(__file__).resolve().parent.parent / "static" / "consultations" / "fonts"
REGULAR, BOLD = "UmkaDejaVuSans", "UmkaDejaVuSans-Bold"
PAGE = landscape(A4)
MARGIN = 12 * mm
#: Column widths in points, the appendix's order; they fill the printable width.
WIDTHS = (24, 96, 84, 70, 66, 86, 60, 92, 92, 104)
#: A cell's padding left and right (the table's style below).
PADDING = 3


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=8, leading=10)
    return {
        "cell": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.5),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, leading=9.5),
        "approve": ParagraphStyle("approve", parent=base, fontSize=10, leading=13),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10, leading=13, alignment=TA_CENTER
        ),
        "draft_mark": ParagraphStyle(
            "draft_mark",
            parent=base,
            fontName=BOLD,
            fontSize=22,
            leading=26,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#b3261e"),
        ),
        "draft": ParagraphStyle(
            "draft",
            parent=base,
            fontName=BOLD,
            fontSize=10,
            leading=13,
            textColor=colors.HexColor("#b3261e"),
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _Cells:
    """Cells of one column: a plain string when the text fits the column on one
    line, else a Paragraph that wraps (escaped, as `_p`)."""

    def __init__(self, styles, widths):
        self.styles = styles
        self.room = [w - 2 * PADDING for w in widths]

    def __call__(self, column: int, text: str, style: str = "cell"):
        chosen = self.styles[style]
        if (
            style == "cell"
            and "\n" not in text
            and stringWidth(text, chosen.fontName, chosen.fontSize) <= self.room[column]
        ):
            return text
        return _p(text, chosen)


def _when(moment) -> str:
    return formats.date_format(clock.local(moment), "d.m H:i")


def _day_cell(row: ConsultationRow, styles) -> list:
    cell = [_p(row.weekday, styles["cell"]), _p(row.dates, styles["small"])]
    for change in row.changes:
        if change.cancelled:
            text = _("%(when)s cancelled: %(reason)s") % {
                "when": _when(change.starts_at),
                "reason": change.reason,
            }
            cell.append(Paragraph(f"<strike>{escape(text)}</strike>", styles["small"]))
        else:
            text = _("%(when)s moved from %(old)s: %(reason)s") % {
                "when": _when(change.starts_at),
                "old": _when(change.moved_from),
                "reason": change.reason,
            }
            cell.append(_p(text, styles["small"]))
    return cell


def _row_cells(row: ConsultationRow, styles, cell: _Cells) -> list:
    audience = row.audience
    if row.for_parents:
        audience = _("%(audience)s and their parents") % {"audience": audience}
    if row.topics:
        kind = [
            _p(row.kind, styles["cell"]),
            _p(
                _("Topics: %(topics)s") % {"topics": "; ".join(row.topics)},
                styles["small"],
            ),
        ]
    else:
        kind = cell(8, row.kind)
    return [
        cell(0, str(row.number)),
        cell(1, row.organiser),
        cell(2, row.position),
        cell(3, row.subject or "—"),
        cell(4, audience),
        _day_cell(row, styles),
        cell(6, row.time),
        cell(7, row.form),
        kind,
        cell(9, row.how_to_join or "—"),
    ]


def _approval(block: ApprovalBlock, styles) -> list:
    lines = [f"<b>{escape(_('APPROVED'))}</b>"]
    if block.approved:
        if block.position:
            lines.append(escape(block.position))
        if block.school:
            lines.append(escape(block.school))
        lines.append(f"_______________ {escape(block.name)}")
        if block.order:
            lines.append(escape(block.order))
        if block.date:
            lines.append(escape(formats.date_format(block.date, "DATE_FORMAT")))
    else:
        lines += ["_" * 30, "_______________ /_______________/", "«___» ________ 20__"]
    return [Paragraph("<br/>".join(lines), styles["approve"])]


def render_pdf(
    schedule: ScheduleDocument,
    rows: list[ConsultationRow],
    block: ApprovalBlock,
    *,
    school_name: str = "",
) -> bytes:
    """The print form as PDF bytes."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    title = document_title()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{title} — {schedule}",
        author=school_name,
        subject=period_text(schedule),
        creator="Umka",
    )
    width = PAGE[0] - 2 * MARGIN
    left = [_p(school_name, styles["approve"])]
    if not block.approved:
        left.append(_p(_("Draft: not approved yet"), styles["draft"]))
    header = Table(
        [[left, _approval(block, styles)]],
        colWidths=[width - 260, 260],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
        splitInRow=1,
    )
    story = [header, Spacer(1, 6 * mm)]
    if not block.approved:
        # «ПРОЕКТ»: a draft printed while it is being agreed is never mistaken for
        # the approved document.
        story += [_p(_("DRAFT"), styles["draft_mark"]), Spacer(1, 2 * mm)]
    story += [
        _p(title, styles["title"]),
        _p(_("for %(period)s") % {"period": period_text(schedule)}, styles["subtitle"]),
    ]
    if block.amended_at:
        story.append(
            _p(
                _("Version %(number)s of %(date)s")
                % {
                    "number": block.version,
                    "date": formats.date_format(clock.local(block.amended_at), "d.m.Y"),
                },
                styles["subtitle"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    scale = width / sum(WIDTHS)
    widths = [w * scale for w in WIDTHS]
    cell = _Cells(styles, widths)
    data = [[_p(str(c), styles["head"]) for c in COLUMNS]]
    data += [_row_cells(row, styles, cell) for row in rows]
    if not rows:
        data.append([_p(_("No consultations."), styles["cell"])] + [""] * 9)
    table = LongTable(data, colWidths=widths, repeatRows=1, splitInRow=1)
    plain = styles["cell"]
    table.setStyle(
        TableStyle(
            [
                # Plain-string cells are drawn in the Paragraphs' font and size.
                ("FONTNAME", (0, 1), (-1, -1), plain.fontName),
                ("FONTSIZE", (0, 1), (-1, -1), plain.fontSize),
                ("LEADING", (0, 1), (-1, -1), plain.leading),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story.append(table)
    document_name = f"{title} — {schedule}"

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        footer = _("%(document)s · page %(page)s") % {
            "document": document_name,
            "page": document.page,
        }
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 2 * mm, footer)
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
