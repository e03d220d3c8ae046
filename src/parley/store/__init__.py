"""The event store: coded reports, their events fused across reports, and queries.

``open_store(db)`` opens (creating or upgrading) a SQLite file or a PostgreSQL
database; ``parley.store.writer.ingest`` stores coded articles one transaction per
batch; ``parley.store.queries`` is the read side every view renders.
"""

from parley.store.db import Store, open_store, resolve_url

__all__ = ["Store", "open_store", "resolve_url"]
