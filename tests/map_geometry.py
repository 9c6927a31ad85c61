"""Where plotly.js draws a geo subplot and its points, in pixels, for a figure at a given size.

plotly fits the lon/lat range box (shrunk by its clip pad) into the subplot's domain with
`projection.fitExtent`, centred, keeping the projection's aspect: the view fills the domain in
one direction only. Mercator only (the projection the atlas maps use). The browser tests check
these figures against what Chromium draws, so the pure tests can rely on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: plotly.js shrinks the range box by this many degrees before fitting it (geo constants.clipPad).
CLIP_PAD = 1e-3
#: Approximate advance widths (in ems) of the label fonts' glyphs: CJK ideographs are square,
#: Noto Sans CJK's digits and space narrower (measured in Chromium: "临空港开发区 25" is 95 px at
#: 13 px; see the browser test that checks these estimates).
NARROW_EM = {" ": 0.23, "%": 0.9, "<": 0.6, "–": 0.6, "≥": 0.6, "·": 0.3}
DIGIT_EM = 0.55


def merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class GeoView:
    """A geo subplot's drawn rectangle (px, y down) and its lon/lat → px projection."""

    x0: float
    y0: float
    x1: float
    y1: float
    scale: float
    lon_mid: float
    merc_mid: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return (
            cx + self.scale * math.radians(lon - self.lon_mid),
            cy - self.scale * (merc(lat) - self.merc_mid),
        )


def plot_area(layout: dict[str, Any], width: float, height: float) -> tuple[float, ...]:
    """(left, top, width, height) of the plot area inside the margins."""
    m = layout.get("margin") or {}
    left, right, top, bottom = (m.get(k, 80 if k in "lr" else 100) for k in ("l", "r", "t", "b"))
    return left, top, width - left - right, height - top - bottom


def geo_view(layout: dict[str, Any], geo: str, width: float, height: float) -> GeoView:
    """The rectangle plotly.js draws layout[geo] in, for the figure drawn at width × height."""
    left, top, pw, ph = plot_area(layout, width, height)
    spec = layout[geo]
    (dx0, dx1), (dy0, dy1) = spec["domain"]["x"], spec["domain"]["y"]
    ex0, ex1 = left + pw * dx0, left + pw * dx1
    ey0, ey1 = top + ph * (1 - dy1), top + ph * (1 - dy0)
    lon0, lon1 = spec["lonaxis"]["range"]
    lat0, lat1 = spec["lataxis"]["range"]
    lon0, lon1, lat0, lat1 = lon0 + CLIP_PAD, lon1 - CLIP_PAD, lat0 + CLIP_PAD, lat1 - CLIP_PAD
    w, h = math.radians(lon1 - lon0), merc(lat1) - merc(lat0)
    k = min((ex1 - ex0) / w, (ey1 - ey0) / h)
    cx, cy = (ex0 + ex1) / 2, (ey0 + ey1) / 2
    return GeoView(
        cx - k * w / 2, cy - k * h / 2, cx + k * w / 2, cy + k * h / 2,
        k, (lon0 + lon1) / 2, (merc(lat0) + merc(lat1)) / 2,
    )  # fmt: skip


def text_size(text: str, font: float) -> tuple[float, float]:
    """Estimated (width, height) in px of a plotly text label (lines split by <br>)."""
    lines = text.split("<br>")
    widths = [
        sum(DIGIT_EM if c.isdigit() else NARROW_EM.get(c, 1.0) for c in line) * font
        for line in lines
    ]
    return max(widths), len(lines) * font * 1.4


def text_box(
    view: GeoView, lon: float, lat: float, text: str, font: float
) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) of a label drawn centred on (lon, lat)."""
    x, y = view.project(lon, lat)
    w, h = text_size(text, font)
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


#: plotly.js legend metrics (measured on exported SVGs at 13, 16 and 17 px): each entry is
#: its line sample and gap (40 px) before the text, the box pads ~6 px; a row is 1.3 em + 8 px.
LEGEND_SAMPLE_PX = 40
LEGEND_PAD_PX = 6


def legend_box(
    layout: dict[str, Any], entries: list[str], width: float, height: float
) -> tuple[float, float, float, float]:
    """Estimated (x0, y0, x1, y1) in px of the legend of `entries` (paper x/y and anchors)."""
    spec = layout.get("legend") or {}
    font = (spec.get("font") or {}).get("size") or (layout.get("font") or {}).get("size", 12)
    items = [LEGEND_SAMPLE_PX + text_size(text, font)[0] for text in entries]
    row = 1.3 * font + 8
    if spec.get("orientation") == "h":
        w, h = sum(items) + LEGEND_PAD_PX, row
    else:
        w, h = max(items) + LEGEND_PAD_PX, row * len(entries)
    left, top, pw, ph = plot_area(layout, width, height)
    fx, fy = spec.get("x", 1.02), spec.get("y", 1)
    x, y = left + pw * fx, top + ph * (1 - fy)
    x0 = {"left": x, "center": x - w / 2, "right": x - w}[_anchor(spec, "xanchor", fx, "x")]
    y0 = {"top": y, "middle": y - h / 2, "bottom": y - h}[_anchor(spec, "yanchor", fy, "y")]
    return x0, y0, x0 + w, y0 + h


def _anchor(spec: dict[str, Any], key: str, frac: float, axis: str) -> str:
    """plotly's "auto" anchor: the side nearest the paper edge (thirds of the paper)."""
    given = spec.get(key, "auto")
    if given != "auto":
        return str(given)
    ends = ("left", "center", "right") if axis == "x" else ("bottom", "middle", "top")
    return ends[0] if frac <= 1 / 3 else ends[2] if frac >= 2 / 3 else ends[1]
