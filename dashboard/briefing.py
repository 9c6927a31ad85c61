"""汇报模式 as a presentation: ← → step through the 18 places, Esc leaves (issue 9, item 3).

The keys are read by assets/briefing_keys.js, which clicks two hidden buttons; the step itself
is a plain function (`step_place`) so a test can call it. The page shows the map and the
selected place's task list side by side in large type (assets/atlas.css, `.atlas.briefing`).
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard.data import AtlasData, place_table

NEXT = "briefing-next"
PREV = "briefing-prev"
#: Each view that can be presented has its own pair of hidden buttons: the tabs mount only the
#: open view, so the keys click the pair that is on the page (assets/briefing_keys.js).
PROGRESS = "progress-"
PREFIXES = ("", PROGRESS)


def step_place(order: list[str], current: str | None, step: int) -> str:
    """The place `step` away from `current` in `order`, wrapping; the first (or last) when
    nothing is selected."""
    if current not in order:
        return order[0] if step > 0 else order[-1]
    return order[(order.index(current) + step) % len(order)]


def briefing_controls(prefix: str = "") -> html.Div:
    """Hidden buttons the keyboard script clicks (keeps the stepping on the server, testable);
    `prefix` names the view's own pair (PROGRESS for the 进度 tab)."""
    return html.Div(
        [html.Button("下一个地点", id=prefix + NEXT), html.Button("上一个地点", id=prefix + PREV)],
        className="briefing-keys",
        hidden=True,
    )


def register_briefing(app: Dash, data: AtlasData, selected_place: str) -> None:
    order = [str(n) for n in place_table(data)["name"]]

    nexts, prevs = [p + NEXT for p in PREFIXES], [p + PREV for p in PREFIXES]

    @app.callback(
        Output(selected_place, "data", allow_duplicate=True),
        [Input(b, "n_clicks") for b in nexts + prevs],
        State(selected_place, "data"),
        prevent_initial_call=True,
    )
    def step(*args: Any) -> Any:
        current = args[-1]
        if ctx.triggered_id not in nexts + prevs:
            return no_update
        return step_place(order, current or None, 1 if ctx.triggered_id in nexts else -1)
