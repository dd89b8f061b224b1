"""Coverage: every open ODS organisation with its number of specialists in post (those of
organisations that closed into it counted with it) and of open cases, those with none first;
and coverage by region (national grouping) for the chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from register.matching import resolve
from register.names import proper_case
from store.models import Case, CaseState, Organisation, Specialist

__all__ = ["KINDS", "REGIONS", "CoverageRow", "RegionBar", "coverage", "coverage_csv",
           "region_choices", "region_name", "regions"]

KINDS = {"trust": "NHS trust", "icb": "Integrated care board",
         "independent": "Independent provider"}
#: NHS England region codes used as ODS national groupings.
REGIONS = {"Y56": "London", "Y58": "South West", "Y59": "South East", "Y60": "Midlands",
           "Y61": "East of England", "Y62": "North West", "Y63": "North East and Yorkshire"}


def region_name(code: str | None) -> str:
    """``Y58`` → ``South West``; an unknown code as it is; none → ``No region``."""
    if not code:
        return "No region"
    return REGIONS.get(code, code)


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One open organisation: ``specialists_in_post`` and ``open_cases`` are counts."""

    ods_code: str
    name: str
    kind: str
    region: str | None
    specialists_in_post: int
    open_cases: int

    def as_json(self) -> dict[str, object]:
        """The ``coverage --json`` object."""
        return {"ods_code": self.ods_code, "name": self.name,
                "specialists_in_post": self.specialists_in_post, "open_cases": self.open_cases}


def _counts(session: Session, orgs: dict[str, Organisation], today: dt.date
            ) -> tuple[dict[str, int], dict[str, int]]:
    in_post: dict[str, int] = {}
    for code, n in session.execute(
        select(Specialist.organisation_code, func.count()).where(Specialist.in_post.is_(True))
        .group_by(Specialist.organisation_code)
    ):
        if code:
            final = resolve(orgs, code, today)
            in_post[final] = in_post.get(final, 0) + int(n)
    cases: dict[str, int] = {}
    for code, n in session.execute(
        select(Case.organisation_code, func.count()).where(Case.state.in_(CaseState.OPEN))
        .group_by(Case.organisation_code)
    ):
        if code:
            final = resolve(orgs, code, today)
            cases[final] = cases.get(final, 0) + int(n)
    return in_post, cases


def coverage(session: Session, *, kind: str | None = None, region: str | None = None,
             today: dt.date | None = None) -> list[CoverageRow]:
    """Open organisations (no close date, or one still ahead), optionally of one ``kind``
    (``trust``, ``icb``, ``independent``) or ``region`` (national grouping code), those with
    no specialist in post first, then by name."""
    today = today or dt.datetime.now(dt.UTC).date()
    orgs = {o.code: o for o in session.execute(select(Organisation)).scalars()}
    in_post, cases = _counts(session, orgs, today)
    rows = [
        CoverageRow(o.code, proper_case(o.name), o.kind, o.national_grouping,
                    in_post.get(o.code, 0), cases.get(o.code, 0))
        for o in orgs.values()
        if (o.closed_on is None or o.closed_on >= today)
        and (kind is None or o.kind == kind)
        and (region is None or (o.national_grouping or "") == region)
    ]
    rows.sort(key=lambda r: (r.specialists_in_post > 0, r.name.casefold()))
    return rows


@dataclass(frozen=True, slots=True)
class RegionBar:
    """One region's bar: ``covered`` of ``total`` open organisations have a specialist in post;
    the rest are SVG geometry (pixels)."""

    region: str
    covered: int
    total: int
    y: float
    covered_width: float
    total_width: float


def regions(rows: list[CoverageRow], *, width: float = 360.0, bar: float = 18.0,
            gap: float = 8.0) -> list[RegionBar]:
    """Coverage by region, for a horizontal bar chart: each bar's full length is the region's
    organisations (scaled to the largest region), the filled part those with a specialist."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        counts = totals.setdefault(region_name(row.region), [0, 0])
        counts[0] += 1 if row.specialists_in_post else 0
        counts[1] += 1
    biggest = max((t for _, t in totals.values()), default=0) or 1
    bars = []
    for i, (name, (covered, total)) in enumerate(sorted(totals.items())):
        bars.append(RegionBar(name, covered, total, i * (bar + gap),
                              width * covered / biggest, width * total / biggest))
    return bars


def coverage_csv(rows: list[CoverageRow]) -> str:
    """Coverage as CSV (RFC 4180, CRLF): one row per open organisation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ods_code", "name", "type", "region", "specialists_in_post", "open_cases"])
    for r in rows:
        writer.writerow([r.ods_code, r.name, r.kind, region_name(r.region),
                         r.specialists_in_post, r.open_cases])
    return out.getvalue()


def region_choices(session: Session) -> list[tuple[str, str]]:
    """(national grouping code, region name) of the organisations loaded, by name."""
    codes = {c for c in session.execute(select(Organisation.national_grouping).distinct())
             .scalars() if c}
    return sorted(((c, region_name(c)) for c in codes), key=lambda p: p[1])
