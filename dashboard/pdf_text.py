"""Make Chromium's PDFs searchable in Chinese and give them our title.

Noto Sans CJK draws a radical such as ⻩ (U+2EE9) and the ideograph 黄 (U+9EC4) with one glyph.
Chromium's PDF writer (Skia) maps each glyph back to the *lowest* code point the font gives it,
so copying 黄陂区 out of an exported PDF gives ⻩陂区 and a search for 黄 finds nothing
(issue 9, item 4). `fix_pdf` rewrites each font's ToUnicode map: a radical code point goes to
the ideograph that shares its glyph in the font actually used (read with fontTools), or its
NFKC form when the font file cannot be read. It also sets the document title, which kaleido
leaves as "Kaleido-fier".
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import unicodedata
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
UNIFIED = range(0x4E00, 0xA000)
CJK_FONT = "Noto Sans CJK SC"
CREATOR = "任务地图 Task Atlas"
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|\[|\]")
_BLOCK = 100  # entries per bfchar block (the CMap format's limit)


def _font_path(family: str) -> str | None:
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or None


@functools.cache
def radical_map(family: str = CJK_FONT) -> dict[int, int]:
    """Radical code point → the unified ideograph drawn with the same glyph in `family`."""
    mapping = {
        cp: ord(unicodedata.normalize("NFKC", chr(cp)))
        for cp in RADICALS
        if len(unicodedata.normalize("NFKC", chr(cp))) == 1
        and ord(unicodedata.normalize("NFKC", chr(cp))) in UNIFIED
    }
    path = _font_path(family)
    if path is None:
        return mapping
    try:
        from fontTools.ttLib import TTCollection, TTFont

        fonts = TTCollection(path, lazy=True).fonts if path.endswith(".ttc") else [TTFont(path)]
        font = next((f for f in fonts if f["name"].getDebugName(1) == family), fonts[0])
        cmap = font.getBestCmap()
    except Exception:  # an unreadable font only loses the supplement radicals
        return mapping
    by_glyph: dict[str, int] = {}
    for cp in sorted(cmap):
        if cp in UNIFIED:
            by_glyph.setdefault(cmap[cp], cp)
    for cp in RADICALS:
        if cp in cmap and cmap[cp] in by_glyph:
            mapping[cp] = by_glyph[cmap[cp]]
    return mapping


def _fix_text(hex_text: bytes, mapping: dict[int, int]) -> bytes:
    """UTF-16BE hex → the same with radicals replaced."""
    raw = bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="surrogatepass")
    fixed = "".join(chr(mapping.get(ord(c), ord(c))) for c in raw)
    return fixed.encode("utf-16-be", errors="surrogatepass").hex().upper().encode()


def _entries(cmap: bytes) -> dict[bytes, bytes]:
    """Source code (hex) → destination text (hex) for every bfchar and bfrange entry."""
    out: dict[bytes, bytes] = {}
    for block in _BFCHAR.findall(cmap):
        tokens = [m.group(1) for m in _TOKEN.finditer(block)]
        out.update(zip(tokens[0::2], tokens[1::2], strict=False))
    for block in _BFRANGE.findall(cmap):
        tokens = [m.group(0) for m in _TOKEN.finditer(block)]
        i = 0
        while i + 2 < len(tokens):
            lo, hi = int(tokens[i][1:-1], 16), int(tokens[i + 1][1:-1], 16)
            width = len(tokens[i]) - 2
            codes = [f"{c:0{width}X}".encode() for c in range(lo, hi + 1)]
            if tokens[i + 2] == b"[":
                end = tokens.index(b"]", i + 3)
                out.update(zip(codes, (t[1:-1] for t in tokens[i + 3 : end]), strict=False))
                i = end + 1
                continue
            start = int(tokens[i + 2][1:-1], 16)
            dwidth = len(tokens[i + 2]) - 2
            out.update((c, f"{start + k:0{dwidth}X}".encode()) for k, c in enumerate(codes))
            i += 3
    return out


def fix_cmap(cmap: bytes, mapping: dict[int, int]) -> bytes:
    """A ToUnicode CMap with radical destinations replaced (re-emitted as bfchar blocks)."""
    entries = _entries(cmap)
    fixed = {src: _fix_text(dst, mapping) for src, dst in entries.items()}
    if fixed == entries:
        return cmap
    items = list(fixed.items())
    blocks = b"".join(
        f"{len(chunk)} beginbfchar\n".encode()
        + b"".join(b"<" + s + b"> <" + d + b">\n" for s, d in chunk)
        + b"endbfchar\n"
        for chunk in (items[i : i + _BLOCK] for i in range(0, len(items), _BLOCK))
    )
    head = _BFRANGE.sub(b"", _BFCHAR.sub(b"", cmap))
    # drop the counts left in front of the removed blocks ("3 " before beginbfchar)
    head = re.sub(rb"\n\d+\s*\n", b"\n", head)
    return head.replace(b"endcmap", blocks + b"endcmap", 1)


def _fonts(resources: Any) -> list[Any]:
    fonts = []
    font_dict = resources.get("/Font") if resources else None
    for ref in (font_dict or {}).values():
        font = ref.get_object()
        fonts.append(font)
        fonts += [d.get_object() for d in font.get("/DescendantFonts") or []]
    for xobject in ((resources or {}).get("/XObject") or {}).values():
        xobj = xobject.get_object()
        if xobj.get("/Resources"):
            fonts += _fonts(xobj["/Resources"].get_object())
    return fonts


def fix_pdf(content: bytes, title: str) -> bytes:
    """The PDF with searchable Chinese text and `title` as its document title."""
    mapping = radical_map()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    seen: set[int] = set()
    for page in writer.pages:
        for font in _fonts(page.get("/Resources")):
            stream = font.get("/ToUnicode")
            if stream is None or id(stream.get_object()) in seen:
                continue
            obj = stream.get_object()
            seen.add(id(obj))
            new = fix_cmap(obj.get_data(), mapping)
            replacement = DecodedStreamObject()
            replacement.set_data(new)
            font[NameObject("/ToUnicode")] = writer._add_object(replacement)
    writer.add_metadata({"/Title": title, "/Creator": CREATOR, "/Producer": CREATOR})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
