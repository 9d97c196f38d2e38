"""Print the browser test's measurements (pages, requests, time) after the run."""

from __future__ import annotations

import json
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "_build" / "browser_report.json"


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 (pytest hook)
    if not REPORT.exists():
        return
    report = json.loads(REPORT.read_text())
    terminalreporter.write_line(
        f">> browser: {report['pages_checked']} pages, {report['requests']} requests "
        f"(all loopback), {report['math_elements']} math elements, "
        f"figures shown/expected {report['figures_shown']}/{report['figures_expected']}, "
        f"diagrams {report['diagrams_shown']}/{report['diagrams_expected']}, "
        f"{report.get('internal_links_checked')} internal links; "
        f"{report['page_seconds_total']} s in pages; "
        f"network cut: {report['network']}; screenshots: {'; '.join(report['screenshots'])}"
    )
    per_page = ", ".join(f"{page} {c['shown']}/{c['expected']}"
                         + (f" +{c['diagrams_shown']}/{c['diagrams_expected']} diagrams"
                            if c["diagrams_expected"] or c["diagrams_shown"] else "")
                         for page, c in report["figures_per_page"].items())
    terminalreporter.write_line(f">> figures per page (shown/expected): {per_page or 'none'}")
    terminalreporter.write_line(
        f">> Chinese: {report['chinese_text_nodes']} rendered text nodes, "
        f"{report['chinese_chars']} CJK characters; glyphs by font: {report['chinese_fonts']}; "
        f"bundled font files: {report.get('bundled_font_files')}"
    )
    if report["pages_with_problems"]:
        terminalreporter.write_line(
            ">> pages with problems: " + ", ".join(report["pages_with_problems"])
        )


def pytest_sessionstart(session) -> None:  # noqa: ANN001 (pytest hook)
    REPORT.unlink(missing_ok=True)
