"""The 通报 as an editable Word document (python-docx)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from progress.report import Report, Table
from progress.workbook import DEMO_MARK

#: East Asian font of the document; Word substitutes a local one where it is missing.
CJK_FONT = "宋体"


def set_fonts(document: object, size: float = 11) -> None:
    """Body text at `size` pt with CJK_FONT for the ideographs."""
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)


def add_table(document: object, table: Table) -> None:
    """`table` as a bordered Word table with a bold header row (text only)."""
    grid = document.add_table(rows=1, cols=len(table.headers))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = value


def write_docx(report: Report, path: Path, map_png: bytes | None = None) -> None:
    """Write the report; the map image goes where its section asks for it."""
    document = Document()
    set_fonts(document)
    if report.demo:
        document.sections[0].header.paragraphs[0].text = f"{DEMO_MARK} · 非真实报送"
    heading = document.add_heading(report.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            add_table(document, table)
        if section.image:
            if map_png:
                document.add_picture(io.BytesIO(map_png), width=Cm(16))
            else:
                document.add_paragraph("(本机无法生成地图图片:未找到 Chromium。)")
    tmp = path.with_name(f".{path.name}.tmp")
    document.save(str(tmp))
    tmp.replace(path)
