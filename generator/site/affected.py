"""Which generated pages an edit of the catalogue may change, for `xcert serve`'s quick update.

The answer is the pages of the entities that changed and of the entities that show them: a notice
changes its own page, the pages of the notices it relates to (and that relate to it), and of the
certificates and organizations it concerns (their standing follows from notices), and each such
certificate changes its organization's page. A changed certificate, organization or standard
also changes its field and standard pages and the indexes (home, indexes, majors); a changed
notice only the home page and the notices index among those. After the quick update,
`xcert serve` renders every page in the background and applies what this rule missed, so the
served site always ends as the full build's.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.models import Catalogue

KINDS = ("certificates", "organizations", "notices")
# Pages about one field or standard: rendered again for the certificates they list.
LISTS = ("fields", "standards")


def changed_ids(old: Catalogue, new: Catalogue, kind: str) -> set[str]:
    a, b = getattr(old, kind), getattr(new, kind)
    return {i for i in a.keys() | b.keys() if a.get(i) != b.get(i)}


def _same_shared_data(old: Catalogue, new: Catalogue) -> bool:
    return (
        old.fields,
        old.exam_forms,
        old.majors,
        old.policy,
        old.cost_cap_notice,
        old.cost_cap_rule,
    ) == (
        new.fields,
        new.exam_forms,
        new.majors,
        new.policy,
        new.cost_cap_notice,
        new.cost_cap_rule,
    )


def affected_entities(old: Catalogue, new: Catalogue) -> dict[str, set[str]] | None:
    """Kind → ids whose pages may change; None when every page may (a shared file changed)."""
    if not _same_shared_data(old, new):
        return None
    out: dict[str, set[str]] = {kind: set() for kind in KINDS}
    notices = changed_ids(old, new, "notices")
    certificates = changed_ids(old, new, "certificates")
    organizations = changed_ids(old, new, "organizations")
    standards = changed_ids(old, new, "standards")
    out["notices"] |= notices
    out["certificates"] |= certificates
    out["organizations"] |= organizations
    for cat in (old, new):
        for n in cat.notices.values():
            if n.id in notices or notices.intersection(n.related):
                out["notices"].add(n.id)
                out["notices"].update(n.related)
                out["certificates"].update(n.concerns.certificates)
                out["organizations"].update(n.concerns.organizations)
                standards.update(n.concerns.standards)
        for kind, ids in (("certificates", certificates), ("organizations", organizations)):
            for entity_id in ids:
                out["notices"].update(n.id for n in cat.notices_about(kind, entity_id))
        for oid in organizations:
            out["certificates"].update(c.id for c in cat.certificates_of(oid))
        for c in cat.certificates.values():
            if c.standard in standards:
                out["certificates"].add(c.id)
    # Field and standard pages, and the indexes, list certificates' own data (not the standing
    # that notices give them): only a changed certificate, organization or standard moves them.
    out["fields"], out["standards"] = set(), set(standards)  # changed or named by a notice
    for cat in (old, new):
        for cid in list(out["certificates"]):
            cert = cat.certificates.get(cid)
            if cert is not None:
                out["organizations"].add(cert.organization)
                if cid in certificates or cert.organization in organizations:
                    out["fields"].add(cert.field)
                    out["standards"].update([cert.standard] if cert.standard else [])
    out["changed"] = {
        kind
        for kind, ids in (
            ("notices", notices),
            ("certificates", certificates),
            ("organizations", organizations),
            ("standards", changed_ids(old, new, "standards")),
        )
        if ids
    }
    return out


def owner(path: str) -> tuple[str, str] | None:
    """The (kind, id) a generated page belongs to, or None for pages about no single entity."""
    folder, _, name = path.partition("/")
    if folder in KINDS + LISTS and name.endswith(".md") and "/" not in name and name != "index.md":
        return folder, name.removesuffix(".md")
    return None


def affected_pages(paths: Iterable[str], entities: dict[str, set[str]]) -> set[str]:
    """Of the generated Markdown pages and charts among `paths`, those to render again for
    `entities` (data files and feeds are left to the background pass)."""
    owned = tuple(f"charts/{kind}-" for kind in KINDS)
    charts = tuple(f"charts/{kind}-{i}-" for kind in KINDS for i in entities[kind])
    out = set()
    for path in paths:
        who = owner(path)
        if who is not None:
            if who[1] in entities[who[0]]:
                out.add(path)
        elif path.startswith("charts/"):
            if not path.startswith(owned) or path.startswith(charts):
                out.add(path)
        elif path.endswith(".md") and _lists_changed(path, entities["changed"]):
            out.add(path)
    return out


def _lists_changed(path: str, changed: set[str]) -> bool:
    """Whether an index page (home, indexes, majors) may show what changed."""
    if changed - {"notices"}:
        return True
    return "notices" in changed and path in ("index.md", "notices/index.md")
