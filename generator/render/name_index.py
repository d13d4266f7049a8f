"""Extra indexed text that lets a search find an entity by any part of its names.

Pagefind 1.5 cuts the visitor's query into words with the browser's `Intl.Segmenter` (ICU) and
matches each word as a *prefix* of an indexed word; the indexer cut the page with jieba, and also
indexes each whitespace-delimited run whole. The two segmenters disagree (ICU reads 数控 as 数 控,
华为技术有限公司 as 华 为 技术 有限公司, while jieba indexed 数控, 有限 公司), and a query word that
is a prefix of no indexed word loses the page (Pagefind#1237).

Whatever the segmenter does, each word it produces from a name, or from a part of a name, is a
substring of that name, and every substring of a name is a prefix of one of the name's suffixes.
So the page carries, in an element of its own, the suffixes of each of its names as separate runs:
"数控车铣加工" → "数控车铣加工 控车铣加工 车铣加工 铣加工 加工 工". A suffix starts at each Chinese
character and at the start of each run of letters or digits (a segmenter never starts a word inside
"341" or "Web"); punctuation ends a run, as it ends a query word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A run is what lies between punctuation and spaces: Chinese characters, letters and digits.
_RUN = re.compile(r"[\w]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"[^\W_]")


def _starts(run: str) -> Iterable[int]:
    """Where a query word may begin inside `run`."""
    for i, ch in enumerate(run):
        if _CJK.match(ch):
            yield i
        elif _ALNUM.match(ch) and (i == 0 or _CJK.match(run[i - 1])):
            yield i  # a run of letters or digits starts here


def suffixes(names: Iterable[str]) -> list[str]:
    """The suffixes of every run of every name, in first-seen order, leaving out a suffix that
    begins another (数控车铣加工 is a prefix of 数控车铣加工职业技能等级证书: it adds no match)."""
    seen: dict[str, None] = {}
    for name in names:
        for run in _RUN.findall(name.replace("_", " ")):
            for i in _starts(run):
                seen.setdefault(run[i:].lower(), None)
    ordered = sorted(seen)
    redundant = {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}
    return [s for s in seen if s not in redundant]


def name_index_text(names: Iterable[str]) -> str:
    """The text of the page's name index: the suffixes, separated by spaces."""
    return " ".join(suffixes(n for n in names if n))
