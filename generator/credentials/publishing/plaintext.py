"""The fence that keeps holders out of the public repository: `xcert check` and the build refuse
a plaintext record (a credential naming a holder, as JSON or baked into an SVG or PNG) anywhere
in the tree, naming the file and saying how to move it into the private store.

Not searched: what git never commits here (`.git`, the built site, caches, virtual
environments, the git-ignored DEMO folder `certificates/demo/`) and `tests/assets/`, whose
records are the test suite's fixtures, signed by test keys for fictional holders.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.credentials.formats.errors import CredentialError
from generator.credentials.paths import CERTIFICATES_DIR, DEMO_ORG, is_uncommitted_dir

_SKIP_PATHS = (Path(CERTIFICATES_DIR) / DEMO_ORG, Path("tests") / "assets")
_SUFFIXES = (".json", ".jsonld", ".svg", ".png")
_MAX = 4 << 20  # larger files are not single records
_MARKERS = (b"credentialSubject", b"openbadgecredential", b"openbadges:credential")


class PlaintextRecordError(CredentialError):
    """Plaintext records in the repository tree; nothing is built or published."""

    def __init__(self, files: list[str]) -> None:
        self.files = files
        lines = [
            f"{f}: a certificate record naming its holder; the public repository must not hold "
            "it. Move it into the organization's private store (`xcert seal --org ORG` moves a "
            "certificates/ORG/ folder of records and writes the sealed batch), then delete it; "
            "if it was ever committed, remove it from history too (git filter-repo)."
            for f in files
        ]
        super().__init__("\n".join(lines))


def names_holder(data: bytes) -> bool:
    """True when `data` holds a credential whose subject names a person: a JSON credential, or
    an image with a baked one (a baked SVG or PNG carries the JSON as text)."""
    if not any(m in data for m in _MARKERS):
        return False
    start = data.find(b"{")
    if start < 0:
        return False
    text = data[start:]
    for end in _closing_braces(text):
        try:
            doc = json.loads(text[: end + 1].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        return _has_holder(doc)
    return b'"credentialSubject"' in data and b'"name"' in data


def _closing_braces(text: bytes) -> list[int]:
    # The JSON's end: try the last closing braces first (an image has more bytes after it).
    ends = [i for i in range(len(text) - 1, -1, -1) if text[i] == 0x7D]
    return ends[:8]


def _has_holder(doc: object) -> bool:
    if not isinstance(doc, dict):
        return False
    subject = doc.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    return any(
        isinstance(s, dict) and ("name" in s or "certificateNumber" in s or "identifier" in s)
        for s in subjects
    )


def find_plaintext_records(repo_root: Path, *, exclude: tuple[Path, ...] = ()) -> list[str]:
    """Paths (relative to the repository) of files holding a record that names a holder."""
    root = repo_root.resolve()
    skip = {p.resolve() for p in exclude} | {root / p for p in _SKIP_PATHS}
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not is_uncommitted_dir(d) and here / d not in skip]
        for name in filenames:
            if not name.endswith(_SUFFIXES):
                continue
            path = here / name
            try:
                if path.stat().st_size > _MAX:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if names_holder(data):
                found.append(str(path.relative_to(root)))
    return sorted(found)


def refuse_plaintext_records(repo_root: Path, *, exclude: tuple[Path, ...] = ()) -> None:
    found = find_plaintext_records(repo_root, exclude=exclude)
    if found:
        raise PlaintextRecordError(found)
