"""Generate a deterministic corpus of synthetic statute files for benchmarks and tests.

Every file follows the statute format (``shared/spec/statute-format.md``) and
passes ``lawaudit validate``; files are 2-6 KB of English and Russian text,
with varied sanctions, terms, measures and application records. Wording is
drawn from the catalogue's own lexicons (``criteria/lexicons/*.yaml``) so that
vague terms, interests (named, inferred and unclassified), assembly wording
and media aggravation all fire on some files and not on others.

The same ``(n, seed)`` always gives byte-identical files::

    python benchmarks/make_corpus.py OUT_DIR -n 10000 [--seed 7]

The files are synthetic: they describe no real law.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = ROOT / "criteria" / "lexicons"

JURISDICTIONS = ["KZ", "RU", "BY", "UZ", "KG", "TJ", "AZ", "AM", "GE", "TR", "IN", "GB", "EG", "XX", "EU"]
STATUSES = ["in_force"] * 6 + ["amended", "repealed", "struck_down", "draft"]
RIGHTS = ["expression", "assembly", "association", "privacy"]
INSTRUMENTS = [
    ("Criminal Code", "Уголовный кодекс"),
    ("Code of Administrative Offences", "Кодекс об административных правонарушениях"),
    ("Law on Mass Media", "Закон о средствах массовой информации"),
    ("Law on Communications", "Закон о связи"),
    ("Law on Peaceful Assemblies", "Закон о мирных собраниях"),
    ("Law on Public Associations", "Закон об общественных объединениях"),
    ("Law on Informatization", "Закон об информатизации"),
]
ACTS_EN = [
    "Dissemination of", "Public calls to", "Publication of", "Organisation of", "Participation in",
    "Distribution of materials containing", "Production and storage of materials containing",
    "Statements in the mass media containing", "Posting on the Internet of",
]
ACTS_RU = [
    "Распространение", "Публичные призывы к", "Опубликование", "Организация", "Участие в",
    "Распространение материалов, содержащих", "Изготовление и хранение материалов, содержащих",
    "Высказывания в средствах массовой информации, содержащие", "Размещение в сети Интернет",
]
NEUTRAL_EN = [
    "information", "statements", "materials", "publications", "messages", "appeals", "leaflets",
    "content", "audio and video recordings", "images", "posts on social networks",
]
UNCLASSIFIED_INTERESTS = [
    "the established procedure of public administration",
    "the normal functioning of communication services",
    "information security of the population",
    "the lawful activity of mass media outlets",
    "the spiritual heritage of the people",
]
FILLER_EN = [
    "The provisions of this article do not apply where the act contains the elements of a more serious offence.",
    "A person who voluntarily reported the act to the authorities before it was discovered shall be released from liability.",
    "For the purposes of this article, a repeated act is one committed within one year after an administrative penalty for the same act.",
    "The measures under this article are applied by the body authorised to do so in the procedure established by law.",
    "Materials recognised as falling under this article are subject to removal in the procedure established by the Government.",
    "The owner of the resource shall be notified of the decision within three working days.",
]
FILLER_RU = [
    "Положения настоящей статьи не применяются, если деяние содержит признаки более тяжкого преступления.",
    "Лицо, добровольно сообщившее о деянии органам до его обнаружения, освобождается от ответственности.",
    "Повторным признается деяние, совершенное в течение года после наложения административного взыскания за то же деяние.",
    "Меры, предусмотренные настоящей статьей, применяются уполномоченным органом в порядке, установленном законом.",
    "Материалы, признанные подпадающими под действие настоящей статьи, подлежат удалению в порядке, установленном Правительством.",
    "Владелец ресурса уведомляется о решении в течение трех рабочих дней.",
]
MEDIA_AGGRAVATION = [
    "committed using mass media or telecommunications networks",
    "committed using the Internet or other information and communication networks",
    "committed through social networks or online platforms",
]
OTHER_AGGRAVATION = [
    "committed by a group of persons by prior agreement",
    "committed by a person using his or her official position",
    "committed repeatedly",
    "causing major damage or other grave consequences",
    "committed during a state of emergency",
]
GROUNDS = ["national", "racial", "religious", "social", "class", "clan", "estate", "linguistic", "ethnic", "political"]
DURATION_UNITS = [("years", "years"), ("yrs", "yrs"), ("months", "months"), ("days", "days"), ("hours", "hours"), ("year", "year")]
FINE_AMOUNTS = ["monthly calculation indices", "minimum wages", "base units", "EUR"]
OUTCOMES = [
    "sentenced to {n} years' imprisonment",
    "fined {n}00 monthly calculation indices",
    "administrative detention of {n}0 days",
    "acquitted on appeal",
    "proceedings discontinued",
    "sentence suspended for {n} years",
]
CASE_NAMES = ["Ivanova", "Abenov", "Petrov", "Seitkali", "Karimova", "Smith", "Nurlanov", "Volkova", "Haydarov", "Orlova"]
SOURCE_TITLES = [
    "Official legal information system, consolidated text",
    "Human Rights Committee, concluding observations",
    "OSCE/ODIHR legal opinion on the draft law",
    "Venice Commission opinion",
    "Report of the Special Rapporteur on freedom of expression",
    "National NGO monitoring report",
]


def _ending(stem: str, lang: str, rng: random.Random) -> str:
    """A plausible word ending for a lexicon stem (any ending matches the pattern)."""
    if lang == "ru":
        if stem.endswith("и"):
            return rng.choice(["и", "я", "е"])
        if stem[-1:] in "аеоуыэюяьй":
            return ""
        return rng.choice(["ой", "ого", "ых", "а", "ая"])
    if lang == "en":
        if stem.endswith("i"):
            return "zed"
        if stem.endswith("is"):
            return "m"
        if stem.endswith("f"):
            return "ication"
        if stem.endswith("ll"):
            return "y"
        return rng.choice(["", "s"])
    return ""


def _complete(pattern: str, lang: str, rng: random.Random) -> str:
    """A concrete phrase a pattern matches: ``ложн* информаци*`` -> ``ложной информации``."""
    words = []
    for word in pattern.split():
        if word.endswith("*"):
            word = word[:-1] + _ending(word[:-1], lang, rng)
        words.append(word)
    return " ".join(words)


def load_vocabulary(lexicons: Path = LEXICONS) -> dict[str, dict[str, list[list[str]]]]:
    """lexicon name -> language -> list of per-entry pattern lists (raw, with ``*``)."""
    vocab: dict[str, dict[str, list[list[str]]]] = {}
    for path in sorted(lexicons.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        if not isinstance(data, dict) or "entries" not in data:
            continue
        per_lang: dict[str, list[list[str]]] = {}
        for entry in data["entries"]:
            for lang, pats in (entry.get("patterns") or {}).items():
                per_lang.setdefault(lang, []).append([str(p) for p in pats])
        vocab[str(data.get("lexicon", path.stem))] = per_lang
    return vocab


class _Gen:
    def __init__(self, rng: random.Random, vocab: dict[str, dict[str, list[list[str]]]]) -> None:
        self.rng = rng
        self.vocab = vocab

    def phrase(self, lexicon: str, lang: str) -> str:
        entries = self.vocab.get(lexicon, {}).get(lang) or self.vocab.get(lexicon, {}).get("en") or [["information"]]
        return _complete(self.rng.choice(self.rng.choice(entries)), lang, self.rng)

    def duration(self, lo: int, hi: int) -> str:
        unit, shown = self.rng.choice(DURATION_UNITS)
        n = self.rng.randint(lo, hi)
        if unit == "year":
            return "1 year"
        if unit in ("days", "hours"):
            n *= 10
        return f"{n} {shown}"


def _q(text: str) -> str:
    """A plain or double-quoted YAML scalar (double-quoted when plain would be ambiguous)."""
    return yaml.dump(text, allow_unicode=True, width=10_000, default_style=None).removesuffix("\n...\n").rstrip("\n")


def _block(text: str, indent: int, style: str = "|") -> str:
    pad = " " * indent
    body = "\n".join((pad + line) if line else "" for line in text.split("\n"))
    return f"{style}\n{body}\n" if style == "|" else f">-\n{body}\n"


def _folded(text: str, indent: int, width: int = 78) -> str:
    """Fold a one-paragraph text into a ``>-`` block scalar."""
    pad = " " * indent
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width - indent:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return ">-\n" + "".join(pad + line + "\n" for line in lines)


def statute_text(i: int, rng: random.Random, vocab: dict[str, dict[str, list[list[str]]]]) -> str:
    """The YAML text of statute number ``i`` (deterministic for a given ``rng`` state)."""
    g = _Gen(rng, vocab)
    rights = sorted(rng.sample(RIGHTS, rng.choice([1, 1, 1, 2])), key=RIGHTS.index)
    assembly = "assembly" in rights
    inst_en, inst_ru = rng.choice(INSTRUMENTS)
    jur = rng.choice(JURISDICTIONS)
    art = rng.randint(1, 520)
    part = rng.choice(["", f"-{rng.randint(1, 3)}"])
    provision = f"Article {art}{part}"

    # the subject of the offence: a vague term (often), assembly wording, or neutral words
    vague_en = g.phrase("vague-terms", "en")
    vague_ru = g.phrase("vague-terms", "ru")
    roll = rng.random()
    if assembly and roll < 0.6:
        subject_en = g.phrase("assembly", "en")
        subject_ru = g.phrase("assembly", "ru")
        title = f"Violation of the rules on peaceful assemblies ({subject_en})"
    elif roll < 0.75:
        subject_en, subject_ru = vague_en, vague_ru
        title = f"{rng.choice(ACTS_EN)} {subject_en}"
    else:
        subject_en = rng.choice(NEUTRAL_EN)
        subject_ru = "сведений"
        title = f"{rng.choice(ACTS_EN)} {subject_en} in breach of the law"
    act_en = rng.choice(ACTS_EN)
    act_ru = rng.choice(ACTS_RU)
    interests_en = [g.phrase("aims", "en") for _ in range(rng.randint(1, 3))]
    interests_ru = [g.phrase("aims", "ru") for _ in range(len(interests_en))]
    conduct = f"{act_en.lower()} {subject_en} that creates a danger to {interests_en[0]}"

    # text: numbered parts, English and Russian
    n_parts = rng.randint(1, 2)
    en_parts, ru_parts = [], []
    for p in range(1, n_parts + 1):
        extra_en = g.phrase("vague-terms", "en") if rng.random() < 0.4 else rng.choice(NEUTRAL_EN)
        extra_ru = g.phrase("vague-terms", "ru") if rng.random() < 0.4 else "информации"
        en_parts.append(
            f"{p}. {act_en} {subject_en} or {extra_en}, creating a danger of harm to "
            f"{' or '.join(interests_en)}, committed {rng.choice(['publicly', 'repeatedly', 'by a group of persons', 'using the mass media', 'through the Internet'])}, -\n"
            f"is punishable by a fine of up to {rng.randint(1, 9) * 100} {rng.choice(FINE_AMOUNTS)} or by "
            f"{rng.choice(['imprisonment', 'restriction of liberty', 'administrative detention', 'corrective labour'])} "
            f"for a term of up to {rng.randint(1, 12)} years.\n"
            + (rng.choice(FILLER_EN) + "\n" if rng.random() < 0.7 else "")
        )
        ru_parts.append(
            f"{p}. {act_ru} {subject_ru} или {extra_ru}, создающее опасность причинения вреда "
            f"{' или '.join(interests_ru)}, –\n"
            f"наказывается штрафом в размере до {rng.randint(1, 9) * 100} месячных расчетных показателей "
            f"либо лишением свободы на срок до {rng.randint(1, 12)} лет.\n"
            + (rng.choice(FILLER_RU) + "\n" if rng.random() < 0.7 else "")
        )
    # short provisions get their closing notes, so every file is at least ~2 KB
    while (
        len("".join(en_parts)) + len("".join(ru_parts).encode()) < 2000
        or len("".join(en_parts)) < 900
        or len("".join(ru_parts).encode()) < 1200
    ):
        en_parts.append(f"{len(en_parts) + 1}. {rng.choice(FILLER_EN)}\n")
        ru_parts.append(f"{len(ru_parts) + 1}. {rng.choice(FILLER_RU)}\n")
    text_en = f"{provision}. {title}\n\n" + "\n".join(en_parts)
    text_ru = f"Статья {art}{part}. {act_ru} {subject_ru}\n\n" + "\n".join(ru_parts)

    out: list[str] = []
    w = out.append
    if rng.random() < 0.5:
        w("# Synthetic statute generated by benchmarks/make_corpus.py; describes no real law.\n")
    w(f"id: synth-{jur.lower()}-{i:06d}\n")
    w(f"jurisdiction: {jur}\n")
    w(f"instrument: {_q(f'{inst_en} of the Republic (synthetic {i % 97})')}\n")
    w(f"provision: {provision}\n")
    w(f"title: {_q(title)}\n")
    w(f"status: {rng.choice(STATUSES)}\n")
    year = rng.randint(1995, 2024)
    if rng.random() < 0.8:
        w(f"as_of: {year + rng.randint(0, 2)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
    if rng.random() < 0.6:
        w(f"adopted: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
    w(f"rights: [{', '.join(rights)}]\n")
    original = rng.choice(["ru", "en", None])
    if original:
        w(f"text_original: {original}\n")
    if rng.random() < 0.3:
        w("x-text-version: " + _folded(f"Consolidated wording as of {year}; {inst_ru}, статья {art}.", 2))
    w("text:\n")
    langs = [("en", text_en), ("ru", text_ru)]
    if original != "en" and rng.random() < 0.15:
        langs = [("ru", text_ru)]
    if original == "en":
        langs = [("en", text_en)] + ([("ru", text_ru)] if rng.random() < 0.8 else [])
    for lang, body in langs:
        w(f"  {lang}: " + _block(body.rstrip("\n") + "\n", 4))
    w("conduct: " + _folded(conduct, 2))

    terms: list[tuple[str, str | None]] = []
    for _ in range(rng.randint(0, 3)):
        term = g.phrase("vague-terms", "en") if rng.random() < 0.6 else rng.choice(NEUTRAL_EN)
        definition = None if rng.random() < 0.5 else f"{term} means {rng.choice(NEUTRAL_EN)} that the court finds {rng.choice(['false', 'harmful', 'unlawful'])}"
        terms.append((term, definition))
    if terms:
        w("terms:\n")
        for term, definition in terms:
            w(f"  - term: {_q(term)}\n")
            w(f"    definition: {'null' if definition is None else _q(definition)}\n")

    roll = rng.random()
    if roll < 0.7:
        interests = interests_en[:]
        if rng.random() < 0.2:
            interests.append(rng.choice(UNCLASSIFIED_INTERESTS))
        w("protected_interests:\n" + "".join(f"  - {_q(x)}\n" for x in interests))
    elif roll < 0.8:
        w("protected_interests: []\n")
    if rng.random() < 0.3:
        w(f"grounds: [{', '.join(sorted(rng.sample(GROUNDS, rng.randint(1, 4))))}]\n")
    if rng.random() < 0.85:
        w(f"mental_element: {rng.choice(['intent', 'intent', 'knowledge', 'recklessness', 'negligence', 'unspecified'])}\n")
    if rng.random() < 0.85:
        w(f"harm: {rng.choice(['actual', 'likely', 'possible', 'possible', 'none', 'unspecified'])}\n")
    if rng.random() < 0.7:
        w(f"scope: [{', '.join(sorted(rng.sample(['online', 'offline', 'media', 'private'], rng.randint(1, 3))))}]\n")
    agg: list[str] = []
    if rng.random() < 0.6:
        agg = rng.sample(OTHER_AGGRAVATION, rng.randint(0, 3))
        if rng.random() < 0.5:
            agg.append(rng.choice(MEDIA_AGGRAVATION))
    if agg:
        w("aggravating:\n" + "".join(f"  - {_q(a)}\n" for a in agg))

    sanctions: list[str] = []
    kinds = ["imprisonment", "restriction_of_liberty", "administrative_detention", "fine", "corrective_labour",
             "community_service", "deprivation_of_right", "suspension", "closure", "blocking", "confiscation",
             "deportation", "warning", "other"]  # fmt: skip
    for _ in range(rng.randint(1 if "privacy" not in rights else 0, 4)):
        kind = rng.choice(kinds)
        lines = [f"  - kind: {kind}\n"]
        if kind in ("imprisonment", "restriction_of_liberty", "deprivation_of_right", "suspension", "blocking"):
            if rng.random() < 0.4:
                lines.append(f"    min: {g.duration(1, 3)}\n")
            lines.append(f"    max: {rng.choice([g.duration(2, 15), g.duration(2, 15), 'life'])}\n")
        elif kind == "administrative_detention":
            lines.append(f"    max: {rng.randint(1, 6) * 5} days\n")
        elif kind in ("fine", "corrective_labour"):
            lines.append(f"    max: {rng.randint(1, 50) * 100} {rng.choice(FINE_AMOUNTS)}\n")
        elif kind == "community_service":
            lines.append(f"    max: {rng.randint(1, 12) * 100} hours\n")
        if rng.random() < 0.4:
            lines.append(f"    applies_when: {_q(rng.choice(agg) if agg else 'aggravated forms')}\n")
        if rng.random() < 0.2:
            lines.append(f"    note: {_q('as reported by ' + rng.choice(SOURCE_TITLES))}\n")
        sanctions.append("".join(lines))
    if sanctions:
        w("sanctions:\n" + "".join(sanctions))

    if rng.random() < 0.35:
        if assembly:
            kind = rng.choice(["authorization", "notification", "dispersal", "authorization"])
        else:
            kind = rng.choice(["blocking", "closure", "suspension", "registration", "interception", "other"])
        w("measure:\n")
        w(f"  kind: {kind}\n")
        w(f"  decided_by: {rng.choice(['court', 'prosecutor', 'executive', 'regulator', 'legislature', 'private_party'])}\n")
        w(f"  judicial_review: {rng.choice(['prior', 'subsequent', 'none'])}\n")
        if kind in ("blocking", "closure", "suspension", "other", "interception"):
            w(f"  target: {rng.choice(['specific_content', 'whole_resource', 'service', 'network', 'person'])}\n")
            w(f"  duration: {rng.choice(['temporary', 'indefinite', 'permanent'])}\n")
        w(f"  criteria_in_law: {rng.choice(['true', 'false'])}\n")
        if kind in ("authorization", "notification"):
            w(f"  notice_days: {rng.randint(0, 15)}\n")
            w(f"  spontaneous_allowed: {rng.choice(['true', 'false', 'false'])}\n")
            w(f"  location_restrictions: {rng.choice(['none', 'specific_reasoned', 'designated_places_only', 'blanket'])}\n")
        if kind == "dispersal":
            w("  target: event\n")

    apps = rng.randint(0, 3)
    if apps:
        w("application:\n")
        for _ in range(apps):
            name = rng.choice(CASE_NAMES)
            w(f"  - case: {_q(f'{name} v. the State')}\n")
            w(f"    year: {rng.randint(1996, 2025)}\n")
            w("    conduct: " + _folded(
                f"{rng.choice(['posts on social media', 'a newspaper article', 'a peaceful picket', 'a speech at a rally', 'leaflets'])} "
                f"criticising {rng.choice(['the government', 'local officials', 'a court decision', 'the president', 'a new law'])}"
                f" and calling for {rng.choice(['dialogue', 'reform', 'a protest', 'an investigation'])}", 6))
            w(f"    outcome: {_q(rng.choice(OUTCOMES).format(n=rng.randint(1, 7)))}\n")
            if rng.random() < 0.8:
                w(f"    peaceful: {rng.choice(['true', 'false'])}\n")
            w(f"    source: {_q(rng.choice(SOURCE_TITLES) + f', {rng.randint(2000, 2025)}')}\n")

    w("sources:\n")
    for s in range(rng.randint(1, 3)):
        w(f"  - title: {_q(rng.choice(SOURCE_TITLES) + f' ({year + s})')}\n")
        w(f"    url: https://example.org/laws/{jur.lower()}/{i}/{s}\n")
        if rng.random() < 0.7:
            w(f"    accessed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}\n")
    return "".join(out)


def make_corpus(out_dir: str | Path, n: int, seed: int = 7, lexicons: Path = LEXICONS) -> list[Path]:
    """Write ``n`` statute files into ``out_dir`` (created); returns their paths in order.

    Files go into sub-folders of 1,000 so that large corpora stay easy to list.
    """
    out = Path(out_dir)
    vocab = load_vocabulary(lexicons)
    rng = random.Random(seed)
    paths: list[Path] = []
    for i in range(n):
        folder = out / f"part-{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"statute_{i:06d}.yaml"
        path.write_text(statute_text(i, rng, vocab), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("-n", type=int, default=1000, help="number of files (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    make_corpus(args.out_dir, args.n, args.seed)
    print(f"wrote {args.n} statute files to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
