"""Build HTML from the generated tree with mkdocs (through its Python API, strict)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from generator.errors import BuildError


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_html(config_file: Path, *, epoch: int) -> None:
    """mkdocs build; warnings are errors (a broken link is a bug in the generator or site_src)."""
    # mkdocs stamps the sitemap and its gzip header with the build time; fixing it makes two
    # builds of the same inputs on the same date byte-identical.
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), strict=True)
        mkdocs_build(config)
    except (Abort, ConfigurationError) as e:
        detail = "\n".join(handler.messages) or str(e)
        raise BuildError(f"mkdocs failed:\n{detail}") from e
    finally:
        log.removeHandler(handler)
    _drop_source_maps(config_file.parent / "site")


def _drop_source_maps(site: Path) -> None:
    """Material ships source maps for its bundles: 1.3 MB that only a debugger reads."""
    for path in sorted(site.glob("assets/**/*.map")):
        path.unlink()
