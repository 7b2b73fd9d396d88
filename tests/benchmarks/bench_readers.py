"""Page weight and Lighthouse scores of the demo portal, served gzip-compressed as static
hosts (GitHub Pages, OSS, COS) serve it.

    npm install --prefix .cache/npm lighthouse      # once
    PYTHONPATH=hooks:tests .venv/bin/python -m benchmarks.bench_readers

Prints, for home, article and review: bytes transferred on a first view (gzip), Lighthouse's
mobile scores (performance, accessibility, best practices, SEO) and first contentful paint.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import subprocess
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS, REPO, build_demo

HERE = Path(__file__).resolve().parent

PAGES = {"home": "", "article": "news/2026/xian-dangjian-gongzuo-huibao/", "review": "reviews/2025/haining-zhilianhui/"}
LIGHTHOUSE = REPO / ".cache/npm/node_modules/.bin/lighthouse"
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, text compressed with gzip when the client accepts it."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not kind.startswith(COMPRESSED)
            or not os.path.isfile(path)
        ):
            return super().send_head()
        data = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("需要 Lighthouse：npm install --prefix .cache/npm lighthouse")
    with tempfile.TemporaryDirectory() as tmp:
        build = build_demo(Path(tmp))
        if build.returncode:
            raise SystemExit(build.output)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(build.site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print("page | first view KB (gzip) | performance | accessibility | best practices | SEO | FCP")
        for name, url in PAGES.items():
            report = Path(tmp) / f"{name}.json"
            subprocess.run(
                [
                    str(LIGHTHOUSE),
                    base + url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}",
                ],
                env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
                check=True,
                timeout=300,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            result = json.loads(report.read_text(encoding="utf-8"))
            scores = [
                round(result["categories"][c]["score"] * 100)
                for c in ("performance", "accessibility", "best-practices", "seo")
            ]
            weight = result["audits"]["total-byte-weight"]["numericValue"] / 1000
            fcp = result["audits"]["first-contentful-paint"]["displayValue"]
            print(f"{name} | {weight:.1f} | " + " | ".join(map(str, scores)) + f" | {fcp}")
        server.shutdown()


if __name__ == "__main__":
    main()
