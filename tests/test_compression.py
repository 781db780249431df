"""Compressed answers (core/web/compression.py) and static files' compressed copies."""

import gzip

import brotli
import pytest

from core.web.compression import accepted_encoding
from tests.factories import make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    for n in range(5):
        make_release(title=f"Ministers of the member states meet, part {n}")


@pytest.mark.parametrize(
    "path", ["/press-releases/", "/api/v1/releases/", "/press-releases/feed/", "/api/schema/"]
)
def test_shared_answers_are_compressed_for_clients_that_accept_it(client, listed, path):
    plain = client.get(path)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    as_br = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
    assert as_br["Content-Encoding"] == "br"
    assert brotli.decompress(as_br.content) == plain.content
    assert int(as_br["Content-Length"]) == len(as_br.content) < len(plain.content) / 2
    as_gzip = client.get(path, headers={"accept-encoding": "gzip"})
    assert as_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(as_gzip.content) == plain.content
    # The compressed copy is another body with the same meaning: a weak validator, which
    # still answers a revalidation with 304.
    assert as_br["ETag"].startswith("W/")
    again = client.get(path, headers={"accept-encoding": "br", "if-none-match": as_br["ETag"]})
    assert again.status_code == 304


def test_a_cached_page_is_compressed_once(client, listed, monkeypatch):
    from django.core.cache import caches

    from core.web import compression

    caches["compressed"].clear()
    made = []
    monkeypatch.setattr(
        compression, "compress", lambda body, coding: made.append(coding) or gzip.compress(body)
    )
    first = client.get("/press-releases/", headers={"accept-encoding": "gzip"})
    second = client.get("/press-releases/", headers={"accept-encoding": "gzip"})
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert made == ["gzip"]


def test_pages_with_a_secret_are_never_compressed(client, admin_client, listed):
    """BREACH: a CSRF token beside reflected input must not be compressed."""
    for page in (
        client.get("/admin/login/", headers={"accept-encoding": "br, gzip"}),
        client.get("/alerts/", headers={"accept-encoding": "br, gzip"}),
        admin_client.get("/admin/releases/release/", headers={"accept-encoding": "br"}),
        admin_client.get("/press-releases/?q=ministers", headers={"accept-encoding": "br"}),
    ):
        assert page.status_code == 200
        assert "Content-Encoding" not in page


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("br;q=1.0, gzip;q=0.8", "br"),
        ("gzip, br;q=0", "gzip"),
        ("identity", None),
        ("", None),
        ("*", "br"),
        ("GZIP", "gzip"),
        ("br;q=bad, gzip", "gzip"),
    ],
)
def test_the_accepted_coding(header, coding):
    assert accepted_encoding(header) == coding


def test_static_files_get_brotli_copies(tmp_path):
    from whitenoise.compress import Compressor

    css = tmp_path / "site.css"
    css.write_text("body { margin: 0; }\n" * 200)
    Compressor(quiet=True).compress(str(css))
    assert (tmp_path / "site.css.br").exists() and (tmp_path / "site.css.gz").exists()
