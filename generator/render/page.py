"""What every renderer produces: a page of the generated docs tree, and the names of the batches.

Kept apart from the renderers so that pages, feeds, outcomes and the API can share them without
importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass

BATCH_NAMES = {1: "第一批", 2: "第二批", 3: "第三批", 4: "第四批"}


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs tree, e.g. "certificates/web-frontend.md"
    content: str


def batch_name(number: int) -> str:
    """The Chinese name of a pilot batch (第一批…), spelled out for the first four."""
    return BATCH_NAMES.get(number, f"第{number}批")
