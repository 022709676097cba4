"""Lexicon matching: every pattern of every lexicon, per language, in one matcher.

Lexicons are lists of words and phrases a lawyer writes (``discord``,
``ложн* информаци*``). The engine asks, for each statute field, which entries
occur in it. Matching each pattern separately would cost statutes × terms;
instead all patterns of one language are compiled once into a token trie.
Scanning a text costs one pass over its words — each looked up in a memo of
the tokens the trie has already seen, so a word no pattern starts with costs
one dict lookup — plus a short trie walk where a pattern can start, and
overlapping hits from different lexicons are all reported.

Pattern syntax (documented for authors in ``criteria/lexicons/README.md``):
words match case-insensitively on word boundaries, ``ё`` equals ``е``, spaces
match any whitespace, and a trailing ``*`` on a word matches any ending.
"""

import re
from codecs import charmap_decode, charmap_encode
from encodings import cp1251
from itertools import compress, repeat
from sys import intern
from typing import Any, NamedTuple

_WORD = re.compile(r"\w+")
_WORDS = _WORD.findall
#: stands for a word not yet looked up in the root's memo (truthy, so ``compress`` keeps it)
_UNSEEN = object()


def normalise(text: str) -> str:
    """Lower-case and fold ``ё`` to ``е`` without changing the length (offsets stay valid)."""
    return text.replace("İ", "I").lower().replace("ё", "е")


def _blanking_table() -> str:
    """What each byte of Windows-1251 stands for once normalised, or a space for a non-word character.

    The table of :func:`_words`' fast path: decoding a text's Windows-1251 bytes
    with it gives the normalised text with every character that ``\\w`` does
    not match turned into a space, so ``str.split`` finds exactly the words
    ``findall`` finds. Every character of Windows-1251 normalises to one
    character (``İ``, whose lower case is two, is not in it), so offsets hold.
    """
    out = []
    for char in cp1251.decoding_table:  # (its unassigned byte stands for U+FFFE, a non-word character)
        norm = normalise(char)
        if len(norm) != 1:  # pragma: no cover - not so for any character of the code page
            raise AssertionError(f"{char!r} does not normalise to one character")
        out.append(norm if norm.isalnum() or norm == "_" else " ")
    return "".join(out)


_CP1251 = cp1251.encoding_table
_BLANKED = _blanking_table()


def _words(text: str) -> tuple[str, list[str]]:
    """``text`` normalised (non-word characters possibly blanked to spaces) and its words, as ``\\w+`` finds them.

    ``findall`` of ``\\w+`` runs the regular-expression engine from every
    word and tests each character's Unicode category: it was the largest
    single cost of a scan (~0.35 M instructions per statute). English and
    Russian texts, the usual ones, fit in Windows-1251, and for those two
    C loops over a byte per character (encode, then decode through
    :data:`_BLANKED`) give the normalised text with the non-word characters
    blanked, which ``str.split`` cuts into the same words several times
    faster. Word characters keep their offsets and a blank is still not a
    word character, so ``find`` and the boundary tests of :meth:`Matcher._scan`
    give the same answers on it as on the normalised text. Any other text
    (Kazakh letters, French accents) takes the general way.
    """
    try:
        # (an ASCII text's UTF-8 is its Windows-1251, and encoding it is a copy)
        raw = text.encode() if text.isascii() else charmap_encode(text, "strict", _CP1251)[0]
    except UnicodeEncodeError:
        norm = normalise(text)
        return norm, _WORDS(norm)
    blanked: str = charmap_decode(raw, "strict", _BLANKED)[0]
    return blanked, blanked.split()


class PatternError(ValueError):
    """A lexicon pattern that does not follow the syntax."""


