"""What `xcert serve` adds to the site it serves, and only there: a reload script in every page.

The built site never contains it. The server adds `<script type="module" src="/__xcert/reload.js">`
to each HTML page it sends (a module script from the site's own origin, which the site's CSP
allows); the script polls `/__xcert/state.json` and reloads the page when a rebuild finished, or
shows the error of a broken edit over the page (the last good site stays served beneath it).
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PREFIX = "/__xcert/"
TAG = b'<script type="module" src="/__xcert/reload.js"></script>'

RELOAD_JS = """// Served by `xcert serve` only: reload after a rebuild, show a broken edit's error.
const STATE = "/__xcert/state.json";
let version = null;
let box = null;

function show(error) {
  if (!error) {
    if (box) box.remove();
    box = null;
    return;
  }
  if (!box) {
    box = document.createElement("pre");
    box.id = "xcert-serve-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:1000;margin:0;max-height:50vh;" +
      "overflow:auto;padding:1em;background:#fff3f3;color:#8b0000;border-top:3px solid #c00;" +
      "font:14px/1.5 monospace;white-space:pre-wrap";
    document.body.append(box);
  }
  box.textContent = "构建失败，仍显示上一次成功构建的站点：\\n\\n" + error;
}

async function poll() {
  try {
    const response = await fetch(STATE, { cache: "no-store" });
    const state = await response.json();
    if (version !== null && state.version !== version) {
      location.reload();
      return;
    }
    version = state.version;
    show(state.error);
  } catch {
    // The server is restarting or gone: try again.
  }
  setTimeout(poll, 300);
}

poll();
"""


@dataclass
class LiveState:
    """The served site's version (one more after each rebuild) and the last build's error."""

    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuilt(self) -> None:
        with self.lock:
            self.version += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self.lock:
            self.error = message

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps(
                {"version": self.version, "error": self.error}, ensure_ascii=False
            ).encode("utf-8")


def handler(site: Path, state: LiveState) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler serving `site` with the reload script added to its pages."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *a: object) -> None:  # the build output matters
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == PREFIX + "state.json":
                self._send(state.as_json(), "application/json; charset=utf-8")
            elif path == PREFIX + "reload.js":
                self._send(RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8")
            elif path.endswith("/") or path.endswith(".html"):
                self._page(path)
            else:
                super().do_GET()

        def _page(self, path: str) -> None:
            local = Path(self.translate_path(path))
            if local.is_dir():
                local = local / "index.html"
            try:
                body = local.read_bytes()
            except OSError:
                super().do_GET()  # the usual 404 (or the directory's redirect)
                return
            at = body.rfind(b"</body>")
            body = body[:at] + TAG + body[at:] if at >= 0 else body + TAG
            self._send(body, "text/html; charset=utf-8")

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler
