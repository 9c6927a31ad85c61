"""The map's plotly config: offline, Chinese toolbar, no cloud controls (issue 9, item 1)."""

from __future__ import annotations

from typing import Any

#: Registered by assets/plotly-locale-zh-cn.js (plotly.js's own zh-CN locale, served locally).
LOCALE = "zh-CN"
#: Modebar buttons that are not wanted: selection tools select nothing on this map; the camera
#: made a PNG with no title, filters or source, so the page's 导出图片 (one export assembly)
#: replaces it; the cloud/Chart Studio buttons would send the data off the machine.
REMOVED_BUTTONS = [
    "select2d",
    "lasso2d",
    "toImage",
    "sendDataToCloud",
    "editInChartStudio",
]
MAP_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "locale": LOCALE,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "sendData": False,
    "modeBarButtonsToRemove": REMOVED_BUTTONS,
}
