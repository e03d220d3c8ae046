"""Archive-wide aggregates kept between requests until the store changes.

The top pairs of the overview and the dyad page, and the actor choices of the dyad
picker, read the whole archive (a few hundred milliseconds on 10,000 articles) and are
the same for every request until an ingest writes. ``cached`` keys each result by the
store's version (``queries.store_version``: the highest ids of the appended tables), so
a write is seen at the next request; at most ``MAX_ENTRIES`` results are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Connection

from parley.store import queries

T = TypeVar("T")
MAX_ENTRIES = 64


class AggregateCache:
    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
        full = (queries.store_version(conn), key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
        value = compute()
        with self._lock:
            self._items[full] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def cached(request: Request, conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier request on the same store version."""
    cache: AggregateCache = request.app.state.cache
    return cache.get(conn, key, compute)
