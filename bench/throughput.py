"""Throughput of Parley against spaCy alone, and the cold start of `parley code`.

    python bench/throughput.py --workers 1
    python bench/throughput.py --workers 2 --articles 2000 --repeat 3 --json

On the Voice of America stories in ../shared/data/voa_stories.jsonl (89 stories,
repeated with distinct ids up to --articles), one run measures:

  (a) spaCy alone: `nlp.pipe` over the same texts, with the same pipeline Parley loads
      (`parley.parse.get_nlp(name)`, including its paragraph component) and
      `n_process=--workers`;
  (b) Parley's full code path: `parley.scale.code_parallel(workers=--workers)`;

and prints articles/s, words/s, CPU seconds, the peak resident memory of each worker
and the ratio (b)/(a). Both measurements start with everything loaded in this process
(the workers are forked from it), so they time steady-state coding, not loading; the
cold start is timed separately as a fresh `python -m parley code FILE --format json`.
With --repeat R, (a) and (b) alternate R times and the best and median are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))

# issue 17's targets (docs/performance.md compares each run with them)
TARGETS = {
    "ratio_w1": 2.0,  # (b)/(a) with one worker
    "speedup_w2": 1.7,  # 2 workers vs 1, articles/s
    "articles_per_s_per_core": 15.0,
    "peak_rss_mb": 600,  # per worker
    "cold_code_s": 1.0,  # warm cache, best of 3
}


# -- inputs and machine ---------------------------------------------------------------

def load_articles(path: Path, n: int) -> list:
    from parley.ingest.readers import normalise_date
    from parley.model import Article

    stories = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    out = []
    for i in range(n):
        s = stories[i % len(stories)]
        rep = i // len(stories)
        out.append(Article(id=f"{s['id']}-r{rep}", text=s["text"], title=s.get("title"),
                           url=s.get("url"),
                           published=normalise_date(s.get("published"), source=str(path)),
                           source=f"{path.name}:{i % len(stories) + 1}"))
    return out


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    import spacy

    from parley.settings import load_settings

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": mem_gb,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "spacy_model": load_settings().spacy_model,
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- measurements ---------------------------------------------------------------------

def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure_spacy(texts: list[str], workers: int, batch_size: int) -> dict:
    from parley.parse.nlp import get_nlp
    from parley.settings import load_settings

    nlp = get_nlp(load_settings().spacy_model)
    tokens = 0
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
        tokens += len(doc)
    wall = time.perf_counter() - t0
    return {"seconds": wall, "cpu_seconds": _cpu_seconds() - cpu0, "tokens": tokens}


def measure_parley(articles: list, workers: int, batch_size: int) -> dict:
    from parley.scale import ParallelStats, code_parallel

    stats = ParallelStats()
    events = docs = 0
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    for doc in code_parallel(articles, workers=workers, batch_size=batch_size, stats=stats):
        docs += 1
        events += len(doc.events)
    wall = time.perf_counter() - t0
    return {"seconds": wall, "cpu_seconds": _cpu_seconds() - cpu0, "documents": docs,
            "events": events, "worker_peak_rss_kb": dict(stats.peak_rss_kb)}


def measure_cold(story: dict, runs: int) -> dict:
    """Wall time of a fresh `python -m parley code FILE --format json` until its output
    is complete (standard output closed), with an empty and then a built cache."""
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        src = Path(tmp) / "story.txt"
        src.write_text(story["text"], encoding="utf-8")
        env = dict(os.environ, PARLEY_CACHE_DIR=str(Path(tmp) / "cache"))
        cmd = [sys.executable, "-m", "parley", "code", str(src), "--format", "json",
               "--published", story["published"][:10]]

        def once() -> tuple[float, int]:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    env=env, cwd=tmp)
            out, err = proc.communicate()
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                raise RuntimeError(f"parley code failed ({proc.returncode}): "
                                   f"{err.decode(errors='replace')[-500:]}")
            return wall, len(json.loads(out)["events"])

        first, events = once()  # builds the KB and lexicon caches in the empty cache dir
        warm = [once()[0] for _ in range(runs)]
    return {"first_run_empty_cache_s": first, "runs_s": warm, "best_s": min(warm),
            "median_s": statistics.median(warm), "events": events}


def profile_parley(articles: list, batch_size: int, top: int) -> str:
    """cProfile of the in-process code path: where Parley's own time goes."""
    import cProfile
    import io
    import pstats

    from parley.pipeline import code_articles

    prof = cProfile.Profile()
    prof.enable()
    for _ in code_articles(articles, batch_size=batch_size):
        pass
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(r"parley/", top)
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# -- report ---------------------------------------------------------------------------

def _best_median(runs: list[dict], n: int, words: int) -> dict:
    rates = sorted(n / r["seconds"] for r in runs)
    best = max(runs, key=lambda r: n / r["seconds"])
    return {
        "articles_per_s_best": max(rates),
        "articles_per_s_median": statistics.median(rates),
        "words_per_s_best": words / best["seconds"],
        "seconds_best": best["seconds"],
        "cpu_seconds_best": best["cpu_seconds"],
        "cpu_ms_per_article": 1000 * min(r["cpu_seconds"] for r in runs) / n,
        "runs_articles_per_s": [round(n / r["seconds"], 3) for r in runs],
    }


