"""``parley batch --engine ray``: the same coding on Ray Data actors.

Ray is an optional extra (``pip install 'parley[ray]'``, ~600 MB). Each actor of the
pool is a ``ParleyCoder``: it loads spaCy, the knowledge base, the gazetteer and the
lexicon once in ``__init__`` and then codes batches of articles with
``parley.pipeline.code_batch`` — the same function the local engine runs, so both
engines give the same documents. Results stream back to the driver in input order.

Without an address Ray starts a private local instance: no dashboard, no usage
statistics, its session files under a fresh temporary folder that is removed after.
With ``--address`` the run joins an existing cluster (``ray start --head``), whose
nodes must have Parley installed.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from parley.errors import CodingFailed, ParleyError
from parley.model import Article, Document
from parley.parse import BATCH_SIZE


class RayUnavailable(ParleyError):
    code = "E051"


class RayFailed(ParleyError):
    """Ray itself failed (could not start, lost an actor, cluster unreachable)."""

    code = "E052"


def require_ray() -> None:
    """Raise ``RayUnavailable`` (one clear line) when the ``ray`` extra is missing."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        raise RayUnavailable(
            "--engine ray needs Ray, an optional extra: pip install 'parley[ray]' "
            "(or pip install --require-hashes -r requirements-ray.lock)",
            source="ray") from None


class ParleyCoder:
    """A stateful Ray Data UDF: one per actor, the pipeline loaded once."""

    batch_size = BATCH_SIZE

    def __init__(self) -> None:
        from parley.scale.local import warm_up

        warm_up()

    def __call__(self, batch):  # pyarrow.Table -> pyarrow.Table
        import pyarrow as pa

        from parley.scale.local import code_chunk

        records = batch.to_pylist()
        results = code_chunk([Article.model_validate(r) for r in records], self.batch_size)
        return pa.table({
            "id": [r["id"] for r in records],
            "url": [r.get("url") for r in records],
            "source": [r.get("source") or "-" for r in records],
            "status": [status for status, _ in results],
            "value": [value for _, value in results],
        })


def _coder_class(batch_size: int) -> type[ParleyCoder]:
    # a subclass rather than constructor arguments: Ray keeps those in the object
    # store and logs an error about restarting such actors
    return type("ParleyCoder", (ParleyCoder,), {"batch_size": batch_size})


@contextmanager
def ray_session(*, address: str | None, workers: int) -> Iterator[None]:
    """Connect to ``address``, or start a private local Ray with ``workers`` CPUs."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    temp_dir = None
    # Ray's own notices (token mode, executor plans) are not Parley's output
    kwargs: dict = {"logging_level": logging.ERROR, "log_to_driver": False}
    # the actors read Parley's settings (user KB and lexicon, model, limits) from the
    # same PARLEY_* variables as this process, also on other nodes of a cluster
    env = {k: v for k, v in os.environ.items() if k.startswith("PARLEY_")}
    if env:
        kwargs["runtime_env"] = {"env_vars": env}
    if address:
        ray.init(address=address, **kwargs)
    else:
        # Ray's default for a new local instance is token authentication (the token
        # kept in ~/.ray/auth_token): keep it, without its notice on every run
        logging.getLogger("ray._private.authentication").setLevel(logging.ERROR)
        # short path: Ray puts unix sockets under it, and those are limited to 107 bytes
        temp_dir = tempfile.mkdtemp(prefix="parley-ray-", dir="/tmp")
        try:
            ray.init(num_cpus=workers, include_dashboard=False, _temp_dir=temp_dir,
                     **kwargs)
        except BaseException:
            shutil.rmtree(temp_dir, ignore_errors=True)
            raise
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    try:
        yield
    finally:
        ray.shutdown()
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)


def code_ray(articles: Iterable[Article], *, workers: int, batch_size: int = BATCH_SIZE,
             address: str | None = None,
             progress: Callable[[int], None] | None = None,
             on_error: Callable[[ParleyError], None] | None = None,
             ) -> Iterator[tuple[Article, Document]]:
    """Code ``articles`` on ``workers`` Ray actors; ``(article, document)`` in input order.

    The articles are handed to Ray as one in-memory dataset (``ray.data.from_items``),
    so the driver holds the input texts of a run.
    """
    require_ray()
    if workers < 1:
        raise ValueError("workers must be at least 1")
    items = [a.model_dump() for a in articles]
    if not items:
        return
    import ray.data
    from ray.data import DataContext

    # small inputs: smaller batches, so that every actor gets some
    batch_size = max(1, min(batch_size, -(-len(items) // workers)))
    with ray_session(address=address, workers=workers):
        ctx = DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.enable_auto_log_stats = False
        ds = ray.data.from_items(items, override_num_blocks=-(-len(items) // batch_size))
        # A private local Ray loses no nodes, so an actor that dies (out of memory)
        # should fail the run rather than be restarted; Ray also logs an error for
        # restartable actors whose constructor lives in the object store, as here.
        # (Ray 2.60 still reads max_restarts from the remote args it calls deprecated.)
        restarts: dict[str, Any] = {} if address else {"max_restarts": 0}
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated")
            coded = ds.map_batches(_coder_class(batch_size), batch_size=batch_size,
                                   batch_format="pyarrow", num_cpus=1,
                                   compute=ray.data.ActorPoolStrategy(size=workers), **restarts)
        for row in coded.iter_rows():
            if row["status"] == "ok":
                doc = Document.model_validate_json(row["value"])
                yield (Article(id=doc.id, text=doc.text, published=doc.published,
                               title=doc.title, url=row["url"], source=row["source"]), doc)
            else:
                err = CodingFailed(row["value"], source=row["source"])
                if on_error is None:
                    raise err
                on_error(err)
            if progress:
                progress(1)
