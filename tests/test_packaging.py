"""Setup files: the package declaration and the install script."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return dict(config["tool"]["setuptools"])


def test_every_importable_folder_is_declared() -> None:
    """setuptools warns ("Package would be ignored") for a folder inside a package that is not
    in `packages`; the data folders are such folders, so each is declared with its data files."""
    packages = set(_setuptools()["packages"])  # type: ignore[call-overload]
    undeclared = [
        ".".join(sub.relative_to(ROOT).parts)
        for name in sorted(packages)
        for sub in (ROOT / name.replace(".", "/")).iterdir()
        if sub.is_dir() and sub.name.isidentifier() and not sub.name.startswith("__")
        if ".".join(sub.relative_to(ROOT).parts) not in packages
    ]
    assert undeclared == []


def test_every_data_file_is_shipped() -> None:
    package_data: dict[str, list[str]] = _setuptools()["package-data"]  # type: ignore[assignment]
    for package in ("assignments.data", "assignments.sources", "geodata.data"):
        folder = ROOT / package.replace(".", "/")
        shipped = {p for pattern in package_data[package] for p in folder.glob(pattern)}
        assert shipped == {p for p in folder.iterdir() if p.is_file()}, package


def test_apt_installs_no_recommended_packages() -> None:
    """Recommended packages of chromium pull ~200 more (systemd, avahi, cups)."""
    script = (ROOT / "dev.sh").read_text("utf-8")
    installs = re.findall(r"apt-get install[^\n]*", script)
    assert installs and all("--no-install-recommends" in line for line in installs)


def test_benchmark_code_is_not_shipped() -> None:
    import importlib.util

    assert importlib.util.find_spec("geodata.quality") is None
    assert (ROOT / "benchmarks" / "quality.py").is_file()
