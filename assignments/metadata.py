"""Plan metadata: the corpus manifest, and inference from a document's own text."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from assignments.model import PlanMeta
from assignments.reading import SOURCE_SUFFIXES, read_regular_file

MANIFEST_NAME = "manifest.toml"
MAX_MANIFEST_BYTES = 1024 * 1024
YEARS = (1949, 2100)  # plan years this product can mean
#: The keys a manifest may use; any other is a typo (`yaer`) that would be ignored silently.
PLAN_KEYS = (
    "plan_id",
    "title",
    "kind",
    "year",
    "period",
    "doc_no",
    "issuer",
    "issued_on",
    "sources",
)
SOURCE_KEYS = ("file", "notes")
PLAN_KINDS = ("年度政府工作报告任务分解", "五年规划纲要任务分工", "五年规划建议")
_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,6}〔\d{4}〕\d+号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISSUER_LINE = re.compile(r"^(武汉市人民政府(办公厅)?|中共武汉市委(办公厅)?)(文件)?$")
_ISSUER_FIELD = re.compile(r"发文机构:\s*(.+?)\s*(?=发文字号|主题分类|成文日期|索引号|$)")
_NOTICE_TITLE = re.compile(r"关于印发(.+?)的通知")
_FIVE_YEAR = {"十四": (14, 2021), "十五": (15, 2026), "十三": (13, 2016)}


@dataclass(frozen=True)
class ManifestEntry:
    """A plan's metadata and its source files (the first is the primary copy)."""

    meta: PlanMeta
    files: tuple[str, ...]
    notes: tuple[str, ...]
    period: str


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names the file and the key."""


def read_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """Entries of `folder/manifest.toml` keyed by file name; {} when there is none.

    Every problem is a ManifestError naming the file, the plan and the key; a listed source
    file that is not in the folder is one too (a typo would otherwise drop the metadata).
    """
    path = folder / MANIFEST_NAME
    if not os.path.lexists(path):
        return {}  # a manifest that is there but unreadable (a loop, a device) is an error
    try:
        data = tomllib.loads(read_regular_file(path, MAX_MANIFEST_BYTES).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None
    _unknown_keys(str(path), data, ("plan",))
    plans = data.get("plan", [])
    if not isinstance(plans, list):
        raise ManifestError(f"{path}: 'plan' must be a list of [[plan]] tables")
    entries: dict[str, ManifestEntry] = {}
    listed_by: dict[str, int] = {}
    ids: dict[str, int] = {}
    for n, plan in enumerate(plans, start=1):
        if not isinstance(plan, dict):
            raise ManifestError(
                f"{path}: plan #{n} is {plan!r}, not a table (write each plan as [[plan]])"
            )
        entry = _entry(path, n, plan)
        if entry.meta.plan_id in ids:
            raise ManifestError(
                f"{path}: plan #{n} has the plan_id {entry.meta.plan_id!r} of plan "
                f"#{ids[entry.meta.plan_id]}; list every copy of a plan in one [[plan]]"
            )
        ids[entry.meta.plan_id] = n
        for file in entry.files:
            _check_listed_file(path, n, file, folder)
            if file in listed_by:
                raise ManifestError(
                    f"{path}: plan #{n} lists {file!r}, already listed by plan #{listed_by[file]}"
                )
            listed_by[file] = n
            entries[file] = entry
    return entries


def _check_listed_file(path: Path, n: int, file: str, folder: Path) -> None:
    """A listed source is a document's plain name in the manifest's folder: a path
    (`../x.txt`, `/etc/passwd`) or a file that is not a document would never be matched,
    and the plan's metadata would be dropped without a word."""
    where = f"{path}: plan #{n} lists {file!r}"
    if Path(file).name != file or file in ("", ".", ".."):
        raise ManifestError(f"{where}: write the file's name only, without a folder")
    if Path(file).suffix.lower() not in SOURCE_SUFFIXES:
        raise ManifestError(f"{where}: not a document ({', '.join(SOURCE_SUFFIXES)})")
    if not (folder / file).is_file():
        raise ManifestError(f"{where}, which is not in {folder}")


def _unknown_keys(where: str, table: dict[str, object], known: tuple[str, ...]) -> None:
    unknown = [k for k in table if k not in known]
    if unknown:
        raise ManifestError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(known)})"
        )


