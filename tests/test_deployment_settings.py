"""Production settings come from the environment, and Django's deployment checks pass."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Run manage.py in a clean environment: nothing but what production would be given."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_DEBUG": "0", **env}
    return subprocess.run(  # noqa: S603 our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "api.clinic.example",
    "ENQUIRY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ENQUIRY_LOOKUP_KEY": secrets.token_urlsafe(32),
}


def readme_deploy_exports():
    """Return the `export` lines of the shell example in the README's "Deploying" section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```sh\n(.*?)```", section, re.DOTALL)[1]
    return [line for line in example.splitlines() if line.startswith("export ")]


def test_check_deploy_is_clean_with_exactly_the_readmes_environment():
    exports = readme_deploy_exports()
    assert any("DJANGO_SECRET_KEY" in line for line in exports)
    script = "\n".join([*exports, "exec python manage.py check --deploy --fail-level WARNING"])
    # Nothing but the README's variables; `python` is this interpreter, as in a deployment.
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
    result = subprocess.run(  # noqa: S603 a fixed shell, the README's own lines
        ["/bin/bash", "-euc", script],
        cwd=ROOT,
        env={"PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_ALLOWED_HOSTS="api.clinic.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"])
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off" in result.stderr


def test_refuses_a_malformed_throttle_rate():
    result = manage("check", THROTTLE_SEARCH_RATE="lots", **PRODUCTION)
    assert result.returncode != 0
    assert "THROTTLE_SEARCH_RATE must look like 120/minute" in result.stderr


@pytest.mark.parametrize("name", ["ENQUIRY_ENCRYPTION_KEYS", "ENQUIRY_LOOKUP_KEY"])
def test_refuses_to_start_without_the_enquiry_keys(name):
    result = manage("check", **{**PRODUCTION, name: ""})
    assert result.returncode != 0
    assert f"{name} must be set when DJANGO_DEBUG is off" in result.stderr


def test_refuses_a_malformed_enquiry_encryption_key():
    keys = f"{PRODUCTION['ENQUIRY_ENCRYPTION_KEYS']},not-a-fernet-key"
    result = manage("check", **{**PRODUCTION, "ENQUIRY_ENCRYPTION_KEYS": keys})
    assert result.returncode != 0
    assert "ENQUIRY_ENCRYPTION_KEYS must list Fernet keys" in result.stderr
    assert "not-a-fernet-key" not in result.stderr  # a secret is never printed


def test_production_settings_are_secure():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = manage("shell", "-c", script, **PRODUCTION)
    assert result.stdout.split("\n")[-2] == "False True True True 31536000 None", result.stderr
    behind_proxy = manage("shell", "-c", script, TRUSTED_PROXY_COUNT="1", **PRODUCTION)
    assert behind_proxy.stdout.split("\n")[-2].endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


def test_debug_is_on_only_when_asked_for(tmp_path):
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION
    )
    assert result.stdout.strip().endswith("False")
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip().endswith("True")


def test_with_a_shared_cache_each_process_keeps_the_answers_it_served_lately():
    show = (
        "from django.conf import settings; "
        "print(sorted(settings.CACHES), settings.CACHES.get('local', {}).get('OPTIONS'))"
    )
    redis = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert manage("shell", "-v", "0", "-c", show, **redis).stdout.strip() == (
        "['default', 'local'] {'MAX_ENTRIES': 500}"
    )
    off = manage("shell", "-v", "0", "-c", show, **redis, ANSWER_MEMORY_ENTRIES="0")
    assert off.stdout.strip() == "['default'] None"
    # Without Redis the cache is in each process's memory already.
    assert manage("shell", "-v", "0", "-c", show, **PRODUCTION).stdout.strip() == "['default'] None"
    uncached = manage("shell", "-v", "0", "-c", show, **redis, CACHE_DISABLED="1")
    assert uncached.stdout.strip() == "['default'] None"
