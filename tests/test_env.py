import pytest

from checker.env import ConfigError, env_bool, env_int, env_list, env_str, env_url


def test_env_bool_reads_zero_and_one(monkeypatch):
    monkeypatch.setenv("X_FLAG", "1")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", True) is True


def test_env_bool_rejects_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes please")
    with pytest.raises(ConfigError, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_rejects_words_and_small_values(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ConfigError, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", " 42 ")
    assert env_int("X_NUM", 5) == 42


def test_env_list_splits_on_commas_and_rejects_empty_items(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_LIST", "a.example,,b.example")
    with pytest.raises(ConfigError, match="X_LIST"):
        env_list("X_LIST")


def test_env_str_required_names_the_variable(monkeypatch):
    monkeypatch.delenv("X_KEY", raising=False)
    with pytest.raises(ConfigError, match="X_KEY must be set"):
        env_str("X_KEY", required=True)


def test_env_url_rejects_unknown_scheme(monkeypatch):
    monkeypatch.setenv("X_DB", "mysql://localhost/db")
    with pytest.raises(ConfigError, match="X_DB"):
        env_url("X_DB", schemes=("sqlite", "postgres"))
    monkeypatch.setenv("X_DB", "postgres://localhost/db")
    assert env_url("X_DB", schemes=("sqlite", "postgres")) == "postgres://localhost/db"


def test_settings_refuse_to_start_without_a_key_when_debug_is_off(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "checker.settings"}
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parent.parent),
    )
    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in proc.stderr
