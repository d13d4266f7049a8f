"""Index the built HTML with Pagefind (the extended build, which segments Chinese)."""
from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from generator.errors import BuildError


async def _index(site: Path) -> int:
    config = IndexConfig(force_language="zh", output_path=str(site / "pagefind"))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site))
        await index.write_files(output_path=str(site / "pagefind"))
    return int(result.get("page_count", 0)) if isinstance(result, dict) else 0


def index_site(site: Path) -> int:
    """Write site/pagefind/; returns the number of pages indexed."""
    try:
        return asyncio.run(_index(site))
    except Exception as e:  # the service reports failures as assorted exception types
        raise BuildError(f"Pagefind indexing failed: {e}") from e
