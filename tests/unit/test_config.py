"""``pss_intake.config``: config.yaml, the defaults, the environment and the secrets rule."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from pss_intake.config import SECRET_KEYS, ConfigError, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config.yaml"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PSS_INTAKE_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("PSS_INTAKE_"):
            monkeypatch.delenv(name)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _keys(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every settings key as a path, recursing into nested sections."""
    found: set[tuple[str, ...]] = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found |= _keys(annotation, (*prefix, name))
        else:
            found.add((*prefix, name))
    return found


def _yaml_keys(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, value in data.items():
        if isinstance(value, dict):
            found |= _yaml_keys(value, (*prefix, name))
        else:
            found.add((*prefix, name))
    return found


# --- config.yaml and the defaults -----------------------------------------------------------


def test_shipped_config_loads_to_exactly_the_defaults() -> None:
    assert load_settings(CONFIG).model_dump() == Settings().model_dump()


def test_shipped_config_holds_no_secret() -> None:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    for section, key in SECRET_KEYS:
        assert key not in (data.get(section) or {}), f"{section}.{key}"


def test_shipped_config_has_every_section() -> None:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert set(data) == set(Settings.model_fields)


def test_shipped_config_names_no_unknown_key() -> None:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert _yaml_keys(data) - _keys(Settings) == set()


def test_shipped_config_shows_every_key_except_secrets() -> None:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    expected = _keys(Settings) - set(SECRET_KEYS)
    assert expected - _yaml_keys(data) == set()


def test_secret_keys_are_real_settings() -> None:
    assert set(SECRET_KEYS) <= _keys(Settings)
    assert len(SECRET_KEYS) == 5


def test_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(_write(tmp_path, "")).model_dump() == Settings().model_dump()


def test_file_value_beats_the_default(tmp_path: Path) -> None:
    path = _write(tmp_path, "imap:\n  host: imap.nhs.example\n  port: 10993\n")
    settings = load_settings(path)
    assert settings.imap.host == "imap.nhs.example"
    assert settings.imap.port == 10993
    # Keys not given keep their defaults.
    assert settings.imap.folder == "INBOX"
    assert settings.smtp.port == 587


# --- The environment ------------------------------------------------------------------------


def test_env_database_url_beats_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "database:\n  url: sqlite:///from-file.db\n  echo: true\n")
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", "sqlite:////tmp/from-env.db")
    settings = load_settings(path)
    assert settings.database.url == "sqlite:////tmp/from-env.db"
    # The rest of the section still comes from the file.
    assert settings.database.echo is True


def test_env_nested_imap_port_beats_the_file(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "imap:\n  host: imap.nhs.example\n  port: 993\n")
    monkeypatch.setenv("PSS_INTAKE_IMAP__PORT", "10143")
    settings = load_settings(path)
    assert settings.imap.port == 10143
    assert settings.imap.host == "imap.nhs.example"


def test_env_beats_the_shipped_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSS_INTAKE_IMAP__PORT", "10143")
    monkeypatch.setenv("PSS_INTAKE_DATABASE__URL", "postgresql+psycopg://pss@db.example/pss")
    settings = load_settings(CONFIG)
    assert settings.imap.port == 10143
    assert settings.database.url == "postgresql+psycopg://pss@db.example/pss"


def test_secret_comes_from_the_environment(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSS_INTAKE_SMTP__PASSWORD", "correct-horse-battery")
    settings = load_settings(_write(tmp_path, "smtp:\n  username: pss\n"))
    assert settings.smtp.password is not None
    assert settings.smtp.password.get_secret_value() == "correct-horse-battery"
    assert "correct-horse-battery" not in repr(settings)


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "key", "env"),
    [
        ("imap", "password", "PSS_INTAKE_IMAP__PASSWORD"),
        ("imap", "oauth_client_secret", "PSS_INTAKE_IMAP__OAUTH_CLIENT_SECRET"),
        ("imap", "oauth_refresh_token", "PSS_INTAKE_IMAP__OAUTH_REFRESH_TOKEN"),
        ("smtp", "password", "PSS_INTAKE_SMTP__PASSWORD"),
        ("review", "secret_key", "PSS_INTAKE_REVIEW__SECRET_KEY"),
    ],
)
def test_secret_in_the_file_is_refused(tmp_path: Path, section: str, key: str, env: str) -> None:
    path = _write(tmp_path, f"{section}:\n  {key}: hunter2-not-real\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert env in message
    assert f"{section}.{key}" in message
    assert "hunter2-not-real" not in message
    assert "\n" not in message


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not found" in message
    assert "\n" not in message


def test_missing_default_file_is_not_an_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().model_dump() == Settings().model_dump()


def test_invalid_yaml_is_a_one_line_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "imap:\n  port: [993, 143\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "not valid YAML" in message
    assert "\n" not in message


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(_write(tmp_path, "imap: port: 993\n"))


@pytest.mark.parametrize("text", ["- imap\n- smtp\n", "just a string\n", "42\n"])
def test_non_mapping_is_a_one_line_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_write(tmp_path, text))
    message = str(caught.value)
    assert "must be a mapping" in message
    assert "\n" not in message


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_write(tmp_path, "imapp:\n  port: 993\n"))
    message = str(caught.value)
    assert "imapp" in message
    assert "\n" not in message


def test_unknown_key_inside_a_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(_write(tmp_path, "imap:\n  prot: 10143\n"))


def test_wrong_type_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_write(tmp_path, "imap:\n  port: not-a-number\n"))
    message = str(caught.value)
    assert "port" in message
    assert "\n" not in message


def test_bad_auth_choice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(_write(tmp_path, "imap:\n  auth: basic\n"))


def test_a_missing_file_named_by_the_environment_is_an_error(monkeypatch, tmp_path) -> None:
    # $PSS_INTAKE_CONFIG is asked for as much as --config: a typo must not mean the defaults.
    monkeypatch.setenv("PSS_INTAKE_CONFIG", str(tmp_path / "nonexist.yaml"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings()
