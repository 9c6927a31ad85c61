"""Fuzz the parser with mutations of the real bundled documents; count items it loses.

A numbered item line (`12.…`) of the original document is *lost* in a mutant when the mutant's
coverage files it as noise, metadata or a heading, or joins it to another item as a
continuation: it is kept when it starts a task, is reported `unparsed` or is `context`.
The same mutants are parsed by this tree and by a baseline git revision (exported to a
temporary folder), side by side.
Also prints the tasks kept under the forum variants of issue 7 (second post, quoted reply).

    .venv/bin/python benchmarks/parser_fuzz.py                 # 1000 mutants, baseline eeb2016
    .venv/bin/python benchmarks/parser_fuzz.py --count 200 --baseline main
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "assignments" / "sources"
DOCUMENTS = (
    "14th-five-year-plan-task-division.txt",
    "15th-five-year-plan-proposal_spam-header.txt",
    "2023-work-report-tasks_pdf-extract.txt",
    "2023-work-report-tasks_partial-web-copy.txt",
    "2024-work-report-tasks_forum-repost.txt",
)
FORUM = "2024-work-report-tasks_forum-repost.txt"
MUTATIONS = ("drop", "duplicate", "shuffle", "inject", "bare_number")
#: Text a mutation may inject: forum chatter, a date line, page debris, a stray sentence.
INJECTED = (
    "其实这也是武汉居民财富与同类型城市比较偏低的原因。",
    "2024年1月2日,工信部公示名单,",
    "yellowcranetower",
    "(牵头单位:市发改委)",
    "——",
    "一、",
    "附件",
    "帖子: 1186",
)
NUMBERED = re.compile(r"^\s*(\d{1,3}\s*[.、．]\s*\S|[(（][一二三四五六七八九十]+[)）])")
KEPT_PREFIXES = ("item ", "unnumbered item", "unit line of a chapter")
DEFAULT_BASELINE = "eeb2016"  # main before the issue-7 parser work

Mutation = tuple[str, int, int]


def mutate(lines: Sequence[str], ops: Sequence[Mutation]) -> list[str]:
    """Apply mutations (kind, a, b) in order; positions are taken modulo the length."""
    out = list(lines)
    for kind, a, b in ops:
        n = len(out)
        if n == 0:
            break
        i, j = a % n, b % (n + 1)
        if kind == "drop":
            del out[i]
        elif kind == "duplicate":
            out.insert(j, out[i])
        elif kind == "shuffle":
            j = b % n
            out[i], out[j] = out[j], out[i]
        elif kind == "inject":
            out.insert(j, INJECTED[a % len(INJECTED)])
        elif kind == "bare_number":
            out.insert(j, f"{a % 300 + 1}.")
    return out


def item_lines(coverage: Sequence[tuple[int, str, str]], lines: Sequence[str]) -> set[str]:
    """The texts of the numbered lines (`12.…`, `12、…`) that start an item in a parse."""
    return {
        lines[no - 1].strip()
        for no, status, detail in coverage
        if status == "task" and detail.startswith("item ") and NUMBERED.match(lines[no - 1])
    }


def lost_lines(
    originals: set[str], coverage: Sequence[tuple[int, str, str]], lines: Sequence[str]
) -> list[int]:
    """Line numbers of the mutant holding an original item line that the parse lost."""
    lost = []
    for no, status, detail in coverage:
        if lines[no - 1].strip() not in originals:
            continue
        kept = status in ("unparsed", "context") or (
            status == "task" and detail.startswith(KEPT_PREFIXES)
        )
        if not kept:
            lost.append(no)
    return lost


def random_ops(rng: random.Random) -> list[Mutation]:
    count = rng.randint(1, 4)
    return [
        (rng.choice(MUTATIONS), rng.randrange(10**6), rng.randrange(10**6)) for _ in range(count)
    ]


def forum_variants(lines: Sequence[str]) -> dict[str, list[str]]:
    """The two forum shapes of issue 7, built from the real forum repost."""
    chrome = ["", "yellowcranetower", "帖子: 1186", "注册时间: 周二 7月 14, 2020 5:30 pm", ""]
    chrome += ["Re: 武汉新城能否成功?", "", "帖子 yellowcranetower » 周三 2月 07, 2024 4:50 am", ""]
    after_150 = next(i for i, line in enumerate(lines) if line.startswith("151.")) - 1
    second_post = [*lines[:after_150], *chrome, *lines[after_150:]]
    item_185 = next(line for line in lines if line.startswith("185."))
    reply = [*chrome, "引用:", item_185, "", "这一条说得好。", ""]
    second = next(i for i, line in enumerate(lines) if i and line == "yellowcranetower") - 1
    quoted = [*lines[:second], *reply, *lines[second:]]  # a reply between two earlier posts
    return {"second post (chrome between 150 and 151)": second_post, "quoted 185. reply": quoted}


def measure(count: int, seed: int) -> dict[str, object]:
    """Parse the forum variants and `count` mutants with the code on sys.path."""
    from assignments.document import parse_document
    from assignments.reading import SourceError, SourceText

    def parse(lines: list[str]) -> tuple[int, list[tuple[int, str, str]]]:
        doc = parse_document(SourceText(Path("mutant.txt"), tuple(lines), "utf-8"))
        return len(doc.tasks), [(c.line_no, c.status, c.detail) for c in doc.coverage]

    texts = {name: (SOURCES / name).read_text("utf-8").split("\n") for name in DOCUMENTS}
    variants = {name: parse(v)[0] for name, v in forum_variants(texts[FORUM]).items()}
    baseline = {name: parse(lines) for name, lines in texts.items()}
    rng = random.Random(seed)
    mutants = parsed = with_loss = lost_total = collapsed = 0
    for _ in range(count):
        name = rng.choice(DOCUMENTS)
        ops = random_ops(rng)
        original = item_lines(baseline[name][1], texts[name])
        lines = mutate(texts[name], ops)
        mutants += 1
        try:
            n_tasks, coverage = parse(lines)
        except SourceError:
            continue
        parsed += 1
        lost = lost_lines(original, coverage, lines)
        with_loss += bool(lost)
        lost_total += len(lost)
        collapsed += n_tasks < baseline[name][0] // 2
    return {
        "forum variants (tasks kept of 302)": variants,
        "mutants": mutants,
        "parsed": parsed,
        "mutants with lost items": with_loss,
        "item lines lost": lost_total,
        "mutants left with < half the tasks": collapsed,
    }


def _run_baseline(rev: str, count: int, seed: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        code = (
            f"import sys; sys.path.insert(0, {tmp!r}); sys.path.insert(1, {str(ROOT)!r});"
            "import json, benchmarks.parser_fuzz as f;"
            f"print(json.dumps(f.measure({count}, {seed}), ensure_ascii=False))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tmp
        ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision to compare")
    args = parser.parse_args(argv)
    runs: dict[str, Callable[[], dict[str, object]]] = {
        f"baseline {args.baseline}": lambda: _run_baseline(args.baseline, args.count, args.seed),
        "this tree": lambda: measure(args.count, args.seed),
    }
    results = {label: run() for label, run in runs.items()}
    keys = list(next(iter(results.values())))
    print(f"{'':40s}" + "".join(f"{label:>28s}" for label in results))
    for key in keys:
        cells = [results[label][key] for label in results]
        if isinstance(cells[0], dict):
            print(key)
            for sub in cells[0]:
                print(f"  {sub:38s}" + "".join(f"{c[sub]:>28}" for c in cells))  # type: ignore[index]
        else:
            print(f"{key:40s}" + "".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()
