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


def step_place(order: list[str], current: str | None, step: int) -> str:
    """The place `step` away from `current` in `order`, wrapping; the first (or last) when
    nothing is selected."""
    if current not in order:
        return order[0] if step > 0 else order[-1]
    return order[(order.index(current) + step) % len(order)]


def briefing_controls() -> html.Div:
    """Hidden buttons the keyboard script clicks (keeps the stepping on the server, testable)."""
    return html.Div(
        [html.Button("下一个地点", id=NEXT), html.Button("上一个地点", id=PREV)],
        className="briefing-keys",
        hidden=True,
    )


def register_briefing(app: Dash, data: AtlasData, selected_place: str) -> None:
    order = [str(n) for n in place_table(data)["name"]]

    @app.callback(
        Output(selected_place, "data", allow_duplicate=True),
        Input(NEXT, "n_clicks"),
        Input(PREV, "n_clicks"),
        State(selected_place, "data"),
        prevent_initial_call=True,
    )
    def step(_next: Any, _prev: Any, current: str | None) -> Any:
        if ctx.triggered_id not in (NEXT, PREV):
            return no_update
        return step_place(order, current or None, 1 if ctx.triggered_id == NEXT else -1)
