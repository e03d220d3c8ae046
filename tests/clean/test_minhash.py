"""The MinHash signature computed where a document is coded: datasketch's values to
the bit, carried by the document contract."""

from __future__ import annotations

import random

import numpy as np

from parley.clean import minhash as mh

STORY = ("Kenya and Uganda agreed on Tuesday to build a joint railway linking Nairobi and "
         "Kampala, officials said. The line is expected to cut freight costs for "
         "landlocked Uganda, and construction is due to start next year after financing "
         "talks with regional lenders conclude in Nairobi.")
# word characters outside ASCII, letters whose lower case is longer (İ) or depends on
# their place (final sigma), a Kelvin sign that lowers to ASCII, a lone surrogate,
# digits, underscores and typographic punctuation
AWKWARD = ("İstanbul'da Straße ΣΊΣΥΦΟΣ naïve café: « ein Wort » — 東京 5 6 7",
           "“Quoted,” she said — 3\u00a0km of road_works… done.",
           "The \u212aelvin scale \u212a; \ud800 lone surrogate here and there ok",
           "two words", "", "— … —", "A B C D", "A B C D E", "a_b 1 2 3 4 5 6 7 8 9")


def _datasketch(text: str) -> np.ndarray:
    from datasketch import MinHash

    reference = MinHash(num_perm=mh.NUM_PERM, scheme="affine32")
    reference.update_batch(sorted(mh.shingles(text)))
    return reference.hashvalues


def _reference_shingles(text: str) -> set[bytes]:
    """The shingles as the store made them before: word by word."""
    import re

    words = [w.lower() for w in re.findall(r"\w+", text)]
    if len(words) < 5:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(g).encode("utf-8") for g in zip(*(words[i:] for i in range(5)))}


def _random_texts(n: int) -> list[str]:
    rng = random.Random(15)
    pool = ("the", "Kenya", "Ugandan", "talks", "café", "Zürich", "ΣΟΦΙΑ", "2024", "_x",
            "—", "“", "”", ",", ".", "İzmir", "straße", "東京", "a1b2", "\u212a", "’s",
            "ΟΔΟΣ", "ΑΣʹ", "ʹΣΑ", "Σ", "'Σ'", "ΣΣ")
    return [" ".join(rng.choice(pool) for _ in range(rng.randrange(0, 80)))
            for _ in range(200)]


def test_permutations_are_datasketchs():
    from datasketch import MinHash

    a, b = MinHash(num_perm=mh.NUM_PERM, scheme="affine32").permutations
    ours_a, ours_b = mh.permutations()
    assert (ours_a.ravel() == a).all() and (ours_b.ravel() == b).all()


def test_shingles_are_the_word_by_word_ones():
    for text in (STORY, *AWKWARD, *_random_texts(200)):
        assert mh.shingles(text) == _reference_shingles(text), text


def test_signature_is_datasketchs_minhash_to_the_bit():
    for text in (STORY, *AWKWARD, *_random_texts(50)):
        values = mh.minhash(text)
        if not mh.shingles(text):
            assert values is None
            continue
        assert values is not None and values.dtype == np.uint32
        assert (values == _datasketch(text)).all(), text


def test_the_signature_round_trips_through_the_contract():
    from parley.model import Document

    sig = mh.signature(STORY)
    assert sig is not None and sig.scheme == mh.SCHEME
    doc = Document(id="d", text=STORY, signature=sig)
    back = Document.model_validate_json(doc.model_dump_json())
    assert (mh.decode(back.signature) == mh.minhash(STORY)).all()
    assert mh.signature("— … —") is None


def test_a_signature_of_another_scheme_is_not_used():
    from parley.model import TextSignature

    sig = mh.signature(STORY)
    assert mh.decode(TextSignature(scheme="minhash/other", minhash=sig.minhash)) is None
    assert mh.decode(TextSignature(scheme=mh.SCHEME, minhash="AAAA")) is None


def test_coding_puts_the_signature_on_the_document():
    from parley.model import Article
    from parley.pipeline import code_article

    doc = code_article(Article(id="k", text=STORY))
    assert doc.signature == mh.signature(STORY)
