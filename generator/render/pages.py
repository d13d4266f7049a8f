"""Render every generated page of the site as Markdown with front matter.

Templates are written so that forgetting a filter is safe: every `{{ value }}` is escaped as
Markdown text unless a filter explicitly marks it otherwise (`md` for author Markdown, `h` for text
inside HTML tags, `slug` for validated ids).
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import zlib
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import lifecycle, workdays
from generator.china_time import chinese_date
from generator.models import Catalogue, EducationLevel, IssuedRecords, Level
from generator.render import escape, name_index, outcomes, related
from generator.render.charts import render_svg
from generator.render.cjk import join_lines
from generator.render.feeds import feed_pages
from generator.render.page import Page, batch_name
from generator.slug import is_slug

TEMPLATES = Path(__file__).parent / "templates"


def _finalize(value: Any) -> Any:
    # Runs before autoescape: plain values get Markdown escaping on top of the HTML escaping
    # that autoescape applies to everything else (join results, macro arguments).
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(escape.text(value))


def _slug(value: str) -> Markup:
    if not is_slug(value):
        raise ValueError(f"not a slug: {value!r}")
    return Markup(value)


@functools.cache
def _environment() -> jinja2.Environment:
    """One per process: its templates are compiled once (`xcert serve` renders many times)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        finalize=_finalize,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = lambda v: Markup(escape.markdown(v))
    env.filters["h"] = lambda v: Markup(escape.attr(v))
    env.filters["facet"] = escape.facet
    env.filters["name_index"] = name_index.name_index_text
    env.filters["slug"] = _slug
    env.filters["extract"] = lambda key, mapping: mapping[key]
    env.filters["zip"] = lambda a, b: list(zip(a, b, strict=True))
    env.filters["batch"] = batch_name
    env.filters["fm"] = lambda d: Markup(escape.front_matter(d))
    env.filters["cn_date"] = chinese_date
    env.filters["working_days"] = lambda p: workdays.working_days_or_none(p.start, p.end)
    return env


class _Renderer:
    def __init__(
        self,
        cat: Catalogue,
        today: dt.date,
        issued: IssuedRecords,
        only: Collection[str] | None = None,
        share: tuple[int, int] = (0, 1),
    ) -> None:
        self.cat = cat
        self.today = today
        self.issued = issued
        self.only = only
        self.share = share
        self.env = _environment()
        self.links = cat.major_links()

    def issued_chart(self, cert_id: str) -> Any:
        return outcomes.issued_chart(self.cat, cert_id, self.issued, self.today.isoformat())

    def issued_years(self, cert_id: str) -> list[Any]:
        return outcomes.issued_years(self.issued, cert_id)

    def charts_for(self, kind: str, entity_id: str) -> list[Any]:
        if kind == "certificates":
            return outcomes.certificate_charts(self.cat, entity_id)
        return outcomes.organization_charts(self.cat, entity_id)

    def standing(self, kind: str, entity_id: str) -> lifecycle.StandingResult:
        return lifecycle.standing(self.cat, kind, entity_id, self.today)

    def wanted(self, path: str) -> bool:
        if self.only is not None:
            return path in self.only
        return self.share[1] == 1 or _owner(path, self.share[1]) == self.share[0]

    def wanted_chart(self, kind: str, entity_id: str) -> bool:
        prefix = f"charts/{kind}-{entity_id}-"
        return self.only is None or any(p.startswith(prefix) for p in self.only)

    def render(self, template: str, path: str, **context: Any) -> Page:
        if not self.wanted(path):
            return Page(path, "")  # not asked for: dropped by render_pages
        depth = path.count("/")
        root = "../" * depth

        def ref(kind: str, entity_id: str) -> Markup:
            return Markup(f"{root}{kind}/{_slug(entity_id)}.md")

        here = _page_url(path)

        def url(kind: str, entity_id: str) -> Markup:
            """The address of an entity's page as the built site has it, relative to this
            page's, for links in HTML blocks (which mkdocs leaves as written)."""
            if entity_id not in getattr(self.cat, kind):
                raise ValueError(f"no {kind} page for {entity_id!r}")
            return Markup(_relative_url(f"{kind}/{_slug(entity_id)}/", here))

        page = self.env.get_template(template).render(
            cat=self.cat,
            today=self.today,
            ref=ref,
            url=url,
            root=Markup(root),
            levels=list(Level),
            charts_for=self.charts_for,
            links=self.links,
            issued=self.issued,
            issued_chart=self.issued_chart,
            issued_years=self.issued_years,
            education_levels=list(EducationLevel),
            standing=self.standing,
            related_org=lambda c: related.same_organization(self.cat, c),
            related_field=lambda c: related.same_field(self.cat, c),
            **context,
        )
        return Page(path, join_lines(page))


