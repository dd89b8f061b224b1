"""Sessions, CSRF, sign-in slowing down, security headers, roles."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from review_factories import ACCOUNTS, PASSWORD, client_for, csrf_of, make_case, sign_in
from sqlalchemy import select

from pss_intake.config import Settings
from review.app import CSP, create_app
from review.auth import FREE_FAILURES
from store.db import Database
from store.models import AuditEntry, Case, CaseState, ReviewSession, User, utcnow

GET_PAGES = ["/", "/queue", "/cases?state=complete", "/cases/{ref}", "/register",
             "/register.csv", "/overview", "/audit",
             "/cases/{ref}/messages/1/attachments/3"]
POST_ACTIONS = [
    ("/cases/{ref}/edit", {"field": "organisation", "value": "X", "reason": "r"}),
    ("/cases/{ref}/accept", {"reason": ""}),
    ("/cases/{ref}/request-information", {"items": "nominees[0].phone"}),
    ("/cases/{ref}/reject", {"reason": "r"}),
    ("/cases/{ref}/not-a-nomination", {"reason": "r"}),
    ("/cases/{ref}/merge", {"into": "PSS-000002", "reason": "r"}),
    ("/cases/{ref}/rerun-extraction", {"reason": ""}),
    ("/logout", {}),
]


def _state(db: Database, ref: str) -> str:
    with db.transaction() as session:
        return session.execute(select(Case.state).where(Case.reference == ref)).scalar_one()


@pytest.mark.parametrize("path", GET_PAGES)
def test_pages_without_a_session_redirect_to_sign_in(settings: Settings, db: Database,
                                                     path: str) -> None:
    ref = make_case(db)
    response = client_for(settings, db).get(path.format(ref=ref))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert "Priya" not in response.text


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_posts_without_a_session_are_refused(settings: Settings, db: Database, path: str,
                                             data: dict[str, str]) -> None:
    ref = make_case(db)
    make_case(db)
    client = client_for(settings, db)
    # Without any token: the CSRF check refuses it.
    assert client.post(path.format(ref=ref), data=data).status_code == 403
    # With the anonymous session's token but not signed in: 401.
    token = csrf_of(client.get("/login").text)
    response = client.post(path.format(ref=ref), data={**data, "csrf_token": token})
    assert response.status_code in (401, 303)
    if path != "/logout":
        assert response.status_code == 401
    assert _state(db, ref) == CaseState.NEEDS_REVIEW


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_posts_without_the_csrf_token_are_refused(settings: Settings, db: Database, path: str,
                                                  data: dict[str, str]) -> None:
    ref = make_case(db)
    make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "confidential")
    assert client.post(path.format(ref=ref), data=data).status_code == 403
    # A token one character off (never the same one: a token may itself start with "x").
    wrong = ("y" if token[0] == "x" else "x") + token[1:]
    assert client.post(path.format(ref=ref), data={**data, "csrf_token": wrong}
                       ).status_code == 403
    # A form posted from another site is refused even with a valid token.
    assert client.post(path.format(ref=ref), data={**data, "csrf_token": token},
                       headers={"origin": "https://evil.example"}).status_code == 403
    assert _state(db, ref) == CaseState.NEEDS_REVIEW
    # Still signed in: the refusals changed nothing.
    assert client.get("/queue").status_code == 200


def test_login_itself_needs_the_csrf_token(settings: Settings, db: Database) -> None:
    client = client_for(settings, db)
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0],
                                           "password": PASSWORD})
    assert response.status_code == 403


def test_sign_in_sign_out_and_next(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    first = client.get(f"/cases/{ref}")
    assert first.headers["location"] == f"/login?next=/cases/{ref}"
    page = client.get(first.headers["location"])
    assert f'value="/cases/{ref}"' in page.text
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0].upper(),
                                           "password": PASSWORD, "next": f"/cases/{ref}",
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303 and response.headers["location"] == f"/cases/{ref}"
    token = csrf_of(client.get(f"/cases/{ref}").text)
    assert token != csrf_of(page.text), "a new CSRF token (and session) at sign-in"
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/queue").status_code == 303
    with db.transaction() as session:
        actions = session.execute(
            select(AuditEntry.action).where(AuditEntry.actor == ACCOUNTS["reviewer"][0])
        ).scalars().all()
    assert "signed-in" in actions and "signed-out" in actions and "case-viewed" in actions


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_next_never_leaves_the_site(settings: Settings, db: Database, target: str) -> None:
    client = client_for(settings, db)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0],
                                           "password": PASSWORD, "next": target,
                                           "csrf_token": token})
    assert response.headers["location"] == "/queue"


class Clock:
    """A monotonic clock the test moves by hand (the throttles' waits are seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _app_with_clock(settings: Settings, db: Database) -> tuple[FastAPI, Clock]:
    app = create_app(settings, db, login_failure_delay=0)
    clock = Clock()
    for throttle in app.state.throttles.values():
        throttle.clock = clock
    return app, clock


def _login(client: TestClient, email: str, password: str) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def test_repeated_failures_slow_down_that_address_from_that_client_only(
        settings: Settings, db: Database) -> None:
    app, clock = _app_with_clock(settings, db)
    attacker = TestClient(app, follow_redirects=False, client=("192.0.2.7", 40000))
    email = ACCOUNTS["reviewer"][0]
    for _ in range(FREE_FAILURES):
        assert _login(attacker, email, "wrong password!!").status_code == 401
    # Now that address waits 1 s from that client; the right password is not even checked.
    response = _login(attacker, email, PASSWORD)
    assert (response.status_code, response.headers["retry-after"]) == (429, "1")
    assert "Wait 1 second and try again" in response.text
    # The owner, from their own machine, is not kept out.
    owner = TestClient(app, follow_redirects=False, client=("198.51.100.20", 40000))
    assert _login(owner, email, PASSWORD).status_code == 303
    # Each further failure doubles the wait: 1, 2, 4 s ... never more than a minute.
    clock.now += 1
    assert _login(attacker, email, "wrong again!!!").status_code == 401
    assert _login(attacker, email, PASSWORD).headers["retry-after"] == "2"
    clock.now += 2
    assert _login(attacker, email, PASSWORD).status_code == 303
    with db.transaction() as session:
        # Nothing about failures is written on the account.
        assert session.execute(select(AuditEntry).where(
            AuditEntry.action == "sign-in-failed")).first() is None


def test_the_throttle_caps_its_wait_at_a_minute() -> None:
    from review.auth import Throttle

    throttle = Throttle(5, clock=Clock())
    assert [throttle.delay(n) for n in (0, 4, 5, 6, 7, 11, 12, 500)] == [
        0, 0, 1, 2, 4, 60, 60, 60]


def test_known_and_unknown_addresses_get_the_same_answer(
        settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same status, same page, one argon2 verification each with the same parameters (so the
    same time), also once throttled."""
    import review.auth as auth

    verified: list[str] = []
    real_verify = auth.verify_password

    def counting(hash_: str, password: str) -> bool:
        verified.append(hash_.rsplit("$", 2)[0])  # the parameters, not the salt or digest
        return real_verify(hash_, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    known, unknown = ACCOUNTS["reviewer"][0], "nobody.here@england.example"
    with db.transaction() as session:
        session.add(User(email="gone@england.example", password_hash=auth.hash_password(
            PASSWORD), role="reviewer", active=False))
    answers: dict[str, list[tuple[int, str]]] = {}
    for email in (known, unknown, "gone@england.example"):
        app, _ = _app_with_clock(settings, db)
        client = TestClient(app, follow_redirects=False)
        verified.clear()
        seen = []
        for attempt in range(FREE_FAILURES + 1):
            response = _login(client, email, PASSWORD if email != known else "wrong wrong wrong")
            seen.append((response.status_code, response.text.replace(email, "EMAIL")
                         .replace(csrf_of(response.text), "TOKEN")))
            assert len(verified) == min(attempt + 1, FREE_FAILURES)
        assert len(set(verified)) == 1
        answers[email] = seen
    assert answers[known] == answers[unknown] == answers["gone@england.example"]
    assert [status for status, _ in answers[known]] == [401] * FREE_FAILURES + [429]


def test_failures_from_one_client_are_slowed_across_addresses(settings: Settings,
                                                              db: Database) -> None:
    app, clock = _app_with_clock(settings, db)
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    statuses = [client.post("/login", data={"email": f"nobody{i}@england.example",
                                            "password": "guess guess guess",
                                            "csrf_token": token}).status_code
                for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    # Even a right password from that client waits now, for a second.
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0],
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429
    clock.now += 1
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0],
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


@pytest.mark.parametrize(("trusted", "seen_as"), [([], "testclient"),
                                                  (["testclient"], "203.0.113.9")])
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(
        settings: Settings, db: Database, trusted: list[str], seen_as: str) -> None:
    configured = settings.model_copy(update={"review": settings.review.model_copy(
        update={"trusted_proxies": trusted})})
    app = create_app(configured, db, login_failure_delay=0)
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"email": "x@england.example", "password": "nope nope nope",
                                "csrf_token": token},
                headers={"x-forwarded-for": "203.0.113.9"})
    assert app.state.throttles["client"].wait(seen_as) == 0
    assert seen_as in app.state.throttles["client"]._failures


def test_a_failed_sign_in_is_slowed_down(settings: Settings, db: Database) -> None:
    import time

    from fastapi.testclient import TestClient

    slow = TestClient(create_app(settings, db, login_failure_delay=0.4), follow_redirects=False)
    token = csrf_of(slow.get("/login").text)
    started = time.monotonic()
    slow.post("/login", data={"email": ACCOUNTS["reviewer"][0], "password": "nope nope nope",
                              "csrf_token": token})
    assert time.monotonic() - started >= 0.4


def test_passwords_are_argon2_hashes(db: Database) -> None:
    with db.transaction() as session:
        hashes = session.execute(select(User.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_a_deactivated_account_loses_its_session(settings: Settings, db: Database) -> None:
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == ACCOUNTS["reviewer"][0])
                               ).scalar_one()
        user.active = False
    assert client.get("/queue").status_code == 303


def test_a_password_change_ends_existing_sessions(settings: Settings, db: Database) -> None:
    from review.auth import hash_password

    client = client_for(settings, db)
    sign_in(client, "reviewer")
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == ACCOUNTS["reviewer"][0])
                               ).scalar_one()
        user.password_hash = hash_password("a brand new password")
    assert client.get("/queue").status_code == 303


def test_session_cookie_flags(settings: Settings, db: Database) -> None:
    from fastapi.testclient import TestClient

    secure = settings.model_copy(update={"review": settings.review.model_copy(
        update={"secure_cookies": True})})
    client = TestClient(create_app(secure, db, login_failure_delay=0),
                        base_url="https://testserver", follow_redirects=False)
    page = client.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert cookie.startswith("__host-pss_review_session=") and "path=/" in cookie
    plain = client_for(settings, db).get("/login").headers["set-cookie"].lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain


@pytest.mark.parametrize("path", ["/login", "/queue", "/cases/PSS-000001", "/nowhere",
                                  "/static/review.css", "/register.csv"])
def test_security_headers_on_every_response(settings: Settings, db: Database,
                                            path: str) -> None:
    make_case(db)
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    response = client.get(path)
    assert response.headers["content-security-policy"] in (CSP, "default-src 'none'; sandbox")
    assert "script-src 'none'" in CSP and "img-src 'self' data:" in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    if not path.startswith("/static"):
        assert response.headers["cache-control"] == "no-store"


def test_the_audit_log_is_for_administrators(settings: Settings, db: Database) -> None:
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    assert client.get("/audit").status_code == 403
    admin = client_for(settings, db)
    sign_in(admin, "admin")
    assert admin.get("/audit").status_code == 200
    assert 'href="/audit"' in admin.get("/queue").text
    assert 'href="/audit"' not in client.get("/queue").text


def test_sign_out_ends_the_session_even_for_a_saved_cookie(settings: Settings,
                                                          db: Database) -> None:
    """The report: after POST /logout the saved cookie still worked for up to 8 hours."""
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    saved = client.cookies.get("pss_review_session")
    assert saved and client.post("/logout", data={"csrf_token": token}).status_code == 303
    replay = client_for(settings, db)
    replay.cookies.set("pss_review_session", saved)
    assert replay.get("/queue").status_code == 303
    assert replay.post("/cases/PSS-000001/reject", data={"reason": "r", "csrf_token": token}
                       ).status_code == 403
    with db.transaction() as session:
        assert session.execute(select(ReviewSession)).first() is None


def test_the_cookie_holds_only_a_random_token(settings: Settings, db: Database) -> None:
    client = client_for(settings, db)
    csrf = sign_in(client, "reviewer")
    cookie = client.cookies.get("pss_review_session")
    assert cookie is not None and len(cookie) == 43 and "." not in cookie
    assert csrf not in cookie
    with db.transaction() as session:
        row = session.execute(select(ReviewSession)).scalar_one()
        user = session.get(User, row.user_id)
        assert user is not None
        # The database holds the token's SHA-256, not the token.
        import hashlib
        assert row.id == hashlib.sha256(cookie.encode()).hexdigest() != cookie
        assert row.csrf_token == csrf and user.password_hash[-20:] not in cookie


@pytest.mark.parametrize("change", ["role", "confidential", "active", "password"])
def test_an_account_change_made_anywhere_ends_its_sessions(settings: Settings, db: Database,
                                                           change: str) -> None:
    from review.auth import hash_password

    client = client_for(settings, db)
    sign_in(client, "reviewer")
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == ACCOUNTS["reviewer"][0])
                               ).scalar_one()
        if change == "role":
            user.role = "admin"
        elif change == "confidential":
            user.confidential = True
        elif change == "active":
            user.active = False
        else:
            user.password_hash = hash_password("a brand new password")
    assert client.get("/queue").status_code == 303
    with db.transaction() as session:
        assert session.execute(select(ReviewSession)).first() is None


@pytest.mark.parametrize(("column", "ago"), [("last_seen_at", dt.timedelta(minutes=61)),
                                             ("expires_at", dt.timedelta(seconds=1))])
def test_sessions_expire_idle_and_absolute(settings: Settings, db: Database, column: str,
                                           ago: dt.timedelta) -> None:
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    assert client.get("/queue").status_code == 200
    with db.transaction() as session:
        row = session.execute(select(ReviewSession)).scalar_one()
        setattr(row, column, utcnow() - ago)
    assert client.get("/queue").status_code == 303


@pytest.mark.parametrize("origin", ["null", "https://testserver", "http://testserver.evil.example",
                                    "http://evil.example"])
def test_a_form_from_another_origin_is_refused(settings: Settings, db: Database,
                                               origin: str) -> None:
    """The report: ``Origin: null`` and another scheme on the same host were accepted."""
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    response = client.post(f"/cases/{ref}/reject", data={"reason": "r", "csrf_token": token},
                           headers={"origin": origin})
    assert response.status_code == 403
    assert _state(db, ref) == CaseState.NEEDS_REVIEW
    response = client.post(f"/cases/{ref}/reject", data={"reason": "r", "csrf_token": token},
                           headers={"origin": "http://testserver"})
    assert response.status_code == 303 and _state(db, ref) == CaseState.REJECTED


def test_fetch_metadata_from_another_site_is_refused(settings: Settings, db: Database) -> None:
    ref = make_case(db)
    client = client_for(settings, db)
    token = sign_in(client, "reviewer")
    for site in ("cross-site", "same-site"):
        assert client.post(f"/cases/{ref}/reject", data={"reason": "r", "csrf_token": token},
                           headers={"sec-fetch-site": site}).status_code == 403
    assert _state(db, ref) == CaseState.NEEDS_REVIEW
