"""Actors: who is mentioned (``detect``) and who a noun phrase refers to (``resolve``).

The ``actors`` stage assigns ``actors``, an ``ActorTable`` of name mentions and person
identities; later stages resolve noun phrases against it with a ``Resolver``.
"""

from __future__ import annotations

from dataclasses import replace

from parley.actors.detect import detect
from parley.actors.resolve import Resolver
from parley.model import Work


class Actors:
    name = "actors"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("actors",)

    def __call__(self, work: Work) -> Work:
        return replace(work, actors=detect(work.doc, work.knowledge, work.published))


def resolver(work: Work) -> Resolver:
    """A resolver over the work's parse and actor table."""
    assert work.actors is not None
    return Resolver(work.doc, work.actors, work.knowledge, work.published)


__all__ = ["Actors", "Resolver", "detect", "resolver"]
