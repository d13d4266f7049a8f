"""Escaping of catalogue text on its way into Markdown.

Catalogue text is data, never markup: a title like `<script>` must reach the page as text. Plain
text fields are escaped for both HTML and Markdown; long-form Markdown fields keep Markdown but
lose every way to smuggle HTML in (raw tags, attribute lists, script URLs).
"""

from __future__ import annotations

import html
import re

import yaml

# Characters that are Markdown syntax anywhere in a line (emphasis, code, links, attribute lists,
# table cells), and those that are syntax only where a value starts a line (headings, lists,
# rules). Escaping only these keeps pages cheap to convert: every escape is a pattern match.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_MD_LINE_START = re.compile(r"^(?:([#+\-=])|(\d+)\.)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "./", "../", "#")
_INLINE_LINK = re.compile(r"(\]\()\s*([^\s()]*(?:\([^)]*\)[^\s()]*)*)")
_ASCII_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_REF_LINK = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)", re.MULTILINE)


def text(value: object) -> str:
    """Plain text for inline Markdown: HTML-escaped, Markdown syntax escaped, one line."""
    # ASCII whitespace only: str.split() would also turn the ideographic space (U+3000) that
    # separates joint issuers in an official title into an ASCII space.
    s = _ASCII_SPACE.sub(" ", html.escape(str(value), quote=False)).strip(" ")
    s = _MD_INLINE.sub(r"\\\1", s)
    return _MD_LINE_START.sub(_escape_line_start, s)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(2)}\\."
    # Python-Markdown has no backslash escape for "="; an entity reads the same.
    return "&#61;" if m.group(1) == "=" else f"\\{m.group(1)}"


def cell(value: object) -> str:
    """Plain text for a Markdown table cell (same as text(); pipes are already escaped)."""
    return text(value)


# Pagefind decodes every entity of a filter value and its UI writes the value into the search
# page as HTML, so escaping cannot protect it: the characters HTML needs become their fullwidth
# forms, which read the same in a filter label.
_FACET = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def facet(value: object) -> str:
    """A search filter value that no HTML parser can read as markup."""
    return str(value).translate(_FACET)


def attr(value: object) -> str:
    """Text for an HTML attribute value in a template-written tag."""
    return html.escape(str(value), quote=True)


def _safe_url(match: re.Match[str]) -> str:
    prefix, url = match.group(1), match.group(2)
    if url.lower().startswith(_SAFE_SCHEMES) or ":" not in url.split("/")[0]:
        return prefix + url
    return prefix + "#"


def markdown(value: object) -> str:
    """Author-written Markdown with HTML, attribute lists and script URLs neutralised."""
    s = html.escape(str(value), quote=False)
    s = s.replace("{", "\\{").replace("}", "\\}")
    s = _INLINE_LINK.sub(_safe_url, s)
    s = _REF_LINK.sub(_safe_url, s)
    return s


def front_matter(meta: dict[str, object]) -> str:
    """A YAML front matter block; values are data, so YAML's own quoting keeps them inert."""
    # Double-quoted, one line per key: a value can never end the block or start a new key.
    body = yaml.safe_dump(
        meta,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        default_style='"',
        width=1 << 30,
    )
    return f"---\n{body}---\n"
