"""Kinds of view-state values: how each is read from a control or a URL and written back.

A control value comes from the browser and is untrusted: `from_control` checks type, length
and vocabulary and raises `BadInput` (the server answers 400). A URL is typed and pasted by
people: `from_url` falls back to the default and appends a notice instead. `browser` describes
the kind to assets/urlsync.js, which reads and writes the URL in the browser by the same rules.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dashboard.data import AtlasData, place_table
from dashboard.options import SPECIFIC_LINKS


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


#: The wording of URL notices, in one place: the browser reads the URL with the same table
#: (urlstate.browser_spec → assets/urlsync.js), so both sides say the same thing.
NOTICES = {
    "unknown": "未知{label}：{values}，已忽略",
    "invalid": "无效的{label}“{value}”，已使用默认值",
    "cut": "{label}超过{limit}字，已截断",
}


def _unknown(label: str, bad: list[str]) -> str:
    return NOTICES["unknown"].format(label=label, values="、".join(bad))


def _invalid(label: str, value: str) -> str:
    return NOTICES["invalid"].format(label=label, value=value)


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

    def browser(self, vocab: Vocabulary) -> dict[str, Any]:
        return {"kind": "many", "allowed": sorted(getattr(vocab, self.vocab))}


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

    def browser(self, vocab: Vocabulary) -> dict[str, Any]:
        return {"kind": "one", "allowed": sorted(getattr(vocab, self.vocab))}


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

    def browser(self, vocab: Vocabulary) -> dict[str, Any]:
        return {"kind": "choice", "allowed": list(self.enum), "default": str(self.default)}


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
            notices.append(NOTICES["cut"].format(label=label, limit=self.limit))
        return text[: self.limit]

    def to_url(self, value: str) -> list[str]:
        return [value.strip()] if value.strip() else []

    def browser(self, vocab: Vocabulary) -> dict[str, Any]:
        return {"kind": "text", "limit": self.limit}


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

    def browser(self, vocab: Vocabulary) -> dict[str, Any]:
        return {"kind": "flag", "on": self.on}


Kind = Many | One | Choice | Text | Flag
