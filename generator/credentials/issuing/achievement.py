"""The Open Badges 3.0 achievement of a certificate at one level, from the catalogue: its name and
description, the criteria from the standard's level (its goal and the work areas and tasks it
requires), the standard it aligns to, and the 1+X batch."""

from __future__ import annotations

from generator.credentials._catalogue import CatalogueLike, CertificateLike, StandardLike
from generator.credentials.formats.record import Achievement


def _text(value: object) -> str:
    # The catalogue's levels are a str Enum: their value is the Chinese word.
    return str(getattr(value, "value", value))


def _criteria(cert: CertificateLike, level: str, std: StandardLike | None) -> str:
    own = next((lv for lv in std.levels if _text(lv.level) == level), None) if std else None
    if std is None or own is None:
        return f"通过{cert.name}（{level}）的考核，成绩合格。"
    parts = [f"达到《{std.name}》{level}的要求。"]
    if own.goal:
        parts.append(f"培养目标：{own.goal}")
    areas = [
        f"{wa.name}（{'、'.join(t.name for t in wa.tasks)}）" if wa.tasks else wa.name
        for wa in own.work_areas
    ]
    if areas:
        parts.append(f"职业技能：{'；'.join(areas)}。")
    return "\n".join(parts)


def achievement_for(catalogue: CatalogueLike, certificate: str, level: str) -> Achievement:
    """The achievement of `certificate` (a catalogue id) at `level`."""
    cert = catalogue.certificates[certificate]
    std = catalogue.standards.get(cert.standard) if cert.standard else None
    description = cert.summary or f"1+X 职业技能等级证书：{cert.name}，{level}。"
    return Achievement(
        certificate=cert.id,
        certificate_name=cert.name,
        level=level,
        organization=cert.organization,
        description=description,
        criteria=_criteria(cert, level, std),
        batch=cert.batch,
        standard=std.id if std else None,
        standard_name=std.name if std else None,
    )
