"""A catalogue whose every free-text field holds script and HTML injection payloads.

The free-text fields are found in the JSON Schemas (a string with neither `pattern` nor `enum`),
so a field added to a schema is injected as soon as the skeleton catalogue fills it, and
`uncovered()` names the fields the skeleton leaves out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from generator.load import load_yaml_file
from generator.validate.schema import SCHEMA_DIR

SKELETON = Path(__file__).resolve().parents[1] / "assets" / "hostile" / "skeleton"
# One line: what a title, a name or a cell may hold.
PAYLOAD = (
    "</title></textarea></style><script>alert(1)</script> <img src=x onerror=alert(1)> "
    "\"><svg onload=alert(1)> '><svg onload=alert(1)> [x](javascript:alert(1)) "
    "{: onclick=alert(1)}"
)
# More for long text, where Markdown is allowed: blocks, reference links, attribute lists.
PAYLOAD_LONG = (
    PAYLOAD + "\n\n## heading {: onclick=alert(2) }\n\n<div onclick=alert(3)>div</div>\n\n"
    '[y][ref] <a href="javascript:alert(4)">a</a> ![i](javascript:alert(5))\n\n'
    "[ref]: javascript:alert(6)\n"
)
# What must be visible as text wherever an injected field is shown.
VISIBLE = PAYLOAD.split(" '>", 1)[0]
# Elements that only an injected payload can have made; a list of findings, empty when clean.
FIND_INJECTED = """() => {
  const found = [];
  const where = (el) => {
    const p = el.parentElement;
    if (!p) return '';
    const cls = p.getAttribute('class');
    return `${p.tagName.toLowerCase()}${cls ? '.' + cls.split(' ')[0] : ''}`;
  };
  const say = (el, what) =>
    found.push(`${where(el)} > ${el.tagName.toLowerCase()}: ${what}`.slice(0, 120));
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.trim().toLowerCase();
      if (name.startsWith('on')) say(el, `${name}=${a.value}`);
      const url = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name);
      // Pagefind's own search form is the one place with a script URL, and it runs nothing.
      const pagefindForm = el.matches('form.pagefind-ui__form') && value === 'javascript:void(0);';
      const script = value.replace(/[\\s\\u0000-\\u001f]/g, '').startsWith('javascript:');
      if (url && script && !pagefindForm) {
        say(el, `${name}=${a.value}`);
      }
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('alert(')) say(el, el.textContent);
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') say(el, 'src=x');
  }
  return found;
}"""


def collect_dialogs(page: Any) -> list[str]:
    """The messages of every alert, confirm or prompt the page opens (each dismissed)."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


LONG_TEXT = 20000  # maxLength of long-text fields (catalogue/schemas/*.schema.json)

FOLDERS = {
    "organizations": "organization",
    "certificates": "certificate",
    "standards": "standard",
    "notices": "notice",
}


def kind_of(path: Path) -> str:
    return FOLDERS.get(path.parent.name, path.stem)


def _schema(kind: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    )
    return doc


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].split("/")[-1]]
    return node


def _free_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and "pattern" not in node and "enum" not in node


def free_text_fields(kind: str) -> set[str]:
    """Every free-text field a file of `kind` can hold, as `kind:a.b[].c`."""
    root = _schema(kind)
    out: set[str] = set()

    def walk(node: dict[str, Any], path: str, seen: tuple[str, ...]) -> None:
        if "$ref" in node:
            name = node["$ref"]
            if name in seen:
                return
            seen = (*seen, name)
        node = _resolve(node, root)
        if _free_text(node):
            out.add(f"{kind}:{path}")
        for prop, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{prop}" if path else prop, seen)
        if "items" in node:
            walk(node["items"], f"{path}[]", seen)

    walk(root, "", ())
    return out


class Injector:
    """Replaces each free-text value with a marker (X001, X002...) and a payload; the same text
    gets the same marker, so names that refer to each other (majors) still match."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # original text -> injected text
        self.covered: set[str] = set()

    def value(self, text: str, *, long: bool) -> str:
        if text not in self.values:
            marker = f"X{len(self.values) + 1:03d}"
            self.values[text] = f"{marker} {PAYLOAD_LONG if long else PAYLOAD}"
        return self.values[text]

    def walk(
        self, data: Any, node: dict[str, Any], root: dict[str, Any], kind: str, path: str
    ) -> Any:
        node = _resolve(node, root)
        if isinstance(data, dict):
            props = node.get("properties", {})
            return {
                k: self.walk(v, props[k], root, kind, f"{path}.{k}" if path else k)
                for k, v in data.items()
            }
        if isinstance(data, list):
            return [self.walk(v, node["items"], root, kind, f"{path}[]") for v in data]
        if isinstance(data, str) and _free_text(node):
            self.covered.add(f"{kind}:{path}")
            return self.value(data, long=node.get("maxLength", 0) >= LONG_TEXT)
        return data


def yaml_files(folder: Path) -> Iterator[Path]:
    return iter(sorted(folder.rglob("*.yaml")))


def inject(dest: Path, skeleton: Path = SKELETON) -> Injector:
    """Write the injected catalogue to `dest`; the injector knows every value it wrote."""
    injector = Injector()
    for src in yaml_files(skeleton):
        kind = kind_of(src)
        data = json.loads(json.dumps(load_yaml_file(src)))
        out = injector.walk(data, _schema(kind), _schema(kind), kind, "")
        target = dest / src.relative_to(skeleton)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=1 << 20),
            encoding="utf-8",
        )
    return injector


def uncovered(injector: Injector) -> set[str]:
    kinds = {kind_of(p) for p in yaml_files(SKELETON)} | {"policy"}
    every = set().union(*(free_text_fields(k) for k in kinds))
    return every - injector.covered
