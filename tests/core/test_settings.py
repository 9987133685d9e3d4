import os
import subprocess
import sys

import pytest

from techbridge.config import email_settings


def _run(args, env):
    return subprocess.run(
        [sys.executable, "-m", "techbridge", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {
        **os.environ,
        "TECHBRIDGE_ENV": "production",
        "SECRET_KEY": "k" * 20 + "a1B2c3D4e5F6g7H8i9J0" * 3,
        "ALLOWED_HOSTS": "techbridge.example.org",
        "TECHBRIDGE_HOME": str(tmp_path),
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser fixture for Playwright's event loop
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_missing_secret_key(tmp_path):
    env = {**os.environ, "TECHBRIDGE_ENV": "production", "TECHBRIDGE_HOME": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = _run(["check"], env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://user:p%40ss@mail.example.org:2525?tls=1",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 2525,
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
            },
        ),
        ("smtps://mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_parsing(url, expected):
    parsed = email_settings(url)
    for key, value in expected.items():
        assert parsed[key] == value


def test_email_url_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        email_settings("carrier-pigeon://loft")
