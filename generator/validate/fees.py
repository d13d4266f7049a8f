"""The cost-cap rule of 教职所〔2019〕314号 as a check: a declared fee may not exceed the cap."""

from __future__ import annotations

from generator.errors import LocatedError, ValidationError
from generator.models import Catalogue, Certificate


def _check(cert: Certificate) -> list[LocatedError]:
    errors: list[LocatedError] = []
    for i, fee in enumerate(cert.fees):
        where = cert.where.get(f"fees[{i}].amount", cert.location)
        field = f"fees[{i}].amount"
        if cert.exam is None:
            errors.append(
                ValidationError(
                    "a declared fee needs the exam described as parts (exam.parts) to check it "
                    "against the cost cap",
                    location=where,
                    field=field,
                )
            )
            continue
        cap = cert.exam.cost_cap
        if fee.amount > cap and cert.fee_exception is None:
            level = fee.level.value if fee.level else "all levels"
            errors.append(
                ValidationError(
                    f"declared fee {fee.amount:g} 元 ({level}) is above the cost cap of {cap:g} 元 "
                    f"({cert.exam.cost_cap_explanation}); correct the fee or record fee_exception "
                    f"with the reference that approved it",
                    location=where,
                    field=field,
                )
            )
    return errors


def check(cat: Catalogue) -> list[LocatedError]:
    return [e for c in sorted(cat.certificates.values(), key=lambda c: c.id) for e in _check(c)]
