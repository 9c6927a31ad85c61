"""Write a data folder all at once, and never delete anything `build` did not write.

A folder may be replaced only when it carries the marker file `build` writes (MARKER_FILE, with
the format version and the list of files written) and holds nothing else; any other file is
named and the build refuses. The new folder is written beside the old one, then swapped in by
two renames (old → `.NAME.old`, new → NAME). A crash between the two leaves only `.NAME.old`:
`recover()` (called by every command before it touches a data folder) renames it back.

Writers take a lock on the parent folder (flock, released by the kernel when a process dies), so
two builds into one folder at once run one after the other instead of pulling each other's
folders away. A folder being written carries the marker from the start, so what a crash leaves
half-written is known to be build's own and is removed by the next build.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from assignments.schema import DATA_FILES

#: The file that says "task-atlas build wrote this folder"; it lists the files it wrote.
MARKER_FILE = ".task-atlas-data"
FORMAT_VERSION = 1
MAX_LISTED = 5


class OutputError(ValueError):
    """The output folder cannot be written or replaced; the message names it."""


def write_folder(out: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` to fill a fresh folder beside the target, then swap it into place.

    `out` may be a symbolic link to a data folder: the link stays, its target is replaced.
    Returns the folder written (the link's target for a link). An OS error (a full disk, a
    read-only folder) is an OutputError naming `out`; the previous folder is left as it was.
    """
    target = target_of(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(target, exc) from None
    with _locked(target.parent):
        check_target(target)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        except OSError as exc:
            raise _os_error(target, exc) from None
        try:
            tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a data folder is not
            _write_marker(tmp, DATA_FILES)  # from the start: a crash leaves a folder known as ours
            write(tmp)
            _write_marker(tmp)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _os_error(target, exc) from None
            raise
        try:
            _swap(tmp, target)
        except OSError as exc:  # e.g. an empty --out that is a mount point: nothing of ours stays
            shutil.rmtree(tmp, ignore_errors=True)
            raise _os_error(target, exc) from None
    return target


def check_target(out: Path) -> Path:
    """The folder `out` names, once it is known that a build may replace it (OutputError if not).

    Called before a build starts too, so a wrong --out fails at once, not after the parse.
    """
    target = target_of(out)
    recover(target)
    _check_replaceable(target)
    return target


def target_of(out: Path) -> Path:
    """The real folder `out` names: absolute, through a symbolic link, never the working folder.

    `--out .` (or a folder the command runs inside) cannot be replaced without pulling the
    working folder away from under the user's shell: refused before anything is written.
    """
    target = real_folder(out)
    here = Path.cwd().resolve()
    try:
        resolved = target.resolve()
    except (RuntimeError, OSError):  # Path.resolve's "Symlink loop from …", with a traceback
        raise OutputError(f"{out}: a symbolic link loop (or a folder inside one)") from None
    if resolved in (here, *here.parents):
        raise OutputError(
            f"{out}: is the current folder (or contains it); name a sub-folder such as ./data"
        )
    return target


def real_folder(out: Path) -> Path:
    """`out` made absolute, through a symbolic link (the link's target is the folder)."""
    return Path(os.path.realpath(out)) if out.is_symlink() else Path(os.path.abspath(out))


def recover(out: Path) -> bool:
    """Put back the previous data folder if a swap was interrupted; True if it did.

    Under the writers' lock: a swap another build is making right now is not an interruption.
    """
    folder = real_folder(out)
    if not folder.parent.is_dir():
        return False
    with _locked(folder.parent):
        old = _old(folder)
        if os.path.lexists(folder) or not (old / MARKER_FILE).is_file():
            return False
        old.rename(folder)
    print(f"task-atlas: restored {folder} from an interrupted build", file=sys.stderr)
    return True


_HELD: set[Path] = set()  # parent folders this process has locked (the lock is re-entrant)


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold the writers' lock on `parent`; a second writer waits (with a note) for the first."""
    key = parent.resolve()
    if key in _HELD:
        yield
        return
    try:
        fd = os.open(key, os.O_RDONLY)
    except OSError:  # a folder that can be written but not listed: no lock, as before
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"task-atlas: waiting for another build writing in {parent} …", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): write unlocked
            pass
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _os_error(target: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"{target}: cannot write the data folder ({reason}); nothing was changed")


def is_data_folder(folder: Path) -> bool:
    """Whether `build` wrote this folder (it carries the marker)."""
    return (folder / MARKER_FILE).is_file()


def foreign_files(folder: Path) -> list[str]:
    """Names in `folder` that `build` did not write (all of them when there is no marker)."""
    written = _written(folder)
    return sorted(p.name for p in folder.iterdir() if p.name not in written)


def _written(folder: Path) -> set[str]:
    try:
        marker = json.loads((folder / MARKER_FILE).read_text("utf-8"))
        return {MARKER_FILE, *(str(name) for name in marker["files"])}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _check_replaceable(target: Path) -> None:
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not is_data_folder(target):
        names = foreign_files(target)
        if set(names) <= set(DATA_FILES):
            raise OutputError(
                f"{target}: looks like a data folder of an older task-atlas (no {MARKER_FILE} "
                "file, so build cannot tell it wrote it); delete it yourself or choose "
                "another --out"
            )
        raise OutputError(
            f"{target}: is a non-empty folder that is not a Task Atlas data folder "
            f"(no {MARKER_FILE} file; it holds {_listed(foreign_files(target))}); "
            "choose another --out"
        )
    foreign = foreign_files(target)
    if foreign:
        raise OutputError(
            f"{target}: holds files that task-atlas build did not write "
            f"({_listed(foreign)}); move them elsewhere, nothing was changed"
        )
    old = _old(target)
    if os.path.lexists(old) and (not old.is_dir() or foreign_files(old)):
        raise OutputError(f"{old}: is in the way and is not a leftover of build; move it away")


def _swap(tmp: Path, target: Path) -> None:
    """Move the new folder into place; the old one is removed only after the new one is in."""
    old = _old(target)
    if old.is_dir():
        _remove_ours(old)
    if target.is_dir() and any(target.iterdir()):
        target.rename(old)
    elif target.is_dir():
        target.rmdir()
    try:
        tmp.rename(target)
    except OSError:
        recover(target)
        raise
    for leftover in [old, *target.parent.glob(f".{target.name}.new-*")]:
        if leftover.is_dir() and is_data_folder(leftover) and not foreign_files(leftover):
            _remove_ours(leftover)  # the previous copy, or a folder a crash left (done or not)


def _remove_ours(folder: Path) -> None:
    """Delete the files `build` wrote, the marker last (a crash half-way leaves a folder still
    known as ours), then the folder; anything else keeps the folder."""
    try:
        for name in sorted(_written(folder) - {MARKER_FILE}):
            (folder / name).unlink(missing_ok=True)
        (folder / MARKER_FILE).unlink(missing_ok=True)
        folder.rmdir()
    except OSError as exc:
        print(f"task-atlas: kept {folder}: {exc.strerror or exc}", file=sys.stderr)


def _write_marker(folder: Path, planned: tuple[str, ...] | None = None) -> None:
    """The marker: the files written (or, while writing, the files that will be)."""
    written = (p.name for p in folder.iterdir() if p.name != MARKER_FILE)
    files = sorted(planned if planned is not None else written)
    marker = {"format": FORMAT_VERSION, "written_by": "task-atlas build", "files": files}
    (folder / MARKER_FILE).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def _old(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def _listed(names: list[str]) -> str:
    more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
    return ", ".join(names[:MAX_LISTED]) + more


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
