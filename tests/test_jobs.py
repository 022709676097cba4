"""``check --jobs N`` gives byte-identical output to ``--jobs 1``, and really uses the pool.

The corpus is generated (``benchmarks/make_corpus.py``, seeded) into a
temporary folder: 150 statutes, plus a file that reuses an id and a file that
does not load, so results, the run-wide id check and errors all cross the
process boundary. ``LAWAUDIT_MIN_FILES_PER_JOB`` lowers the pool threshold so
that a small corpus is split across workers. No timing is asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lawaudit import runner
from lawaudit.choices import Format
from lawaudit.render import reporter_for
from lawaudit.render.text import result_lines, visible_controls

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402

N_FILES = 150


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    paths = make_corpus(folder, N_FILES, seed=11)
    # a second file with the id of the first (the later file in path order is rejected)
    (folder / "part-000" / "zz_duplicate.yaml").write_text(paths[0].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "part-000" / "statute_broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    return folder


def test_generated_corpus_is_deterministic(tmp_path: Path) -> None:
    a = make_corpus(tmp_path / "a", 5, seed=3)
    b = make_corpus(tmp_path / "b", 5, seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_parallel_run_equals_serial_run(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWAUDIT_MIN_FILES_PER_JOB", "10")
    calls: list[int] = []
    real = runner._parallel

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_parallel", spy)
    serial = runner.audit_paths([corpus], jobs=1)
    assert calls == []
    parallel = runner.audit_paths([corpus], jobs=2)
    assert calls == [1], "the pool was not used"
    assert len(serial.results) == N_FILES
    assert any("already used" in e.message for e in serial.errors)
    assert any(e.file.endswith("statute_broken.yaml") for e in serial.errors)
    assert parallel == serial
    json_report = reporter_for(Format.json)
    assert json_report.render(parallel) == json_report.render(serial)


def _check(corpus: Path, jobs: int, fmt: str) -> bytes:
    env = {**os.environ, "LAWAUDIT_MIN_FILES_PER_JOB": "10", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", str(corpus), "--format", fmt, "--jobs", str(jobs)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode in (1, 2), proc.stderr.decode()
    return proc.stdout


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_cli_jobs_2_output_is_byte_identical(corpus: Path, fmt: str) -> None:
    one = _check(corpus, 1, fmt)
    assert one
    assert _check(corpus, 2, fmt) == one


#: the formats whose reports are written as the statutes are audited
STREAMING = (Format.json, Format.text)
#: what shows that a piece written holds a result
RESULT_MARK = {Format.json: '"statute"', Format.text: "verdict:"}


def test_every_format_says_whether_it_streams() -> None:
    assert {f for f in Format if reporter_for(f).streams} == set(STREAMING)


def _whole_text(run: runner.Run) -> str:
    """The text report rendered whole, as it was before it streamed: blocks joined by blank lines."""
    blocks = ["\n".join(result_lines(r)) for r in run.results]
    if run.errors:
        blocks.append("\n".join(["errors:"] + [f"  {e.render()}" for e in run.errors]))
    return visible_controls("\n\n".join(blocks or ["no statute files found"]) + "\n")


@pytest.mark.parametrize("fmt", STREAMING)
@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_report_equals_finished_run(corpus: Path, jobs: int, fmt: Format, monkeypatch: pytest.MonkeyPatch) -> None:
    """``check --format json`` and ``text`` write each result as it is audited: same bytes as the finished run's report."""
    monkeypatch.setenv("LAWAUDIT_MIN_FILES_PER_JOB", "10")
    reporter = reporter_for(fmt)
    finished = runner.audit_paths([corpus], jobs=jobs)

    live = runner.start_run([corpus], jobs=jobs)
    pieces: list[str] = []
    kept_when_first_written: list[int] = []

    def sink(text: str) -> None:
        if RESULT_MARK[fmt] in text and not kept_when_first_written:
            kept_when_first_written.append(len(live._results))
        pieces.append(text)

    class Out:
        write = staticmethod(sink)

    reporter.write(live, Out())  # type: ignore[arg-type]
    assert "".join(pieces) == reporter.render(finished)
    if fmt is Format.text:
        assert "".join(pieces) == _whole_text(finished)
    # the first result was written long before the last file was audited
    assert kept_when_first_written and kept_when_first_written[0] < N_FILES // 2
    assert live.finish() == finished


@pytest.mark.parametrize("fmt", STREAMING)
@pytest.mark.parametrize("encode", [False, True], ids=["results", "encoded"])
def test_streamed_run_need_not_keep_results(corpus: Path, encode: bool, fmt: Format, monkeypatch: pytest.MonkeyPatch) -> None:
    """``keep=False`` (what ``check`` uses for JSON and text): the same report and tally, no results held.

    With the reporter's ``encode_result`` (as the CLI passes it), the workers
    send back each result's report text instead of the result.
    """
    monkeypatch.setenv("LAWAUDIT_MIN_FILES_PER_JOB", "10")
    reporter = reporter_for(fmt)
    finished = runner.audit_paths([corpus], jobs=2)
    live = runner.start_run([corpus], jobs=2, keep=False, encode=reporter.encode_result if encode else None)
    produced = live.results
    kinds: list[type] = []

    def spy():  # type: ignore[no-untyped-def]
        for item in produced:
            kinds.append(type(item))
            yield item

    live.results = spy()
    pieces: list[str] = []

    class Out:
        write = staticmethod(pieces.append)

    reporter.write(live, Out())  # type: ignore[arg-type]
    assert "".join(pieces) == reporter.render(finished)
    assert len(kinds) == N_FILES
    assert set(kinds) == ({runner.Encoded} if encode else {type(finished.results[0])})
    lean = live.finish()
    assert lean.results == () and lean.errors == finished.errors
    assert live.tally() == finished.tally()
    assert finished.tally().results == N_FILES
    assert sum(finished.tally().verdicts.values()) == N_FILES


@pytest.mark.parametrize("count", [1, 7, 48, 100, 1000, 10_000, 50_000])
@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_batches_cover_every_file_once_and_shrink_towards_the_end(count: int, jobs: int) -> None:
    bounds = runner._batch_bounds(count, jobs)
    assert [i for i, _ in bounds] == [0] + [j for _, j in bounds[:-1]], "batches are contiguous"
    assert bounds[-1][1] == count
    sizes = [j - i for i, j in bounds]
    assert all(0 < s <= 256 for s in sizes)
    assert sizes == sorted(sizes, reverse=True), "no batch is larger than one before it"
    if count >= 1000:
        # the end of a run is not left to one worker with a large batch
        assert sizes[-1] <= 8 < sizes[0]
