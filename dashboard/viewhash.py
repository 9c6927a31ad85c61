"""The 对比 and 进度 views' URL-hash bookkeeping: hash ↔ controls, in the browser.

Each view keeps its state in the URL hash (`#compare?from=…&to=…`, `#progress?quarter=…`),
so a link or back/forward restores it. Reading and writing that hash is bookkeeping, so it
runs in the browser (assets/viewhash.js, `atlas_views.compareSync` / `progressSync`): a tab
click, another view's control or back/forward costs no request, and a view asks the server
only for what it draws, when its tab is open and something it draws changed (issue 13).
Before, each view's server callback read and wrote the hash, so every hash change sent one
request per view.

The functions below are the same rules in Python over the same JSON (`config` is what the
view's layout hands the browser): tested directly, and against the JavaScript on the same
cases (tests/test_viewhash.py runs both). An answer is a dict of what changes: a missing key
is Dash's no_update. Rules shared by both views:
- reading a hash never writes one (a rewrite would be a history entry that Back returns to
  and that rewrites itself again), and a control change writes the view's whole hash;
- another view's hash (its tab is open) changes nothing here;
- values are checked against what the page offers (plans, places, quarters, statuses); an
  unknown one falls back with a notice, never an error. Notices quote at most 20 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

COMPARE_HASH = "#compare"
PROGRESS_HASH = "#progress"
HASH_KEYS = ("from", "to", "place", "task")
NOTICE_CHARS = 20  # of a bad value quoted in a notice
MAX_TASK_ID = 64  # a longer "task id" is not one (the server checks it exists)
SAME_PLAN_NOTICE = "请选择两份不同的计划进行对比"
_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")
_QUARTER_ZH = re.compile(r"^\s*(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度\s*$")
_ZH_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}

State = dict[str, Any]  # {"from_plan", "to_plan", "place", "task"}: dashboard.compare_state


def owns(prefix: str, fragment: str | None) -> bool:
    """True when `fragment` is this view's hash: `#compare` or `#compare?…`, not `#comparex`."""
    text = fragment or ""
    return bool(prefix) and (text == prefix or text.startswith(prefix + "?"))


def query_values(prefix: str, fragment: str | None) -> dict[str, list[str]]:
    """The hash's `?query` as lists of non-blank values per key."""
    text = fragment or ""
    return parse_qs(text[len(prefix) + 1 :]) if text.startswith(prefix + "?") else {}


def quoted(value: str) -> str:
    return "“" + value[:NOTICE_CHARS] + "”"


# --- 对比 --------------------------------------------------------------------------------------


def parse_compare(fragment: str | None, config: Mapping[str, Any]) -> tuple[State, list[str]]:
    """The 对比 state a hash names; unknown plans take the default, unknown places are
    dropped, each with a notice (whether a task id exists is the server's to say)."""
    query = query_values(COMPARE_HASH, fragment)
    last = {k: query[k][-1] if k in query else None for k in HASH_KEYS}
    default = config["default"]
    notices: list[str] = []
    plans: dict[str, str] = {}
    for key, label in (("from", "对比起点"), ("to", "对比终点")):
        value = last[key]
        if value is not None and value not in config["plans"]:
            notices.append(f"未知{label}计划{quoted(value)}，已使用默认值")
            value = None
        plans[key] = value or default["from_plan" if key == "from" else "to_plan"]
    place = last["place"]
    if place is not None and place not in config["places"]:
        notices.append(f"未知地点{quoted(place)}，已忽略")
        place = None
    task = last["task"]
    if task is not None and len(task) > MAX_TASK_ID:
        notices.append(f"未知任务{quoted(task)}，已忽略")
        task = None
    state = {"from_plan": plans["from"], "to_plan": plans["to"], "place": place, "task": task}
    return state, notices


def compare_hash(state: Mapping[str, Any]) -> str:
    """The URL hash of a 对比 state."""
    pairs = [("from", state["from_plan"]), ("to", state["to_plan"])]
    pairs += [(k, state[f]) for k, f in (("place", "place"), ("task", "task")) if state[f]]
    return COMPARE_HASH + "?" + urlencode(pairs)


def clicked_place(click: Any) -> str | None:
    """The place a click on the change map names (a label's customdata is [place, shown])."""
    points = click.get("points") if isinstance(click, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    value = first.get("customdata") if isinstance(first, dict) else None
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, str) else None


