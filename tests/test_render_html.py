"""The HTML report in a real browser (headless Chromium): every statute row and test
column is there, statuses are labelled in words, and statute text that looks like a
script is shown as text and never run.

Chromium comes from the Debian package ``chromium``; the test is skipped only when it
is missing outside CI (``CI`` unset). In CI it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lawaudit.render.html_report import HtmlReporter
from lawaudit.runner import audit_paths

from test_render_markdown import HOSTILE_TITLE, hostile_statute

REPO = Path(__file__).resolve().parents[1]
TESTS = ["legality", "legitimate_aim", "necessity", "precision"]
STATUS_WORDS = {"pass", "concern", "fail", "not applicable"}


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI is set: install the Debian package 'chromium'")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _flags(profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]


class _Dom(HTMLParser):
    """Collects what the test asserts on from Chromium's serialised DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.scripts = 0
        self.rows: dict[str, list[tuple[str, str]]] = {}
        self.columns: list[str] = []
        self.section_ids: set[str] = set()
        self.row_links: dict[str, str] = {}
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._row: str | None = None
        self._cell: tuple[str, list[str]] | None = None
        self._in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        if tag == "script":
            self.scripts += 1
        if tag == "section" and a.get("id"):
            self.section_ids.add(a["id"])
        if tag == "tr" and "data-statute" in a:
            self._row = a["data-statute"]
            self.rows[self._row] = []
        if tag == "th" and "data-test" in a:
            self.columns.append(a["data-test"])
        if tag == "td" and self._row is not None and "data-test" in a:
            self._cell = (a["data-test"] + "|" + a.get("class", ""), [])
        if tag == "a" and self._row is not None and self._row not in self.row_links:
            self.row_links[self._row] = a.get("href", "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "td" and self._cell is not None and self._row is not None:
            key, parts = self._cell
            self.rows[self._row].append((key, " ".join("".join(parts).split())))
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._cell is not None:
            self._cell[1].append(data)
        self.text.append(data)


def test_html_report_in_headless_chromium(tmp_path, monkeypatch):
    chromium = _chromium()
    work = tmp_path / "statutes"
    work.mkdir()
    for src in sorted((REPO / "statutes").glob("*.yaml")):
        (work / src.name).write_bytes(src.read_bytes())
    hostile_statute(work)
    monkeypatch.chdir(tmp_path)
    run = audit_paths(["statutes"])
    assert not run.errors
    page = tmp_path / "report.html"
    page.write_text(HtmlReporter().render(run), encoding="utf-8")
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"

    dom_proc = subprocess.run(
        [chromium, *_flags(profile), "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert dom_proc.returncode == 0, dom_proc.stderr[-2000:]
    shot_proc = subprocess.run(
        [chromium, *_flags(profile), "--window-size=1400,2000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert shot_proc.returncode == 0, shot_proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    if os.environ.get("LAWAUDIT_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["LAWAUDIT_KEEP_SCREENSHOT"])

    dom = _Dom()
    dom.feed(dom_proc.stdout)
    # the hostile title did not run: the page title is unchanged and no script element exists
    assert dom.title == "lawaudit audit report"
    assert dom.scripts == 0
    assert HOSTILE_TITLE in "".join(dom.text)
    # every statute has a row, every test a column, every cell a status in words and a class
    assert dom.columns == TESTS
    assert set(dom.rows) == {r.statute for r in run.results}
    for r in run.results:
        cells = dom.rows[r.statute]
        assert [key.split("|")[0] for key, _ in cells] == TESTS
        for (key, text), test in zip(cells, TESTS):
            status = r.tests[next(t for t in r.tests if t.value == test)]
            assert f"st-{status.status.value}" in key.split("|")[1]
            word = text.split(" (")[0]
            assert word in STATUS_WORDS and text.endswith(f"({status.score})")
        # each row links to its statute's own section
        target = dom.row_links[r.statute]
        assert target.startswith("#") and target[1:] in dom.section_ids


def test_html_is_self_contained_and_escaped(tmp_path, monkeypatch):
    """Without a browser: no script, no external resource, statute text escaped."""
    hostile_statute(tmp_path)
    monkeypatch.chdir(tmp_path)
    page = HtmlReporter().render(audit_paths(["hostile-1.yaml"]))
    assert "<script" not in page.lower()
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    # nothing is fetched: no external stylesheet, font, image or script
    for marker in ("<link", "@import", "url(", "src=", "<iframe", "<object"):
        assert marker not in page.replace("&lt;img src=x", ""), marker
    # the only links go to sections of the page or to http(s) sources
    import re

    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
