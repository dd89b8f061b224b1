"""Sessions, CSRF, sign-in slowing down, security headers, roles."""

from __future__ import annotations

import datetime as dt

import pytest
from review_factories import ACCOUNTS, PASSWORD, client_for, csrf_of, make_case, sign_in
from sqlalchemy import select

from pss_intake.config import Settings
from review.app import CSP, create_app
from review.auth import FREE_FAILURES
from store.db import Database
from store.models import AuditEntry, Case, CaseState, User, utcnow

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


def test_repeated_failures_lock_the_account_for_a_while(settings: Settings,
                                                        db: Database) -> None:
    client = client_for(settings, db)
    email = ACCOUNTS["reviewer"][0]
    token = csrf_of(client.get("/login").text)

    def attempt(password: str) -> int:
        return client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token}).status_code

    for _ in range(FREE_FAILURES):
        assert attempt("wrong password!!") == 401
    # Locked: even the right password is refused, without saying whether it was right.
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 429
    assert "Try again in" in response.text
    assert int(response.headers["retry-after"]) > 0
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one()
        assert user.failed_logins == FREE_FAILURES
        # Time passes beyond the lock.
        user.last_failed_at = utcnow() - dt.timedelta(minutes=5)
    # One more failure doubles the wait; the right password after the wait works and resets.
    assert attempt("still wrong!!!!") == 401
    assert attempt(PASSWORD) == 429
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one()
        assert user.failed_logins == FREE_FAILURES + 1
        user.last_failed_at = utcnow() - dt.timedelta(minutes=5)
    assert attempt(PASSWORD) == 303
    with db.transaction() as session:
        user = session.execute(select(User).where(User.email == email)).scalar_one()
        assert user.failed_logins == 0


def test_failures_from_one_address_are_capped(settings: Settings, db: Database) -> None:
    client = client_for(settings, db)
    token = csrf_of(client.get("/login").text)
    statuses = [client.post("/login", data={"email": f"nobody{i}@england.example",
                                            "password": "guess guess guess",
                                            "csrf_token": token}).status_code
                for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    # Even a right password from that address waits now.
    response = client.post("/login", data={"email": ACCOUNTS["reviewer"][0],
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 429


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
    assert response.headers["referrer-policy"] == "no-referrer"
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
