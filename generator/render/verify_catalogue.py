"""What the verify page says about a certificate beyond its record (verify/catalogue.json).

The record names the certificate and the level; the catalogue knows what that level certifies
(the standard's goal for the level and some of its skills) and the name by which the public knows
the issuing organization. Publishing writes the bare index (credentials.publish.catalogue_index);
the site build adds these from the full catalogue.
"""

from __future__ import annotations

from typing import Any

from generator.credentials.publishing.publish import catalogue_index
from generator.models import Catalogue, Standard, StandardLevel, WorkArea

SKILLS_SHOWN = 4  # a few, to say in plain words what the level means; the link gives all


def _skills(areas: tuple[WorkArea, ...]) -> list[str]:
    """A few skills taken in turn from each work area (so they span the level, not its first
    area), else the tasks, else the areas' own names."""
    skills = _in_turn([[s.name for t in a.tasks for s in t.skills] for a in areas])
    tasks = _in_turn([[t.name for t in a.tasks] for a in areas])
    return (skills or tasks or [a.name for a in areas])[:SKILLS_SHOWN]


def _in_turn(groups: list[list[str]]) -> list[str]:
    """The first of every group, then the second of every group, and so on."""
    return [g[i] for i in range(max(map(len, groups), default=0)) for g in groups if i < len(g)]


def _level_note(standard: Standard, index: int, level: StandardLevel) -> dict[str, Any]:
    goal, kind = (level.goal, "goal") if level.goal else (level.duties, "duties")
    return {
        "anchor": f"level-{index}",  # the standard page's heading of the level (standard.md.j2)
        "goal": goal,
        "goalKind": kind,
        "skills": _skills(level.work_areas) or _skills(standard.work_areas),
    }


def verify_catalogue(cat: Catalogue) -> dict[str, Any]:
    """The publishing index plus organizations and, per certificate, what each level certifies."""
    index = catalogue_index(cat)
    for cid, entry in index["certificates"].items():
        standard = cat.standards.get(cat.certificates[cid].standard or "")
        if standard is not None:
            entry["levelNotes"] = {
                lv.level.value: _level_note(standard, i, lv)
                for i, lv in enumerate(standard.levels, start=1)
            }
    index["organizations"] = {
        oid: {"name": org.name, "aliases": list(org.aliases)}
        for oid, org in sorted(cat.organizations.items())
    }
    return index
