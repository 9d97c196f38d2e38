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
        f"(all loopback), {report['math_elements']} math elements, {report['images']} images, "
        f"{report['svg_objects']} SVG diagrams, {report.get('internal_links_checked')} internal links; "
        f"{report['page_seconds_total']} s in pages; "
        f"network cut: {report['network']}; screenshots: {'; '.join(report['screenshots'])}"
    )
    if report["pages_with_problems"]:
        terminalreporter.write_line(
            ">> pages with problems: " + ", ".join(report["pages_with_problems"])
        )


def pytest_sessionstart(session) -> None:  # noqa: ANN001 (pytest hook)
    REPORT.unlink(missing_ok=True)
