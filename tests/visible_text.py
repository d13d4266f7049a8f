"""The text of a built page as a reader meets it (parsed HTML), for tests that read pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

_BLOCKS = frozenset(
    "address article aside blockquote br button dd details div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr input label li main nav ol option p pre section select "
    "summary table tbody td tfoot th thead title tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_INVISIBLE = frozenset({"script", "style", "svg", "template", "noscript"})
# Badges are boxes of their own beside the text, as a visitor sees them.
_BOX_CLASSES = ("xcert-status", "xcert-standing", "xcert-period-note")


class _VisibleText(HTMLParser):
    """The text of a page as a reader meets it: hidden elements and scripts left out, and a
    boundary wherever a block or a badge starts or ends (no space is read across those)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # tag, hidden, a box of its own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        box = tag in _BLOCKS or any(c in (a.get("class") or "") for c in _BOX_CLASSES)
        if box:
            self.parts.append("\x00")
        if tag not in _VOID:
            hidden = tag in _INVISIBLE or "hidden" in a or a.get("aria-hidden") == "true"
            self._open.append((tag, hidden, box))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                if self._open[i][2]:
                    self.parts.append("\x00")
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        if not any(hidden for _, hidden, _ in self._open):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


def page_text(site: Path, path: str) -> str:
    """The visible text of `path`/index.html with runs of white space made one space."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return " ".join(visible_text(html).replace("\x00", " ").split())
