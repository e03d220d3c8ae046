"""Content hashes and MinHash near-duplicate signatures."""

from __future__ import annotations

import pytest

from parley.store.dedup import THRESHOLD, Signature, content_hash

STORY = ("Kenya and Uganda agreed on Tuesday to build a joint railway linking Nairobi and "
         "Kampala, officials said. The line is expected to cut freight costs for "
         "landlocked Uganda, and construction is due to start next year after financing "
         "talks with regional lenders conclude in Nairobi.")


def test_content_hash_ignores_whitespace_only():
    assert content_hash(STORY) == content_hash("  " + STORY.replace(" ", "\n  ") + "\n")
    assert content_hash(STORY) != content_hash(STORY.replace("Tuesday", "Monday"))


def test_a_syndicated_copy_is_near_and_another_story_is_not():
    copy = "NAIROBI (Wire) - " + STORY + " Copyright 2024 Wire Service."
    other = STORY.replace("Kenya and Uganda agreed", "Ghana and Togo argued").replace(
        "railway linking Nairobi and Kampala", "pipeline through Accra and Lome")
    sig = Signature.of(STORY)
    assert sig.jaccard(Signature.of(copy)) >= THRESHOLD
    assert sig.jaccard(Signature.of(other)) < THRESHOLD


def test_signature_survives_the_database_round_trip():
    sig = Signature.of(STORY)
    back = Signature.from_bytes(sig.to_bytes())
    assert back.jaccard(sig) == 1.0
    assert back.buckets() == sig.buckets()
    assert len(sig.to_bytes()) == 128 * 4


def test_text_without_words_matches_nothing():
    assert Signature.of("— … —").empty
    assert not Signature.of(STORY).empty


def test_signature_is_datasketchs_minhash_of_the_shingles():
    from datasketch import MinHash

    from parley.store.dedup import NUM_PERM, shingles

    for text in (STORY, "İstanbul'da Straße ΣΊΣΥΦΟΣ naïve café: « ein Wort » — 東京 5 6 7",
                 "two words"):
        reference = MinHash(num_perm=NUM_PERM, scheme="affine32")
        reference.update_batch(sorted(shingles(text)))
        assert (Signature.of(text).values == reference.hashvalues).all()
        assert Signature.of(text).jaccard(Signature.of(STORY)) == pytest.approx(
            reference.jaccard(_datasketch(STORY)), abs=0)


def _datasketch(text):
    from datasketch import MinHash

    from parley.store.dedup import NUM_PERM, shingles

    m = MinHash(num_perm=NUM_PERM, scheme="affine32")
    m.update_batch(sorted(shingles(text)))
    return m


def test_a_document_coded_with_its_signature_brings_it():
    from parley.clean.minhash import signature
    from parley.model import Document

    doc = Document(id="d", text=STORY, signature=signature(STORY))
    carried = Signature.carried(doc, STORY)
    assert carried is not None and carried.to_bytes() == Signature.of(STORY).to_bytes()
    # not the text stored, or coded without one: computed at ingest
    assert Signature.carried(doc, STORY + " More.") is None
    assert Signature.carried(Document(id="d", text=STORY), STORY) is None


def test_the_stored_bands_are_datasketchs_split_at_the_threshold():
    from datasketch import MinHashLSH

    from parley.store.dedup import BANDS, NUM_PERM, ROWS

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS) == (9, 13)
