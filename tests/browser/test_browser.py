"""The built book works offline in a real browser.

Serves ``_build/html`` on 127.0.0.1 with ``python -m http.server`` and drives headless
Chromium over the DevTools protocol with every non-loopback connection refused (the Makefile
also runs this file inside ``unshare -n`` when it can). For every page of the book:

* the page loads, no request fails (HTTP status >= 400 or a network error) and no request
  leaves loopback;
* no JavaScript exception and no console error;
* every math element is typeset by MathJax (an ``mjx-container`` inside, no ``mjx-merror``);
* every ``<img>`` has loaded (``naturalWidth > 0``) and every SVG diagram embedded with
  ``<object>`` has a parsed SVG document.

Screenshots of three pages go to ``_build/screenshots/``; a JSON report with the counts and
timings goes to ``_build/browser_report.json``.

Run it with ``make test-browser`` (it is not part of the plain unit run).
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from chromium_cdp import Browser, env_network_mode, loopback_url

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
REPORT = ROOT / "_build" / "browser_report.json"
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}
#: Screenshots of three pages: the home page, the page with the most typeset math and the
#: notebook page with the most figures (chosen from what the page checks measured).
PAGE_TIMEOUT_S = 20.0
QUIET_S = 0.15

DOM_FACTS_JS = r"""
(() => {
  const math = Array.from(document.querySelectorAll('.math'));
  const untypeset = math.filter(m => !m.querySelector('mjx-container'))
                        .map(m => m.textContent.trim().slice(0, 80));
  const imgs = Array.from(document.images);
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0)
                     .map(i => i.getAttribute('src'));
  const objects = Array.from(document.querySelectorAll('object[data]'));
  const brokenObjects = objects.filter(o => {
    const d = o.contentDocument;
    return !d || !d.documentElement || d.documentElement.nodeName.toLowerCase() !== 'svg';
  }).map(o => o.getAttribute('data'));
  return {
    title: document.title,
    math: math.length,
    mjx: document.querySelectorAll('mjx-container').length,
    untypeset: untypeset,
    merrors: Array.from(document.querySelectorAll('mjx-merror'))
                  .map(e => e.textContent.slice(0, 120)),
    images: imgs.length,
    broken_images: broken,
    objects: objects.length,
    broken_objects: brokenObjects,
  };
})()
"""


def _pages() -> list[str]:
    if not (SITE / "index.html").exists():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if rel.parts[0] in SKIP_DIRS or rel.parts[0].startswith("."):
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = _pages()
RESULTS: dict[str, dict[str, Any]] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> str:
    """``python -m http.server`` on 127.0.0.1 in the background, stopped at the end."""
    if not PAGES:
        pytest.fail("no built book in _build/html: run `make strict-book` (or `make book`) first")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(SITE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(base + "index.html", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the local HTTP server did not start")
            time.sleep(0.05)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Browser:
    started = time.monotonic()
    chromium = Browser(timeout=PAGE_TIMEOUT_S)
    for domain in ("Page", "Network", "Runtime", "Log"):
        chromium.send(f"{domain}.enable")
    # a fresh profile: the first page fetches every shared asset from the local server, later
    # pages may take them from the browser cache (still reported as requests, still checked)
    RESULTS["_browser_start_s"] = {"seconds": round(time.monotonic() - started, 2)}
    yield chromium
    chromium.close()
    _write_report()


def _visit(browser: Browser, url: str) -> dict[str, Any]:
    """Load ``url``, wait until it settles, return its requests, errors and DOM facts."""
    browser.events.clear()
    started = time.monotonic()
    nav = browser.send("Page.navigate", url=url)
    problems: list[str] = []
    if nav.get("errorText"):
        problems.append(f"navigation failed: {nav['errorText']}")
    if not browser.wait_for("Page.loadEventFired", PAGE_TIMEOUT_S):
        problems.append("no load event")
    facts = _settle_and_inspect(browser)
    seconds = time.monotonic() - started

    urls: dict[str, str] = {}
    requests = 0
    for event in browser.events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            requests += 1
            request_url = params["request"]["url"]
            urls[params["requestId"]] = request_url
            if not loopback_url(request_url):
                problems.append(f"request leaves loopback: {request_url}")
        elif method == "Network.responseReceived":
            status = params["response"]["status"]
            if status >= 400:
                problems.append(f"HTTP {status}: {params['response']['url']}")
        elif method == "Network.loadingFailed":
            if params.get("canceled"):
                continue  # aborted by the page itself (e.g. a redirect), not a failed load
            where = urls.get(params["requestId"], params["requestId"])
            problems.append(f"request failed ({params.get('errorText')}): {where}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            problems.append(f"JS exception: {str(text)[:300]}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append(f"console error: {args[:300]}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            problems.append(f"browser log error: {entry['text'][:200]} {entry.get('url', '')}")

    if facts["untypeset"]:
        problems.append(f"{len(facts['untypeset'])} math element(s) not typeset, e.g. "
                        f"{facts['untypeset'][:3]}")
    if facts["merrors"]:
        problems.append(f"MathJax errors: {facts['merrors'][:3]}")
    if facts["math"] and not facts["mjx"]:
        problems.append("page has math but MathJax produced no output")
    if facts["broken_images"]:
        problems.append(f"images not loaded: {facts['broken_images']}")
    if facts["broken_objects"]:
        problems.append(f"SVG diagrams not loaded: {facts['broken_objects']}")
    return {
        "seconds": round(seconds, 2),
        "requests": requests,
        "math": facts["math"],
        "mathjax_containers": facts["mjx"],
        "images": facts["images"],
        "svg_objects": facts["objects"],
        "problems": sorted(set(problems)),
    }


def _settle_and_inspect(browser: Browser, attempts: int = 3) -> dict[str, Any]:
    """Wait for MathJax, fonts and in-flight requests, then read the DOM facts.

    A page that redirects itself (the book's root ``index.html`` is a meta-refresh to
    ``book/index.html``) can navigate away while we evaluate; Chromium then answers
    "Inspected target navigated or closed". We wait for the new page's load event and
    inspect that one instead.
    """
    for attempt in range(attempts):
        try:
            if browser.evaluate("typeof window.MathJax === 'object' && !!window.MathJax.startup"):
                browser.evaluate("window.MathJax.startup.promise.then(() => true)",
                                 await_promise=True)
            browser.evaluate("document.fonts.ready.then(() => true)", await_promise=True)
            # drain the events so far, then wait while requests are in flight (late fonts)
            browser.pump(0.05)
            deadline = time.monotonic() + 5.0
            while _in_flight(browser.events) and time.monotonic() < deadline:
                browser.pump(QUIET_S)
            return browser.evaluate(DOM_FACTS_JS)
        except RuntimeError as err:
            if "navigated or closed" not in str(err) or attempt == attempts - 1:
                raise
            # the redirect target is load event number attempt + 2 of this visit
            deadline = time.monotonic() + PAGE_TIMEOUT_S
            while (sum(e["method"] == "Page.loadEventFired" for e in browser.events) < attempt + 2
                   and time.monotonic() < deadline):
                browser.pump(QUIET_S)
    raise AssertionError("unreachable")


def _in_flight(events: Any) -> bool:
    started, done = set(), set()
    for event in events:
        method = event["method"]
        if method == "Network.requestWillBeSent":
            started.add(event["params"]["requestId"])
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            done.add(event["params"]["requestId"])
    return bool(started - done)


def _write_report() -> None:
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    report = {
        "network": env_network_mode(),
        "pages_checked": len(pages),
        "requests": sum(p["requests"] for p in pages.values()),
        "math_elements": sum(p["math"] for p in pages.values()),
        "images": sum(p["images"] for p in pages.values()),
        "svg_objects": sum(p["svg_objects"] for p in pages.values()),
        "pages_with_problems": sorted(k for k, p in pages.items() if p["problems"]),
        "page_seconds_total": round(sum(p["seconds"] for p in pages.values()), 2),
        "browser_start_seconds": RESULTS.get("_browser_start_s", {}).get("seconds"),
        "internal_links_checked": RESULTS.get("_links", {}).get("checked"),
        "screenshots": RESULTS.get("_screenshots", {}).get("pages", []),
        "pages": pages,
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False))


@pytest.mark.parametrize("page", PAGES or ["<no built book>"])
def test_page_works_offline(page: str, server: str, browser: Browser) -> None:
    result = _visit(browser, server + page)
    RESULTS[page] = result
    assert not result["problems"], f"{page}:\n  " + "\n  ".join(result["problems"])


def test_book_has_typeset_math_and_figures() -> None:
    """Guards against a vacuous pass: the pages checked above did contain math and images."""
    pages = [v for k, v in RESULTS.items() if not k.startswith("_")]
    assert pages, "no page was checked"
    assert sum(p["mathjax_containers"] for p in pages) > 0, "no page had typeset math"


def _screenshot_pages() -> dict[str, str]:
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    home = "book/index.html" if "book/index.html" in pages else "index.html"
    math = max(pages, key=lambda k: (pages[k]["mathjax_containers"], k == "book/mathematics.html"))
    notebooks = [k for k in pages if k.startswith("notebooks/")] or list(pages)
    figures = max(notebooks, key=lambda k: pages[k]["images"] + pages[k]["svg_objects"])
    return {"home": home, "math": math, "notebook": figures}


def test_screenshots(server: str, browser: Browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    taken = []
    for name, page in _screenshot_pages().items():
        result = _visit(browser, server + page)
        assert not result["problems"], result["problems"]
        # bring the first formula / figure into view, under the page header
        first = "mjx-container" if name == "math" else ".cell_output img, .cell_output object"
        browser.evaluate(
            f"(() => {{ const el = document.querySelector('{first}')"
            " || document.querySelector('article img, article object');"
            " if (el) { el.scrollIntoView({block: 'center'}); } })()"
        )
        browser.pump(0.2)
        shot = browser.send("Page.captureScreenshot", format="png")
        target = SCREENSHOTS / f"{name}.png"
        target.write_bytes(base64.b64decode(shot["data"]))
        assert target.stat().st_size > 10_000, f"{target} looks empty"
        taken.append(f"{name}: {page}")
    RESULTS["_screenshots"] = {"pages": taken}
    assert len(taken) == 3


def test_internal_links_resolve() -> None:
    """Every same-site link (chapters, notebook downloads, figures) points to a built file."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.targets: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if value and name in ("href", "src", "data") and tag in ("a", "img", "object", "link", "script"):
                    self.targets.append(value)

    broken = []
    checked = 0
    for page in PAGES:
        parser = Links()
        parser.feed((SITE / page).read_text(encoding="utf-8"))
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path or target.startswith(("mailto:", "#")):
                continue
            resolved = ((SITE / page).parent / unquote(parts.path)).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            checked += 1
            if not resolved.exists():
                broken.append(f"{page} -> {target}")
    RESULTS["_links"] = {"checked": checked}
    assert checked > 0
    assert not broken, "broken internal links:\n  " + "\n  ".join(sorted(set(broken))[:40])
