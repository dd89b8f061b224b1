"""The security test matrix (issue 15): every route and every form field of the review app, for
each role, with hostile variants of each parameter.

For every request it asserts: no server error and no framework JSON (which would echo input);
no confidential value in any response to a role without the permission; no state change by a
role not allowed the route; a refused edit of a confidential field answers in the same shape as
an allowed edit whose value was already there. :data:`ROUTES` declares the app's routes and
their parameters: a route or a parameter the app has and the matrix lacks (or the reverse), or
a form field a page renders that its route does not declare, fails
:func:`test_the_matrix_lists_every_route_and_parameter` / :func:`test_every_form_field_is_in_the_matrix`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from review_factories import (
    ACCOUNTS,
    FORBIDDEN,
    JOB_TITLE,
    PAY_BAND_RAW,
    client_for,
    csrf_of,
    make_case,
    sign_in,
)
from sqlalchemy import select

from pss_intake.config import Settings
from review.app import create_app
from store.db import Database
from store.models import Base, Case, CaseState, RawMessage, User

ROLES = ("anonymous", "reviewer", "confidential", "admin")
#: Tables a request may write without changing the state of anything (who looked at what,
#: the session itself).
NOT_STATE = {"audit_log", "review_session"}


@dataclass(frozen=True)
class Route:
    """One route as the matrix knows it.

    ``allowed``: the roles that may use it (others are refused); ``changes``: True when an
    allowed role's request may change state; ``base``: a valid value for every parameter
    (``{ref}``, ``{other}``, ``{raw}`` are filled in per case).
    """

    path: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ("reviewer", "confidential", "admin")
    changes: bool = False
    base: dict[str, str] = field(default_factory=dict)


_CASE_ACTION = {"reason": "checked with the trust"}
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/login"): Route(query=("next",), allowed=ROLES, base={"next": "/queue"}),
    ("POST", "/login"): Route(form=("email", "password", "next"), allowed=ROLES, base={
        "email": "nobody.here@england.example", "password": "not the password", "next": "/"}),
    ("POST", "/logout"): Route(allowed=ROLES),
    ("GET", "/"): Route(),
    ("GET", "/queue"): Route(query=("rule", "organisation", "age", "mine", "page"), base={
        "rule": "sender-domain-not-allowed",
        "organisation": "Northshire Hospitals NHS Foundation Trust", "age": "7",
        "mine": "true", "page": "1"}),
    ("GET", "/cases"): Route(query=("state", "reference", "q", "rule", "organisation", "age",
                                    "mine", "page"), base={
        "state": CaseState.NEEDS_REVIEW, "reference": "{ref}", "q": "Priya Shah",
        "rule": "sender-domain-not-allowed",
        "organisation": "Northshire Hospitals NHS Foundation Trust", "age": "7",
        "mine": "false", "page": "2"}),
    ("GET", "/next"): Route(query=("after",), base={"after": "{ref}"}),
    ("POST", "/queue/bulk"): Route(form=("refs", "action", "reason", "back"), changes=True,
                                   base={"refs": "{ref}", "action": "not-a-nomination",
                                         "reason": "a newsletter", "back": "/queue"}),
    ("POST", "/cases/{reference}/claim"): Route(path=("reference",), changes=True,
                                                base={"reference": "{ref}"}),
    ("POST", "/cases/{reference}/release"): Route(path=("reference",), changes=True,
                                                  base={"reference": "{ref}"}),
    ("POST", "/cases/{reference}/assign"): Route(
        path=("reference",), form=("to",), allowed=("admin",), changes=True,
        base={"reference": "{ref}", "to": ACCOUNTS["reviewer"][0]}),
    ("GET", "/cases/{reference}"): Route(path=("reference",), base={"reference": "{ref}"}),
    ("GET", "/cases/{reference}/messages/{raw_id}/attachments/{index}"): Route(
        path=("reference", "raw_id", "index"), allowed=("confidential",),
        base={"reference": "{ref}", "raw_id": "{raw}", "index": "3"}),
    ("POST", "/cases/{reference}/edit"): Route(
        path=("reference",), form=("field", "value", "reason"), changes=True,
        base={"reference": "{ref}", "field": "nominees[0].job_title", "value": "Chief Nurse",
              "reason": "the trust corrected it"}),
    ("POST", "/cases/{reference}/accept"): Route(
        path=("reference",), form=("reason",), changes=True,
        base={"reference": "{ref}", **_CASE_ACTION}),
    ("POST", "/cases/{reference}/request-information"): Route(
        path=("reference",), form=("items", "reason"), changes=True,
        base={"reference": "{ref}", "items": "nominees[0].phone", **_CASE_ACTION}),
    ("POST", "/cases/{reference}/reject"): Route(
        path=("reference",), form=("reason",), changes=True,
        base={"reference": "{ref}", **_CASE_ACTION}),
    ("POST", "/cases/{reference}/not-a-nomination"): Route(
        path=("reference",), form=("reason",), changes=True,
        base={"reference": "{ref}", **_CASE_ACTION}),
    ("POST", "/cases/{reference}/merge"): Route(
        path=("reference",), form=("into", "reason"), changes=True,
        base={"reference": "{ref}", "into": "{other}", **_CASE_ACTION}),
    ("POST", "/cases/{reference}/rerun-extraction"): Route(
        path=("reference",), form=("reason",), changes=True,
        base={"reference": "{ref}", **_CASE_ACTION}),
    ("GET", "/register"): Route(query=("former",), base={"former": "true"}),
    ("GET", "/register.csv"): Route(query=("former",), base={"former": "true"}),
    ("GET", "/coverage"): Route(query=("kind", "region"), base={"kind": "icb", "region": "Y58"}),
    ("GET", "/coverage.csv"): Route(query=("kind", "region"),
                                    base={"kind": "icb", "region": "Y58"}),
    ("GET", "/overview"): Route(),
    ("GET", "/audit"): Route(query=("case", "user", "before"), allowed=("admin",),
                             base={"case": "{ref}", "user": ACCOUNTS["confidential"][0],
                                   "before": "1000"}),
    ("GET", "/admin/users"): Route(allowed=("admin",)),
    ("POST", "/admin/users/{user_id}/active"): Route(
        path=("user_id",), form=("active",), allowed=("admin",), changes=True,
        base={"user_id": "{user}", "active": "no"}),
    ("POST", "/admin/users/{user_id}/role"): Route(
        path=("user_id",), form=("role", "confidential"), allowed=("admin",), changes=True,
        base={"user_id": "{user}", "role": "reviewer", "confidential": "yes"}),
    ("POST", "/admin/users/{user_id}/password"): Route(
        path=("user_id",), form=("password",), allowed=("admin",), changes=True,
        base={"user_id": "{user}", "password": "marmalade quietly orbits lisbon"}),
}
#: Mounted apps (not FastAPI routes): static files only.
MOUNTS = {"/static"}
#: Form fields every POST form carries (checked by a dependency, not a route parameter).
COMMON_FORM = {"csrf_token"}

# Look-alikes: digits from other scripts (str.isdigit and \d take them), Cyrillic letters,
# fullwidth punctuation, a one-dot leader for ".".
_LOOK_ALIKE = str.maketrans({
    **{str(d): chr(0x0660 + d) for d in range(10)}, "a": "\u0430", "e": "\u0435",
    "o": "\u043e", "p": "\u0440", "c": "\u0441", ".": "\u2024", "_": "\uff3f", "-": "\u2010",
    "[": "\uff3b", "]": "\uff3d"})


def variants(name: str, base: str, other: str) -> Iterator[tuple[str, str]]:
    """Hostile variants of one parameter's value: (label, value)."""
    yield "newline", base + "\n"
    yield "cr", base + "\r"
    yield "nul", base + "\x00"
    alike = base.translate(_LOOK_ALIKE)
    yield "look-alike", alike if alike != base else base + "\u200b"
    yield "fullwidth", "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in base)
    yield "bidi", "\u202e" + base
    yield "overlong", base + "x" * (3000 if name in ("reference", "raw_id", "index") else 20000)
    yield "other-case", other
    yield "empty", ""


