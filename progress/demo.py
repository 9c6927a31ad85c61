"""Seeded, plausible synthetic returns (演示数据) so the progress views can be shown and tested.

There are no real returns in the corpus. Each (task, lead unit) gets a pace drawn from its own
seeded generator, so the same seed always gives the same returns; some units miss a quarter,
a few tasks are paused, a few run late. Demonstration rows are flagged `is_demo` and never
share a store with real returns.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pandas as pd

from progress.db import Store
from progress.quarters import Quarter
from progress.rules import DONE, NOT_STARTED, PAUSED, expected_percent
from progress.store import ReturnRow, WriteResult, record_returns
from progress.tasks import TaskTables, lead_table, tasks_in_force

DEMO_USER = "演示数据生成器"
MISS_RATE = 0.08  # a unit misses a quarter's return
PAUSE_RATE = 0.02
_PROGRESS = ("已完成年度目标的{p}%,{sector}相关工作按计划推进。", "已召开专题会议部署,完成{p}%。")
_PROBLEMS = ("项目用地报批进度慢于预期。", "资金拨付尚未到位。", "涉及多部门协调,推进较慢。")
_NEXT = ("加强调度,确保按期完成。", "倒排工期,下季度追上序时进度。", "继续推进,按月调度。")


def _pace(rng: random.Random) -> float:
    return min(max(rng.gauss(1.05, 0.3), 0.2), 1.8)


def demo_rows(
    tasks: pd.DataFrame, leads: pd.DataFrame, quarter: Quarter, seed: int
) -> list[ReturnRow]:
    """Synthetic returns of one quarter, deterministic in `seed`."""
    sectors = dict(zip(tasks["task_id"], tasks["sector"], strict=True))
    deadlines = dict(zip(tasks["task_id"], tasks["deadline"], strict=True))
    rows = []
    for task_id, unit in zip(leads["task_id"], leads["unit"], strict=True):
        if task_id not in deadlines:
            continue
        rng = random.Random(f"{seed}:{task_id}:{unit}")
        pace, pauses = _pace(rng), rng.random() < PAUSE_RATE
        if random.Random(f"{seed}:{task_id}:{unit}:{quarter}").random() < MISS_RATE:
            continue
        expected = expected_percent(quarter, deadlines[task_id])
        percent = float(min(100, round(expected * pace / 5) * 5))
        status = DONE if percent >= 100 else NOT_STARTED if percent <= 0 else ""
        if pauses:
            status = PAUSED
        elif not status:
            status = (
                "滞后"
                if percent < expected - 5
                else "超序时"
                if percent >= expected + 10
                else "序时推进"
            )
        behind = status in ("滞后", NOT_STARTED)
        rows.append(
            ReturnRow(
                task_id=task_id,
                unit=unit,
                status=status,
                percent=percent,
                progress_text=rng.choice(_PROGRESS).format(
                    p=f"{percent:g}", sector=sectors[task_id] or "各项"
                ),
                problems=rng.choice(_PROBLEMS) if behind else "",
                next_steps=rng.choice(_NEXT),
                evidence="演示数据,无佐证材料",
            )
        )
    return rows


def fill_demo(
    tables: TaskTables,
    store: Store,
    quarters: Sequence[Quarter],
    *,
    seed: int = 2024,
    entered_by: str = DEMO_USER,
) -> list[tuple[Quarter, WriteResult]]:
    """Write demonstration returns for each quarter, one transaction per quarter."""
    leads = lead_table(tables)
    out = []
    for quarter in quarters:
        tasks = tasks_in_force(tables, quarter)
        rows = demo_rows(tasks, leads, quarter, seed)
        result = record_returns(
            store,
            rows,
            quarter=quarter,
            entered_by=entered_by,
            source=f"演示数据 seed={seed}",
            unit="",
            digest=f"demo:{seed}:{quarter}",
            is_demo=True,
            action="demo",
        )
        out.append((quarter, result))
    return out
