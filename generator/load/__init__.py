"""Stage 1: read catalogue YAML files into plain values that remember where each came from."""

from generator.load.yaml_loader import LocatedDict, LocatedList, load_yaml_file, load_yaml_text

__all__ = ["LocatedDict", "LocatedList", "load_yaml_file", "load_yaml_text"]