def main(argv: list[str] | None = None) -> int:
    from parley.parse import BATCH_SIZE

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    ap.add_argument("--repeat", type=int, default=1,
                    help="alternate (a) and (b) this many times; report best and median")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start timing")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also profile the in-process code path on N articles")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args(argv)

    stories_path = args.shared / "data" / "voa_stories.jsonl"
    if not stories_path.is_file():
        print(f"bench skipped: {stories_path} not found (pass --shared PATH or set "
              "PARLEY_SHARED)")
        return 0
    if args.workers < 1 or args.articles < 1 or args.repeat < 1:
        ap.error("--workers, --articles and --repeat must be at least 1")

    info = machine()
    articles = load_articles(stories_path, args.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    from parley.scale.local import peak_rss_kb, warm_up

    t0 = time.perf_counter()
    warm_up()  # loaded once here; forked workers (ours and spaCy's) inherit it
    load_s = time.perf_counter() - t0

    spacy_runs, parley_runs = [], []
    spacy_children_rss_kb = 0
    for i in range(args.repeat):
        if not args.json:
            print(f"run {i + 1}/{args.repeat}: spaCy alone ...", file=sys.stderr, flush=True)
        spacy_runs.append(measure_spacy(texts, args.workers, args.batch_size))
        if i == 0 and args.workers > 1:
            # only spaCy's worker processes have been waited for so far
            spacy_children_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if not args.json:
            print(f"run {i + 1}/{args.repeat}: Parley ...", file=sys.stderr, flush=True)
        parley_runs.append(measure_parley(articles, args.workers, args.batch_size))

    n = len(articles)
    a = _best_median(spacy_runs, n, words)
    b = _best_median(parley_runs, n, words)
    worker_rss: dict[int, int] = {}
    for r in parley_runs:
        for pid, kb in r["worker_peak_rss_kb"].items():
            worker_rss[pid] = max(kb, worker_rss.get(pid, 0))
    result = {
        "machine": info,
        "workers": args.workers,
        "articles": n,
        "words": words,
        "batch_size": args.batch_size,
        "repeat": args.repeat,
        "load_seconds": load_s,
        "spacy_alone": a,
        "parley": b,
        "ratio_best": b["articles_per_s_best"] / a["articles_per_s_best"],
        "ratio_median": b["articles_per_s_median"] / a["articles_per_s_median"],
        "events": parley_runs[0]["events"],
        "peak_rss_mb": {
            # one worker runs in this process: its peak includes the bench's own data
            "parley_per_worker": [round(kb / 1024) for kb in worker_rss.values()],
            "spacy_largest_child": round(spacy_children_rss_kb / 1024) or None,
            "this_process": round(peak_rss_kb() / 1024),
        },
        "load_avg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    if not args.no_cold:
        if not args.json:
            print("cold `parley code` ...", file=sys.stderr, flush=True)
        story = json.loads(stories_path.read_text("utf-8").splitlines()[0])
        result["cold_code"] = measure_cold(story, args.cold_runs)
    if args.profile:
        result["profile"] = profile_parley(articles[: args.profile], args.batch_size, 30)

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


def print_report(r: dict) -> None:
    m, a, b = r["machine"], r["spacy_alone"], r["parley"]
    print(f"machine   {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; Python "
          f"{m['python']}, spaCy {m['spacy']} ({m['spacy_model']}); load average "
          f"{m['load_avg_at_start']} at start, {r['load_avg_at_end']} at end")
    print(f"corpus    {r['articles']} articles (VOA stories repeated), {r['words']:,} words; "
          f"batch size {r['batch_size']}; {r['workers']} worker(s); best of {r['repeat']}")
    print(f"loading   {r['load_seconds']:.2f} s (spaCy, KB, gazetteer, lexicon; not in the "
          "rates below)")
    for label, x in (("(a) spaCy alone", a), ("(b) Parley", b)):
        print(f"{label:16} {x['articles_per_s_best']:7.2f} articles/s "
              f"(median {x['articles_per_s_median']:.2f})  {x['words_per_s_best']:8,.0f} "
              f"words/s  {x['cpu_ms_per_article']:6.1f} CPU ms/article  runs "
              f"{x['runs_articles_per_s']}")
    print(f"ratio     (b)/(a) = {r['ratio_best']:.3f} (best), {r['ratio_median']:.3f} "
          f"(median); {r['events']} events")
    rss = r["peak_rss_mb"]
    print(f"peak RSS  Parley per worker {rss['parley_per_worker']} MB; spaCy's largest "
          f"child {rss['spacy_largest_child']} MB; this process {rss['this_process']} MB "
          "(VmHWM: includes pages shared with the parent)")
    if "cold_code" in r:
        c = r["cold_code"]
        print(f"cold      `python -m parley code FILE --format json`: {c['best_s']:.2f} s best, "
              f"{c['median_s']:.2f} s median of {len(c['runs_s'])}; first run with an empty "
              f"cache {c['first_run_empty_cache_s']:.2f} s; {c['events']} events")
    if "profile" in r:
        print(r["profile"])


if __name__ == "__main__":
    sys.exit(main())
