"""The machine-readable contract (DESIGN.md): the JSON object ``extract --json`` prints and
the first keys of each ``import --json`` line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from validation.models import Action, CaseReading


def contract_record(
    classification: str,
    reading: CaseReading,
    *,
    missing: Iterable[str],
    action: str,
    flags: Iterable[dict[str, str]],
    organisation_code: str | None = None,
) -> dict[str, Any]:
    """The contract's keys, in order, with their value forms (people as
    :meth:`validation.models.PersonReading.contract`; ``missing`` sorted). Automatic mail
    (``action`` ignore) carries no missing items and no flags. ``organisation_code`` is the
    ODS code matched from the register (None when not matched or nothing is loaded)."""
    ignored = str(action) == Action.IGNORE
    return {
        "classification": str(classification),
        "nomination_type": str(reading.nomination_type) if reading.nomination_type else None,
        "nominees": [p.contract() for p in reading.nominees],
        "replaced": [p.contract(replaced=True) for p in reading.replaced],
        "guidance_confirmed": reading.guidance_confirmed,
        "organisation": reading.organisation,
        "organisation_code": organisation_code,
        "missing": [] if ignored else sorted(missing),
        "action": str(action),
        "flags": [] if ignored else list(flags),
    }


CONFIDENTIAL_KEYS = ("job_title", "pay_band")
"""A nominee's confidential values: shown only to those allowed (DESIGN.md, DOMAIN.md §7)."""


def without_confidential(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with each person's job title and pay band left out (a new dict)."""
    people: dict[str, Any] = {role: [{k: v for k, v in person.items() if k not in CONFIDENTIAL_KEYS}
                                 for person in record.get(role) or []]
                              for role in ("nominees", "replaced") if role in record}
    return {**record, **people}