def parse_pattern(pattern: str) -> list[tuple[str, bool]]:
    """``"ложн* информаци*"`` -> ``[("ложн", True), ("информаци", True)]`` (word, is_stem)."""
    out: list[tuple[str, bool]] = []
    for chunk in pattern.split():
        star = chunk.endswith("*")
        body = chunk[:-1] if star else chunk
        if "*" in body:
            raise PatternError(f"'*' is allowed only at the end of a word: '{pattern}'")
        words = _WORD.findall(normalise(body))
        if not words:
            if star:
                raise PatternError(f"'*' must follow a word: '{pattern}'")
            continue
        out.extend((w, False) for w in words[:-1])
        out.append((words[-1], star))
    if not out:
        raise PatternError(f"pattern has no words: '{pattern}'")
    return out


# A trie node is a plain list, [exact, stems, stem_lengths, outputs, memo]:
#   exact         word -> child node, or None when there is none
#   stems         stem -> child node (a pattern word ending in ``*``), or None
#   stem_lengths  the lengths of the stems, longest first (filled by ``compile``)
#   outputs       the entry numbers of the patterns that end here (a tuple)
#   memo          token -> the children it leads to (exact, then stems longest
#                 first); None until ``find`` first looks a token up here
# Not an object with attributes: the compiled catalogue is read back from the
# cache at every start, and ~4,400 lists of built-in values unpickle about three
# times faster than as many instances (no class lookup, no per-node state dict,
# no empty containers). ``find``'s inner loop indexes nodes with literal
# numbers (a global name per access would cost more), commented each time.
_EXACT, _STEMS, _LENGTHS, _OUTPUTS, _MEMO = range(5)
_Node = list  # the type of a node, for annotations


def _new_node() -> _Node:
    return [None, None, (), (), None]


class Hit(NamedTuple):
    """One occurrence of a lexicon entry in a text: entry index and character span.

    A named tuple rather than a frozen dataclass: matching a corpus creates
    hundreds of thousands, and a tuple is several times cheaper to build.
    """

    entry: int
    start: int
    end: int


