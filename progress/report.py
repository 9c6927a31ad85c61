"""The quarterly 通报 as content: sections of paragraphs and tables, built from one QuarterView.

`build_report` is the one assembly; report_docx.py and report_pdf.py only lay it out, so the
Word and PDF versions say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from progress.rules import describe_rules, load_rules
from progress.view import QuarterView
from progress.workbook import DEMO_MARK

#: The ranking columns after the ranked name; the unit and place tables share them.
_RANK_COLUMNS = ("任务", "已完成", "滞后", "红灯", "未报送", "完成率", "平均进度", "较上季度")
UNIT_HEADERS = ("排名", "牵头单位", *_RANK_COLUMNS)
PLACE_HEADERS = ("排名", "区/功能区", *_RANK_COLUMNS)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass
class Section:
    """A heading with its paragraphs and tables; the 通报 and the comparison report
    (dashboard/compare_report.py) are both lists of these."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    image: bool = False  # the report's map goes here
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    demo: bool
    sections: list[Section]

    def text(self) -> str:
        """All words of the report, for tests and plain-text previews."""
        parts = [self.title, self.subtitle]
        for s in self.sections:
            parts += [s.heading, *s.paragraphs]
            parts += [" ".join(r) for t in s.tables for r in [t.headers, *t.rows]]
        return "\n".join(parts)


def _pct(value: float) -> str:
    return "—" if pd.isna(value) else f"{100 * value:.0f}%"


def _change(value: float) -> str:
    return "—" if pd.isna(value) else f"{100 * value:+.0f} 个百分点"


def _score_rows(frame: pd.DataFrame, key: str) -> list[tuple[str, ...]]:
    return [
        (
            str(r["rank"]), str(r[key]), str(r["n_tasks"]), str(r["n_done"]), str(r["n_behind"]),
            str(r["n_red"]), str(r["n_unreported"]), _pct(r["completion_rate"]),
            f"{r['mean_percent']:.0f}%", _change(r["rate_change"]),
        )
        for r in frame.to_dict("records")
    ]  # fmt: skip


def _headline_text(view: QuarterView) -> str:
    h = view.headline
    early = int((view.status["status"] == "提前完成").sum())
    ahead = int((view.status["status"] == "超序时").sum())
    return (
        f"纳入本季度调度的任务共 {h['任务']} 项:已完成 {h['已完成']} 项(其中提前完成 {early} 项),"
        f"序时推进 {h['序时推进']} 项(其中超序时 {ahead} 项),滞后 {h['滞后']} 项,"
        f"未启动 {h['未启动']} 项,暂缓 {h['暂缓']} 项,未报送 {h['未报送']} 项。"
    )


def _trim(text: str) -> str:
    """A reported sentence without its closing punctuation, to join several into one."""
    return text.rstrip("。;;")  # noqa: B005  (a set of characters, as intended)


def _lagging_paragraphs(view: QuarterView, limit: int) -> list[str]:
    out = []
    for r in view.lagging.head(limit).to_dict("records"):
        light = "红灯" if r["light"] == "red" else "黄灯"
        percent = "—" if pd.isna(r["percent"]) else f"{r['percent']:g}%"
        said = ";".join(
            f"{label}:{_trim(str(r[f]))}"
            for label, f in (
                ("进展", "progress_text"),
                ("问题", "problems"),
                ("措施", "next_steps"),
            )
            if r[f]
        )
        leads = str(r["lead_units"]).replace("|", "、")
        reason = f"{said}。" if said else "未说明原因。"
        out.append(
            f"【{light}】{r['task_id']} {r['text']}(牵头单位:{leads})"
            f"完成进度 {percent},序时进度 {r['expected']:g}%。{reason}"
        )
    if len(view.lagging) > limit:
        out.append(f"另有 {len(view.lagging) - limit} 项滞后任务见附表。")
    return out or ["本季度没有滞后任务。"]


def build_report(view: QuarterView, *, scope: str = "", plans: str = "", limit: int = 60) -> Report:
    """The 通报 of one quarter view; `scope` names a --place/--unit narrowing."""
    demo = view.is_demo
    title = f"{scope}{view.quarter.label}重点任务推进情况通报" + (f"({DEMO_MARK})" if demo else "")
    subtitle = f"截至 {view.quarter.end:%Y年%m月%d日}" + (f" · {plans}" if plans else "")
    if demo:
        subtitle += f" · {DEMO_MARK}:以下数字为合成的演示数据,不是真实报送"
    unreported = view.unreported
    sections = [
        Section(
            "一、总体情况",
            [_headline_text(view)],
            [Table(tuple(view.headline), [tuple(str(v) for v in view.headline.values())])],
        ),
        Section("二、滞后任务", _lagging_paragraphs(view, limit)),
        Section(
            "三、未报送单位",
            [
                "以下牵头单位本季度未报送进展情况:"
                + "、".join(
                    f"{u}({n} 项)"
                    for u, n in zip(unreported["unit"], unreported["n_tasks"], strict=True)
                )
                + "。"
                if len(unreported)
                else "各牵头单位均已报送。"
            ],
        ),
        Section(
            "四、各牵头单位推进情况",
            tables=[Table(UNIT_HEADERS, _score_rows(view.unit_scores, "unit"))],
        ),
        Section(
            "五、各区及功能区推进情况",
            ["按任务关联的区和功能区统计(牵头、责任或文中提及),一项任务可计入多个区。"],
            [Table(PLACE_HEADERS, _score_rows(view.place_scores, "place"))],
        ),
        Section("六、进度分布图", ["各区及功能区滞后任务数(颜色越深滞后越多)。"], image=True),
        Section("附:评定规则", describe_rules(load_rules())),
    ]
    return Report(title, subtitle, demo, sections)
