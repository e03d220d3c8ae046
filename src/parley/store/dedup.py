"""Content hashes and near-duplicate (syndicated copy) detection.

An exact re-read of a report is caught by ``content_hash``: sha256 of the text with
whitespace runs collapsed. A syndicated copy (the same wire story with another
headline, a trimmed paragraph or a different byline) is caught by MinHash over word
5-shingles (``parley.clean.minhash``: datasketch's signature, 128 permutations,
``affine32`` scheme): the signature is stored with each article, and the LSH bands of
original articles are stored in ``minhash_bands``, so a new article's candidates come
from an indexed lookup and the index survives restarts without being rebuilt.
Candidates are confirmed with the estimated Jaccard similarity (``THRESHOLD``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parley.clean import minhash as mh
from parley.model import Document

THRESHOLD = 0.8
NUM_PERM = mh.NUM_PERM
shingles = mh.shingles


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


# The LSH bands stored in the database: 9 bands of 13 rows, the split datasketch's
# ``MinHashLSH(threshold=0.8, num_perm=128)`` picks to balance false positives and
# negatives at the threshold (``tests/store/test_dedup.py`` checks it still does; it is
# not asked at run time because datasketch brings scipy, slow to import)
BANDS, ROWS = 9, 13


def _bands() -> tuple[int, int]:
    return BANDS, ROWS


@dataclass(frozen=True, slots=True)
class Signature:
    values: np.ndarray  # NUM_PERM uint32
    empty: bool = False  # no words: never a near-duplicate of anything

    @classmethod
    def of(cls, text: str) -> Signature:
        values = mh.minhash(text)
        return cls(mh.empty(), empty=True) if values is None else cls(values)

    @classmethod
    def carried(cls, doc: Document, text: str) -> Signature | None:
        """The signature the document was coded with, when it is of ``text`` and made
        the way ``parley.clean.minhash`` makes it; else None (compute it)."""
        sig = doc.signature
        if sig is None or doc.text != text:
            return None
        values = mh.decode(sig)
        return None if values is None else cls(values)

    @classmethod
    def from_bytes(cls, data: bytes, *, empty: bool = False) -> Signature:
        return cls(np.frombuffer(data, dtype=np.uint32), empty=empty)

    def to_bytes(self) -> bytes:
        return self.values.astype(np.uint32).tobytes()

    def jaccard(self, other: Signature) -> float:
        # datasketch's estimate: the share of permutations with the same minimum
        return float(np.count_nonzero(self.values == other.values)) / len(self.values)

    def buckets(self) -> list[tuple[int, int]]:
        """(band, bucket) pairs: a signed 64-bit hash of each band's rows."""
        b, r = _bands()
        data = self.to_bytes()
        width = 4 * r
        return [(band, int.from_bytes(hashlib.blake2b(data[band * width:(band + 1) * width],
                                                      digest_size=8).digest(),
                                      "big", signed=True))
                for band in range(b)]


def signatures(texts: Sequence[str]) -> list[tuple[bytes, bool]]:
    """``Signature.of`` each text, as ``(to_bytes(), empty)``: what a worker process
    hands back (``Signature.from_bytes(data, empty=empty)`` rebuilds it)."""
    out = []
    for text in texts:
        sig = Signature.of(text)
        out.append((sig.to_bytes(), sig.empty))
    return out
