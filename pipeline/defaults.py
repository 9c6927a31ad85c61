"""What every `task-atlas` command shares: the default data folder and the exit codes."""

from __future__ import annotations

from pathlib import Path

#: The data folder `build` writes and `serve`/`export` read when no folder is named. It is the
#: only folder a command builds without being asked (see cli.main).
DEFAULT_DATA_DIR = Path("data")

EXIT_OK = 0  # done
EXIT_FAILED = 1  # the input or the output could not be used; one line on stderr says why
EXIT_USAGE = 2  # the command line itself is wrong (argparse's own code)


def error_text(exc: Exception) -> str:
    """An error in words for the one stderr line: an OS error as `file: reason`, never
    `[Errno 30] Read-only file system: '/tmp/.data.new-x1y2'`."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)