@dataclass
class World:
    """One database with a case per route, the other case, and the signed-in client."""

    app: FastAPI
    client: TestClient
    db: Database
    token: str
    refs: dict[tuple[str, str], str]
    other: str
    raws: dict[str, int]
    user: int


def _digest(db: Database) -> str:
    """A digest of every row of every table that holds state."""
    h = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_STATE:
                continue
            rows = connection.execute(select(table)).all()
            h.update(table.name.encode())
            for row in sorted(repr(tuple(r)) for r in rows):
                h.update(row.encode())
    return h.hexdigest()


def _world(settings: Settings, db: Database, role: str) -> World:
    refs = {key: make_case(db) for key, route in ROUTES.items() if "reference" in route.path}
    other = make_case(db, nominee="Tobias Feld", nominee_email="tobias.feld@nhs.net")
    with db.transaction() as session:
        raws = {ref: session.execute(
            select(RawMessage.id).join(Case, RawMessage.case_id == Case.id)
            .where(Case.reference == ref)).scalar_one()
            for ref in [*refs.values(), other]}
        # The account the admin routes change: never the one signed in (the reviewer's world
        # is refused them all).
        target = "confidential" if role == "reviewer" else "reviewer"
        user = session.execute(select(User.id).where(User.email == ACCOUNTS[target][0])
                               ).scalar_one()
    app = create_app(settings, db, login_failure_delay=0)
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text) if role == "anonymous" else sign_in(client, role)
    return World(app, client, db, token, refs, other, raws, user)


