"""The built book works offline in a real browser.

Serves ``_build/html`` on 127.0.0.1 with ``python -m http.server`` and drives headless
Chromium over the DevTools protocol with every non-loopback connection refused (the Makefile
also runs this file inside ``unshare -n`` when it can). For every page of the book:

* the page loads, no request fails (HTTP status >= 400 or a network error) and no request
  leaves loopback;
* no JavaScript exception and no console error;
* every math element is typeset by MathJax (an ``mjx-container`` inside, no ``mjx-merror``);
* every ``<img>`` has loaded (``naturalWidth > 0``) and every SVG diagram embedded with
  ``<object>`` has a parsed SVG document;
* the page shows at least the figures a reader should see there: the notebook plots and
  glued figures its sources and committed notebooks hold, and its graphviz diagrams
  (``expected_figures.py`` derives the counts; logos and icons do not count);
* every rendered piece of Chinese text (navigation, titles, glossary, tables, diagram labels)
  is drawn with the bundled web font Noto Sans SC, not a system font: the DevTools protocol's
  ``CSS.getPlatformFontsForNode`` must report, for each text node, at least as many glyphs
  from a custom (web) font of that family as the node has CJK characters.

The Chinese edition (``_build/html/zh``, see ``scripts/zh_sync.py``) is checked page by page
in the same way; in addition its search (jieba-segmented index) must find 积分梯度 on the
pages that use the term, and the language links of both editions are followed both ways.

Screenshots of four pages (home, most math, notebook with most figures, glossary) go to
``_build/screenshots/``; a JSON report with the counts, the figures of every page, the fonts
that drew Chinese and timings goes to ``_build/browser_report.json``.

Run it with ``make test-browser`` (it is not part of the plain unit run).
"""

from __future__ import annotations

