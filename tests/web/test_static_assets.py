"""Static files in production: compressed, cached for good, and light on the scoring page.

``collectstatic`` runs once into a temporary ``STATIC_ROOT`` with the production storage
(whitenoise's compressed manifest storage, remembering each address it works out), and
whitenoise serves the result through the real middleware stack, as it does under gunicorn.
"""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings

from opportunities.scoring.services import save_checkpoint
from tests.web.assets import asset_urls

FOREVER = "max-age=315360000, public, immutable"
SCORING_PAGE_BUDGET = 100 * 1024
HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:js|css)$")


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "opportunities.web.static_storage.StaticFilesStorage"}
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture
def scoring_page_assets(production_static, client_in, opportunity) -> list[str]:
    """What the scoring page loads at its heaviest: with a checkpoint, its score history
    (and the chart of it) is on the page too."""
    save_checkpoint(opportunity=opportunity, label="After the interview")
    page = client_in.get(f"/opportunities/{opportunity.pk}/")
    assert page.status_code == 200
    urls = asset_urls(page.content.decode())
    assert any(url.endswith(".css") for url in urls)
    assert any("htmx" in url for url in urls)
    return urls


def fetch(client, url: str, accept_encoding: str):
    response = client.get(url, headers={"Accept-Encoding": accept_encoding})
    body = b"".join(response.streaming_content)
    response.close()
    return response, body


def test_scoring_page_assets_are_hashed_compressed_and_cached_for_good(
    client_in, scoring_page_assets
):
    for url in scoring_page_assets:
        assert HASHED.search(url), f"{url} has no content hash, so it cannot be cached for good"
        response, body = fetch(client_in, url, "br, gzip")
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "br", url
        assert response["Cache-Control"] == FOREVER, url
        assert "Accept-Encoding" in response["Vary"], url
        assert len(body) == int(response["Content-Length"])


def test_scoring_page_js_and_css_weigh_under_100_kb_compressed(client_in, scoring_page_assets):
    sizes = {url: len(fetch(client_in, url, "br, gzip")[1]) for url in scoring_page_assets}
    assert sum(sizes.values()) < SCORING_PAGE_BUDGET, sizes


def test_clients_without_brotli_get_gzip(client_in, scoring_page_assets):
    response, body = fetch(client_in, scoring_page_assets[0], "gzip")
    assert response["Content-Encoding"] == "gzip"
    assert body[:2] == b"\x1f\x8b"


@pytest.mark.django_db
@pytest.mark.usefixtures("production_static")
def test_an_unhashed_name_is_not_cached_for_good(client):
    """Only hashed names may be immutable: a plain name's content changes on deploy."""
    response, _ = fetch(client, "/static/css/crossroads.css", "br")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_asset_urls_are_the_scripts_and_style_sheets_in_order():
    html = """<link rel="icon" href="/i.svg"><link rel="stylesheet" href="/a.css">
    <script src="/b.js" defer></script><script>inline()</script><link rel=stylesheet href=/c.css>"""
    assert asset_urls(html) == ["/a.css", "/b.js", "/c.css"]


@pytest.mark.usefixtures("production_static")
def test_a_files_address_is_worked_out_once_and_never_in_debug(monkeypatch):
    hashed = static("css/crossroads.css")
    assert HASHED.search(hashed)
    monkeypatch.setattr(
        staticfiles_storage, "stored_name", lambda name: pytest.fail(f"{name} looked up again")
    )
    assert static("css/crossroads.css") == hashed
    with override_settings(DEBUG=True):
        assert static("css/crossroads.css") == "/static/css/crossroads.css"
    monkeypatch.undo()
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static("css/not-there.css")  # a file that is not there is still refused
