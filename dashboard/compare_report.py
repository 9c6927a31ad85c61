"""The comparison report: `task-atlas compare --from A --to B --out FILE.docx|FILE.pdf`.

Its content is built once (`build_compare_report`) from the comparison table that the CSV holds
and the one 对比 export assembly; `write_docx` (python-docx) and `pdf_bytes` (HTML printed by
the system Chromium, then pdf_text.fix_pdf so the Chinese text searches as typed) only lay it
out, so the Word and PDF versions say the same thing. Every document text is escaped in the
HTML; none becomes markup.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pandas as pd

from comparison.views import place_rows
from dashboard.compare_export import CompareExport, assemble_compare_export, counts_text
from dashboard.compare_render import PANEL_ORDER
from dashboard.compare_state import CompareState
from dashboard.data import AtlasData
from dashboard.describe import plan_labels
from dashboard.options import SPECIFIC_LINKS
from dashboard.style import FONT_FAMILY, zh_punct
from progress.report import Section, Table  # the 通报's content blocks

PLACE_HEADERS = ("区/功能区", *(r.value for r in PANEL_ORDER), "净变化")
TASK_HEADERS = ("原任务", "新任务", "依据")
MAX_TASKS = 2000  # tasks listed per relation at most (a plan has a few hundred)
COUNTING_NOTE = (
    "新增、延续、调整按新计划的任务计，取消按原计划的任务计；一项任务可关联多个区和功能区"
    "（牵头、责任或文中提及），各区之和可大于全市。"
)


@dataclass(frozen=True)
class CompareReport:
    title: str
    subtitle: str
    footer: str
    sections: list[Section]
    view: CompareExport

    def text(self) -> str:
        """All words of the report, for tests and previews."""
        parts = [self.title, self.subtitle]
        for s in self._walk():
            parts += [s.heading, *s.paragraphs]
            parts += ["\t".join(r) for t in s.tables for r in [t.headers, *t.rows]]
        return "\n".join([*parts, self.footer])

    def _walk(self) -> list[Section]:
        out = []
        for s in self.sections:
            out += [s, *s.subsections]
        return out


def _task_cell(task_id: str, text: str) -> str:
    return f"{task_id} {text}" if task_id else "—"


def _place_rows(changes: pd.DataFrame) -> list[tuple[str, ...]]:
    return [
        (str(r["place"]), *(str(r[x.value]) for x in PANEL_ORDER), f"{int(r['net']):+d}")
        for r in changes.to_dict("records")
    ]


def _relation_sections(data: AtlasData, view: CompareExport, place: str) -> list[Section]:
    rows = place_rows(view.table, data.tasks, data.task_places, place, SPECIFIC_LINKS)
    out = []
    for relation in PANEL_ORDER:
        mine = rows[rows["relation"] == relation.value]
        mine = mine.drop_duplicates(["from_task_id", "to_task_id"]).head(MAX_TASKS)
        table = Table(
            TASK_HEADERS,
            [
                (
                    _task_cell(r["from_task_id"], r["from_text"]),
                    _task_cell(r["to_task_id"], r["to_text"]),
                    zh_punct(str(r["evidence"])),
                )
                for r in mine.to_dict("records")
            ],
        )
        empty = [] if len(mine) else ["无。"]
        out.append(
            Section(f"{relation.value}（{len(mine)} 项）", empty, [table] if len(mine) else [])
        )
    return out


def build_compare_report(
    data: AtlasData, state: CompareState, table: pd.DataFrame | None = None
) -> CompareReport:
    """The report of `state` (its place, if any, gets its tasks per relation with evidence)."""
    view = assemble_compare_export(data, state, table=table)
    labels = plan_labels(data)
    old, new = (labels.get(p, p) for p in (state.from_plan, state.to_plan))
    headline = f"{new}与{old}相比：{counts_text(view.counts)}。"
    sections = [
        Section(
            "一、总体情况",
            [headline, COUNTING_NOTE],
            [
                Table(
                    ("变化", "任务数"), [(r.value, str(view.counts[r.value])) for r in PANEL_ORDER]
                )
            ],
        ),
        Section("二、变化分布图", [view.caption.filters_text], image=True),
        Section(
            "三、各区及功能区的任务变化", tables=[Table(PLACE_HEADERS, _place_rows(view.changes))]
        ),
    ]
    if state.place:
        sections.append(
            Section(
                f"四、{state.place}的任务变化",
                [f"与{state.place}相关的任务（牵头、责任或文中提及），每项附比对依据。"],
                subsections=_relation_sections(data, view, state.place),
            )
        )
    caption = view.caption
    title = f"计划对比报告：{old} → {new}" + (f" · {state.place}" if state.place else "")
    return CompareReport(
        title=title,
        subtitle=f"数据日期：{caption.date}",
        footer=f"{caption.zone_note}。数据来源：{caption.source}",
        sections=sections,
        view=view,
    )


def write_docx(report: CompareReport, map_png: bytes) -> bytes:
    """The report as an editable Word document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from progress.report_docx import add_table, set_fonts

    document = Document()
    set_fonts(document, 10.5)
    document.add_heading(report.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def add(section: Section, level: int) -> None:
        document.add_heading(section.heading, level=level)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            add_table(document, table)
        if section.image:
            document.add_picture(io.BytesIO(map_png), width=Cm(16))
        for sub in section.subsections:
            add(sub, level + 1)

    for section in report.sections:
        add(section, 1)
    document.add_paragraph(report.footer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CSS = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm; }}
