"""Scale: code many articles at once, in local worker processes or on Ray.

``code_parallel`` runs the whole pipeline (not just spaCy) in forked workers;
``parley batch`` (``scale.commands``) writes a corpus to Parquet with either engine;
``read_batch_output`` loads such an output folder back as ``Document`` records.
"""

from __future__ import annotations

from parley.scale.local import CodingFailed, ParallelStats, code_parallel, code_parallel_pairs
from parley.scale.output import read_batch_output, read_batch_records, write_batch_output

__all__ = [
    "CodingFailed",
    "ParallelStats",
    "code_parallel",
    "code_parallel_pairs",
    "read_batch_output",
    "read_batch_records",
    "write_batch_output",
]