class Matcher:
    """All patterns of one language, compiled once, matched in one pass per text."""

    def __init__(self) -> None:
        self._root: _Node = _new_node()
        self._compiled = False
        self._count = 0
        self._short: dict[str, tuple[Hit, ...]] = {}

    def add(self, pattern: str, entry: int) -> None:
        """Register ``pattern`` as an occurrence of entry number ``entry``."""
        node = self._root
        for word, stem in parse_pattern(pattern):
            slot = _STEMS if stem else _EXACT
            table = node[slot]
            if table is None:
                table = node[slot] = {}
            word = intern(word)  # one string per word in all tries (see compile)
            child = table.get(word)
            if child is None:
                child = table[word] = _new_node()
            elif child[_EXACT] is None and child[_STEMS] is None:
                child = table[word] = list(child)  # a leaf may be shared (see compile): changed, it is copied first
            node = child
        if entry not in node[_OUTPUTS]:
            node[_OUTPUTS] += (entry,)
        self._compiled = False
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def compile(self, leaves: "dict[tuple[int, ...], _Node] | None" = None) -> None:
        """Freeze the trie: stem lengths per node (and no token memo yet: ``find`` makes it).

        Leaves (nodes no pattern goes on from) with the same outputs become
        one list, and equal words one string, in this trie and across the
        catalogue's matchers: the compiled catalogue is unpickled at every
        start, and three in five nodes are leaves ending one of only ~100
        entry sets. That halves the objects the cache holds for the tries.
        A leaf is never written once compiled (``find`` memoises tokens only
        at nodes a pattern goes on from; :meth:`add` copies a leaf it changes).
        """
        if leaves is None:
            leaves = {}

        def finish(node: _Node) -> None:
            node[_LENGTHS] = tuple(sorted({len(s) for s in node[_STEMS] or ()}, reverse=True))
            node[_MEMO] = None
            for table in (node[_EXACT], node[_STEMS]):
                for word, child in (table or {}).items():
                    if child[_EXACT] is None and child[_STEMS] is None:
                        table[word] = leaves.setdefault(child[_OUTPUTS], child)
                    else:
                        finish(child)

        finish(self._root)
        self._compiled = True
        self._short = {}

    def find(self, text: str) -> tuple[Hit, ...]:
        """Every occurrence of every pattern in ``text``, in text order.

        The hits of a short text are remembered: terms, titles, protected
        interests and aggravating circumstances recur from provision to
        provision of a code (in the benchmark corpus, half of all texts
        scanned are repeats, all of them under 200 characters), while whole
        provision texts rarely do and would only fill the memo.
        """
        if not self._compiled:
            self.compile()  # (which also forgets the texts: patterns may have been added)
        short = len(text) <= _SHORT_TEXT
        if short:
            known = self._short.get(text)
            if known is not None:
                return known
        hits = self._scan(text)
        if short:
            if len(self._short) >= _SHORT_LIMIT:
                self._short.clear()
            self._short[text] = hits
        return hits

    def _scan(self, text: str) -> tuple[Hit, ...]:
        """One pass over ``text``'s words (see the module docstring)."""
        norm, words = _words(text)
        root = self._root
        root_memo = root[_MEMO]
        if root_memo is None:
            root_memo = root[_MEMO] = {}
        # Every word is looked up in the root's token memo, and the words that
        # may start a pattern are picked out, by C loops (_words, map,
        # compress): the memo soon holds the corpus vocabulary, and most words
        # start nothing, so Python code runs only where a pattern can start.
        kids = list(map(root_memo.get, words, repeat(_UNSEEN)))
        hits: list[Hit] = []
        count = len(words)
        size = len(norm)
        located = -1  # the last starting word located in the text ...
        after = 0  # ... and where it ended: the next one is looked for from there
        new_hit = tuple.__new__
        for i in compress(range(count), kids):
            children = kids[i]
            if children is _UNSEEN:
                children = _children(root, words[i])
                if not children:
                    continue
            # Depth-first walk of the trie along the following words, by word
            # number only, from the children the first word already led to.
            # Most starting words (86% in the benchmark corpus: "the",
            # "danger", "порядке") begin only patterns of several words whose
            # next word is not there, so a starting word is located in the
            # text only once it is known to begin a hit.
            ends: list[tuple[int, int]] = []  # (-number of the last word, entry) of every hit starting here
            todo: list[tuple[tuple[_Node, ...], int]] = []  # branches still to walk
            found, last = children, i
            while True:
                following = last + 1
                for child in found:
                    for e in child[3]:  # outputs
                        ends.append((-last, e))
                    if (child[0] or child[1]) and following < count:  # exact or stems: the pattern may go on
                        word = words[following]
                        memo = child[4]
                        more = memo.get(word) if memo is not None else None
                        if more is None:
                            more = _children(child, word)
                        if more:
                            todo.append((more, following))
                if not todo:
                    break
                found, last = todo.pop()
            if not ends:
                continue
            # Where word i stands: the first whole-word occurrence after the
            # last starting word located, less the occurrences that are the
            # starting words passed over since (each equal to word i is one
            # whole-word occurrence before it). An occurrence inside a longer
            # word fails the boundary test (a neighbour that ``\w`` matches).
            word = words[i]
            passed = words[located + 1 : i].count(word) if i - located > 1 else 0
            while True:
                start = norm.find(word, after)
                after = start + len(word)
                if (start and ((c := norm[start - 1]).isalnum() or c == "_")) or (
                    after < size and ((c := norm[after]).isalnum() or c == "_")
                ):
                    continue
                if not passed:
                    break
                passed -= 1
            located = i
            # text order: starting words come in order; here, the longer match first, then by entry
            if len(ends) > 1:
                ends.sort()
            # where the words after the first end: only non-word characters
            # separate word j from word j + 1, so it is the first occurrence after word j's end
            word_ends = [after]
            for j in range(i + 1, 1 - ends[0][0]):
                word = words[j]
                word_ends.append(norm.find(word, word_ends[-1]) + len(word))
            for neg_last, e in ends:
                hits.append(new_hit(Hit, (e, start, word_ends[-neg_last - i])))
        return tuple(hits)


