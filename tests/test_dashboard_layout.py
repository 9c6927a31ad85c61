"""The page and the view state agree: every declared filter has its control, options come
from the enums, and a new view module slots into tabs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from dash import Dash, html

from dashboard import map_view
from dashboard.app import create_app
from dashboard.data import AtlasData
from dashboard.export import ExportFormat, ExportSize
from dashboard.fieldkinds import vocabulary
from dashboard.ids import Id
from dashboard.layout import EXPORT_FORMATS, EXPORT_SIZES
from dashboard.options import ROLE_LABELS, AgencyRole, CountMode
from dashboard.viewstate import FIELDS, Filters, state_from_controls


def _components(node: Any) -> dict[str, Any]:
    """Every component in a layout tree, by id."""
    found: dict[str, Any] = {}
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
            continue
        if getattr(item, "id", None) is not None:
            found[str(item.id)] = item
        children = getattr(item, "children", None)
        if children is not None:
            stack.append(children)
    return found


def test_every_declared_filter_has_its_control_showing_the_default(
    atlas_data: AtlasData,
) -> None:
    page = _components(create_app(atlas_data).layout)
    initial = {
        name: getattr(page[str(spec.control)], spec.prop, None) for name, spec in FIELDS.items()
    }
    assert state_from_controls(initial, vocabulary(atlas_data)) == Filters()


def test_options_come_from_the_enums(atlas_data: AtlasData) -> None:
    page = _components(create_app(atlas_data).layout)
    values = {k: [o["value"] for o in page[str(k)].options] for k in (Id.AGENCY_ROLE, Id.MODE)}
    assert values[Id.AGENCY_ROLE] == list(AgencyRole)
    assert values[Id.MODE] == list(CountMode)
    assert [o["label"] for o in page[str(Id.AGENCY_ROLE)].options] == ["任一角色", "仅牵头"]
    assert set(ROLE_LABELS) == set(AgencyRole)
    assert list(EXPORT_FORMATS) == list(ExportFormat)
    assert list(EXPORT_SIZES) == list(ExportSize)


def test_a_second_view_module_gets_a_tab(atlas_data: AtlasData) -> None:
    registered: list[str] = []
    other = SimpleNamespace(
        TITLE="进度",
        layout=lambda data: html.Div("progress", id="progress-view"),
        register_callbacks=lambda app, data: registered.append(type(app).__name__),
    )
    app: Dash = create_app(atlas_data, views=(map_view, other))  # type: ignore[arg-type]
    page = _components(app.layout)
    tabs = page[str(Id.VIEW_TABS)]
    assert [t.label for t in tabs.children] == ["任务地图", "进度"]
    assert "progress-view" in page and str(Id.MAP) in page
    assert registered == ["Dash"]
