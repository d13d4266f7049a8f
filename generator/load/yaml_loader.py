"""A YAML loader that keeps the line and column of every value and refuses what PyYAML lets pass.

PyYAML silently keeps the last of two duplicate keys and happily expands alias bombs; catalogue
files are written by many hands through pull requests, so both are errors here. Aliases are
refused outright (no catalogue file needs them): the converter meets an aliased node a second
time and stops, before anything is expanded. Parsing uses libyaml where PyYAML was built with it
(about five times faster than the pure-Python parser); the checks are the same either way.
"""
from __future__ import annotations

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


class LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping that also knows where it and each of its keys stand in the file."""

    location: Location
    key_locations: dict[str, Location]


class LocatedList(list):  # type: ignore[type-arg]
    """A sequence that also knows where it and each of its items stand in the file."""

    location: Location
    item_locations: list[Location]


class _NoAliasComposer(Composer):
    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed in catalogue files",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


class _PyLoader(Reader, Scanner, Parser, _NoAliasComposer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _NoAliasComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    _Loader: type = _PyLoader
else:
    class _CLoader(CParser, SafeConstructor, Resolver):  # type: ignore[misc]
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
            raise LoadError("anchors and aliases (&name, *name) are not allowed in catalogue files; "
                            "the value anchored here is used again", location=_loc(self.path, node))
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", location=_loc(self.path, node))
        if self.count > MAX_NODES:
            raise LoadError(f"more than {MAX_NODES} values in one file", location=_loc(self.path, node))
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
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as e:
            raise LoadError(str(e.problem), location=_loc(self.path, node)) from e

    def _mapping(self, node: MappingNode, depth: int) -> LocatedDict:
        out = LocatedDict()
        out.location = _loc(self.path, node)
        out.key_locations = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise LoadError("mapping keys must be plain text", location=_loc(self.path, key_node))
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadError("merge keys (<<) are not allowed", location=_loc(self.path, key_node))
            key = key_node.value
            if key in out:
                first = out.key_locations[key]
                raise LoadError(
                    f"duplicate key '{key}' (first at line {first.line}); YAML would silently keep only the last",
                    location=_loc(self.path, key_node),
                    field=key,
                )
            out.key_locations[key] = _loc(self.path, key_node)
            out[key] = self.convert(value_node, depth + 1)
        return out


def _decode(data: bytes, path: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02x}); save the file as UTF-8",
            location=Location(path, line, column),
        ) from e
    return text.replace("\r\n", "\n")


def load_yaml_text(text: str, path: str) -> Any:
    """Parse one YAML document; errors carry `path` and the line and column."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = e.problem or e.context or "invalid YAML"
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
    """Read and parse one file, refusing files over MAX_FILE_BYTES before parsing them."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(
                f"file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes",
                location=Location(shown),
            )
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(f"cannot read file: {e.strerror}", location=Location(shown)) from e
    return load_yaml_text(_decode(data, shown), shown)
