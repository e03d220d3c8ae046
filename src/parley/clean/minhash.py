"""The MinHash signature of a text: what recognises a syndicated copy (a near-duplicate).

The signature is datasketch's MinHash, 128 permutations in its ``affine32`` scheme,
over the text's lower-cased word 5-shingles (runs of ``\\w``), each shingle hashed
with datasketch's default hash (the first four bytes of its SHA-1, little-endian).
The values are datasketch's to the bit (``tests/clean/test_minhash.py`` compares
them), computed here in one pass instead of one Python call per shingle: the words
are cut from the text's UTF-8 bytes, the shingles hashed with ``map``, and the 128
permutations applied to all shingles at once in numpy (shingles x permutations).

The ``clean`` stage puts the signature on the coded document
(``Document.signature``), so coding workers compute it in parallel and the store only
decodes it; the store computes it for a document that comes without one.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from parley.model import TextSignature

try:  # CPython's own SHA-1: the same digests as OpenSSL's, faster on short inputs
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import sha1 as _sha1

NUM_PERM = 128
SHINGLE = 5
# what ``TextSignature.scheme`` says: a signature made any other way is not compared
SCHEME = "minhash/datasketch-affine32/128/sha1-32/word-5-shingles"
# the value of every permutation over no shingles (datasketch's empty MinHash)
_MAX = np.uint32(0xFFFFFFFF)

_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_ASCII = bytes(range(128))
# bytes of the UTF-8 text -> the lower-cased ASCII word characters, anything else a
# space (every byte of a multi-byte character is >= 0x80)
_ASCII_WORDS = bytes(
    (c | 0x20 if 65 <= c <= 90 else c)
    if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c == 95) else 32
    for c in range(256))
_digest = type(_sha1(b"")).digest


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of the 128 affine permutations, as datasketch draws them for its
    default seed 1 (``MinHash._init_permutations``): odd ``a`` (a bijection on
    32 bits) and any ``b``. Drawn here so coding does not import datasketch (and
    scipy with it)."""
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    # as columns: one row per permutation, broadcast over the shingles
    return a.reshape(-1, 1), b.reshape(-1, 1)


def words(text: str) -> list[bytes]:
    """The text's words (``\\w+``), lower-cased, UTF-8."""
    # (lone surrogates, never word characters, are passed through as separators)
    data = text.encode("utf-8", "surrogatepass")
    beyond = data.translate(None, _ASCII)  # the characters outside ASCII, run together
    if beyond and _WORD_CHAR.search(beyond.decode("utf-8", "surrogatepass")):
        # lower-casing the words joined by spaces is lower-casing each: a space is
        # neither cased nor case-ignorable (the final-sigma rule stops at it), and no
        # character lower-cases to one
        return " ".join(_WORD.findall(text)).lower().encode("utf-8").split(b" ")
    # only ASCII letters, digits and "_" make words: one C pass over the bytes
    return data.translate(_ASCII_WORDS).split()


def _grams(ws: list[bytes]) -> Iterator[bytes]:
    if len(ws) < SHINGLE:
        return iter([b" ".join(ws)] if ws else [])
    return map(b" ".join, zip(*(ws[i:] for i in range(SHINGLE))))


def shingles(text: str) -> set[bytes]:
    """The text's word 5-shingles (the whole text when it has fewer words)."""
    return set(_grams(words(text)))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finalizer datasketch applies to each hash before permuting."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(text: str) -> np.ndarray | None:
    """The 128 MinHash values (uint32) of the text; None when it has no words."""
    ws = words(text)
    if not ws:
        return None
    # a shingle seen twice gives the same minimum: no need to drop repeats
    digests = b"".join(map(_digest, map(_sha1, _grams(ws))))
    hashed = np.frombuffer(digests, dtype="<u4")[::5]  # the first 4 bytes of each
    a, b = permutations()
    values = a * _fmix32(hashed)  # permutations x shingles
    values += b
    return values.min(axis=1)


def signature(text: str) -> TextSignature | None:
    """The text's signature for the document contract; None when it has no words."""
    values = minhash(text)
    if values is None:
        return None
    return TextSignature(scheme=SCHEME, minhash=encode(values))


def encode(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def decode(sig: TextSignature) -> np.ndarray | None:
    """The values of a signature made the way this module makes them, else None (a
    signature of another scheme must be computed again, not compared)."""
    if sig.scheme != SCHEME:
        return None
    data = base64.b64decode(sig.minhash)
    if len(data) != 4 * NUM_PERM:
        return None
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def empty() -> np.ndarray:
    """The values of a text without words (datasketch's empty MinHash)."""
    return np.full(NUM_PERM, _MAX, dtype=np.uint32)
