"""Content hashes and near-duplicate (syndicated copy) detection.

An exact re-read of a report is caught by ``content_hash``: sha256 of the text with
whitespace runs collapsed. A syndicated copy (the same wire story with another
headline, a trimmed paragraph or a different byline) is caught by MinHash over word
5-shingles: datasketch's MinHash signature (128 permutations, ``affine32`` scheme) is
stored with each article, and the LSH bands of original articles are stored in
``minhash_bands``, so a new article's candidates come from an indexed lookup and the
index survives restarts without being rebuilt. Candidates are confirmed with the
estimated Jaccard similarity (``THRESHOLD``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

try:  # CPython's own SHA-1: the same digests as OpenSSL's, faster on short inputs
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - other interpreters
    _sha1 = hashlib.sha1

THRESHOLD = 0.8
NUM_PERM = 128
SHINGLE = 5
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _bands() -> tuple[int, int]:
    # datasketch picks the (bands, rows) split that balances false positives and
    # negatives at the threshold; we reuse it for the bands stored in the database
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@lru_cache(maxsize=1)
def _permutations():
    return MinHash(num_perm=NUM_PERM, scheme=_SCHEME).permutations


def shingles(text: str) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(gram).encode("utf-8")
            for gram in zip(*(words[i:] for i in range(SHINGLE)))}


def _hash32(grams: set[bytes]) -> list[int]:
    """datasketch's default hash of each shingle (``sha1_hash32``: the first four bytes
    of its SHA-1, little-endian), for all of them at once."""
    digests = b"".join([_sha1(g).digest()[:4] for g in grams])
    return np.frombuffer(digests, dtype="<u4").tolist()


def _identity(value: int) -> int:
    return value


@dataclass(frozen=True)
class Signature:
    minhash: MinHash
    empty: bool = False  # no words: never a near-duplicate of anything

    @classmethod
    def of(cls, text: str) -> Signature:
        # the shingles are hashed here (the same values datasketch's default hash
        # gives) and handed to the MinHash as they are: one pass, not one call each
        m = MinHash(num_perm=NUM_PERM, scheme=_SCHEME, permutations=_permutations(),
                    hashfunc=_identity)
        grams = shingles(text)
        if grams:
            m.update_batch(_hash32(grams))
        return cls(m, empty=not grams)

    @classmethod
    def from_bytes(cls, data: bytes, *, empty: bool = False) -> Signature:
        values = np.frombuffer(data, dtype=np.uint32)
        return cls(MinHash(hashvalues=values, scheme=_SCHEME, permutations=_permutations()),
                   empty=empty)

    def to_bytes(self) -> bytes:
        return self.minhash.hashvalues.astype(np.uint32).tobytes()

    def jaccard(self, other: Signature) -> float:
        return float(self.minhash.jaccard(other.minhash))

    def buckets(self) -> list[tuple[int, int]]:
        """(band, bucket) pairs: a signed 64-bit hash of each band's rows."""
        b, r = _bands()
        values = self.minhash.hashvalues.astype(np.uint32)
        out = []
        for band in range(b):
            digest = hashlib.blake2b(values[band * r:(band + 1) * r].tobytes(),
                                     digest_size=8).digest()
            out.append((band, int.from_bytes(digest, "big", signed=True)))
        return out


def signatures(texts: Sequence[str]) -> list[tuple[bytes, bool]]:
    """``Signature.of`` each text, as ``(to_bytes(), empty)``: what a worker process
    hands back (``Signature.from_bytes(data, empty=empty)`` rebuilds it)."""
    out = []
    for text in texts:
        sig = Signature.of(text)
        out.append((sig.to_bytes(), sig.empty))
    return out
