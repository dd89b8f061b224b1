"""``pss-intake user add`` (password from standard input) and the ``serve`` command."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pss_intake.cli import CliError, build_parser, main
from pss_intake.config import Settings
from pss_intake.users_cli import read_password
from review.auth import verify_password
from review.users import UserError, add_user
from store.db import Database, open_database
from store.models import User


def _user(settings: Settings, email: str) -> User | None:
    db = open_database(settings.database.url)
    try:
        with db.transaction() as session:
            return session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    finally:
        db.dispose()


def _config(settings: Settings, tmp_path: Path) -> str:
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {settings.database.url}\n", encoding="utf-8")
    return str(config)


def _cli(monkeypatch: pytest.MonkeyPatch, config: str, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--config", config, "user", *argv])


def test_user_add_reads_the_password_from_stdin(settings: Settings, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(settings, tmp_path)
    assert _cli(monkeypatch, config, "add", "Nadia.Reviewer@England.example", "--role",
                "reviewer", "--confidential",
                stdin="a long enough passphrase\nignored second line\n") == 0
    assert "added nadia.reviewer@england.example role=reviewer confidential=yes" in \
        capsys.readouterr().out
    user = _user(settings, "nadia.reviewer@england.example")
    assert user is not None and user.role == "reviewer" and user.confidential
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long enough passphrase")


@pytest.mark.parametrize(("email", "role", "password", "message"), [
    ("no-at-sign", "reviewer", "a long enough passphrase", "not an email address"),
    ("a@b.example", "boss", "a long enough passphrase", "role must be"),
    ("a@b.example", "admin", "short", "at least 12"),
])
def test_user_add_refusals(db: Database, email: str, role: str, password: str,
                           message: str) -> None:
    with db.transaction() as session, pytest.raises(UserError, match=message):
        add_user(session, email, password, role=role)


def test_user_add_twice_is_refused(settings: Settings) -> None:
    db = open_database(settings.database.url)
    with db.transaction() as session:
        add_user(session, "a@b.example", "a long enough passphrase")
    with db.transaction() as session, pytest.raises(UserError, match="already exists"):
        add_user(session, "A@B.example", "another long passphrase")
    db.dispose()


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(CliError, match="no password"):
        read_password(io.StringIO(""))


def test_the_cli_commands(settings: Settings, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {settings.database.url}\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase\n"))
    status = main(["--config", str(config), "user", "add", "ada@england.example",
                   "--role", "admin"])
    assert status == 0
    user = _user(settings, "ada@england.example")
    assert user is not None and user.role == "admin" and not user.confidential
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["--config", str(config), "user", "add", "ada@england.example",
                 "--role", "admin"]) == 1
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "8099"])
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8099)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["user", "add", "x@y.example", "--role", "root"])


@pytest.mark.parametrize(("password", "message"), [
    ("password1234", "most common passwords"),      # the report's example
    ("Password1234", "most common passwords"),
    ("qwertyuiop12", "most common passwords"),
    ("iloveyou1234", "similar to a commonly used password"),
    ("nadia.reviewer2024", "too easy to guess"),    # the account's own address
    ("short pass", "at least 12"),
    ("x" * 1025, "at most 1024"),
])
def test_common_and_guessable_passwords_are_refused(password: str, message: str) -> None:
    from review.users import check_password

    with pytest.raises(UserError, match=message):
        check_password(password, "nadia.reviewer@england.example")


def test_a_passphrase_is_accepted() -> None:
    from review.users import check_password

    check_password("correct horse battery staple", "nadia.reviewer@england.example")
    check_password("marmalade quietly orbits lisbon", "")


def _audit(db: Database, action: str) -> list[tuple[str | None, str | None]]:
    from store.models import AuditEntry

    with db.transaction() as session:
        return [(e.old_value, e.new_value) for e in session.execute(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).scalars()]


def test_user_list_disable_enable_set_role_reset_password(
        settings: Settings, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from review_factories import ACCOUNTS, client_for, sign_in

    config = _config(settings, tmp_path)
    rita = ACCOUNTS["reviewer"][0]
    assert _cli(monkeypatch, config, "list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == sorted(listed) and len(listed) == len(ACCOUNTS)
    assert f"{rita} role=reviewer confidential=no active=yes" in listed

    # Disabling ends the session now.
    client = client_for(settings, db)
    sign_in(client, "reviewer")
    assert _cli(monkeypatch, config, "disable", rita.upper()) == 0
    assert "(1 session ended)" in capsys.readouterr().out
    assert client.get("/queue").status_code == 303
    assert _audit(db, "user-disabled") == [(
        f"{rita} role=reviewer confidential=no active=yes",
        f"{rita} role=reviewer confidential=no active=no")]
    assert _cli(monkeypatch, config, "disable", rita) == 1
    assert "already disabled" in capsys.readouterr().err
    assert _cli(monkeypatch, config, "enable", rita) == 0

    # A role or permission change ends the session too.
    sign_in(client, "reviewer")
    assert _cli(monkeypatch, config, "set-role", rita, "--role", "admin",
                "--confidential") == 0
    assert client.get("/queue").status_code == 303
    assert _audit(db, "user-role-changed")[-1][1] == (
        f"{rita} role=admin confidential=yes active=yes")
    assert _cli(monkeypatch, config, "set-role", rita, "--no-confidential") == 0
    user = _user(settings, rita)
    assert user is not None and (user.role, user.confidential) == ("admin", False)

    # A new password: the old one stops working, the sessions end.
    sign_in(client, "reviewer")
    assert _cli(monkeypatch, config, "reset-password", rita,
                stdin="marmalade quietly orbits lisbon\n") == 0
    assert client.get("/queue").status_code == 303
    user = _user(settings, rita)
    assert user is not None and verify_password(user.password_hash,
                                                "marmalade quietly orbits lisbon")
    assert _cli(monkeypatch, config, "reset-password", rita, stdin="password1234\n") == 1
    assert "most common" in capsys.readouterr().err
    assert _cli(monkeypatch, config, "disable", "nobody@england.example") == 1
    assert "no account for nobody@england.example" in capsys.readouterr().err
    # Every change names who made it.
    assert all(actor.startswith("cli") for actor in _actors(db, "user-"))


def _actors(db: Database, prefix: str) -> list[str]:
    from store.models import AuditEntry

    with db.transaction() as session:
        return list(session.execute(select(AuditEntry.actor).where(
            AuditEntry.action.startswith(prefix), AuditEntry.actor != "system")).scalars())


def test_the_last_active_administrator_stays(settings: Settings, db: Database) -> None:
    from review_factories import ACCOUNTS

    from review import users

    with db.transaction() as session:
        users.set_active(session, ACCOUNTS["admin"][0], False, actor="t")
        last = ACCOUNTS["admin_confidential"][0]
        with pytest.raises(UserError, match="last active administrator"):
            users.set_active(session, last, False, actor="t")
        with pytest.raises(UserError, match="last active administrator"):
            users.set_role(session, last, role="reviewer", actor="t")
        # Changing only the permission is fine.
        users.set_role(session, last, confidential=False, actor="t")


def _id(db: Database, email: str) -> int:
    with db.transaction() as session:
        return int(session.execute(select(User.id).where(User.email == email)).scalar_one())


def test_the_accounts_page(settings: Settings, db: Database) -> None:
    from review_factories import ACCOUNTS, client_for, sign_in

    rita, adam = ACCOUNTS["reviewer"][0], ACCOUNTS["admin"][0]
    target = _id(db, rita)
    victim = client_for(settings, db)
    sign_in(victim, "reviewer")
    # Not an administrator: refused, nothing changes, rita is still signed in.
    other = client_for(settings, db)
    token = sign_in(other, "confidential")
    assert other.get("/admin/users").status_code == 403
    assert other.post(f"/admin/users/{target}/active", data={
        "active": "no", "csrf_token": token}).status_code == 403
    assert victim.get("/queue").status_code == 200
    admin = client_for(settings, db)
    token = sign_in(admin, "admin")
    page = admin.get("/admin/users").text
    assert rita in page and 'href="/admin/users"' in page
    # Without the token: refused.
    assert admin.post(f"/admin/users/{target}/active", data={"active": "no"}).status_code == 403
    assert victim.get("/queue").status_code == 200
    # Disabled: rita's session ends at once; the change is audited with who made it.
    response = admin.post(f"/admin/users/{target}/active", data={"active": "no",
                                                                   "csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/admin/users")
    assert victim.get("/queue").status_code == 303
    assert "1 session ended" in admin.get("/admin/users").text
    with db.transaction() as session:
        from store.models import AuditEntry
        entry = session.execute(select(AuditEntry).where(
            AuditEntry.action == "user-disabled")).scalar_one()
        assert (entry.actor, entry.new_value) == (
            adam, f"{rita} role=reviewer confidential=no active=no")
    admin.post(f"/admin/users/{target}/active", data={"active": "yes", "csrf_token": token})
    admin.post(f"/admin/users/{target}/role", data={"role": "reviewer", "confidential": "yes",
                                                     "csrf_token": token})
    user = _user(settings, rita)
    assert user is not None and user.active and user.confidential
    # A common password is refused and said why; a good one is set.
    admin.post(f"/admin/users/{target}/password", data={"password": "password1234",
                                                         "csrf_token": token})
    assert "most common passwords" in admin.get("/admin/users").text
    admin.post(f"/admin/users/{target}/password", data={
        "password": "marmalade quietly orbits lisbon", "csrf_token": token})
    user = _user(settings, rita)
    assert user is not None and verify_password(user.password_hash,
                                                "marmalade quietly orbits lisbon")
    # A made-up role or checkbox value is refused.
    assert admin.post(f"/admin/users/{target}/role", data={
        "role": "root", "csrf_token": token}).status_code == 400
    assert admin.post(f"/admin/users/{target}/role", data={
        "role": "admin", "confidential": "on\n", "csrf_token": token}).status_code == 400
    assert _user(settings, rita).role == "reviewer"  # type: ignore[union-attr]
