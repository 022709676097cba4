"""Analyst reviews (``reviews.yaml``): reviewed findings stay visible but stop counting; bad, stale and expired entries are reported."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.reviews import ReviewSet, find_reviews, load_reviews_text
from lawaudit.runner import audit_paths

from test_diff import NARROW, VAGUE, commit, git, repo  # noqa: F401  (fixture)

CRIT = "precision.undefined-vague-term"
REASON = "The Supreme Court's normative resolution defines the term narrowly."


def entry(statute: str = "demo-discord", criterion: str = CRIT, expires: str | None = None, reason: str | None = REASON) -> str:
    out = f"  - statute: {statute}\n    criterion: {criterion}\n"
    if reason is not None:
        out += f"    reason: \"{reason}\"\n"
    out += "    by: A. Analyst\n    date: 2019-05-01\n"
    if expires:
        out += f"    expires: {expires}\n"
    return out


def corpus(tmp_path: Path, reviews: str | None, statutes: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "statutes"
    folder.mkdir()
    for name, text in (statutes or {"demo.yaml": VAGUE}).items():
        (folder / name).write_text(text, encoding="utf-8")
    if reviews is not None:
        (folder / "reviews.yaml").write_text(reviews, encoding="utf-8")
    return folder


def check(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_without_reviews_the_finding_fails(tmp_path: Path) -> None:
    folder = corpus(tmp_path, None)
    assert check(str(folder)).exit_code == 1


def test_reviewed_finding_no_longer_fails_but_stays_visible(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry())
    result = check(str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    r = json.loads(result.stdout)["results"][0]
    assert r["findings"] == []
    assert [f["criterion"] for f in r["reviewed"]] == [CRIT]
    assert r["reviewed"][0]["review"] == {"reason": REASON, "by": "A. Analyst", "date": "2019-05-01", "expires": None}
    # recombined without it, by the engine's own rules
    assert r["tests"]["precision"] == {"status": "pass", "score": 100}
    assert (r["verdict"], r["recommendation"], r["score"]) == ("compatible", "retain", 100)

    text = check(str(folder))
    assert text.exit_code == 0
    assert f"(reviewed: {REASON})" in text.stdout

    audit = check(str(folder), "--no-reviews", "--format", "json")
    assert audit.exit_code == 1
    plain = json.loads(audit.stdout)["results"][0]
    assert [f["criterion"] for f in plain["findings"]] == [CRIT] and plain["reviewed"] == []


def test_reviews_apply_to_a_file_given_by_name(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry())
    assert check(str(folder / "demo.yaml")).exit_code == 0


def test_expired_review_fails_again_and_is_reported(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry(expires="2020-01-31"))
    result = check(str(folder), "--format", "json")
    assert result.exit_code == 1
    r = json.loads(result.stdout)["results"][0]
    assert [f["criterion"] for f in r["findings"]] == [CRIT] and r["reviewed"] == []
    assert f"note: {folder.as_posix()}/reviews.yaml:2:5: reviews[0]: expired review (expires 2020-01-31): the finding counts again" in result.stderr.replace(str(tmp_path), tmp_path.as_posix())
    # still valid on its last day
    rs = find_reviews([folder], today=dt.date(2020, 1, 31))
    assert rs is not None
    run = audit_paths([folder], reviews=rs)
    assert run.results[0].findings == () and rs.notices == ()


def test_stale_review_is_reported_without_changing_the_exit_status(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry(), {"demo.yaml": NARROW})
    result = check(str(folder))
    assert result.exit_code == 0
    assert "reviews.yaml:2:5: reviews[0]: stale review: precision.undefined-vague-term no longer fires for demo-discord; delete the entry" in result.stderr


def test_unknown_statute_and_criterion_are_positioned_errors(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry(statute="demo-discrod") + entry(criterion="precision.undefined-vague-trem"))
    result = check(str(folder), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    errors = [(e["line"], e["column"], e["field"], e["message"]) for e in doc["errors"]]
    assert errors == [
        (2, 14, "reviews[0].statute", "unknown statute 'demo-discrod' (no statute file has this id) (did you mean 'demo-discord'?)"),
        (8, 16, "reviews[1].criterion", f"unknown criterion 'precision.undefined-vague-trem' (did you mean '{CRIT}'?)"),
    ]
    # neither entry applies: the finding still counts
    assert [f["criterion"] for f in doc["results"][0]["findings"]] == [CRIT]


def test_a_statute_not_in_this_run_is_neither_applied_nor_an_error(tmp_path: Path) -> None:
    other = VAGUE.replace("demo-discord", "demo-other")
    folder = corpus(tmp_path, "reviews:\n" + entry(statute="demo-other"), {"demo.yaml": VAGUE, "other.yaml": other})
    result = check(str(folder / "demo.yaml"))
    assert result.exit_code == 1
    assert "reviews.yaml" not in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reviews:\n" + entry(reason=None), [(2, 5, "reviews[0].reason", "required field is missing")]),
        ("reviews:\n" + entry(reason="  "), [(4, 13, "reviews[0].reason", "must not be blank")]),
        ("reviews:\n" + entry() + entry(), [(7, 5, "reviews[1]", "a second review of precision.undefined-vague-term for demo-discord (the first is statutes/reviews.yaml:2)")]),
        ("reviews:\n" + entry().replace("2019-05-01", "May 2019"), [(6, 11, "reviews[0].date", "expected a date written YYYY-MM-DD, got 'May 2019'")]),
        ("reviews:\n" + entry(expires="2019-01-01"), [(7, 14, "reviews[0].expires", "expires (2019-01-01) is before the review date (2019-05-01)")]),
        ("reviews:\n" + entry() + "    note: x\n", [(7, 5, "reviews[0].note", "unknown field 'note'; extension fields must start with 'x-'")]),
        ("review:\n" + entry(), [(1, 1, "review", "unknown field 'review' (did you mean 'reviews'?); extension fields must start with 'x-'")]),
        ("reviews:\n  - [a, b]\n", [(2, 5, "reviews[0]", "expected a mapping with statute, criterion, reason, by and date")]),
        ("reviews: {}\n", [(1, 10, "reviews", "expected a list of review entries")]),
    ],
)
def test_invalid_reviews_files(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    reviews, errors = load_reviews_text(text, "statutes/reviews.yaml")
    assert [(e.line, e.column, e.field, e.message) for e in errors] == expected
    assert all(e.file == "statutes/reviews.yaml" for e in errors)


def test_invalid_reviews_file_exits_2_with_position(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "reviews:\n" + entry(reason=None))
    result = check(str(folder))
    assert result.exit_code == 2
    assert "reviews.yaml:2:5: reviews[0].reason: required field is missing" in result.stderr


def test_review_set_api_recombines_with_the_engine(tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    folder = corpus(tmp_path, None)
    plain = audit_paths([folder], catalogue)
    reviews, errors = load_reviews_text("reviews:\n" + entry(), "reviews.yaml")
    assert errors == []
    results, errs = ReviewSet(reviews).apply(plain.results, catalogue)
    assert errs == []
    (r,) = results
    assert r.findings == () and r.reviewed[0].criterion == CRIT and r.reviewed[0].review["reason"] == REASON
    # the unreviewed result is untouched (frozen evidence)
    assert plain.results[0].findings[0].review is None


def test_diff_shows_a_new_review_and_a_lifted_one(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE}, "base")
    head = commit(repo, {"statutes/reviews.yaml": "reviews:\n" + entry()}, "review it")
    result = CliRunner().invoke(app, ["diff", base, head, "--format", "json"])
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["reviews_changed"] is True
    (s,) = doc["statutes"]
    assert [f["criterion"] for f in s["reviewed"]] == [CRIT] and s["resolved"] == []
    assert s["verdict"] == {"before": "incompatible", "after": "compatible"}
    lifted = CliRunner().invoke(app, ["diff", head, base, "--format", "json"])
    assert lifted.exit_code == 1  # the finding counts again
    assert [f["criterion"] for f in json.loads(lifted.stdout)["statutes"][0]["unreviewed"]] == [CRIT]
    assert CliRunner().invoke(app, ["diff", head, base, "--no-reviews"]).exit_code == 0
    git(repo, "status")  # the repository is still usable


def test_diff_of_one_file_uses_the_reviews_beside_it(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE, "statutes/reviews.yaml": "reviews:\n" + entry()}, "base")
    head = commit(repo, {"statutes/reviews.yaml": "reviews: []\n"}, "lift the review")
    result = CliRunner().invoke(app, ["diff", base, head, "--path", "statutes/demo.yaml", "--format", "json"])
    assert result.exit_code == 1, result.stdout
    (s,) = json.loads(result.stdout)["statutes"]
    assert [f["criterion"] for f in s["unreviewed"]] == [CRIT]


def test_an_empty_reviews_file_is_called_a_reviews_file() -> None:
    reviews, errors = load_reviews_text("# no reviews yet\n", "reviews.yaml")
    assert [e.message for e in errors] == ["the file is empty; a reviews file is a mapping of fields"]
