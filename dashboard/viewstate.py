"""The view state: one frozen dataclass that goes from the controls to the URL and back.

Each field of `Filters` declares, in its metadata, the control that shows it, its URL key and
its kind of value (`Many`, `One`, `Choice`, `Text`, `Flag`). Everything positional is gone:
callbacks receive the controls as a dict keyed by field name (Dash's flexible callback
signatures), and `state_from_controls` / `controls_from_state` and urlstate's `parse_query` /
`to_query` are generic over the fields. Adding a filter is one field here (plus its control in
layout.py, its id in ids.py and what it does in filters.py).

Values from the browser are untrusted: `state_from_controls` checks type, length and vocabulary
and raises `BadInput` (answered with a 400) rather than letting a wrong type reach pandas.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from dashboard.data import AtlasData, place_table
from dashboard.ids import Id
from dashboard.options import SPECIFIC_LINKS, AgencyRole, CountMode

MAX_KEYWORD = 50  # characters; longer keywords are cut in a URL and refused from a control
ZONES_ON = "show"  # the zones checklist's one option value


class BadInput(ValueError):
    """A control value of the wrong type, too long, or not in the data (answered with 400)."""


@dataclass(frozen=True)
class Vocabulary:
    """Values a URL or a control may name; anything else is refused or reset with a notice."""

    plans: frozenset[str]
    sectors: frozenset[str]
    agencies: frozenset[str]
    places: frozenset[str]
    links: frozenset[str] = frozenset(SPECIFIC_LINKS)


@functools.cache
def vocabulary(data: AtlasData) -> Vocabulary:
    """The plan ids, sectors, canonical units and place names in the data."""
    return Vocabulary(
        plans=frozenset(data.plans["plan_id"]),
        sectors=frozenset(data.tasks["sector"]),
        agencies=frozenset(data.task_units["unit"]),
        places=frozenset(place_table(data)["name"]),
    )


def _unknown(label: str, bad: list[str]) -> str:
    return f"未知{label}:{'、'.join(bad)},已忽略"


def _invalid(label: str, value: str) -> str:
    return f"无效的{label}“{value}”,已使用默认值"


@dataclass(frozen=True)
class Many:
    """Several values from a vocabulary (multi-select dropdown, checklist); () means all."""

    vocab: str  # Vocabulary attribute

    def from_control(self, value: Any, vocab: Vocabulary, label: str) -> tuple[str, ...]:
        if value is None:
            return ()
        allowed: frozenset[str] = getattr(vocab, self.vocab)
        if not isinstance(value, list) or len(value) > len(allowed):
            raise BadInput(f"{label}:应为不超过 {len(allowed)} 项的列表")
        bad = [v for v in value if not isinstance(v, str) or v not in allowed]
        if bad:
            raise BadInput(f"{label}:未知的值")
        return tuple(dict.fromkeys(value))

    def to_control(self, value: tuple[str, ...]) -> list[str]:
        return list(value)

    def from_url(
        self, values: list[str], vocab: Vocabulary, label: str, notices: list[str]
    ) -> tuple[str, ...]:
        allowed: frozenset[str] = getattr(vocab, self.vocab)
        bad = [v for v in values if v not in allowed]
        if bad:
            notices.append(_unknown(label, bad))
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    def to_url(self, value: tuple[str, ...]) -> list[str]:
        return list(value)


@dataclass(frozen=True)
class One:
    """At most one value from a vocabulary (single dropdown, the selected place); None = all."""

    vocab: str

    def from_control(self, value: Any, vocab: Vocabulary, label: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or value not in getattr(vocab, self.vocab):
            raise BadInput(f"{label}:未知的值")
        return value

    def to_control(self, value: str | None) -> str | None:
        return value

    def from_url(
        self, values: list[str], vocab: Vocabulary, label: str, notices: list[str]
    ) -> str | None:
        last = values[-1:]
        if last and last[0] not in getattr(vocab, self.vocab):
            notices.append(_unknown(label, last))
            return None
        return last[0] if last else None

    def to_url(self, value: str | None) -> list[str]:
        return [value] if value else []


@dataclass(frozen=True)
class Choice:
    """One member of a `StrEnum` (radio items); a cleared control means the default."""

    enum: type[StrEnum]
    default: StrEnum

    def from_control(self, value: Any, vocab: Vocabulary, label: str) -> StrEnum:
        if value is None or value == "":
            return self.default
        if not isinstance(value, str) or value not in set(self.enum):
            raise BadInput(f"{label}:应为 {'、'.join(self.enum)} 之一")
        return self.enum(value)

    def to_control(self, value: StrEnum) -> str:
        return str(value)

    def from_url(
        self, values: list[str], vocab: Vocabulary, label: str, notices: list[str]
    ) -> StrEnum:
        if not values:
            return self.default
        if values[-1] not in set(self.enum):
            notices.append(_invalid(label, values[-1]))
            return self.default
        return self.enum(values[-1])

    def to_url(self, value: StrEnum) -> list[str]:
        return [] if value == self.default else [str(value)]


@dataclass(frozen=True)
class Text:
    """Free text (the keyword), stripped and at most `limit` characters."""

    limit: int

    def from_control(self, value: Any, vocab: Vocabulary, label: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > self.limit:
            raise BadInput(f"{label}:应为不超过 {self.limit} 字的文本")
        return value.strip()

    def to_control(self, value: str) -> str:
        return value

    def from_url(self, values: list[str], vocab: Vocabulary, label: str, notices: list[str]) -> str:
        text = (values[-1] if values else "").strip()
        if len(text) > self.limit:
            notices.append(f"{label}超过{self.limit}字,已截断")
        return text[: self.limit]

    def to_url(self, value: str) -> list[str]:
        return [value.strip()] if value.strip() else []


@dataclass(frozen=True)
class Flag:
    """An on/off checklist with the single option `on`; on by default, `0` in the URL when off."""

    on: str

    def from_control(self, value: Any, vocab: Vocabulary, label: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, list) or any(v != self.on for v in value):
            raise BadInput(f"{label}:应为 [] 或 [{self.on!r}]")
        return bool(value)

    def to_control(self, value: bool) -> list[str]:
        return [self.on] if value else []

    def from_url(
        self, values: list[str], vocab: Vocabulary, label: str, notices: list[str]
    ) -> bool:
        if values and values[-1] not in ("0", "1"):
            notices.append(_invalid(label, values[-1]))
            return True
        return not values or values[-1] != "0"

    def to_url(self, value: bool) -> list[str]:
        return [] if value else ["0"]


Kind = Many | One | Choice | Text | Flag


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
