"""Regenerate the golden credential files under tests/assets/credentials/ (fixed keys and clock).

python tests/credentials/generate_assets.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scenarios import AGREEMENT, build_agreement  # noqa: E402

if __name__ == "__main__":
    shutil.rmtree(AGREEMENT, ignore_errors=True)
    build_agreement(AGREEMENT)
    print(f"wrote {AGREEMENT}")
