"""The Content-Security-Policy and Permissions-Policy headers (core/security.py,
docs/security-headers.md): strict with nonces on the site, relaxed in the admins, a
report-only switch, and `check --deploy` still clean under production settings."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import CategoryFactory, QuestionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_the_home_page_sends_a_strict_policy_whose_nonce_its_inline_elements_carry(client):
    response = client.get("/")

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    nonce = next(v for v in policy["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert f"'nonce-{nonce}'" in policy["style-src"]
    html = response.content.decode()
    # Every inline script and style element carries this response's nonce...
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)
    styles = re.findall(r"<style([^>]*)>", html)
    assert styles
    assert all(f'nonce="{nonce}"' in attrs for attrs in styles)
    # ...and nothing needs 'unsafe-inline': no style attributes, no inline handlers.
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_each_response_gets_a_new_nonce(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second


def test_category_colours_come_from_a_stylesheet_not_style_attributes(client):
    category = CategoryFactory(title="Billing", colour="#0f766e")

    page = client.get(category.url).content.decode()
    css = client.get("/categories.css")

    assert f'data-category="{category.pk}"' in page
    assert not re.search(r"\sstyle=", page)
    assert css["Content-Type"].startswith("text/css")
    assert f'[data-category="{category.pk}"]{{--category:#0f766e}}' in css.content.decode()


def test_a_question_page_with_json_ld_has_no_unnonced_script(client):
    question = QuestionFactory()
    response = client.get(question.get_absolute_url())
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
        assert f'nonce="{nonce}"' in attrs


def test_the_wagtail_admin_gets_the_relaxed_same_origin_policy(client):
    client.force_login(StaffFactory(is_superuser=True))

    response = client.get("/admin/")

    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert not any(v.startswith("'nonce-") for v in policy["script-src"])


def test_the_django_admin_gets_the_relaxed_policy_too(client):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get("/django-admin/")
    assert "'unsafe-inline'" in _directives(response["Content-Security-Policy"])["style-src"]


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    with override_settings(
        CONTENT_SECURITY_POLICY=None,
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": directives},
    ):
        site = client.get("/")
        client.force_login(StaffFactory(is_superuser=True))
        admin = client.get("/admin/")

    assert "Content-Security-Policy" not in site
    assert "'nonce-" in site["Content-Security-Policy-Report-Only"]
    assert "Content-Security-Policy" not in admin
    assert "'unsafe-inline'" in admin["Content-Security-Policy-Report-Only"]


def test_every_response_sends_a_permissions_policy(client):
    header = client.get("/")["Permissions-Policy"]
    assert "camera=()" in header
    assert "geolocation=()" in header
    assert "microphone=()" in header
    # Passkeys and security keys (allauth's WebAuthn) stay allowed on this origin.
    assert "publickey-credentials-get=(self)" in header
    assert "publickey-credentials-create=(self)" in header


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "forum.example.com",
        **env,
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRINT_CSP = (
    "import django; django.setup(); from django.conf import settings; "
    "print(bool(settings.CONTENT_SECURITY_POLICY), "
    "bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
)


def test_csp_report_only_switches_the_policy_to_report_only():
    production = {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
    assert _run(["-c", PRINT_CSP], **production).stdout.split() == ["True", "False"]
    report_only = _run(["-c", PRINT_CSP], **production, CSP_REPORT_ONLY="1")
    assert report_only.stdout.split() == ["False", "True"]


def test_check_deploy_is_clean_under_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "csp." not in result.stdout + result.stderr
