"""Production configuration and the strict CSP the templates must live within."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-deploy-check-1234",
    "DJANGO_ALLOWED_HOSTS": "crossroads.example.org",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_CONTENT_TYPE_NOSNIFF,"
        " s.SECURE_REFERRER_POLICY)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "True",
        "same-origin",
    ], result.stderr


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_style_or_hx_on(template):
    text = re.sub(r"\{#.*?#\}", "", template.read_text())
    text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
    for match in re.finditer(r"<script\b[^>]*>", text):
        tag = match.group(0)
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script: {tag}"
        if "src=" in tag:
            assert 'nonce="{{ csp_nonce }}"' in tag, f"script without the CSP nonce: {tag}"
    assert not re.search(r"\shx-on[:-]", text), "hx-on needs unsafe-eval"
    assert not re.search(r"\sstyle=", text), "inline style attributes are blocked by the CSP"
    assert not re.search(r"<style\b", text), "inline <style> is blocked by the CSP"
    assert not re.search(r"\son[a-z]+=", text), "inline event handlers are blocked by the CSP"


def test_htmx_is_configured_for_the_csp():
    base = (ROOT / "templates" / "base.html").read_text()
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', base).group(1)
    assert '"allowEval": false' in config
    assert '"selfRequestsOnly": true' in config
    assert '"includeIndicatorStyles": false' in config
    assert '"historyCacheSize": 0' in config  # no page snapshots left in localStorage
    css = (ROOT / "static" / "css" / "crossroads.css").read_text()
    assert ".htmx-indicator" in css


POSTGRES = {"DATABASE_URL": "postgres://crossroads@db.example.org:5432/crossroads"}
READ_DATABASE_OPTIONS = (
    "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (None, "{'server_side_binding': True, 'prepare_threshold': 5}"),
        ("0", "{'server_side_binding': True, 'prepare_threshold': 0}"),
        ("off", "{'server_side_binding': True, 'prepare_threshold': None}"),
    ],
)
def test_postgresql_prepares_repeated_statements_unless_told_not_to(threshold, expected):
    env = POSTGRES | ({"DJANGO_DB_PREPARE_THRESHOLD": threshold} if threshold else {})
    result = run_manage("shell", "--no-imports", "-c", READ_DATABASE_OPTIONS, env=env)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_a_prepare_threshold_that_is_not_a_number_is_a_clear_error():
    env = POSTGRES | {"DJANGO_DB_PREPARE_THRESHOLD": "sometimes"}
    result = run_manage("shell", "--no-imports", "-c", READ_DATABASE_OPTIONS, env=env)
    assert result.returncode != 0
    assert "DJANGO_DB_PREPARE_THRESHOLD must be a whole number or off." in result.stderr
