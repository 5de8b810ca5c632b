"""How the narrative prints (python-docx with a little OOXML): tables whose columns are
fitted to their content, whose header row repeats on every page and whose rows never
split across a page break, numbers aligned right; the signature block kept on the page
of the closing text.

Widths are measured, not guessed per table: a column needs at least its longest word
(a word is never broken) and would like its longest line; numbers never wrap. The
columns get what they need, and the width left over goes to the columns that wrap
the most (service names, problems and solutions). The layout is fixed (``w:tblGrid``,
``w:tcW``, ``w:tblLayout``), so Word and LibreOffice print the same widths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Arial"  # on machines without it, LibreOffice uses the metric-twin Liberation Sans
TABLE_PT = 9
# Width of an average character of Arial at 9 pt, and a cell's inner padding (cm).
CHAR_CM = 0.17
PADDING_CM = 0.45
NUMBER = re.compile(r"^[–-]$|^[+-]?[\d.]+(,\d+)?( %)?$|^Rp[\s\d.,]+$")


def _need(texts: Sequence[str], numeric: bool) -> tuple[float, float]:
    """(least, wished) width in cm of a column showing ``texts`` (header first)."""
    words = [len(w) for t in texts for w in str(t).split()] or [1]
    lines = [len(str(t)) for t in texts[1:]] or [1]
    least = max(words)
    if numeric:  # a number stays on one line
        least = max(least, max(lines))
    wished = max(max(lines), len(str(texts[0])) if texts else 1)
    return least * CHAR_CM + PADDING_CM, max(least, wished) * CHAR_CM + PADDING_CM


def fit_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], available_cm: float
) -> list[float]:
    """Column widths (cm) adding up to ``available_cm``, fitted to the content."""
    columns = list(zip(header, *rows, strict=True)) if rows else [(h,) for h in header]
    numeric = [is_numeric(col[1:]) for col in columns]
    needs = [_need(col, num) for col, num in zip(columns, numeric, strict=True)]
    least = [n[0] for n in needs]
    wished = [n[1] for n in needs]
    if sum(wished) <= available_cm:  # everything on one line: share the rest by wish
        extra = available_cm - sum(wished)
        return [w + extra * w / sum(wished) for w in wished]
    if sum(least) >= available_cm:  # too many columns: shrink all alike
        return [w * available_cm / sum(least) for w in least]
    spare = available_cm - sum(least)
    want = [w - m for w, m in zip(wished, least, strict=True)]
    return [m + spare * x / sum(want) for m, x in zip(least, want, strict=True)]


def is_numeric(values: Sequence[str]) -> bool:
    shown = [str(v).strip() for v in values if str(v).strip() not in ("", "–")]
    return bool(shown) and all(NUMBER.match(v) for v in shown)


def _set(parent, tag: str, **attrs: str):
    """The child ``tag`` of ``parent`` (created if missing) with ``attrs`` set."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    for key, value in attrs.items():
        found.set(qn(key), value)
    return found


def _twips(cm: float) -> str:
    return str(round(cm / 2.54 * 1440))


def table(document, header: Sequence[str], rows: Sequence[Sequence[str]], available_cm: float):
    """A bordered table ready to print: fitted widths, header repeated on every page,
    rows kept whole, numbers right-aligned."""
    widths = fit_widths(header, rows, available_cm)
    numeric = [is_numeric([r[i] for r in rows]) if rows else False for i in range(len(header))]
    result = document.add_table(rows=1, cols=len(header))
    result.style = "Table Grid"
    result.autofit = False
    tbl_pr = result._tbl.tblPr
    _set(tbl_pr, "w:tblW", **{"w:w": _twips(sum(widths)), "w:type": "dxa"})
    _set(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
    grid = result._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), _twips(width))
    _fill(result.rows[0], header, numeric, bold=True)
    _set(result.rows[0]._tr.get_or_add_trPr(), "w:tblHeader")
    for values in rows:
        _fill(result.add_row(), values, numeric, bold=False)
    for row in result.rows:
        _set(row._tr.get_or_add_trPr(), "w:cantSplit")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return result


def _fill(row, values: Sequence[str], numeric: Sequence[bool], *, bold: bool) -> None:
    for cell, text, num in zip(row.cells, values, numeric, strict=True):
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        if num:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(str(text))
        run.bold = bold
        run.font.size = Pt(TABLE_PT)


def keep_with_next(paragraph) -> None:
    """The paragraph stays on the page of the one after it, and in one piece."""
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.keep_together = True


def signature_block(document, closing, lines: Sequence[str], indent_cm: float) -> None:
    """Place, date, office, room to sign, name and NIP under the closing paragraph,
    all on the closing paragraph's page."""
    keep_with_next(closing)
    for i, text in enumerate(lines):
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
        paragraph.paragraph_format.space_after = Pt(0)
        if i < len(lines) - 1:
            keep_with_next(paragraph)
