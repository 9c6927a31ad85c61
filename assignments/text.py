"""Text normalisation shared by the parser: width, punctuation and PDF spacing."""

from __future__ import annotations

import re

# Full-width forms that carry structure: the parser reads their ASCII twins.
_PUNCT = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "；": ";",
        "，": ",",
        "［": "[",
        "］": "]",
        "【": "[",
        "】": "]",
        "．": ".",
        "〈": "〈",
        "《": "《",
        "\u3000": " ",
        "\xa0": " ",
        "\ufeff": "",
        "\u200b": "",
    }
)

# Spaces between two ASCII letters/digits are real ("REITs 基金" keeps none, "D+M" none).
_SPACE = re.compile(r"\s+")
_KEEP_SPACE = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z])|(?<=[A-Za-z])\s+(?=[A-Za-z0-9])")


def to_halfwidth(text: str) -> str:
    """Fold full-width ASCII (Ａ-Ｚ, ０-９) and structural punctuation to half width."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out).translate(_PUNCT)


def squeeze_spaces(text: str) -> str:
    """Drop spaces the PDF extraction put inside Chinese text and numbers (`6.5 %`, `22 万`)."""
    text = text.strip()
    if not text:
        return text
    marked = _KEEP_SPACE.sub("\x00", text)
    return _SPACE.sub("", marked).replace("\x00", " ")


def normalise(text: str) -> str:
    """The canonical form of a line or joined item text."""
    return squeeze_spaces(to_halfwidth(text))
