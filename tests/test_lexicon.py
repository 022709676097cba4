"""The lexicon matcher against a plain reference: same hits, same order, for any patterns and text.

``Matcher.find`` is the hottest code in an audit and uses a token memo, a
trie and a search for where a starting word stands; the reference below
tokenises the text and tries every pattern at every word, which is slow and
obviously right. Texts are drawn from a tiny alphabet so that words repeat,
nest inside other words ("ab" in "cab", "ab_c"), and stems meet exact words.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lawaudit.lexicon import Hit, Matcher, _words, normalise, parse_pattern

_WORD = re.compile(r"\w+")

words = st.text(alphabet="abcё", min_size=1, max_size=3)
patterns = st.lists(
    st.tuples(st.lists(words, min_size=1, max_size=3), st.booleans()).map(lambda p: " ".join(p[0]) + ("*" if p[1] else "")),
    min_size=1,
    max_size=8,
)
# "é" and "İ" are not in Windows-1251: a text holding one is split into words the general way
texts = st.lists(
    st.one_of(words, st.sampled_from([" ", "  ", ", ", "\n", "_", "-", "1", "Ab", "ЁA", "«»—№", "é", "İ"])), max_size=40
).map("".join)


def reference(pats: list[str], text: str) -> list[Hit]:
    norm = normalise(text)
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(norm)]
    found: set[Hit] = set()
    for entry, pattern in enumerate(pats):
        spec = parse_pattern(pattern)
        for i in range(len(tokens)):
            if i + len(spec) > len(tokens):
                break
            if all(tokens[i + k][0].startswith(w) if stem else tokens[i + k][0] == w for k, (w, stem) in enumerate(spec)):
                found.add(Hit(entry, tokens[i][1], tokens[i + len(spec) - 1][2]))
    return sorted(found, key=lambda h: (h.start, -h.end, h.entry))


@settings(max_examples=400)
@given(patterns, st.lists(texts, min_size=1, max_size=4))
def test_find_equals_the_reference(pats: list[str], bodies: list[str]) -> None:
    matcher = Matcher()
    for entry, pattern in enumerate(pats):
        matcher.add(pattern, entry)
    for text in bodies:  # several texts: the token memo carries over from one to the next
        got = matcher.find(text)
        assert sorted(set(got), key=lambda h: (h.start, -h.end, h.entry)) == reference(pats, text), text
        assert list(got) == sorted(got, key=lambda h: (h.start, -h.end, h.entry))
    for text in bodies:  # again: short texts now come from the matcher's memo, long ones are scanned again
        assert sorted(set(matcher.find(text)), key=lambda h: (h.start, -h.end, h.entry)) == reference(pats, text), text


@settings(max_examples=300)
@given(patterns, patterns, texts)
def test_patterns_added_after_compiling_leave_the_shared_leaves_alone(first: list[str], later: list[str], text: str) -> None:
    # compiling makes leaves with equal outputs one list; a pattern added later
    # that ends at or goes on from such a leaf must not change the other patterns
    matcher = Matcher()
    for entry, pattern in enumerate(first):
        matcher.add(pattern, entry % 2)
    matcher.compile()
    pats = [*first, *later]
    for entry, pattern in enumerate(later, len(first)):
        matcher.add(pattern, entry)
    expected = {Hit(h.entry if h.entry >= len(first) else h.entry % 2, h.start, h.end) for h in reference(pats, text)}
    assert set(matcher.find(text)) == expected


def test_a_pattern_added_after_a_search_is_found_in_a_remembered_text() -> None:
    matcher = Matcher()
    matcher.add("discord", 0)
    assert [h.entry for h in matcher.find("social discord and unrest")] == [0]
    matcher.add("unrest", 1)
    assert [h.entry for h in matcher.find("social discord and unrest")] == [0, 1]


def test_a_starting_word_inside_an_earlier_word_is_not_a_match() -> None:
    matcher = Matcher()
    matcher.add("state", 0)
    matcher.add("discord", 1)
    text = "interstate_state discord statehood, state"
    assert [(h.entry, text[h.start : h.end]) for h in matcher.find(text)] == [(1, "discord"), (0, "state")]
    assert matcher.find(text)[-1].start == text.rindex("state")


def test_a_starting_word_passed_over_is_not_taken_for_a_later_one() -> None:
    """A starting word that begins no hit is not located in the text; a later occurrence of
    the same word that does begin one must still be placed where it stands, not at the first."""
    matcher = Matcher()
    matcher.add("the state", 0)
    text = "The cat, the dog; the_the THE state"
    assert [(h.entry, text[h.start : h.end]) for h in matcher.find(text)] == [(0, "THE state")]
    assert matcher.find(text)[0].start == text.index("THE")


def test_english_words_are_not_taken_for_other_languages_words() -> None:
    """Structured fields (conduct, title, terms, interests) are matched with every language's
    patterns at once, so a stem of another language must not swallow an English word of a
    different meaning: French ``arme*`` once read "the armed forces" as a weapons offence."""
    from lawaudit.criteria import load_catalogue

    lexicons = load_catalogue().lexicons
    any_language = lexicons.matcher_for(None)
    english = lexicons.matcher_for("en")
    for text in ("the armed forces", "armament", "the Spanish Armada", "an injured person", "Armenian citizens"):
        assert [lexicons.entries[h.entry].id for h in any_language.find(text)] == [
            lexicons.entries[h.entry].id for h in english.find(text)
        ], text


#: every character of Windows-1251 (the fast way of ``_words``), and some that are not in it
_CP1251_CHARS = "".join(ch for ch in bytes(range(256)).decode("cp1251", "ignore"))
_OTHER_CHARS = "éÉİıΣσςәҚ\u2028\u00a0\u3000١²"


@settings(max_examples=400)
@given(st.text(alphabet=_CP1251_CHARS + _OTHER_CHARS, max_size=60))
def test_words_are_the_words_of_the_normalised_text(text: str) -> None:
    """``_words`` (blanked Windows-1251 bytes, or the general way) against ``findall`` on ``normalise``:
    the same words, and a text of the same length whose word characters stand where the
    normalised text's do, so offsets, ``find`` and the boundary tests of a scan are unchanged."""
    norm = normalise(text)
    got, found = _words(text)
    assert found == _WORD.findall(norm)
    assert len(got) == len(norm)
    assert [(m.start(), m.group()) for m in _WORD.finditer(got)] == [(m.start(), m.group()) for m in _WORD.finditer(norm)]


def test_every_character_of_windows_1251_is_split_as_findall_splits_it() -> None:
    for char in _CP1251_CHARS:
        text = f"a{char}b {char}"
        assert _words(text)[1] == _WORD.findall(normalise(text)), hex(ord(char))