def _fill(value: str, ref: str, world: World) -> str:
    return (value.replace("{ref}", ref).replace("{other}", world.other)
            .replace("{raw}", str(world.raws.get(ref, 1))).replace("{user}", str(world.user)))


def _send(world: World, method: str, pattern: str, values: dict[str, str],
          route: Route) -> Response:
    url = pattern
    for name in route.path:
        url = url.replace("{" + name + "}", quote(values[name], safe=""))
    query = {n: values[n] for n in route.query}
    if method == "GET":
        return world.client.get(url, params=query)
    form = {n: values[n] for n in route.form}
    return world.client.post(url, data={**form, "csrf_token": world.token})


def _drain(world: World) -> None:
    """Show the notices a POST left (so each check sees only its own)."""
    world.client.get("/overview")


def _notices(world: World, location: str) -> int:
    return world.client.get(location).text.count('class="notice error"')


def _expectation(role: str, key: tuple[str, str], label: str,
                 values: dict[str, str]) -> tuple[bool, bool, bool]:
    """(refused, a refused confidential edit, must change nothing) for one request."""
    route = ROUTES[key]
    refused = role not in route.allowed
    confidential_edit = (key[1].endswith("/edit") and role != "confidential"
                         and "job_title" in values.get("field", "").translate(
                             {0x2024: ".", 0xFF3F: "_"}).lower())
    # No hostile variant of a field path is a field path, for anyone.
    never_changes = refused or confidential_edit or not route.changes or label.startswith(
        "field:")
    return refused, confidential_edit, never_changes


def _problems(world: World, role: str, key: tuple[str, str], label: str, values: dict[str, str],
              response: Response, before: str) -> list[str]:
    """What is wrong with one answer (empty when all is well)."""
    method, pattern = key
    where = f"{role} {method} {pattern} {label}"
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: status {response.status_code}")
    kind = response.headers.get("content-type", "")
    if response.content and not kind.startswith(("text/html", "text/csv",
                                                 "application/octet-stream")):
        problems.append(f"{where}: answered {kind}")
    if role not in ("confidential",):
        body = response.content.decode("utf-8", "replace") + str(response.headers)
        leaked = [s for s in (JOB_TITLE, PAY_BAND_RAW, *FORBIDDEN) if s in body]
        if leaked:
            problems.append(f"{where}: confidential {leaked} in the answer")
    refused, confidential_edit, never_changes = _expectation(role, key, label, values)
    if refused and 200 <= response.status_code < 300:
        problems.append(f"{where}: not refused ({response.status_code})")
    if refused and method == "GET" and role == "anonymous" and response.status_code == 303:
        if not response.headers["location"].startswith("/login?next="):
            problems.append(f"{where}: not sent to sign in")
    if confidential_edit and role != "anonymous" and not (
            label.startswith("reference:") and response.status_code == 404):
        # The same shape as an allowed edit whose value was already there: 303 to the case
        # page, one error notice shown there.
        location = response.headers.get("location", "")
        if response.status_code != 303 or not location.startswith("/cases/") \
                or _notices(world, location) != 1:
            problems.append(f"{where}: refused edit answered {response.status_code} "
                            f"{location!r}")
    if never_changes and _digest(world.db) != before:
        problems.append(f"{where}: state changed")
    return problems