import base64
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from chromium_cdp import Browser, env_network_mode, loopback_url
from expected_figures import Expected, expected_figures, source_of

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
REPORT = ROOT / "_build" / "browser_report.json"
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}
#: Screenshots of four pages: the home page, the page with the most typeset math, the
#: notebook page with the most figures (chosen from what the page checks measured) and the
#: glossary (Chinese in the bundled font).
GLOSSARY = "book/glossary.html"
#: The bundled CJK face: family name as the font file reports it (the variable font's default
#: instance is "Noto Sans SC Thin"), loaded as a web font ("custom font" in DevTools).
BUNDLED_FAMILY = "Noto Sans SC"
CJK = re.compile(r"[\u2e80-\u2fdf\u2ff0-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
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
  const svgOk = o => {
    const d = o.contentDocument;
    return !!(d && d.documentElement && d.documentElement.nodeName.toLowerCase() === 'svg'
              && d.documentElement.width.baseVal.value > 0);
  };
  const brokenObjects = objects.filter(o => !svgOk(o)).map(o => o.getAttribute('data'));
  // figures a reader sees: images and SVG diagrams in the article body, not logos or icons
  const article = document.querySelector('article') || document.querySelector('main');
  const inArticle = article ? Array.from(article.querySelectorAll('img')) : [];
  const figs = inArticle.filter(i => !i.closest('.logo, .navbar-brand, .sd-card-header'))
                        .filter(i => i.complete && i.naturalWidth > 0)
                        .map(i => ({src: i.getAttribute('src'), width: i.naturalWidth,
                                    height: i.naturalHeight}));
  const diagrams = (article ? Array.from(article.querySelectorAll('object[data]')) : [])
                     .filter(svgOk).map(o => o.getAttribute('data'));
  return {
    title: document.title,
    math: math.length,
    mjx: document.querySelectorAll('mjx-container').length,
    untypeset: untypeset,
    merrors: Array.from(document.querySelectorAll('mjx-merror'))
                  .map(e => e.textContent.slice(0, 120)),
    images: imgs.length,
    broken_images: broken,
    figures: figs,
    diagrams: diagrams,
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
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue  # assets, also those of the Chinese edition in zh/
        pages.append(rel.as_posix())
    return pages


PAGES = _pages()
EXPECTED: dict[str, Expected] = expected_figures(PAGES, ROOT)
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
    for domain in ("Page", "Network", "Runtime", "Log", "DOM", "CSS"):
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
    font_files: dict[str, int] = {}  # bundled font slices this page fetched -> bytes
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
        elif method == "Network.loadingFinished":
            loaded = urls.get(params["requestId"], "")
            if "/fonts/noto-sans-sc/files/" in loaded:
                font_files[loaded.rsplit("/", 1)[-1]] = int(params.get("encodedDataLength", 0))
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
    page = url.split("/", 3)[-1]
    expected = EXPECTED.get(page, Expected())
    if len(facts["figures"]) < expected.images:
        problems.append(
            f"shows {len(facts['figures'])} of the {expected.images} figures it should "
            f"(e.g. {', '.join(expected.sources[:3])})"
            + (f"; {len(expected.lost)} of them lost in the committed notebooks, e.g. "
               f"{expected.lost[0]} (executed with MPLBACKEND=Agg?)" if expected.lost else "")
        )
    if len(facts["diagrams"]) < expected.diagrams:
        problems.append(f"shows {len(facts['diagrams'])} of its {expected.diagrams} diagrams")
    cjk = _chinese_fonts(browser)
    if cjk["not_bundled"]:
        problems.append(
            f"{len(cjk['not_bundled'])} Chinese text node(s) not drawn with the bundled "
            f"{BUNDLED_FAMILY}, e.g. {cjk['not_bundled'][:3]}"
        )
    return {
        "seconds": round(seconds, 2),
        "requests": requests,
        "math": facts["math"],
        "mathjax_containers": facts["mjx"],
        "img_elements_all": facts["images"],  # logos and icons included
        "svg_objects": facts["objects"],
        "figures_expected": expected.as_dict(),
        "figures_shown": facts["figures"],
        "diagrams_shown": facts["diagrams"],
        "chinese": {k: v for k, v in cjk.items() if k != "not_bundled"},
        "font_slices_fetched": font_files,
        "problems": sorted(set(problems)),
    }


def _chinese_text_nodes(browser: Browser) -> list[tuple[int, str, str]]:
    """(nodeId, text, where) of every text node holding CJK, SVG diagrams included."""
    root = browser.send("DOM.getDocument", depth=-1, pierce=True)["root"]
    found: list[tuple[int, str, str]] = []
    skip = {"head", "script", "style", "title", "noscript", "template", "desc"}

    def walk(node: dict[str, Any], where: str, hidden: bool) -> None:
        name = node.get("nodeName", "").lower()
        attrs = node.get("attributes", [])
        classes = dict(zip(attrs[::2], attrs[1::2])).get("class", "")
        hidden = hidden or name in skip
        if name in ("nav", "header", "footer", "article") or "bd-sidebar" in classes:
            where = "navigation" if (name == "nav" or "bd-sidebar" in classes) else name
        if node.get("nodeType") == 3 and not hidden and CJK.search(node.get("nodeValue", "")):
            found.append((node["nodeId"], node["nodeValue"].strip(), where))
        for child in node.get("children", []):
            walk(child, where, hidden)
        for shadow in node.get("shadowRoots", []):
            walk(shadow, where, hidden)
        if "contentDocument" in node:
            walk(node["contentDocument"], "diagram", hidden)

    walk(root, "page", False)
    return found


def _chinese_fonts(browser: Browser) -> dict[str, Any]:
    """Which fonts drew the page's Chinese text, from ``CSS.getPlatformFontsForNode``.

    A text node passes when the bundled family, as a custom (web) font, drew at least as many
    glyphs as the node has CJK characters; the bundled face covers CJK code points only, so
    its glyphs are exactly the CJK characters, and any CJK character drawn by a system font
    (or as an empty box by a Latin font) leaves it short.
    """
    fonts: dict[str, int] = {}
    where_counts: dict[str, int] = {}
    rendered = chars = 0
    not_bundled = []
    for node_id, text, where in _chinese_text_nodes(browser):
        used = browser.send("CSS.getPlatformFontsForNode", nodeId=node_id).get("fonts", [])
        if not used:
            continue  # not rendered (display: none, collapsed navigation)
        rendered += 1
        where_counts[where] = where_counts.get(where, 0) + 1
        n = len(CJK.findall(text))
        chars += n
        bundled = 0
        for font in used:
            label = f"{font['familyName']} ({'web font' if font['isCustomFont'] else 'system'})"
            fonts[label] = fonts.get(label, 0) + font["glyphCount"]
            if font["isCustomFont"] and font["familyName"].startswith(BUNDLED_FAMILY):
                bundled += font["glyphCount"]
        if bundled < n:
            drawn = {f["familyName"]: f["glyphCount"] for f in used}
            not_bundled.append(f"{where}: {text[:40]!r} drawn with {drawn}")
    return {"rendered_text_nodes": rendered, "cjk_chars": chars, "where": where_counts,
            "fonts": fonts, "not_bundled": not_bundled}


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
            browser.evaluate(LOADED_JS, await_promise=True)
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


#: Resolve when every image has loaded or failed (lazy ones made eager: a reader scrolling
#: would load them) and the fonts of the page and of its SVG diagrams are ready.
LOADED_JS = r"""
(async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { if (i.loading === 'lazy') { i.loading = 'eager'; } });
  const settled = i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r, {once: true}); i.addEventListener('error', r, {once: true}); });
  await Promise.race([Promise.all(imgs.map(settled)), new Promise(r => setTimeout(r, 5000))]);
  const docs = Array.from(document.querySelectorAll('object'))
                    .map(o => o.contentDocument).filter(d => d && d.fonts);
  await Promise.all([document.fonts.ready, ...docs.map(d => d.fonts.ready)]);
  return true;
})()
"""


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
    fonts: dict[str, int] = {}
    for p in pages.values():
        for family, glyphs in p["chinese"]["fonts"].items():
            fonts[family] = fonts.get(family, 0) + glyphs
    report = {
        "network": env_network_mode(),
        "pages_checked": len(pages),
        "requests": sum(p["requests"] for p in pages.values()),
        "math_elements": sum(p["math"] for p in pages.values()),
        "img_elements_all": sum(p["img_elements_all"] for p in pages.values()),
        "svg_objects": sum(p["svg_objects"] for p in pages.values()),
        "figures_expected": sum(p["figures_expected"]["images"] for p in pages.values()),
        "figures_shown": sum(len(p["figures_shown"]) for p in pages.values()),
        "diagrams_expected": sum(p["figures_expected"]["diagrams"] for p in pages.values()),
        "diagrams_shown": sum(len(p["diagrams_shown"]) for p in pages.values()),
        "figures_per_page": {
            k: {"expected": p["figures_expected"]["images"], "shown": len(p["figures_shown"]),
                "diagrams_expected": p["figures_expected"]["diagrams"],
                "diagrams_shown": len(p["diagrams_shown"])}
            for k, p in pages.items()
            if p["figures_expected"]["images"] or p["figures_expected"]["diagrams"]
            or p["figures_shown"] or p["diagrams_shown"]
        },
        "chinese_text_nodes": sum(p["chinese"]["rendered_text_nodes"] for p in pages.values()),
        "chinese_chars": sum(p["chinese"]["cjk_chars"] for p in pages.values()),
        "chinese_fonts": fonts,
        "bundled_font_files": RESULTS.get("_font_files", {}),
        "pages_with_problems": sorted(k for k, p in pages.items() if p["problems"]),
        "page_seconds_total": round(sum(p["seconds"] for p in pages.values()), 2),
        "browser_start_seconds": RESULTS.get("_browser_start_s", {}).get("seconds"),
        "internal_links_checked": RESULTS.get("_links", {}).get("checked"),
        "screenshots": RESULTS.get("_screenshots", {}).get("pages", []),
        "language_links_followed": RESULTS.get("_language_links", {}).get("followed", []),
        "zh_search": RESULTS.get("_zh_search"),
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
    """Guards against a vacuous pass: the pages checked above did contain math and figures.

    Figures are those of the article bodies (notebook plots, glued figures, diagrams), never
    the logo or icons; every page showed at least what its sources hold (checked per page
    above), and the book as a whole expects some.
    """
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    assert pages, "no page was checked"
    assert sum(p["mathjax_containers"] for p in pages.values()) > 0, "no page had typeset math"
    expected = sum(p["figures_expected"]["images"] + p["figures_expected"]["diagrams"]
                   for p in pages.values())
    shown = sum(len(p["figures_shown"]) + len(p["diagrams_shown"]) for p in pages.values())
    assert expected > 0, "the sources ask for no figure at all: the expectation is broken"
    short = {k: f"{len(p['figures_shown'])}/{p['figures_expected']['images']} figures, "
                f"{len(p['diagrams_shown'])}/{p['figures_expected']['diagrams']} diagrams"
             for k, p in pages.items()
             if len(p["figures_shown"]) < p["figures_expected"]["images"]
             or len(p["diagrams_shown"]) < p["figures_expected"]["diagrams"]}
    assert not short and shown >= expected, f"pages short of figures: {short}"


def test_chinese_is_drawn_with_the_bundled_font() -> None:
    """Chinese in the navigation, the home page and the glossary used the bundled web font.

    Every page above already failed if any rendered Chinese text node was drawn by another
    font; this guards against a vacuous pass (no Chinese found or rendered).
    """
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    assert GLOSSARY in pages, f"{GLOSSARY} was not checked"
    glossary = pages[GLOSSARY]["chinese"]
    assert glossary["where"].get("article", 0) >= 20, f"little Chinese on the glossary: {glossary}"
    home = pages.get("book/index.html", {}).get("chinese", {})
    assert home.get("where", {}).get("article", 0) >= 1, f"no Chinese on the home page: {home}"
    assert glossary["where"].get("navigation", 0) >= 1, "no Chinese in the navigation"
    families = set().union(*(p["chinese"]["fonts"] for p in pages.values()))
    assert any(f.startswith(BUNDLED_FAMILY) and f.endswith("(web font)") for f in families), families
    RESULTS["_font_files"] = _served_font_files()


def _served_font_files() -> dict[str, Any]:
    """Sizes of the bundled font as served from the build (all slices; a page loads a few)."""
    files = sorted((SITE / "_static" / "fonts" / "noto-sans-sc" / "files").glob("*.woff2"))
    sizes = [f.stat().st_size for f in files]
    return {"files": len(files), "total_bytes": sum(sizes),
            "largest_bytes": max(sizes, default=0), "smallest_bytes": min(sizes, default=0)}


def _screenshot_pages() -> dict[str, str]:
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    home = "book/index.html" if "book/index.html" in pages else "index.html"
    math = max(pages, key=lambda k: (pages[k]["mathjax_containers"], k == "book/mathematics.html"))
    notebooks = [k for k in pages if k.startswith("notebooks/")] or list(pages)
    figures = max(notebooks, key=lambda k: len(pages[k]["figures_shown"]) + len(pages[k]["diagrams_shown"]))
    return {"home": home, "math": math, "notebook": figures, "glossary": GLOSSARY}


def test_screenshots(server: str, browser: Browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    taken = []
    for name, page in _screenshot_pages().items():
        result = _visit(browser, server + page)
        assert not result["problems"], result["problems"]
        # bring the first formula / figure into view, under the page header
        # the glossary from its top (title, first Chinese terms, navigation)
        first = {"math": "mjx-container"}.get(name, ".cell_output img, .cell_output object")
        if name != "glossary":
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
    assert len(taken) == 4


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


ZH = "zh/"
#: Pages whose language link is followed both ways (a chapter, a notebook, an untranslated page).
SWITCH_PAGES = ["book/index.html", "book/mathematics.html", "notebooks/02_formulas_checked.html",
                "book/bert.html"]
ZH_QUERY = "积分梯度"


def _counterpart(page: str) -> str:
    return page.removeprefix(ZH) if page.startswith(ZH) else ZH + page


def test_every_page_links_to_its_counterpart() -> None:
    """Each document page of either edition links to the same page in the other language."""
    if not (SITE / ZH / "index.html").exists():
        pytest.fail("no Chinese edition in _build/html/zh: run `make strict-book` (or `make book`)")
    from html.parser import HTMLParser

    class Switch(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag == "a" and "ecomxai-lang-switch" in (values.get("class") or ""):
                self.hrefs.append(values.get("href") or "")

    wrong, checked = [], 0
    for page in PAGES:
        if source_of(page, ROOT) is None:
            continue  # search, genindex: no document behind them
        parser = Switch()
        parser.feed((SITE / page).read_text(encoding="utf-8"))
        target = ((SITE / page).parent / parser.hrefs[0]).resolve() if parser.hrefs else None
        checked += 1
        if target != (SITE / _counterpart(page)).resolve() or not target.exists():
            wrong.append(f"{page} -> {parser.hrefs or 'no language link'}")
    assert checked >= 2 * len(SWITCH_PAGES), f"only {checked} document pages"
    assert not wrong, "pages without a working link to their counterpart:\n  " + "\n  ".join(wrong)


def _click_and_wait(browser: Browser, selector: str) -> dict[str, Any]:
    browser.events.clear()
    clicked = browser.evaluate(f"(() => {{ const a = document.querySelector('{selector}');"
                               " if (!a) { return false; } a.click(); return true; })()")
    assert clicked, f"no {selector} on the page"
    assert browser.wait_for("Page.loadEventFired", PAGE_TIMEOUT_S), "the link did not load a page"
    browser.pump(QUIET_S)
    return browser.evaluate("({path: location.pathname, lang: document.documentElement.lang,"
                            " title: document.title})")


def test_language_links_followed_both_ways(server: str, browser: Browser) -> None:
    """Click the language link of an English page, land on its Chinese page, and back."""
    followed = []
    for page in SWITCH_PAGES:
        result = _visit(browser, server + page)
        assert not result["problems"], f"{page}: {result['problems']}"
        there = _click_and_wait(browser, "a.ecomxai-lang-switch")
        assert there["path"] == "/" + ZH + page and there["lang"].startswith("zh"), (page, there)
        back = _click_and_wait(browser, "a.ecomxai-lang-switch")
        assert back["path"] == "/" + page and back["lang"].startswith("en"), (page, back)
        followed.append(f"{page} -> {there['title']} -> {back['title']}")
    RESULTS["_language_links"] = {"followed": followed}


def test_chinese_search_finds_integrated_gradients(server: str, browser: Browser) -> None:
    """The Chinese edition's search (jieba-segmented index) finds 积分梯度 where it is used."""
    from urllib.parse import quote

    expected = sorted(
        page for page in PAGES if page.startswith(ZH)
        and (source := source_of(page, ROOT)) is not None
        and ZH_QUERY in source.read_text(encoding="utf-8")
    )
    assert len(expected) >= 2, f"the term {ZH_QUERY} is on too few Chinese pages: {expected}"
    browser.events.clear()
    browser.send("Page.navigate", url=f"{server}{ZH}search.html?q={quote(ZH_QUERY)}")
    assert browser.wait_for("Page.loadEventFired", PAGE_TIMEOUT_S)
    found: list[str] = []
    deadline = time.monotonic() + PAGE_TIMEOUT_S
    while time.monotonic() < deadline:
        found = browser.evaluate(
            "Array.from(document.querySelectorAll('#search-results li a'))"
            ".map(a => new URL(a.href).pathname)")
        if len(set(found)) >= len(expected):
            break
        browser.pump(0.25)
    pages = {p.lstrip("/").split("#")[0] for p in found}
    missing = [p for p in expected if p not in pages]
    assert not missing, f"search for {ZH_QUERY} did not find {missing}; it found {sorted(pages)}"
    RESULTS["_zh_search"] = {"query": ZH_QUERY, "found": sorted(pages)}
