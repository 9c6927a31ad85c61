"""The browser reads and writes the URL by the same rules as the server (issue 13).

assets/urlsync.js keeps URL and filter controls in step without a server round trip; it
mirrors dashboard/urlstate.py (parse_query, to_query) from the rules `browser_spec` puts in
the page. Here both sides read the same queries, hand-picked edge cases and random ones, and
must agree on the state, the notices and the canonical URL.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import quote

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from dashboard.data import AtlasData
from dashboard.fieldkinds import vocabulary
from dashboard.urlstate import browser_spec, parse_query, to_query
from dashboard.viewstate import FIELDS, MAX_KEYWORD, Filters

pytestmark = pytest.mark.browser
Wait = Callable[..., object]

EDGE_CASES = [
    "",
    "?",
    "??plan=wr2024",
    "?plan=wr2024&plan=wr2024&plan=nope&plan=wr2023",
    "?place=江夏区&place=北京",
    "?sector=&agency=",
    "?mode=all&mode=specific",
    "?mode=bad&role=boss&zones=maybe",
    "?zones=0",
    "?zones=1",
    "?zones=0&zones=1",
    "?foo=1&bar=&baz=2&=x",
    "?q=+a+b+",
    "?q=%E6%B1%9F%E5%A4%8F",
    "?q=%zz%E6%B1",
    "?q=%E6%97a%A5",
    "?q=~*'()!",
    "?q=" + "长" * (MAX_KEYWORD + 5),
    "?q=" + "😀" * (MAX_KEYWORD + 1),
    "?q=a%26b%3Dc",
    "?link=group&link=named",
    "?plan&sector",
    "?a=1&&b=2",
]


def _random_query(rng: random.Random, vocab: Any) -> str:
    """A pasted link: known and unknown keys, good and bad values, odd characters."""
    pools = {
        "plan": [*sorted(vocab.plans), "nope"],
        "sector": [*sorted(vocab.sectors)[:5], "不存在"],
        "agency": [*sorted(vocab.agencies)[:5], "某某局"],
        "role": ["lead", "any", "boss", ""],
        "link": [*sorted(vocab.links), "group"],
        "q": ["江夏", " 光谷 ", "a+b", "100%", "~x*", "", "x" * 60],
        "mode": ["specific", "all", "bad"],
        "place": [*sorted(vocab.places)[:5], "北京"],
        "zones": ["0", "1", "2"],
        "junk": ["1"],
    }
    parts = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(list(pools))
        parts.append(quote(key) + "=" + quote(rng.choice(pools[key]), safe=rng.choice(["", "~"])))
    return ("?" if parts or rng.random() < 0.5 else "") + "&".join(parts)


def _as_browser(state: Filters) -> dict[str, Any]:
    """Filters as urlsync.js holds a state: lists, strings, null, booleans."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(state, name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, StrEnum):
            value = str(value)
        out[name] = value
    return out


def test_browser_reads_and_writes_urls_as_the_server_does(
    browser: WebDriver, wait: Wait, app_url: str, atlas_data: AtlasData
) -> None:
    vocab = vocabulary(atlas_data)
    spec = browser_spec(vocab)
    rng = random.Random(13)
    queries = EDGE_CASES + [_random_query(rng, vocab) for _ in range(300)]
    browser.get(app_url + "/")
    wait(lambda d: d.execute_script("return !!(window.dash_clientside.atlas_url)"))
    got = browser.execute_script(
        "const u = window.dash_clientside.atlas_url;"
        "return arguments[0].map(q => { const [s, n] = u.parseQuery(q, arguments[1]);"
        " return [s, n, u.toQuery(s, arguments[1])]; });",
        queries,
        spec,
    )
    for query, (state, notices, canonical) in zip(queries, got, strict=True):
        parsed, expected = parse_query(query, vocab)
        assert (state, notices) == (_as_browser(parsed), list(expected)), query
        assert canonical == to_query(parsed), query
    # the cases exercise every notice
    seen = " ".join(n for _, ns, _ in got for n in ns)
    for word in ("未知参数", "未知计划", "无效的计数口径", "关键词超过", "未知地点"):
        assert word in seen
