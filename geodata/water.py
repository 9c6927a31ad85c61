"""The shipped water layer (长江, 汉江, large lakes), drawn under the labels on every map.

Written by scripts/make_water.py from GSHHG (LGPL-3.0); the app only reads the small file.
Kept apart from boundaries: water is backdrop, never a place tasks are tagged to.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from geodata.boundaries import DATA_DIR

WATER_FILE = DATA_DIR / "water.geojson"
#: Said wherever the map is shown or exported (the footer's source line, the legend).
WATER_SOURCE = "水系：GSHHG 2.3.7（LGPL）"


@functools.cache
def load_water(path: Path = WATER_FILE) -> dict[str, Any]:
    """The water FeatureCollection, each feature given an id (plotly's featureidkey needs one).

    Cached: the file is static package data, read once per process."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    for i, feature in enumerate(collection["features"]):
        feature["id"] = f"water-{i}"
    return collection
