"""deploy/: the systemd units are valid (``systemd-analyze verify``), hardened
(``systemd-analyze security --offline``) and say what README "Deploying" promises.

``systemd-analyze`` comes with Debian's ``systemd`` package (.ci/run installs it when missing);
it reads unit files offline, so it runs in a container without systemd as PID 1. The units'
ExecStart names /opt/pss-intake/.venv/bin/pss-intake, which verify requires to exist: the test
checks a copy whose ExecStart names this checkout's ``pss-intake`` instead (the only change).
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
UNITS = ("pss-intake.service", "pss-intake-review.service")
INSTALLED = "/opt/pss-intake/.venv/bin/pss-intake"


def _analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.fail("systemd-analyze is missing: apt-get install -y systemd (.ci/run does)",
                    pytrace=False)
    return tool


def _local_copy(tmp_path: Path, name: str, text: str | None = None) -> Path:
    here = Path(sys.executable).with_name("pss-intake")
    assert here.exists(), here
    text = (DEPLOY / name).read_text() if text is None else text
    assert INSTALLED in text
    path = tmp_path / name
    path.write_text(text.replace(INSTALLED, str(here)))
    return path


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name)
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_systemd_analyze_verify_accepts_the_unit_without_a_warning(
        tmp_path: Path, name: str) -> None:
    result = subprocess.run([_analyze(), "verify", str(_local_copy(tmp_path, name))],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_verify_would_catch_a_mistyped_setting(tmp_path: Path) -> None:
    # The check above can fail: verify reports a value systemd cannot parse.
    text = (DEPLOY / UNITS[0]).read_text().replace("ProtectSystem=strict", "ProtectSystem=stric")
    result = subprocess.run([_analyze(), "verify", str(_local_copy(tmp_path, UNITS[0], text))],
                            capture_output=True, text=True, timeout=60)
    assert "Failed to parse protect system value, ignoring: stric" in result.stderr


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_is_hardened_to_an_exposure_of_at_most_4(tmp_path: Path, name: str) -> None:
    # systemd's own scale: 0 (locked down) to 10 (unprotected); --threshold is in tenths.
    path = _local_copy(tmp_path, name)
    result = subprocess.run([_analyze(), "security", "--offline=yes", "--threshold=40",
                             path.name], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-600:]


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_has_the_settings_the_readme_promises(name: str) -> None:
    service = _unit(name)["Service"]
    assert service["User"] == service["Group"] == "pss-intake"
    assert service["EnvironmentFile"] == "/etc/pss-intake/pss-intake.env"
    assert service["ProtectSystem"] == "strict"
    assert service["NoNewPrivileges"] == "yes"
    assert service["Restart"] == "on-failure"
    assert service["ReadWritePaths"] == "/var/lib/pss-intake"
    assert service["ExecStart"].startswith(INSTALLED + " ")


def test_secrets_are_only_in_the_environment_file() -> None:
    # The example names every secret the settings refuse to read from the file.
    from pss_intake.config import ENV_PREFIX, SECRET_KEYS

    example = (DEPLOY / "pss-intake.env.example").read_text()
    names = {line.split("=", 1)[0] for line in example.splitlines()
             if line and not line.startswith("#")}
    assert {f"{ENV_PREFIX}{s.upper()}__{k.upper()}" for s, k in SECRET_KEYS} - names == {
        "PSS_INTAKE_IMAP__OAUTH_CLIENT_SECRET", "PSS_INTAKE_IMAP__OAUTH_REFRESH_TOKEN"}
    for name in UNITS:
        environment = [line for line in (DEPLOY / name).read_text().splitlines()
                       if line.startswith("Environment=")]
        assert environment == ["Environment=PSS_INTAKE_CONFIG=/etc/pss-intake/config.yaml"]


def test_sysusers_creates_the_dedicated_system_user_without_a_login(tmp_path: Path) -> None:
    sysusers = shutil.which("systemd-sysusers")
    if sysusers is None:
        pytest.fail("systemd-sysusers is missing: apt-get install -y systemd", pytrace=False)
    (tmp_path / "etc").mkdir()
    subprocess.run([sysusers, f"--root={tmp_path}", str(DEPLOY / "pss-intake.sysusers")],
                   check=True, capture_output=True, timeout=60)
    user = (tmp_path / "etc" / "passwd").read_text().splitlines()
    assert len(user) == 1
    name, _, uid, gid, _, home, shell = user[0].split(":")
    assert (name, home, shell) == ("pss-intake", "/var/lib/pss-intake", "/usr/sbin/nologin")
    assert int(uid) < 1000 and uid == gid  # a system user with its own group
