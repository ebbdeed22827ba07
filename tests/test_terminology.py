"""The terminology base of each language: legal terms rendered one way, from a national source, and the check that
holds the translations to it (`terminology_followed`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tiptoolkit import terminology
from tiptoolkit.dataset import Dataset
from tiptoolkit.i18n import TranslatedText, translated_texts
from tiptoolkit.model import TermRendering

from .test_i18n import EDITIONS, problems_in


def rendering(en: str, term: str, **more) -> TermRendering:
    return TermRendering(en=en, term=term, status="needs-review", **more)


def text(english: str, translated: str) -> TranslatedText:
    return TranslatedText(owner=None, field="text", at="k", english=english, text=translated)


@pytest.mark.parametrize(
    "english, said",
    [
        ("Contact the counterpart agency.", True),
        ("Contact the Counterparts.", True),
        ("counterpartial", False),
        ("a counter part", False),
    ],
)
def test_a_term_is_found_in_the_english_as_a_word_singular_or_plural(english: str, said: bool):
    assert terminology.says(english, rendering("counterpart", "x")) is said


def test_a_phrase_is_found_across_a_line_break_or_a_hyphen():
    entry = rendering("entry into force", "x")
    assert terminology.says("the date of entry\ninto force", entry)
    assert terminology.says("its entry-into-force date", entry)


def test_the_rendering_may_carry_endings_and_other_forms_count():
    entry = rendering("victim", "पीडित", forms=["पीडितहरू"])
    assert terminology.uses("पीडितको अधिकार", entry)
    assert terminology.uses("उहाँहरू पीडितहरू", entry)
    assert not terminology.uses("व्यक्ति", entry)


def test_an_avoided_rendering_counts_only_as_a_word_of_its_own():
    entry = rendering("prosecution", "প্রসিকিউশন", avoid=["বিচার"])
    assert terminology.avoided(text("prosecution", "বিচার শুরু"), entry, [entry]) == "বিচার"
    assert terminology.avoided(text("prosecution", "প্রসিকিউশন ও ন্যায়বিচার"), entry, [entry]) is None


def test_an_avoided_rendering_is_allowed_where_it_renders_another_term_of_the_same_english():
    approval = rendering("approval", "स्वीकृति", avoid=["अनुमोदन"])
    ratification = rendering("ratification", "अनुमोदन")
    both = text("ratification or approval", "अनुमोदन वा स्वीकृति")
    assert terminology.avoided(both, approval, [approval, ratification]) is None
    assert terminology.avoided(text("approval", "अनुमोदन"), approval, [approval]) == "अनुमोदन"


# ---------------------------------------------------------------- the real bases

STARTING_TERMS = (
    "ratification", "accession", "acceptance", "approval", "signature", "depositary", "reservation",
    "entry into force", "enacted", "in force", "mandatory", "optional", "binding", "trafficking in persons",
    "smuggling of migrants", "victim", "survivor", "case", "prosecution", "trial", "shelter", "asylum",
    "non-refoulement", "non-punishment", "referral", "counterpart", "consent", "guardian", "toolkit", "guide",
    "article", "section",
)  # fmt: skip


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_base_holds_the_starting_terms_each_sourced_or_saying_what_was_searched(dataset: Dataset, lang: str):
    base = dataset.languages[lang].terminology
    assert set(STARTING_TERMS) <= {entry.en for entry in base}
    for entry in base:
        assert entry.source is not None or re.search(r"search|found", entry.note or "", re.I), entry.en
        assert not any(avoid in form for avoid in entry.avoid for form in terminology.renderings(entry)), entry.en


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_translation_follows_its_base(dataset: Dataset, lang: str):
    assert [misuse.text.at for misuse in terminology.misuses(dataset, lang)] == []


def put_back(root: Path, lang: str, en: str, wrong: str) -> tuple[str, int]:
    """Replace the rendering of `en` by `wrong` in the first `lang` text whose English says `en`: (file, line)."""
    from tiptoolkit.validate import validate

    ds, _ = validate(root)
    entry = next(e for e in ds.languages[lang].terminology if e.en == en)
    text = next(t for t in translated_texts(ds, lang) if terminology.says(t.english, entry) and entry.term in t.text)
    problem = ds.problem(text.owner, text.field, "")
    path = root / problem.file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert entry.term in lines[problem.line - 1], (problem, lines[problem.line - 1])
    lines[problem.line - 1] = lines[problem.line - 1].replace(entry.term, wrong)
    path.write_text("".join(lines), encoding="utf-8")
    return problem.file, problem.line


@pytest.mark.parametrize(
    "lang, en, wrong",
    [
        ("bn", "counterpart", "প্রতিপক্ষ"),  # "opponent"
        ("bn", "depositary", "আমানতকারী"),  # a bank depositor
        ("ne", "approval", "अनुमोदन"),  # the word for ratification
        ("ne", "survivor", "बाँचेका व्यक्ति"),  # "people who are alive"
        ("ur", "enacted", "نافذ"),  # "in force"
        ("ur", "torture", "تشدد"),  # the word for violence
    ],
)
def test_a_wrong_rendering_put_back_is_reported_where_it_stands(real_copy: Path, lang: str, en: str, wrong: str):
    file, line = put_back(real_copy, lang, en, wrong)
    found = [p for p in problems_in(real_copy) if f"{lang!r} terminology" in p]
    assert len(found) == 1 and found[0].startswith(f"{file}:{line}:"), found
    assert repr(en) in found[0]


def test_a_term_missing_from_a_translation_is_reported(real_copy: Path):
    # terminology_followed
    file, line = put_back(real_copy, "bn", "depositary", "রক্ষক")
    found = [p for p in problems_in(real_copy) if "terminology" in p]
    assert len(found) == 1 and found[0].startswith(f"{file}:{line}: "), found
    assert ": the English says 'depositary': use 'ডিপোজিটরি' (the 'bn' terminology in i18n/bn.yaml)" in found[0]


def test_an_exception_that_excuses_nothing_and_a_term_given_twice_are_reported(real_copy: Path):
    # terminology_followed
    path = real_copy / "i18n" / "ne.yaml"
    text = path.read_text(encoding="utf-8")
    entry = '  - en: "guardian"\n'
    assert entry in text
    path.write_text(
        text.replace(entry, entry + '    exceptions: [{at: "nav.home", reason: "no longer needed"}]\n', 1).replace(
            "terminology:\n",
            'terminology:\n  - {en: "Guardian", term: "x", note: "searched", status: needs-review}\n',
            1,
        ),
        encoding="utf-8",
    )
    found = [p for p in problems_in(real_copy) if "exception" in p or "twice" in p]
    assert any("'Guardian' is given twice" in p or "'guardian' is given twice" in p for p in found), found
    assert any("no 'ne' text 'nav.home' whose English says 'guardian': remove this exception" in p for p in found), (
        found
    )