def _entry(path: Path, n: int, plan: dict[str, object]) -> ManifestEntry:
    where = f"{path}: plan #{n}"
    for key in ("plan_id", "title", "kind", "sources"):
        if key not in plan:
            raise ManifestError(f"{where} has no '{key}'")
    if plan["kind"] not in PLAN_KINDS:
        raise ManifestError(f"{where}: kind must be one of {', '.join(PLAN_KINDS)}")
    _unknown_keys(where, plan, PLAN_KEYS)
    for key in ("plan_id", "title", "doc_no", "issuer", "issued_on", "period"):
        if not isinstance(plan.get(key, ""), str):
            raise ManifestError(f"{where}: '{key}' must be text in quotes")
    for key in ("plan_id", "title"):
        if not str(plan[key]).strip():
            raise ManifestError(f"{where}: '{key}' is empty")
    files, notes = _sources(where, plan["sources"])
    meta = PlanMeta(
        plan_id=str(plan["plan_id"]),
        title=str(plan["title"]),
        kind=str(plan["kind"]),
        year=_manifest_year(where, plan.get("year")),
        doc_no=str(plan.get("doc_no", "")),
        issuer=str(plan.get("issuer", "")),
        issued_on=str(plan.get("issued_on", "")),
    )
    return ManifestEntry(meta, files, notes, str(plan.get("period", "")))


def _sources(where: str, sources: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The `sources` list: tables with a `file` (and optional `notes`)."""
    if not isinstance(sources, list) or not sources:
        raise ManifestError(f"{where}: 'sources' must list at least one file")
    files, notes = [], []
    for i, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or not isinstance(source.get("file"), str):
            raise ManifestError(
                f"{where}: source #{i} must be a table with a file name, "
                f'e.g. {{ file = "report.txt", notes = "" }}, not {source!r}'
            )
        _unknown_keys(f"{where}: source #{i}", source, SOURCE_KEYS)
        files.append(source["file"])
        notes.append(str(source.get("notes", "")))
    return tuple(files), tuple(notes)


def _manifest_year(where: str, year: object) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise ManifestError(
            f"{where}: year must be a year between {YEARS[0]} and {YEARS[1]} "
            f"written as a number (year = 2024), not {year!r}"
        )
    return year


def infer_meta(lines: list[str], title_lines: list[str], file_name: str) -> PlanMeta:
    """Metadata from the document's own text; `missing` names what could not be found."""
    head = lines[:80]
    title = "".join(title_lines) or _notice_title(head)
    kind = _kind(title)
    found = {
        "title": title,
        "kind": kind,
        "doc_no": _first(_DOC_NO, head),
        "issuer": _issuer(head),
        "issued_on": _issued_on(head),
    }
    year = _year(title, found["issued_on"])
    meta = PlanMeta(
        plan_id=_plan_id(kind, year, title, file_name),
        title=found["title"],
        kind=found["kind"],
        year=year,
        doc_no=found["doc_no"],
        issuer=found["issuer"],
        issued_on=found["issued_on"],
    )
    missing = tuple(k for k, v in found.items() if not v) + (() if year else ("year",))
    inferred = tuple(k for k, v in found.items() if v) + (("year",) if year else ())
    return replace(meta, missing=missing, inferred=inferred)


def _notice_title(head: list[str]) -> str:
    for line in head:
        if m := _NOTICE_TITLE.search(line):
            return m.group(1).strip("《》")
    return ""


def _kind(title: str) -> str:
    if "政府工作报告" in title:
        return PLAN_KINDS[0]
    if "五年规划" in title and "建议" in title:
        return PLAN_KINDS[2]
    if "五年规划" in title or "纲要" in title:
        return PLAN_KINDS[1]
    return ""


def _first(pattern: re.Pattern[str], head: list[str]) -> str:
    for line in head:
        if m := pattern.search(line):
            return m.group(0)
    return ""


def _issuer(head: list[str]) -> str:
    for line in head:
        if m := _ISSUER_FIELD.search(line):
            return m.group(1)
        if m := _ISSUER_LINE.match(line):
            return m.group(1)
    return ""


def _issued_on(head: list[str]) -> str:
    for line in head:
        m = _DATE.search(line)
        if m and ("成文日期" in line or _DATE.fullmatch(line)):
            y, mo, d = (int(g) for g in m.groups())
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def _year(title: str, issued_on: str) -> int | None:
    if m := re.search(r"(\d{4})\s*年", title):
        return int(m.group(1))
    return int(issued_on[:4]) if issued_on else None


def _plan_id(kind: str, year: int | None, title: str, file_name: str) -> str:
    if kind == PLAN_KINDS[0] and year:
        return f"wr{year}"
    if period := five_year_period(title):
        n = _FIVE_YEAR[period][0]
        return f"fyp{n}" if kind == PLAN_KINDS[1] else f"fyp{n}-proposal"
    stem = re.sub(r"[^a-z0-9]+", "-", Path(file_name).stem.lower()).strip("-")
    return stem or "plan"


def five_year_period(title: str) -> str | None:
    """The ordinal of the five-year period a title names (十四 for 第十四个五年规划 / 十四五)."""
    for cn in _FIVE_YEAR:
        if f"第{cn}个五年" in title or f"{cn}五" in title:
            return cn
    return None