_MEMO_LIMIT = 50_000  # distinct tokens remembered per trie node (bounds memory on huge corpora)
_SHORT_TEXT = 300  # characters: texts up to this long have their hits remembered ...
_SHORT_LIMIT = 10_000  # ... this many per matcher (at most ~3 MB of text), then forgotten and begun again


def _children(node: _Node, tok: str) -> tuple[_Node, ...]:
    """The trie children ``tok`` leads to from ``node``, remembered for the next text.

    Each text repeats the same words, and so does a corpus; looking a token up
    once per node instead of once per stem length makes the walk several times cheaper.
    """
    found: list[_Node] = []
    exact = node[_EXACT]
    if exact is not None:
        child = exact.get(tok)
        if child is not None:
            found.append(child)
    n = len(tok)
    stems = node[_STEMS]
    for length in node[_LENGTHS]:
        if length <= n:
            child = stems.get(tok[:length])
            if child is not None:
                found.append(child)
    memo = node[_MEMO]
    if memo is None:
        memo = node[_MEMO] = {}
    elif len(memo) >= _MEMO_LIMIT:
        memo.clear()
    result = memo[tok] = tuple(found)
    return result


class Entry(NamedTuple):
    """One lexicon entry as the engine sees it (patterns already compiled into matchers)."""

    lexicon: str
    id: str
    label: str
    attrs: dict[str, Any]


class LexiconSet:
    """Every entry of every lexicon (and criteria's inline phrase lists), compiled per language.

    ``text.<lang>`` fields are matched with that language's patterns; other
    fields (terms, interests, conduct) with all languages' patterns together.
    """

    ANY = "*"

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._index: dict[tuple[str, str], int] = {}
        self._matchers: dict[str, Matcher] = {self.ANY: Matcher()}
        #: lexicon names -> the numbers of their entries (see :meth:`entries_of`)
        self._numbers: dict[frozenset[str], frozenset[int]] = {}

    def add_entry(self, lexicon: str, entry_id: str, label: str, patterns: dict[str, list[str]], attrs: dict[str, Any]) -> int:
        """Register an entry and its patterns per language; returns its index."""
        key = (lexicon, entry_id)
        if key in self._index:
            raise PatternError(f"duplicate entry '{entry_id}' in lexicon '{lexicon}'")
        idx = len(self.entries)
        self.entries.append(Entry(lexicon, entry_id, label, attrs))
        self._index[key] = idx
        self._numbers.clear()
        for lang, pats in patterns.items():
            matcher = self._matchers.setdefault(lang, Matcher())
            for pat in pats:
                matcher.add(pat, idx)
                self._matchers[self.ANY].add(pat, idx)
        return idx

    def index(self, lexicon: str, entry_id: str) -> int | None:
        return self._index.get((lexicon, entry_id))

    def entries_of(self, lexicons: frozenset[str]) -> frozenset[int]:
        """The numbers of the entries of ``lexicons``, worked out once per set of names.

        A hit carries its entry's number; asking "is this hit one of lexicon
        X's?" of a number set is one lookup, where reading the entry's
        lexicon cost an index and an attribute per hit. The engine (the aims
        lexicon) and every lexicon test without named entries ask it for each
        statute, so it is remembered, and forgotten when an entry is added.
        """
        found = self._numbers.get(lexicons)
        if found is None:
            found = self._numbers[lexicons] = frozenset(i for i, e in enumerate(self.entries) if e.lexicon in lexicons)
        return found

    def lexicon_names(self) -> set[str]:
        return {e.lexicon for e in self.entries}

    def compile(self) -> None:
        leaves: dict[tuple[int, ...], _Node] = {}  # shared by all matchers (see Matcher.compile)
        for matcher in self._matchers.values():
            matcher.compile(leaves)

    def matcher_for(self, language: str | None) -> Matcher:
        if language is not None and language in self._matchers:
            return self._matchers[language]
        return self._matchers[self.ANY]
