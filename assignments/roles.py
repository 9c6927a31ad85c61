"""The role-marker words of a unit annotation (牵头单位: / 责任单位: …): one table, read everywhere.

The parser recognises an annotation, a unit line, a nested `〈责任单位:…〉` and a stray role
prefix on a unit from these words only, so a word added here is understood by every reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from assignments.schema import ROLE_LEAD, ROLE_RESPONSIBLE

#: Role word as written → the role it gives its units. 主办单位 leads like 牵头单位; the other
#: words (配合, 参与, 协办) name units that share the work, recorded as responsible.
ROLE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "牵头单位": ROLE_LEAD,
        "主办单位": ROLE_LEAD,
        "责任单位": ROLE_RESPONSIBLE,
        "配合单位": ROLE_RESPONSIBLE,
        "参与单位": ROLE_RESPONSIBLE,
        "协办单位": ROLE_RESPONSIBLE,
    }
)

#: A regular-expression group (capturing) that matches any role word.
ROLE_WORD = "(" + "|".join(re.escape(word) for word in ROLE_WORDS) + ")"
#: The same alternation without a capturing group, for use inside larger patterns.
ROLE_WORD_NC = "(?:" + "|".join(re.escape(word) for word in ROLE_WORDS) + ")"


def role_of(word: str) -> str:
    """The role a role word gives its units (an unknown word reads as responsible)."""
    return ROLE_WORDS.get(word, ROLE_RESPONSIBLE)


#: The tail of a role word cut by a line break (`位:`, `单位:`, `任单位:`), at the start of a line.
ROLE_WORD_TAIL = (
    "("
    + "|".join(
        re.escape(tail)
        for tail in sorted(
            {w[i:] for w in ROLE_WORDS for i in range(1, len(w))}, key=len, reverse=True
        )
    )
    + ")"
)


def role_of_tail(tail: str) -> str:
    """The role a cut role word gives: read from what survives (`任单位` → responsible); a tail
    shared by several words (`单位`, `位`) reads as responsible, the role named last."""
    roles = {role for word, role in ROLE_WORDS.items() if word.endswith(tail)}
    return roles.pop() if len(roles) == 1 else ROLE_RESPONSIBLE
