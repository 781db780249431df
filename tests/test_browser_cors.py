"""A page on another origin reads the API in Chromium (CORS, no credentials)."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from .test_browser import BROWSER_TESTS, browser, page, site  # noqa: F401

pytestmark = BROWSER_TESTS


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_page_on_another_origin_reads_the_api(page, site, tmp_path):  # noqa: F811
    api = site + "/api/v1/releases/"
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>Partner</title><output id=out></output><script>"
        f"fetch({api!r}).then(r => r.json()).then(d => {{"
        "document.getElementById('out').textContent = d.results.length + ' ' + d.results[0].title;"
        "}).catch(e => { document.getElementById('out').textContent = 'refused: ' + e; });"
        "</script>",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        page.wait_for_function("document.getElementById('out').textContent !== ''")
        text = page.locator("#out").inner_text()
        assert not text.startswith("refused"), text
        assert int(text.split()[0]) >= 1
    finally:
        server.shutdown()
