"""A YAML loader that keeps the line and column of every value and refuses what PyYAML lets pass.

PyYAML silently keeps the last of two duplicate keys and happily expands alias bombs; catalogue
files are written by many hands through pull requests, so both are errors here. Aliases are
refused outright (no catalogue file needs them): the converter meets an aliased node a second
time and stops, before anything is expanded. Parsing uses libyaml where PyYAML was built with it
(about five times faster than the pure-Python parser); the checks are the same either way.

What else a hostile or careless file meets here, each with its line and column: a symbolic link
or anything but a plain file, more than 1 MiB, bytes that are not UTF-8 (with a word when they
are GBK or UTF-16), control characters, explicit tags (!!binary, !!python/...), numbers that are
not finite (.nan, .inf), and nesting or value counts past the limits below. Integers YAML 1.1
reads from other than plain digits (`0200` is octal 128, `1:30` is 90) come back as Yaml11Int,
which the validator refuses where a number is expected.
"""

from __future__ import annotations

import math
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from generator.errors import LoadError, Location

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000
# The tags YAML's core schema resolves by itself; an explicit other one (!!binary, !!set,
# !!python/..., !local) would make a value that is not text, a number, a list or a mapping.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
# What YAML forbids in a file (C0 controls but tab and newlines, DEL, C1, surrogates, U+FFFE/F).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# libyaml's wording → ours, where libyaml's says little to the person who wrote the file.
_PROBLEMS = {
    "exceeded maximum nesting depth": f"nesting deeper than {MAX_DEPTH} levels",
    "but found another document": "a second YAML document starts here; a catalogue file "
    "holds one (remove the line '---')",
}


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping that also knows where it and each of its keys stand in the file."""

    location: Location
    key_locations: dict[str, Location]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence that also knows where it and each of its items stand in the file."""

    location: Location
    item_locations: list[Location]


class Yaml11Int(int):
    """An integer YAML 1.1 read from something other than plain digits: `0200` (octal 128),
    `0x10`, `1:30` (base 60: 90), `1_000`. It is still a number, so a text field reports it
    as one; the validator refuses it in a number field (generator/validate/schema.py)."""

    source: str


class _PyLoader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in the stubs
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed in catalogue files",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    _Loader: type = _PyLoader
else:

    class _CLoader(CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _Loader = _CLoader


def _loc(path: str, node: Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Turns a composed node tree into Located values, checking depth, size and duplicate keys."""

    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.count = 0
        self.seen: set[int] = set()

    def convert(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        # A node met twice is an alias (*name) of an anchored one; stop before expanding it.
        if id(node) in self.seen:
            raise LoadError(
                "anchors and aliases (&name, *name) are not allowed in catalogue files; "
                "the value anchored here is used again",
                location=_loc(self.path, node),
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise LoadError(
                f"nesting deeper than {MAX_DEPTH} levels", location=_loc(self.path, node)
            )
        if self.count > MAX_NODES:
            raise LoadError(
                f"more than {MAX_NODES} values in one file", location=_loc(self.path, node)
            )
        self._check_tag(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            out = LocatedList(self.convert(item, depth + 1) for item in node.value)
            out.location = _loc(self.path, node)
            out.item_locations = [_loc(self.path, item) for item in node.value]
            return out
        assert isinstance(node, ScalarNode)
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates stay text: the validator parses them, so `2019-03-26` and "2019-03-26" agree.
            return node.value
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as e:
            raise LoadError(str(e.problem), location=_loc(self.path, node)) from e
        return self._number(node, value)

    def _number(self, node: ScalarNode, value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            raise LoadError(
                f"'{node.value}' is not a finite number", location=_loc(self.path, node)
            )
        if type(value) is int and not _DECIMAL.match(node.value):
            out = Yaml11Int(value)
            out.source = node.value
            return out
        return value

    def _check_tag(self, node: Node) -> None:
        if node.tag not in _CORE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise LoadError(
                f"YAML tags ({tag}) are not allowed in catalogue files; "
                "write plain text, numbers, lists and mappings",
                location=_loc(self.path, node),
            )

    def _mapping(self, node: MappingNode, depth: int) -> LocatedDict:
        out = LocatedDict()
        out.location = _loc(self.path, node)
        out.key_locations = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise LoadError(
                    "mapping keys must be plain text", location=_loc(self.path, key_node)
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadError(
                    "merge keys (<<) are not allowed", location=_loc(self.path, key_node)
                )
            key = key_node.value
            if key in out:
                first = out.key_locations[key]
                raise LoadError(
                    f"duplicate key '{key}' (first at line {first.line}); "
                    "YAML would silently keep only the last",
                    location=_loc(self.path, key_node),
                    field=key,
                )
            out.key_locations[key] = _loc(self.path, key_node)
            out[key] = self.convert(value_node, depth + 1)
        return out


def _decode(data: bytes, path: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
            location=Location(path, 1, 1),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x}){_gbk_hint(data)}; "
            "save the file as UTF-8",
            location=Location(path, line, column),
        ) from e
    return text.replace("\r\n", "\n")


def _gbk_hint(data: bytes) -> str:
    """Editors on Chinese Windows save GBK; say so when the bytes read as GB18030."""
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "; it reads as GBK/GB18030, as Windows editors save Chinese text"


def _text_location(text: str, index: int, path: str) -> Location:
    line = text.count("\n", 0, index) + 1
    return Location(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _problem(problem: str, text: str, mark: Any) -> str:
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return "a tab character: YAML indents with spaces only"
    return _PROBLEMS.get(problem, problem)


def load_yaml_text(text: str, path: str) -> Any:
    """Parse one YAML document; errors carry `path` and the line and column."""
    bad = _UNPRINTABLE.search(text)
    if bad:
        # Checked here, not by the parser, so the message has a line and column.
        raise LoadError(
            f"a control character (U+{ord(bad.group()):04X}) is not allowed; remove it",
            location=_text_location(text, bad.start(), path),
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = _problem(e.problem or e.context or "invalid YAML", text, mark)
        raise LoadError(f"invalid YAML: {problem}", location=loc) from e
    except yaml.YAMLError as e:
        raise LoadError(f"invalid YAML: {e}", location=Location(path)) from e
    except RecursionError as e:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", location=Location(path)) from e
    finally:
        loader.dispose()
    if node is None:
        raise LoadError("the file is empty", location=Location(path, 1, 1))
    return _Converter(path, loader).convert(node)


def load_yaml_file(path: Path, *, display: str | None = None) -> Any:
    """Read and parse one file, refusing files over MAX_FILE_BYTES before parsing them.

    Only plain files are read: a symbolic link in a pull request could point anywhere on the
    machine that builds (/etc/..., /dev/zero), and a FIFO would block the build forever."""
    shown = display or str(path)
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise LoadError(
                "a symbolic link; catalogue files must be plain files", location=Location(shown)
            )
        if not stat.S_ISREG(info.st_mode):
            raise LoadError("not a plain file", location=Location(shown))
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = max(info.st_size, len(data))
            raise LoadError(
                f"file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes",
                location=Location(shown),
            )
    except OSError as e:
        raise LoadError(f"cannot read file: {e.strerror}", location=Location(shown)) from e
    return load_yaml_text(_decode(data, shown), shown)