def _requests(world: World, key: tuple[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The base request of a route, then one per hostile variant of each parameter."""
    route = ROUTES[key]
    ref = world.refs.get(key, world.other)
    base = {name: _fill(route.base.get(name, ""), ref, world)
            for name in (*route.path, *route.query, *route.form)}
    yield "base", base
    for name in base:
        for label, value in variants(name, base[name], world.other):
            yield f"{name}:{label}", {**base, name: value}


def _post_request(world: World, role: str, key: tuple[str, str]) -> None:
    """Keep the role signed in (a POST /logout ends the session; the matrix goes on)."""
    if key == ("POST", "/logout") and role != "anonymous":
        world.token = sign_in(world.client, role)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_and_field_as_each_role(settings: Settings, db: Database,
                                           role: str) -> None:
    world = _world(settings, db, role)
    problems: list[str] = []
    sent = 0
    for key in ROUTES:
        for label, values in _requests(world, key):
            before = _digest(db) if _expectation(role, key, label, values)[2] else ""
            response = _send(world, *key, values, ROUTES[key])
            sent += 1
            problems += _problems(world, role, key, label, values, response, before)
            _post_request(world, role, key)
            if key[0] == "POST":
                _drain(world)
    assert sent > 300
    assert not problems, "\n".join(problems)


def test_allowed_edits_do_change_state(settings: Settings, db: Database) -> None:
    """The matrix's "no state change" is not vacuous: the same edits by a role allowed them
    change the case."""
    world = _world(settings, db, "confidential")
    ref = world.refs[("POST", "/cases/{reference}/edit")]
    before = _digest(db)
    response = world.client.post(f"/cases/{ref}/edit", data={
        "field": "nominees[0].job_title", "value": "Chief Nurse", "reason": "r",
        "csrf_token": world.token})
    assert response.status_code == 303 and _digest(db) != before
    # The allowed-but-unchanged answer the refusals are compared with.
    again = world.client.post(f"/cases/{ref}/edit", data={
        "field": "nominees[0].job_title", "value": "Chief Nurse", "reason": "r",
        "csrf_token": world.token})
    assert (again.status_code, again.headers["location"]) == (303, f"/cases/{ref}")
    assert _notices(world, again.headers["location"]) == 1


# -- the matrix covers the app ---------------------------------------------------------------


def _params(dependant: Any) -> dict[str, set[str]]:
    """Parameter names of a route and all its dependencies, by kind."""
    found: dict[str, set[str]] = {"path": set(), "query": set(), "form": set(),
                                  "header": set(), "cookie": set()}
    stack = [dependant]
    while stack:
        dep = stack.pop()
        found["path"] |= {p.alias for p in dep.path_params}
        found["query"] |= {p.alias for p in dep.query_params}
        found["form"] |= {p.alias for p in dep.body_params}
        found["header"] |= {p.alias for p in dep.header_params}
        found["cookie"] |= {p.alias for p in dep.cookie_params}
        stack.extend(dep.dependencies)
    return found


def test_the_matrix_lists_every_route_and_parameter(settings: Settings, db: Database) -> None:
    app = create_app(settings, db, login_failure_delay=0)
    seen: dict[tuple[str, str], dict[str, set[str]]] = {}
    mounts = set()
    for route in app.routes:
        if isinstance(route, APIRoute):
            for method in route.methods:
                seen[(method, route.path)] = _params(route.dependant)
        else:
            mounts.add(getattr(route, "path", repr(route)))
    assert set(seen) == set(ROUTES), "add the route to ROUTES in this file"
    assert mounts == MOUNTS
    for key, params in seen.items():
        declared = ROUTES[key]
        assert params == {"path": set(declared.path), "query": set(declared.query),
                          "form": set(declared.form), "header": set(), "cookie": set()}, key


class _Forms(HTMLParser):
    """Every <form> of a page: (method, action, field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("method") or "get").upper(), a.get("action") or "",
                               set()))
        elif tag in ("input", "select", "textarea", "button") and a.get("name") and self.forms:
            self.forms[-1][2].add(str(a["name"]))


def _route_of(method: str, action: str) -> tuple[str, str] | None:
    for key in ROUTES:
        pattern = re.sub(r"\{[a-z_]+\}", "[^/]+", re.escape(key[1]).replace(r"\{", "{")
                         .replace(r"\}", "}"))
        if key[0] == method and re.fullmatch(pattern, action):
            return key
    return None


def test_every_form_field_is_in_the_matrix(settings: Settings, db: Database) -> None:
    open_ref = make_case(db)
    done_ref = make_case(db, state=CaseState.COMPLETE)
    make_case(db, state=CaseState.AWAITING_INFORMATION)
    forms: list[tuple[str, str, set[str]]] = []
    anonymous = client_for(settings, db)
    pages = [anonymous.get("/login").text]
    client = client_for(settings, db)
    sign_in(client, "admin_confidential")
    for path in ("/queue", f"/cases/{open_ref}", f"/cases/{done_ref}", "/cases?state=complete",
                 "/register", "/coverage", "/overview", "/audit", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.text)
    for page in pages:
        parser = _Forms()
        parser.feed(page)
        forms += parser.forms
    assert len(forms) >= 10
    for method, action, names in forms:
        key = _route_of(method, action)
        assert key is not None, f"a form posts to {method} {action}: add it to ROUTES"
        route = ROUTES[key]
        declared = set(route.query if method == "GET" else route.form) | (
            COMMON_FORM if method == "POST" else set())
        assert names <= declared, f"{key}: fields {names - declared} missing from ROUTES"