body {{ font-family: {FONT_FAMILY}; color: #1f2d3d; font-size: 10.5pt; line-height: 1.5; }}
h1 {{ font-size: 19pt; margin: 0 0 4pt; }} .sub {{ color: #5b6b7c; }}
h2 {{ font-size: 14pt; border-bottom: 1.5px solid #2f6fb0; margin: 14pt 0 4pt;
      break-after: avoid; }}
h3 {{ font-size: 11.5pt; color: #2f6fb0; margin: 8pt 0 2pt; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0; }}
th, td {{ border: 1px solid #b8c2cc; padding: 2px 4px; vertical-align: top; }}
th {{ background: #eef2f7; }} tr {{ break-inside: avoid; }}
table.tasks td:first-child, table.tasks td:nth-child(2) {{ width: 40%; }}
img.map {{ width: 100%; border: 1px solid #dde3ea; }}
.footer {{ color: #5b6b7c; font-size: 8.5pt; margin-top: 12pt; }}
"""


def _table_html(table: Table) -> str:
    kind = " class='tasks'" if table.headers == TASK_HEADERS else ""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in table.rows
    )
    return f"<table{kind}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def report_html(report: CompareReport, map_png: bytes) -> str:
    """The report as one escaped HTML page (the map as a data URI)."""
    import base64

    image = base64.b64encode(map_png).decode("ascii")

    def block(section: Section, tag: str) -> str:
        parts = [f"<{tag}>{html.escape(section.heading)}</{tag}>"]
        parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
        parts += [_table_html(t) for t in section.tables]
        if section.image:
            parts.append(f"<img class='map' alt='变化分布图' src='data:image/png;base64,{image}'>")
        parts += [block(s, "h3") for s in section.subsections]
        return "".join(parts)

    body = "".join(block(s, "h2") for s in report.sections)
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(report.title)}</h1><p class='sub'>{html.escape(report.subtitle)}</p>"
        f"{body}<div class='footer'>{html.escape(report.footer)}</div></body></html>"
    )


def pdf_bytes(report: CompareReport, map_png: bytes) -> bytes:
    """The report as a PDF with searchable Chinese text, titled."""
    from dashboard.pdf_text import fix_pdf
    from dashboard.report import print_pdf

    return fix_pdf(print_pdf(report_html(report, map_png)), report.title)


def report_bytes(report: CompareReport, suffix: str) -> bytes:
    """.docx or .pdf bytes of the report, with its change map rendered at 16:9."""
    from dashboard.export import render_export

    view = report.view
    png = render_export(view.figure, view.caption, "png", "16:9")
    return write_docx(report, png) if suffix == ".docx" else pdf_bytes(report, png)
