"""What turns the generated docs tree into HTML: mkdocs + Material, or Zensical (its successor)."""

from __future__ import annotations

from enum import StrEnum


class Renderer(StrEnum):
    MKDOCS = "mkdocs"  # mkdocs + Material for MkDocs: the default (generator/site/html.py)
    ZENSICAL = (
        "zensical"  # Material's successor, reading the same tree (generator/site/zensical.py)
    )
