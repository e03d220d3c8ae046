"""``make train``: fit the learned coder's models on the corpus train split.

    python -m parley.learn.train [--corpus corpus] [--out src/parley/data/models]
                                 [--exclude-ids FILE] [--smoke N]

1. Code the train articles with the rule stages up to ``places`` (the candidate
   generator), keeping every candidate.
2. Label each candidate from the gold annotations: the type of the gold event whose
   trigger it overlaps (else, for a gold event no candidate's trigger reaches, the
   best candidate of that type in its sentence), or NONE; its gold factuality and
   background flag; and, for every actor mention that could take part, the gold role.
3. Fit four gradient-boosted models (scikit-learn, fixed seeds): event type (17
   classes), factuality (5), background (2) and argument role (4). Per-lemma statistics
   enter as features, computed out of fold for the training rows.
4. Calibrate the event probability on out-of-fold predictions (isotonic), choose the
   default ``--min-confidence`` on the dev split, and write ``coder.npz`` and
   ``coder.json``.

scikit-learn is needed here only (``pip install -r requirements-dev.lock``); running
Parley reads the exported arrays with numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from parley.eval.corpus import as_article, load_corpus, split_of
from parley.knowledge.lexicon import LEARNED_FILE
from parley.learn import features as F
from parley.learn.models import EVENT_CLASSES, Calibration, Models, save_models
from parley.model import ActorRef, Candidate, Work

ROOT = Path(__file__).resolve().parents[3]
SEED = 20261201
FOLDS = 5
KEEP = 0.2  # candidates less likely than this to be a real event are dropped
REAL_WEIGHT = 3.0  # a real news article (VOA) counts this many written ones
PARAMS = {"max_iter": 200, "learning_rate": 0.06, "max_leaf_nodes": 15, "max_depth": 6,
          "l2_regularization": 1.0, "min_samples_leaf": 20, "early_stopping": False}


# -- candidates and labels ----------------------------------------------------------------


def _stages() -> tuple[list[Any], list[Any]]:
    """The rule stages before ``link``: those that parse (clean, parse, actors) and those
    that generate candidates from the parse (extract, dates, places)."""
    from parley.pipeline import default_stages

    stages = default_stages()
    names = [s.name for s in stages]
    before = stages[: names.index("link")]
    cut = names.index("extract")
    return before[:cut], before[cut:]


def parse(articles: Sequence[dict]) -> list[Work]:
    """Every article as a parsed Work record (with its actor mentions)."""
    from parley.knowledge import default_knowledge
    from parley.pipeline import _through

    knowledge = default_knowledge()
    works: Iterable[Work] = (Work(article=as_article(a), knowledge=knowledge)
                             for a in articles)
    for stage in _stages()[0]:
        works = _through(stage, works)
    return list(works)


def generate(works: Sequence[Work], knowledge: Any = None) -> list[Work]:
    """The candidates of parsed works (with another ``knowledge``, e.g. a fold's
    lexicon, if given)."""
    from dataclasses import replace

    from parley.pipeline import _through

    out: Iterable[Work] = (replace(w, knowledge=knowledge) if knowledge is not None else w
                           for w in works)
    for stage in _stages()[1]:
        out = _through(stage, out)
    return list(out)


# -- the learned lexicon layer ------------------------------------------------------------

MIN_HITS = 2  # gold triggers (in at least two articles)
MIN_PRECISION = 0.1  # share of the word's occurrences that were gold triggers
_LEARNED_POS = {"VERB": "verbs", "NOUN": "nouns", "PROPN": "nouns", "ADJ": "adjectives"}


def _root(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def learn_triggers(works: Sequence[Work], golds: Sequence[dict], hand: Any) -> dict:
    """The learned lexicon layer: words heading gold triggers (``MIN_HITS`` times, in two
    articles or more, ``MIN_PRECISION`` of their occurrences) that the hand lexicon
    ``hand`` does not list, each under its most frequent gold type, weighted by that
    share."""
    from collections import Counter, defaultdict

    occ: Counter[tuple[str, str]] = Counter()
    hits: Counter[tuple[str, str]] = Counter()
    types: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    modes: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], set[str]] = defaultdict(set)

    def key(tok: Any) -> tuple[str, str] | None:
        part = _LEARNED_POS.get(tok.pos_)
        lemma = tok.lemma_.lower()
        return (lemma, part) if part and lemma.isalpha() and len(lemma) > 2 else None

    for w, g in zip(works, golds, strict=True):
        doc = w.doc
        for tok in doc:
            k = key(tok)
            if k is not None:
                occ[k] += 1
        seen: set[int] = set()
        for e in g["events"]:
            for t in e["triggers"]:
                tok = _root(doc, t["start"], t["end"])
                if tok is None or tok.i in seen or (k := key(tok)) is None:
                    continue
                seen.add(tok.i)
                hits[k] += 1
                types[k][e["type"]] += 1
                where[k].add(g["id"])
                if e.get("mode"):
                    modes[(*k, e["type"])][e["mode"]] += 1
    layer: dict[str, Any] = {"_origin": "learned"}
    for k, n in sorted(hits.items()):
        lemma, part = k
        listed = getattr(hand, part).get(lemma) or hand.phrases.get(lemma)
        if (n < MIN_HITS or len(where[k]) < 2 or n / occ[k] < MIN_PRECISION or listed
                or lemma in hand.exclude):
            continue
        etype = types[k].most_common(1)[0][0]
        entry: dict[str, Any] = {"weight": round(n / occ[k], 3)}
        mode = modes[(*k, etype)].most_common(1)
        if mode and mode[0][1] * 2 > types[k][etype]:
            entry["mode"] = mode[0][0]
        layer.setdefault(etype, {}).setdefault(part, {})[lemma] = entry
    return layer


def fold_knowledge(base: Any, layer: dict | None) -> Any:
    """``base`` with its lexicon rebuilt with ``layer`` as the learned layer (none if
    None)."""
    from parley.knowledge import loader
    from parley.knowledge.lexicon import build_lexicon

    learned = loader.Layer("triggers_learned (training)", layer, True) if layer else False
    return base.with_parts(lexicon=build_lexicon(base.settings, learned=learned))


def write_layer(layer: dict, path: Path, info: dict) -> None:
    import yaml

    head = ("# The learned trigger layer, written by `make train` (parley.learn.train) from\n"
            "# the corpus train split: words heading gold triggers that the hand lexicon\n"
            "# (triggers.yaml) does not list. weight = share of the word's occurrences that\n"
            "# were triggers. The learned scorer decides on every candidate they make.\n"
            f"# corpus train sha {info['corpus_train_sha']}, {info['train_articles']} articles\n")
    path.write_text(head + yaml.safe_dump(layer, sort_keys=True, allow_unicode=True), "utf-8")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def label_candidates(cands: Sequence[Candidate], gold: dict) -> list[dict | None]:
    """The gold event each candidate stands for (None: not an event)."""
    events = gold["events"]
    out: list[dict | None] = [None] * len(cands)
    covered: set[str] = set()
    for i, c in enumerate(cands):
        span = (c.trigger_start, c.trigger_end)
        best = None
        for g in events:
            if any(_overlap(span, (t["start"], t["end"])) for t in g["triggers"]):
                # the same type wins over another gold event on the same words
                if best is None or (g["type"] == c.type and best["type"] != c.type):
                    best = g
        out[i] = best
        if best is not None:
            covered.add(best["id"])
    for g in events:
        if g["id"] in covered:
            continue
        gspans = [(t["start"], t["end"]) for t in g["triggers"]]
        for i, c in enumerate(cands):
            if out[i] is None and (c.type == g["type"] or c.type in g["alt"]) and any(
                    _overlap((c.sent_start, c.sent_end), s) for s in gspans):
                out[i] = g
                covered.add(g["id"])
                break
    return out


def gold_role(ref: ActorRef, head: Any, gold: dict | None, sentence: tuple[int, int]) -> str:
    """The gold role of an actor mention in a gold event ("none" if it takes no part)."""
    if gold is None:
        return "none"
    span = (ref.start, ref.end)
    for p in gold["participants"]:
        spans = [(p["span"]["start"], p["span"]["end"])]
        if p.get("via"):
            spans.append((p["via"]["start"], p["via"]["end"]))
        if any(_overlap(span, s) for s in spans):
            return p["role"]
    for p in gold["participants"]:
        same_entity = p["entity"] and ref.kb_id == p["entity"]
        same_country = (p["country"] and ref.country == p["country"] and ref.kind == p["kind"]
                        and sentence[0] <= ref.start < sentence[1])
        if same_entity or same_country:
            return p["role"]
    return "none"


# -- datasets -----------------------------------------------------------------------------


@dataclass
class Dataset:
    event_x: list[list[float]] = field(default_factory=list)
    event_y: list[int] = field(default_factory=list)
    event_group: list[int] = field(default_factory=list)
    event_correct: list[int] = field(default_factory=list)  # gold asserted current event
    fact_x: list[list[float]] = field(default_factory=list)
    fact_y: list[int] = field(default_factory=list)
    timing_x: list[list[float]] = field(default_factory=list)
    timing_y: list[int] = field(default_factory=list)
    link_x: list[list[float]] = field(default_factory=list)
    link_y: list[int] = field(default_factory=list)
    # per row: the weight of the row's article (real news can count more than written)
    event_w: list[float] = field(default_factory=list)
    fact_w: list[float] = field(default_factory=list)
    link_w: list[float] = field(default_factory=list)


def lemma_stats(works: Sequence[Work], labels: Sequence[list[dict | None]],
                keep: set[int] | None = None) -> F.LemmaStats:
    stats = F.LemmaStats()
    n = real = 0
    for i, (w, labs) in enumerate(zip(works, labels, strict=True)):
        if keep is not None and i not in keep:
            continue
        for c, g in zip(w.candidates or (), labs, strict=True):
            lab = g["type"] if g is not None else "NONE"
            for key in (F.lemma_key(w.doc, c), F.governor_key(w.doc, c)):
                stats.add(key, lab, g["factuality"] if g else None,
                          bool(g and g["background"]))
            n += 1
            real += g is not None
    stats.prior_real = real / n if n else 0.3
    return stats


def build(works: Sequence[Work], golds: Sequence[dict], *, fold_of: Sequence[int],
          weights: Sequence[float] | None = None) -> tuple[Dataset, list[list[dict | None]]]:
    from parley.actors import resolver as make_resolver
    from parley.learn.coder import link_candidates

    labels = [label_candidates(w.candidates or (), g) for w, g in zip(works, golds, strict=True)]
    fold_stats = [lemma_stats(works, labels, {i for i, f in enumerate(fold_of) if f != k})
                  for k in range(FOLDS)]
    data = Dataset()
    for i, (w, labs) in enumerate(zip(works, labels, strict=True)):
        cands = w.candidates or ()
        if not cands:
            continue
        stats = fold_stats[fold_of[i]]
        weight = weights[i] if weights is not None else 1.0
        ctx = F.doc_context(w, cands)
        res = make_resolver(w)
        cues = w.knowledge.cues
        for c, lab in zip(cands, labs, strict=True):
            data.event_x.append(F.event_features(ctx, c, stats))
            # 0 = not an event, else 1 + the index of the gold type
            y = EVENT_CLASSES.index(lab["type"]) + 1 if lab is not None else 0
            data.event_y.append(y)
            data.event_group.append(i)
            data.event_w.append(weight)
            data.event_correct.append(int(lab is not None and lab["factuality"] == "asserted"
                                          and not lab["background"]))
            if lab is None:
                continue
            typed = c if c.type == lab["type"] else _retype(c, lab["type"])
            data.fact_x.append(F.factuality_features(ctx, typed, stats, cues))
            data.fact_y.append(F.FACTS.index(lab["factuality"]))
            data.timing_x.append(F.timing_features(ctx, typed, stats))
            data.timing_y.append(int(lab["background"]))
            data.fact_w.append(weight)
            info = w.knowledge.plover.types[typed.type]
            options = link_candidates(w, typed, res, ctx)
            countries = [r.country for r, _, _ in options]
            for ref, head, rule in options:
                data.link_x.append(F.link_features(
                    ctx, typed, ref, head, rule_role=rule, symmetric=info.symmetric,
                    preps=info.recipient_prepositions, n_in_sentence=len(options),
                    countries=countries))
                role = gold_role(ref, head, lab, (c.sent_start, c.sent_end))
                data.link_y.append(F.LINK_ROLES.index(role))
                data.link_w.append(weight)
    return data, labels


def pair_dataset(works: Sequence[Work], golds: Sequence[dict], models: Models
                 ) -> tuple[list[list[float]], list[int]]:
    """Same-event pairs among the candidates the learned stages keep (run in sample):
    1 when both stand for one gold event, 0 when they stand for two."""
    from dataclasses import replace

    from parley.fuse.document import shared_participants
    from parley.learn.coder import Link, Score, pair_rows

    x: list[list[float]] = []
    y: list[int] = []
    with_models: dict[int, Any] = {}
    link, score = Link(), Score()
    for w, g in zip(works, golds, strict=True):
        k = with_models.setdefault(id(w.knowledge), w.knowledge.with_parts(models=models))
        w = score(link(replace(w, knowledge=k)))
        cands = w.candidates or ()
        labels = label_candidates(cands, g)
        pairs, rows = pair_rows(w, cands, shared_participants)
        for (i, j), row in zip(pairs, rows, strict=True):
            gi, gj = labels[i], labels[j]
            if gi is None or gj is None:
                continue
            x.append(row)
            y.append(int(gi["id"] == gj["id"]))
    return x, y


def _retype(c: Candidate, etype: str) -> Candidate:
    from dataclasses import replace

    return replace(c, type=etype)


# -- fitting ------------------------------------------------------------------------------


def fit(x: Any, y: Any, *, seed: int = SEED, weight: Any = None, **overrides: Any) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    params = {**PARAMS, **overrides}
    model = HistGradientBoostingClassifier(random_state=seed, **params)
    model.fit(np.asarray(x, dtype=np.float64), np.asarray(y),
              sample_weight=None if weight is None else np.asarray(weight, dtype=np.float64))
    return model


def calibrate(scores: np.ndarray, correct: np.ndarray) -> Calibration:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(scores, correct)
    xs = np.linspace(0.0, 1.0, 41)
    ys = iso.predict(xs)
    return Calibration(tuple(round(float(v), 4) for v in xs),
                       tuple(round(float(v), 4) for v in ys))


def corpus_hash(articles: Sequence[dict]) -> str:
    h = hashlib.sha256()
    for a in sorted(articles, key=lambda a: a["id"]):
        h.update(json.dumps(a, sort_keys=True).encode("utf-8"))
    return h.hexdigest()[:16]


def train(corpus: Path, out: Path, *, exclude: frozenset[str] | set[str] = frozenset(),
          smoke: int = 0, choose_threshold: bool = True, fast: bool = False,
          real_weight: float = REAL_WEIGHT, log: Any = print) -> Models:
    from parley.learn.forest import export

    t0 = time.perf_counter()
    articles = [a for a in load_corpus(corpus, split="train") if a["id"] not in exclude]
    if smoke:
        articles = articles[:smoke]
    log(f"train: {len(articles)} articles")
    parsed = parse(articles)
    base = parsed[0].knowledge
    hand = fold_knowledge(base, None).lexicon
    fold_of = [int(hashlib.sha256(a["id"].encode()).hexdigest()[:6], 16) % FOLDS
               for a in articles]
    # each fold's candidates come from a learned layer that did not see the fold, so the
    # scorer learns how far to trust learned words on articles they were not learned from
    works: list[Work] = list(parsed)
    for k in range(FOLDS):
        inside = [i for i, f in enumerate(fold_of) if f != k]
        outside = [i for i, f in enumerate(fold_of) if f == k]
        layer_k = learn_triggers([parsed[i] for i in inside], [articles[i] for i in inside],
                                 hand)
        fold_works = generate([parsed[i] for i in outside], fold_knowledge(base, layer_k))
        for i, w in zip(outside, fold_works, strict=True):
            works[i] = w
    layer = learn_triggers(parsed, articles, hand)
    n_words = sum(len(words) for etype, parts in layer.items() if etype != "_origin"
                  for words in parts.values())
    log(f"train: learned layer of {n_words} words ({time.perf_counter() - t0:.0f} s)")
    weights = [real_weight if a["source"] != "parley" else 1.0 for a in articles]
    data, labels = build(works, articles, fold_of=fold_of, weights=weights)
    log(f"train: {len(data.event_y)} candidates, {len(data.fact_y)} events, "
        f"{len(data.link_y)} participant options ({time.perf_counter() - t0:.0f} s)")
    params: dict[str, Any] = {"max_iter": 40} if smoke else {}
    ex, ey = np.asarray(data.event_x, dtype=np.float64), np.asarray(data.event_y)
    ew = np.asarray(data.event_w)
    real_rows = ey > 0
    increasing = [1 if n in F.EVENT_INCREASING else 0 for n in F.EVENT_NAMES]
    event = fit(ex, (ey > 0).astype(int), weight=ew, monotonic_cst=increasing, **params)
    etype = fit(ex[real_rows], ey[real_rows] - 1, weight=ew[real_rows], **params)
    fact = fit(data.fact_x, data.fact_y, weight=data.fact_w, **params)
    timing = fit(data.timing_x, data.timing_y, weight=data.fact_w, **params)
    link = fit(data.link_x, data.link_y, weight=data.link_w, **params)
    stats = lemma_stats(works, labels)
    draft = Models(event=export(event), etype=export(etype), fact=export(fact),
                   timing=export(timing), link=export(link), pair=export(event), stats=stats,
                   calibration=Calibration(), thresholds={"keep": KEEP})
    pair_x, pair_y = pair_dataset(works, articles, draft)
    pair = fit(pair_x, pair_y, **params)
    log(f"train: models fitted, {len(pair_y)} mention pairs "
        f"({time.perf_counter() - t0:.0f} s)")
    # out-of-fold scores for calibration (the same folds as the lemma statistics): the
    # score is P(real) x P(type); it is right when the candidate is a current, asserted
    # gold event of the type chosen
    groups = np.asarray([fold_of[g] for g in data.event_group])
    oof = np.zeros(len(ey))
    oof_type = np.zeros(len(ey), dtype=int)
    for k in range(FOLDS if not (smoke or fast) else 0):
        train_rows, test_rows = groups != k, groups == k
        m_real = fit(ex[train_rows], (ey[train_rows] > 0).astype(int), weight=ew[train_rows],
                     monotonic_cst=increasing, **params)
        both = train_rows & real_rows
        m_type = fit(ex[both], ey[both] - 1, weight=ew[both], **params)
        p_real = m_real.predict_proba(ex[test_rows])[:, 1]
        p_type = np.zeros((int(test_rows.sum()), len(EVENT_CLASSES)))
        p_type[:, m_type.classes_] = m_type.predict_proba(ex[test_rows])
        oof[test_rows] = p_real * p_type.max(axis=1)
        oof_type[test_rows] = p_type.argmax(axis=1)
    correct = (np.asarray(data.event_correct) == 1) & (ey - 1 == oof_type)
    cal = calibrate(oof, correct.astype(float)) if not (smoke or fast) else Calibration()
    models = Models(event=export(event), etype=export(etype), fact=export(fact),
                    timing=export(timing), link=export(link), pair=export(pair), stats=stats,
                    calibration=cal,
                    thresholds={"keep": KEEP, "min_confidence": 0.0, "same_event": 0.5},
                    info={"corpus_train_sha": corpus_hash(articles),
                          "train_articles": len(articles), "seed": SEED,
                          "candidates": len(data.event_y), "params": PARAMS})
    out.mkdir(parents=True, exist_ok=True)
    write_layer(layer, out / LEARNED_FILE, models.info)
    if choose_threshold and not (smoke or fast):
        models = _choose_threshold(models, corpus, out, log, exclude)
    save_models(models, out)
    log(f"train: wrote {out} ({time.perf_counter() - t0:.0f} s)")
    return models


def _choose_threshold(models: Models, corpus: Path, out: Path, log: Any,
                      exclude: frozenset[str] | set[str] = frozenset()) -> Models:
    """The pair model's ``same_event`` threshold and the ``--min-confidence`` default,
    chosen on the dev split: the pair threshold by asserted-event F1, the confidence floor
    by F0.5, which weighs precision twice as much as recall (analysts sign rows, they do
    not hunt for them). Articles in ``exclude`` are left out of dev too."""
    from dataclasses import replace

    from parley.eval.corpus import score
    from parley.fuse.document import Fuse
    from parley.knowledge import Knowledge, default_knowledge
    from parley.pipeline import _through, default_stages

    dev = [a for a in load_corpus(corpus, split="dev") if a["id"] not in exclude]
    base = default_knowledge()
    knowledge = Knowledge(base.settings.with_(models_dir=str(out))).with_parts(
        models=replace(models, thresholds={**models.thresholds, "min_confidence": 0.0}))
    stages = default_stages(min_confidence=0.0)
    works: Iterable[Work] = (Work(article=as_article(a), knowledge=knowledge) for a in dev)
    for stage in stages[:-1]:  # everything but fuse: coded once
        works = _through(stage, works)
    scored = list(works)

    def fuse_all(same_event: float) -> list[Any]:
        k = knowledge.with_parts(models=replace(
            models, thresholds={**models.thresholds, "min_confidence": 0.0,
                                "same_event": same_event}))
        fuse = Fuse(min_confidence=0.0)
        return [fuse(replace(w, knowledge=k)).document for w in scored]

    best_pair = (-1.0, 0.5)
    for t in np.arange(0.2, 0.75, 0.05):
        r = score(dev, fuse_all(float(t)))
        log(f"  same_event {t:.2f}: P {r.asserted.precision:.3f} R {r.asserted.recall:.3f}"
            f" F1 {r.asserted.f1:.3f}")
        if r.asserted.f1 > best_pair[0]:
            best_pair = (r.asserted.f1, float(round(t, 2)))
    docs = fuse_all(best_pair[1])
    best = (-1.0, 0.0)
    for t in np.arange(0.0, 0.8, 0.025):
        kept = [d.model_copy(update={"events": [e for e in d.events if e.confidence >= t]})
                for d in docs]
        r = score(dev, kept)
        p, rc = r.asserted.precision, r.asserted.recall
        f = 1.25 * p * rc / (0.25 * p + rc) if p + rc else 0.0  # F0.5: precision first
        log(f"  min_confidence {t:.3f}: P {r.asserted.precision:.3f} R {r.asserted.recall:.3f}"
            f" F1 {r.asserted.f1:.3f}")
        if f > best[0]:
            best = (f, float(round(t, 3)))
    log(f"train: same_event {best_pair[1]}, min_confidence {best[1]} (chosen on dev)")
    return replace(models, thresholds={**models.thresholds, "same_event": best_pair[1],
                                       "min_confidence": best[1]})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "parley" / "data" / "models")
    ap.add_argument("--exclude-ids", type=Path,
                    help="a file of article ids to leave out (of training and of the dev "
                         "articles the thresholds are chosen on)")
    ap.add_argument("--smoke", type=int, default=0, metavar="N",
                    help="a quick run on N articles with small models (for CI)")
    ap.add_argument("--no-threshold", action="store_true",
                    help="do not choose min_confidence on dev")
    ap.add_argument("--real-weight", type=float, default=REAL_WEIGHT,
                    help="weight of a real news article against a written one")
    ap.add_argument("--fast", action="store_true",
                    help="no calibration and no thresholds (for experiments)")
    ap.add_argument("--tune-only", action="store_true",
                    help="keep the models in --out and only choose their thresholds on dev")
    args = ap.parse_args(argv)
    if args.tune_only:
        from parley.learn.models import load_models

        found = load_models(args.out)
        if found is None:
            ap.error(f"no models in {args.out}")
        save_models(_choose_threshold(found, args.corpus, args.out, print), args.out)
        return 0
    exclude = set(args.exclude_ids.read_text("utf-8").split()) if args.exclude_ids else set()
    train(args.corpus, args.out, exclude=exclude, smoke=args.smoke,
          choose_threshold=not args.no_threshold, fast=args.fast,
          real_weight=args.real_weight)
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["split_of", "train"]