def compare_sync(
    config: Mapping[str, Any],
    trigger: str | None,
    value: Any,
    fragment: str | None,
    picked: Sequence[str | None],
    current: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """What changes when `trigger` fires: "hash" (or None, page load), "from" / "to" (a plan
    picked; `picked` holds both dropdowns), "map" (`value` is the click), "clear" (显示全市)
    or "task" (`value` is the button's index and n_clicks). Keys of the answer: state (what
    the server draws; `current` is {} until first drawn), hash, from, to, notice."""
    if trigger in (None, "hash"):
        if not owns(COMPARE_HASH, fragment):
            return {}
        state, notices = parse_compare(fragment, config)
        out: dict[str, Any] = {"notice": "；".join(notices)}
        if state != current:
            out["state"] = state
        if state["from_plan"] != picked[0]:
            out["from"] = state["from_plan"]
        if state["to_plan"] != picked[1]:
            out["to"] = state["to_plan"]
        return out
    base = dict(current) if current else parse_compare(None, config)[0]
    state = dict(base)
    if trigger in ("from", "to"):
        from_plan, to_plan = picked[0] or base["from_plan"], picked[1] or base["to_plan"]
        if from_plan == to_plan:
            return {"from": base["from_plan"], "to": base["to_plan"], "notice": SAME_PLAN_NOTICE}
        state = {"from_plan": from_plan, "to_plan": to_plan, "place": base["place"], "task": None}
    elif trigger == "map":
        place = clicked_place(value)
        state["place"] = None if place == base["place"] else place
    elif trigger == "clear":
        state["place"] = None
    elif trigger == "task":
        index, clicks = value
        if not clicks or not isinstance(index, str):  # a re-rendered list, not a click
            return {}
        state["task"] = index
    else:
        return {}
    out = {"notice": ""}
    if state != current:
        out["state"] = state
    if compare_hash(state) != fragment:
        out["hash"] = compare_hash(state)
    return out


# --- 进度 --------------------------------------------------------------------------------------


def quarter_text(text: str) -> str | None:
    """`2024Q2` or `2024年第二季度` as `2024Q2`; None if it is neither (progress.quarters)."""
    match = _QUARTER.match(text) or _QUARTER_ZH.match(text)
    if not match or not 1990 <= int(match.group(1)) <= 2100:
        return None
    return f"{match.group(1)}Q{_ZH_DIGITS.get(match.group(2), match.group(2))}"


def parse_progress(
    fragment: str | None, quarters: Sequence[str], statuses: Sequence[str]
) -> tuple[str | None, list[str], list[str]]:
    """(quarter, statuses, notices) a #progress hash names: a quarter the store has (else the
    latest, with a notice), the known statuses in the hash's order."""
    query = query_values(PROGRESS_HASH, fragment)
    latest = quarters[-1] if quarters else None
    notices: list[str] = []
    quarter = latest
    if "quarter" in query:
        text = query["quarter"][-1]
        named = quarter_text(text)
        if named is None:
            notices.append(f"无效的季度{quoted(text)}，已使用最新季度")
        elif named not in quarters:
            notices.append(f"{named} 没有报送数据，已使用最新季度")
        else:
            quarter = named
    asked = query.get("status", [])
    chosen = [s for s in asked if s in statuses]
    if len(chosen) < len(asked):
        notices.append("未知状态已忽略")
    return quarter, chosen, notices


def progress_hash(quarter: str | None, statuses: Sequence[str]) -> str:
    """The URL hash of the 进度 view's quarter and statuses."""
    pairs = ([("quarter", quarter)] if quarter else []) + [("status", s) for s in statuses]
    return PROGRESS_HASH + ("?" + urlencode(pairs) if pairs else "")


def progress_sync(
    config: Mapping[str, Any],
    trigger: str | None,
    fragment: str | None,
    quarter: str | None,
    statuses: Sequence[str] | None,
    quarters: Sequence[str] | None,
) -> dict[str, Any]:
    """What changes when `trigger` fires: "hash" (or None, page load), "quarters" (the store's
    quarters arrived; it wins over "hash" when both fire), "quarter" / "status" (a control;
    only while the hash is this view's: the tab is open). Keys: options, quarter, statuses,
    notice, hash. Nothing is set while the hash is another view's, so the hidden view asks
    for nothing; opening it sets the quarter (the hash's, else the latest)."""
    if trigger in ("quarter", "status"):
        if not owns(PROGRESS_HASH, fragment):  # a control mounting, not the user
            return {}
        written = progress_hash(quarter, list(statuses or []))
        return {} if written == fragment else {"hash": written}
    if quarters is None:  # not read yet: its arrival fires this again
        return {}
    out: dict[str, Any] = {} if trigger == "hash" else {"options": list(quarters)}
    if not owns(PROGRESS_HASH, fragment):
        return out
    chosen_quarter, chosen, notices = parse_progress(fragment, quarters, config["statuses"])
    if chosen_quarter != quarter:
        out["quarter"] = chosen_quarter
    if chosen != list(statuses or []):
        out["statuses"] = chosen
    out["notice"] = "；".join(notices)
    return out