def _page_url(path: str) -> str:
    """The address of a generated page (directory URLs, as mkdocs.yml sets)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def _relative_url(target: str, page: str) -> str:
    """`target` (a folder address) as mkdocs writes a link to it from the page at `page`."""
    return posixpath.relpath("/" + target, "/" + page) + "/"


def _student_pages(r: _Renderer, cat: Catalogue, today: dt.date) -> list[Page]:
    """Fields and majors pages, and every chart as an SVG file beside them."""
    pages = [r.render("fields_index.md.j2", "fields/index.md")]
    charts = []
    for f in sorted(cat.fields.values(), key=lambda f: f.id):
        mine = outcomes.field_charts(cat, f.id, today.isoformat())
        by_records = outcomes.field_issued_chart(cat, f.id, r.issued, today.isoformat())
        mine += [by_records] if by_records else []
        charts += mine
        pages.append(r.render("field.md.j2", f"fields/{f.id}.md", f=f, field_charts=mine))
    pages.append(r.render("majors_index.md.j2", "majors/index.md"))
    pages += [
        r.render("major.md.j2", f"majors/{mj.id}.md", mj=mj)
        for mj in sorted(cat.majors.values(), key=lambda m: m.id)
    ]
    for c in sorted(cat.certificates.values(), key=lambda c: c.id):
        if r.wanted_chart("certificates", c.id):
            charts += outcomes.certificate_charts(cat, c.id)
            records = r.issued_chart(c.id)
            charts += [records] if records else []
    for o in sorted(cat.organizations.values(), key=lambda o: o.id):
        if r.wanted_chart("organizations", o.id):
            charts += outcomes.organization_charts(cat, o.id)
    pages += [Page(ch.path, render_svg(ch) if r.wanted(ch.path) else "") for ch in charts]
    return pages


def _owner(path: str, of: int) -> int:
    """Which of `of` rendering processes renders the page at `path` (the same in every one)."""
    return zlib.crc32(path.encode()) % of


_PARALLEL_FROM = 400  # certificates; below this a fork costs more than it saves


@dataclass(frozen=True)
class _Job:
    """What the forked renderers share with the parent (inherited, never pickled)."""

    cat: Catalogue
    today: dt.date
    issued: IssuedRecords
    site_url: str | None


_JOB: _Job | None = None


def render_pages(
    cat: Catalogue,
    *,
    today: dt.date,
    issued: IssuedRecords | None = None,
    site_url: str | None = None,
    only: Collection[str] | None = None,
    workers: int = 1,
) -> list[Page]:
    """Every generated page, in a fixed order (the build must be byte-for-byte repeatable).
    `issued`: the counts of published certificate records (none when the build has no records);
    `site_url`: the site's address, which makes the feeds' links absolute; `only`: the paths of
    the pages wanted (`xcert serve` renders those an edit may change), by default all;
    `workers`: forked processes sharing a full render, each page rendered by one of them."""
    issued = issued or IssuedRecords(as_of=today)
    if only is not None or workers <= 1 or len(cat.certificates) < _PARALLEL_FROM:
        pages = _render_list(_Renderer(cat, today, issued, only), site_url)
        return pages if only is None else [p for p in pages if p.path in only]
    global _JOB
    _JOB = _Job(cat, today, issued, site_url)
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            shares = list(pool.map(_render_share, range(workers), [workers] * workers))
    finally:
        _JOB = None
    paths = shares[0][0]
    contents = [iter(content) for _, content in shares]
    return [Page(path, next(contents[_owner(path, workers)])) for path in paths]


def _render_share(share: int, of: int) -> tuple[list[str], list[str]]:
    """In a forked worker: the paths of every page, and the content of this share's pages."""
    job = _JOB
    assert job is not None
    pages = _render_list(_Renderer(job.cat, job.today, job.issued, None, (share, of)), job.site_url)
    return [p.path for p in pages], [p.content for p in pages if _owner(p.path, of) == share]


def _render_list(r: _Renderer, site_url: str | None) -> list[Page]:
    """The pages in their order; a page `r` does not want has empty content."""
    cat, today, only = r.cat, r.today, r.only
    pages = [r.render("home.md.j2", "index.md")]
    pages.append(r.render("certificates_index.md.j2", "certificates/index.md"))
    pages += [
        r.render("certificate.md.j2", f"certificates/{c.id}.md", c=c)
        for c in sorted(cat.certificates.values(), key=lambda c: c.id)
    ]
    pages.append(r.render("organizations_index.md.j2", "organizations/index.md"))
    pages += [
        r.render("organization.md.j2", f"organizations/{o.id}.md", o=o)
        for o in sorted(cat.organizations.values(), key=lambda o: o.id)
    ]
    pages.append(r.render("standards_index.md.j2", "standards/index.md"))
    pages += [
        r.render("standard.md.j2", f"standards/{s.id}.md", s=s)
        for s in sorted(cat.standards.values(), key=lambda s: s.id)
    ]
    pages += _student_pages(r, cat, today)
    pages.append(r.render("notices_index.md.j2", "notices/index.md"))
    pages += [
        r.render("notice.md.j2", f"notices/{n.id}.md", n=n)
        for n in sorted(cat.notices.values(), key=lambda n: n.id)
    ]
    if only is None or any(p.startswith("notices/") and not p.endswith(".md") for p in only):
        pages += feed_pages(cat, site_url)
    return pages
