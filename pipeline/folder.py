"""Write a data folder all at once: a failed build never leaves a half-written folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

#: A file every data folder has; a non-empty folder without it is not ours to replace.
MARKER_FILE = "plans.csv"


class OutputError(ValueError):
    """The output folder cannot be written or replaced; the message names it."""


def write_folder(out: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` to fill a fresh folder beside `out`, then swap it into place."""
    _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a data folder is not
    try:
        write(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old")
    if out.exists():
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER_FILE).exists():
        raise OutputError(
            f"{out}: is a non-empty folder that is not a Task Atlas data folder; "
            "choose another --out"
        )
