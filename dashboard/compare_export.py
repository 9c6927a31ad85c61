"""One export assembly for the 对比 map: the change map and the words printed around it.

The 对比 tab's 导出图片 button, `task-atlas export --view compare`, the comparison report and
the deck's comparison slides all call `assemble_compare_export`, so one comparison state gets
the same title, caption and footer wherever it is exported (as export_view.assemble_export does
for the map view).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from comparison.model import Relation
from comparison.views import place_changes
from dashboard.compare_render import COLOUR_TITLE, build_change_map
from dashboard.compare_state import CompareState, comparison_table
from dashboard.data import AtlasData, place_table
from dashboard.describe import plan_labels
from dashboard.export import ExportCaption
from dashboard.export_view import SOURCE_SUFFIX
from dashboard.options import SPECIFIC_LINKS, CountMode
from dashboard.style import ZONE_NOTE
from geodata.water import WATER_SOURCE
from pipeline.defaults import EXIT_OK

COMPARE_TITLE = "计划对比图"
#: How the colours and labels read, in words (the colour bar says it too).
COLOUR_WORDS = (
    "颜色为各区和功能区的新增任务数减去取消任务数（新增 − 取消）：蓝色新增多于取消，"
    "红色取消多于新增；标注为“+新增 −取消”，没有新增和取消的地点只标名称"
)
#: Filter options of `task-atlas export` that belong to the map view only.
MAP_ONLY_OPTIONS = {
    "plan": "--plan",
    "sector": "--sector",
    "agency": "--agency",
    "keyword": "--keyword",
    "no_zones": "--no-zones",
    "each_district": "--each-district",
}


@dataclass(frozen=True)
class CompareExport:
    """What a comparison export shows, and the numbers behind its words."""

    figure: go.Figure
    caption: ExportCaption
    table: pd.DataFrame  # the comparison (comparison.model.COMPARE_COLUMNS)
    changes: pd.DataFrame  # per place: 新增, 延续, 调整, 取消, net (comparison.views)
    counts: dict[str, int]  # tasks per relation, the whole city


def relation_counts(table: pd.DataFrame) -> dict[str, int]:
    """Tasks per relation: the `to` tasks for 新增/延续/调整, the `from` tasks for 取消."""
    out = {}
    for relation in Relation:
        rows = table[table["relation"] == relation.value]
        side = "from_task_id" if relation is Relation.DROPPED else "to_task_id"
        out[relation.value] = int(rows[side].nunique())
    return out


def counts_text(counts: dict[str, int]) -> str:
    """新增 139 项、延续 13 项、调整 150 项、取消 150 项 (in the panel's order)."""
    order = (Relation.NEW, Relation.CONTINUED, Relation.ADJUSTED, Relation.DROPPED)
    return "、".join(f"{r.value} {counts[r.value]} 项" for r in order)


def compare_title(data: AtlasData, state: CompareState) -> str:
    """计划对比图：2023年政府工作报告 → 2024年政府工作报告 · 江夏区."""
    labels = plan_labels(data)
    title = f"{COMPARE_TITLE}：{labels.get(state.from_plan, state.from_plan)} → "
    title += labels.get(state.to_plan, state.to_plan)
    return f"{title} · {state.place}" if state.place else title


def compare_source(data: AtlasData, state: CompareState) -> str:
    """The two plans' documents (numbers, else titles), earlier first; no 数据来源 prefix."""
    plans = data.plans.set_index("plan_id")
    docs = [
        str(plans.loc[p, "doc_no"] or plans.loc[p, "title"])
        for p in (state.from_plan, state.to_plan)
    ]
    return f"{'、'.join(docs)}；{SOURCE_SUFFIX}；{WATER_SOURCE}"


def place_counts(changes: pd.DataFrame, place: str) -> dict[str, int]:
    """Tasks per relation at one place (a row of comparison.views.place_changes)."""
    row = changes.set_index("place").loc[place].to_dict()
    return {r.value: int(row[r.value]) for r in Relation}


def assemble_compare_export(
    data: AtlasData, state: CompareState, *, table: pd.DataFrame | None = None
) -> CompareExport:
    """The change map of `state` and its caption; `table` is the comparison when it was made
    elsewhere (with other overrides), else the view's own."""
    if table is None:
        table = comparison_table(data, state.from_plan, state.to_plan)
    places = place_table(data)["name"].tolist()
    changes = place_changes(table, data.task_places, places, SPECIFIC_LINKS)
    figure = build_change_map(changes, data.places_geojson, selected=state.place)
    # the caption says the colours in words: one title line keeps the bar above the inset
    figure.update_layout(coloraxis_colorbar_title_text=COLOUR_TITLE.split("<br>")[0])
    counts = relation_counts(table)
    words = f"{COLOUR_WORDS}。全市{counts_text(counts)}"
    if state.place:
        words += f"；其中与{state.place}相关：{counts_text(place_counts(changes, state.place))}"
    caption = ExportCaption(
        title=compare_title(data, state),
        filters_text=words,
        zone_note=ZONE_NOTE,
        source=compare_source(data, state),
        date=data.built_at,
    )
    return CompareExport(figure, caption, table, changes, counts)


def compare_filename(data: AtlasData, state: CompareState, fmt: str) -> str:
    """任务对比_wr2023_wr2024_江夏区_2025-03-01.png."""
    place = f"_{state.place}" if state.place else ""
    return f"任务对比_{state.from_plan}_{state.to_plan}{place}_{data.built_at}.{fmt}"


def state_from_args(args: argparse.Namespace, data: AtlasData) -> CompareState:
    """`export --view compare` options → the state, each checked (UsageError names it)."""
    from dashboard.export_cli import UsageError, check_known, resolve_place

    given = [flag for key, flag in MAP_ONLY_OPTIONS.items() if getattr(args, key, None)]
    if getattr(args, "mode", CountMode.SPECIFIC.value) != CountMode.SPECIFIC.value:
        given.append("--mode")
    if given:
        raise UsageError(f"{', '.join(given)}: not for --view compare (map view options)")
    if not args.from_plan or not args.to_plan:
        raise UsageError("--view compare needs --from PLAN and --to PLAN")
    check_known("plan", [args.from_plan, args.to_plan], data.plans["plan_id"])
    if args.from_plan == args.to_plan:
        raise UsageError(f"--from and --to are both {args.from_plan}; name two different plans")
    return CompareState(args.from_plan, args.to_plan, resolve_place(data, args.place))


def export_compare(data: AtlasData, args: argparse.Namespace, fmt: str) -> int:
    """`task-atlas export --view compare --from A --to B [--place P] --out FILE`: the 对比 map
    as an image (errors are raised for run_export to print in one line)."""
    from dashboard.export import render_export
    from dashboard.export_cli import write_atomic

    view = assemble_compare_export(data, state_from_args(args, data))
    caption = replace(view.caption, title=args.title) if args.title else view.caption
    write_atomic(args.out, render_export(view.figure, caption, fmt, args.size))
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK
