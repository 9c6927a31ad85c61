"""The view state: one frozen dataclass that goes from the controls to the URL and back.

Each field of `Filters` declares, in its metadata, the control that shows it, its URL key and
its kind of value (`Many`, `One`, `Choice`, `Text`, `Flag` from fieldkinds.py). Nothing is
positional: callbacks receive the controls as a dict keyed by field name (Dash's flexible callback
signatures), and `state_from_controls` / `controls_from_state` and urlstate's `parse_query` /
`to_query` are generic over the fields. Adding a filter is one field here (plus its control in
layout.py, its id in ids.py and what it does in filters.py).

Values from the browser are untrusted: `state_from_controls` checks type, length and vocabulary
and raises `fieldkinds.BadInput` (answered with a 400) rather than letting a wrong type reach
pandas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from dashboard.fieldkinds import BadInput, Choice, Flag, Kind, Many, One, Text, Vocabulary
from dashboard.ids import Id
from dashboard.options import AgencyRole, CountMode

MAX_KEYWORD = 50  # characters; longer keywords are cut in a URL and refused from a control
ZONES_ON = "show"  # the zones checklist's one option value


@dataclass(frozen=True)
class FieldSpec:
    """How one view-state field is shown (control id and property) and named in the URL."""

    control: Id
    url_key: str
    kind: Kind
    label: str  # for notices and errors
    prop: str = "value"


def _spec(control: Id, url_key: str, kind: Kind, label: str, prop: str = "value") -> Any:
    return {"spec": FieldSpec(control, url_key, kind, label, prop)}


@dataclass(frozen=True)
class Filters:
    """The whole view state a URL, the controls or an export carries; empty means "all"."""

    plans: tuple[str, ...] = field(
        default=(), metadata=_spec(Id.PLANS, "plan", Many("plans"), "计划")
    )
    sectors: tuple[str, ...] = field(
        default=(), metadata=_spec(Id.SECTORS, "sector", Many("sectors"), "领域")
    )
    agency: str | None = field(
        default=None, metadata=_spec(Id.AGENCY, "agency", One("agencies"), "单位")
    )
    agency_role: AgencyRole = field(
        default=AgencyRole.ANY,
        metadata=_spec(Id.AGENCY_ROLE, "role", Choice(AgencyRole, AgencyRole.ANY), "单位角色"),
    )
    links: tuple[str, ...] = field(  # subset of SPECIFIC_LINKS; empty = all of them
        default=(), metadata=_spec(Id.LINKS, "link", Many("links"), "关联方式")
    )
    keyword: str = field(default="", metadata=_spec(Id.KEYWORD, "q", Text(MAX_KEYWORD), "关键词"))
    mode: CountMode = field(
        default=CountMode.SPECIFIC,
        metadata=_spec(Id.MODE, "mode", Choice(CountMode, CountMode.SPECIFIC), "计数口径"),
    )
    place: str | None = field(
        default=None,
        metadata=_spec(Id.SELECTED_PLACE, "place", One("places"), "地点", prop="data"),
    )
    show_zones: bool = field(
        default=True, metadata=_spec(Id.ZONES, "zones", Flag(ZONES_ON), "功能区开关")
    )


#: Field name → its declaration, in field order (the order of URL parameters).
FIELDS: dict[str, FieldSpec] = {f.name: f.metadata["spec"] for f in fields(Filters)}


def state_from_controls(controls: Mapping[str, Any], vocab: Vocabulary) -> Filters:
    """The view state the controls show; raises BadInput on a value no control can hold."""
    if set(controls) != set(FIELDS):
        raise BadInput("控件值不完整")
    values: dict[str, Any] = {
        name: spec.kind.from_control(controls[name], vocab, spec.label)
        for name, spec in FIELDS.items()
    }
    return Filters(**values)


def controls_from_state(state: Filters) -> dict[str, Any]:
    """Control values showing `state` (inverse of state_from_controls)."""
    return {name: spec.kind.to_control(getattr(state, name)) for name, spec in FIELDS.items()}
