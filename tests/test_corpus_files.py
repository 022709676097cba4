"""Issue 3: every corpus file carries its text in the original language and in English, and a source with a URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from lawaudit.loader import discover, load_file

ROOT = Path(__file__).resolve().parent.parent
FILES, _ = discover([ROOT / "statutes"])


def test_corpus_has_the_nine_provisions() -> None:
    ids = {load_file(p).loaded.statute.id for p in FILES}  # type: ignore[union-attr]
    assert {"kz-cc-174", "kz-cc-274", "kz-cc-400", "kz-cc-179", "kz-cao-488"} <= ids
    assert len(ids) >= 9


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_texts_and_sources(path: Path) -> None:
    outcome = load_file(path)
    assert outcome.loaded is not None, outcome.errors
    statute = outcome.loaded.statute
    original = statute.text_original
    assert original is not None and original != "en"
    assert statute.text[original].strip()
    assert statute.text.get("en", "").strip()
    assert any(s.url for s in statute.sources)
    assert path.name == statute.id.replace("-", "_") + ".yaml"
