"""Chinese text in Markdown: a line break between two Chinese characters is not a space.

Markdown turns a soft line break into a space, which is right between English words and wrong
between Chinese characters ("可以考取一个或多个 职业技能等级证书"). Hand-written pages and templates
wrap long Chinese paragraphs for the reader of the source, so every Markdown file of the docs tree
passes through `join_lines` before a renderer sees it.
"""

from __future__ import annotations

import re

# Han characters, CJK punctuation and full-width forms: the characters that never take a space
# between them in running Chinese text.
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# Emphasis markers may close a line or open the next ("按照\n**职业技能等级标准**").
_ENDS_CJK = re.compile(f"[{CJK}]\\**$")
_STARTS_CJK = re.compile(f"^[ \t]*(\\*\\*)?[{CJK}]")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
# Lines that are a whole block of their own: a heading or a table row never continues.
_STANDALONE = re.compile(r"^[ \t]*(#|\|)")


def join_lines(markdown: str) -> str:
    """Join a line ending in a Chinese character with the next line when that starts with one.

    A Chinese character cannot open a Markdown block (headings, lists, tables, quotes, fences and
    admonitions all start with ASCII punctuation or digits), so the next line is a continuation
    of the same paragraph and joining it changes nothing but the space. Front matter and fenced
    code are left alone.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    in_fence = False
    in_front_matter = bool(lines) and lines[0] == "---"
    for i, line in enumerate(lines):
        if in_front_matter:
            out.append(line)
            in_front_matter = not (i > 0 and line == "---")
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        prev = out[-1] if out else ""
        if (
            not in_fence
            and out
            and _ENDS_CJK.search(prev)
            and _STARTS_CJK.match(line)
            and not _STANDALONE.match(prev)
            and not _STANDALONE.match(line)
        ):
            out[-1] = prev + line.lstrip(" \t")
            continue
        out.append(line)
    return "\n".join(out)
