"""Features the learned coder reads: numbers only, computed from the parse, the
candidate, its participants, its date and its place in the article.

Four feature sets, one per model (documented in ``docs/coder.md``):

* ``event_features`` — is this candidate a real, codable event of this article, and of
  which type (17 classes: NONE and the 16 PLOVER types)?
* ``factuality_features`` — asserted, negated, hypothetical, planned or reported?
* ``timing_features`` — background (well before the news) or current?
* ``link_features`` — is this actor mention the actor, the recipient, a participant of
  the event, or none of them?

Lexical identity enters through per-lemma statistics learned from the training split
(``LemmaStats``: how often a lemma's candidates were real events, of which type, how
often asserted or background), not as raw categories. Every function returns a list in
the order of its ``*_NAMES`` tuple.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from parley.model import PLOVER_TYPES, ActorRef, Candidate
from parley.parse.nlp import QUOTES, in_quotes

FACTS = ("asserted", "negated", "hypothetical", "planned", "reported")
ORIGINS = ("lexicon", "intent", "demand", "learned")
KINDS = ("country", "person", "organisation", "group", "other")
POS = ("VERB", "NOUN", "PROPN", "ADJ", "AUX")
DEPS = ("ROOT", "ccomp", "xcomp", "advcl", "conj", "dobj", "pobj", "nsubj", "nsubjpass",
        "relcl", "acl", "amod", "compound", "pcomp", "attr")
TAGS = ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB", "NN", "NNS", "NNP", "MD")
ENTS = ("DATE", "ORG", "PERSON", "GPE", "EVENT", "NORP", "LAW", "FAC")
PRECISIONS = ("day", "week", "month", "year")
LINK_ROLES = ("none", "actor", "recipient", "participant")
CHILD_DEPS = ("nsubj", "nsubjpass", "dobj", "dative", "pobj", "agent", "poss", "amod",
              "compound", "conj", "appos", "attr", "npadvmod")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_SINCE_YEAR = re.compile(r"\bsince (?:19|20)\d\d\b", re.I)


def _says_any(text: str, phrases: tuple[str, ...]) -> bool:
    low = f" {text.lower()} "
    return any(f" {p} " in low for p in phrases)


def _onehot(value: object, options: tuple[str, ...]) -> list[float]:
    return [1.0 if value == o else 0.0 for o in options]


@dataclass
class LemmaStats:
    """Per (lemma, part of speech) of candidate triggers: counts from the training split."""

    total: dict[str, float] = field(default_factory=dict)
    real: dict[str, float] = field(default_factory=dict)
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    asserted: dict[str, float] = field(default_factory=dict)
    background: dict[str, float] = field(default_factory=dict)
    prior_real: float = 0.3

    def add(self, key: str, label: str, fact: str | None, background: bool) -> None:
        self.total[key] = self.total.get(key, 0.0) + 1
        if label != "NONE":
            self.real[key] = self.real.get(key, 0.0) + 1
            t = self.by_type.setdefault(key, {})
            t[label] = t.get(label, 0.0) + 1
            if fact == "asserted":
                self.asserted[key] = self.asserted.get(key, 0.0) + 1
            if background:
                self.background[key] = self.background.get(key, 0.0) + 1

    def features(self, key: str, etype: str) -> list[float]:
        n = self.total.get(key, 0.0)
        real = self.real.get(key, 0.0)
        a = 2.0  # smoothing towards the prior
        p_real = (real + a * self.prior_real) / (n + a)
        types = self.by_type.get(key, {})
        p_type = (types.get(etype, 0.0) + 0.5) / (real + 8.0)
        top = max(types.values(), default=0.0) / real if real else 0.0
        p_asserted = (self.asserted.get(key, 0.0) + 1.0) / (real + 1.5)
        p_bg = (self.background.get(key, 0.0) + 0.3) / (real + 2.0)
        return [math.log1p(n), p_real, p_type, top, p_asserted, p_bg]

    def type_shares(self, key: str) -> list[float]:
        """The smoothed share of each PLOVER type among the lemma's real candidates."""
        types = self.by_type.get(key, {})
        real = self.real.get(key, 0.0)
        return [(types.get(t, 0.0) + 0.1) / (real + 1.6) for t in PLOVER_TYPES]

    def to_json(self) -> dict:
        return {"total": self.total, "real": self.real, "by_type": self.by_type,
                "asserted": self.asserted, "background": self.background,
                "prior_real": self.prior_real}

    @classmethod
    def from_json(cls, d: dict) -> LemmaStats:
        return cls(total=d["total"], real=d["real"], by_type=d["by_type"],
                   asserted=d["asserted"], background=d["background"],
                   prior_real=d["prior_real"])


LEMMA_NAMES = ("lemma_log_count", "lemma_p_real", "lemma_p_type", "lemma_top_type_share",
               "lemma_p_asserted", "lemma_p_background")


def lemma_key(doc: Any, cand: Candidate) -> str:
    tok = doc[cand.head_i]
    return f"{tok.lemma_.lower()}/{tok.pos_}"


def governor_key(doc: Any, cand: Candidate) -> str:
    tok = doc[cand.head_i]
    head = tok.head
    return f"{head.lemma_.lower()}/{head.pos_}" if head.i != tok.i else "-/ROOT"


@dataclass
class DocContext:
    """What every candidate of one document shares (computed once per document)."""

    doc: Any
    sentences: list[Any]
    sent_of_token: list[int]
    published_ord: int | None
    kb_mentions_per_sent: list[int]
    n_candidates: int
    same_type_in_sent: dict[tuple[int, str], int]
    pub_year: int | None
    reporting: frozenset[str]
    governors: Any  # the factuality cue lists (negating, hypothetical ... governors)
    kb_tokens: frozenset[int] = frozenset()  # tokens of actor mentions the KB resolved
    durations: tuple[str, ...] = ()  # "for years", "has long": a state, not a dated event
    roles: Any = None  # the role-noun table ("soldiers", "lawmakers")


def doc_context(work: Any, candidates: tuple[Candidate, ...]) -> DocContext:
    doc = work.doc
    sents = list(doc.sents)
    index = [0] * len(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            index[i] = k
    kb = [0] * len(sents)
    table = work.actors
    if table is not None:
        for m in table.mentions:
            kb[index[m.start_tok]] += 1
    kb_tokens = frozenset(t for m in (table.mentions if table is not None else ())
                          if m.entity for t in range(m.start_tok, m.end_tok))
    same: dict[tuple[int, str], int] = {}
    for c in candidates:
        key = (index[c.head_i], c.type)
        same[key] = same.get(key, 0) + 1
    pub = work.published
    return DocContext(doc=doc, sentences=sents, sent_of_token=index,
                      published_ord=pub.toordinal() if pub else None,
                      kb_mentions_per_sent=kb, n_candidates=len(candidates),
                      same_type_in_sent=same, pub_year=pub.year if pub else None,
                      reporting=work.knowledge.cues.intents.speech_verbs,
                      governors=work.knowledge.cues.factuality, kb_tokens=kb_tokens,
                      durations=work.knowledge.cues.dates.durations,
                      roles=work.knowledge.roles)


# who the clause is about: nobody, a KB actor, an unknown named person, a role noun
# ("soldiers"), a pronoun, another noun ("critics", "passengers")
SUBJECT_KINDS = ("none", "kb", "person", "role", "pronoun", "noun")


def _subject(tok: Any) -> Any:
    """The subject of ``tok``'s clause: its own, or its governing verb's for an infinitive
    or a participle without one (two steps at most)."""
    node = tok
    for _ in range(3):
        for c in node.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return c
        if node.dep_ in ("xcomp", "conj", "acl", "advcl", "relcl") and node.head.i != node.i:
            node = node.head
            continue
        break
    return None


def _kind_of(ctx: DocContext, tok: Any) -> str:
    if tok is None:
        return "none"
    if tok.i in ctx.kb_tokens or any(t.i in ctx.kb_tokens for t in tok.subtree):
        return "kb"
    if tok.ent_type_ == "PERSON":
        return "person"
    if tok.pos_ == "PRON":
        return "pronoun"
    if ctx.roles is not None and (tok.lemma_.lower(),) in ctx.roles:
        return "role"
    return "noun"


def _bare_plural(tok: Any) -> float:
    return 1.0 if tok is not None and tok.tag_ == "NNS" and not any(
        c.dep_ in ("det", "poss", "nummod") for c in tok.children) else 0.0


EVENT_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PLOVER_TYPES), "weight", "nominal", "definite", "depth",
    "subordinate", *(f"origin_{o}" for o in ORIGINS), "n_actors", "n_recipients",
    *(f"kind_{k}" for k in KINDS), "kb_actor", *(f"rule_fact_{f}" for f in FACTS),
    *(f"pos_{p}" for p in POS), *(f"dep_{d}" for d in DEPS), *(f"tag_{t}" for t in TAGS),
    "title_case", "in_entity", *(f"ent_{e}" for e in ENTS), "trigger_tokens",
    "sentence_index", "sentence_relpos", "lead_sentence", "sentence_tokens", "in_quotes",
    "reporting_verb_in_sentence", "kb_mentions_in_sentence", "dated",
    "days_before_publication", *(f"precision_{p}" for p in PRECISIONS),
    "date_after_publication", "older_year_in_sentence", "ago_in_sentence",
    "same_type_in_sentence", "has_place", "governor_reporting",
    "governor_negating", "governor_hypothetical", "governor_planned", "governor_reported",
    *(f"subject_{k}" for k in SUBJECT_KINDS), "subject_bare_plural",
    *(f"speaker_{k}" for k in SUBJECT_KINDS), "question", "quote_sentence",
    "perfect_aspect", "duration_in_sentence",
    *LEMMA_NAMES, *(f"lemma_share_{t}" for t in PLOVER_TYPES),
)
# the event model may only grow more confident as these grow (monotone constraints)
EVENT_INCREASING = ("lemma_p_real", "lemma_p_type")


def _kinds(cand: Candidate) -> list[float]:
    refs = cand.actors + cand.recipients
    return [float(sum(1 for r in refs if r.kind == k)) for k in KINDS]


def _date_features(ctx: DocContext, cand: Candidate, sent: Any) -> list[float]:
    d = cand.date
    if d is None or ctx.published_ord is None:
        before, precision, after = math.nan, None, 0.0
    else:
        before = float(ctx.published_ord - d.value.toordinal())
        precision, after = d.precision, 1.0 if before < 0 and d.precision == "day" else 0.0
    years = [int(y) for y in _YEAR.findall(sent.text)]
    older = 1.0 if ctx.pub_year and any(y < ctx.pub_year for y in years) else 0.0
    ago = 1.0 if " ago" in sent.text.lower() else 0.0
    return [0.0 if d is None else 1.0, before, *_onehot(precision, PRECISIONS), after,
            older, ago]


def event_features(ctx: DocContext, cand: Candidate, stats: LemmaStats) -> list[float]:
    doc = ctx.doc
    tok = doc[cand.head_i]
    k = ctx.sent_of_token[cand.head_i]
    sent = ctx.sentences[k]
    n_sents = max(1, len(ctx.sentences))
    title = 1.0 if tok.text[:1].isupper() and tok.i != sent.start else 0.0
    reporting = 1.0 if any(t.lemma_.lower() in ctx.reporting for t in sent) else 0.0
    gov = tok.head
    gov_reporting = 1.0 if gov.i != tok.i and gov.lemma_.lower() in ctx.reporting else 0.0
    refs = cand.actors + cand.recipients
    f = ctx.governors
    gov_lemma = gov.lemma_.lower() if gov.i != tok.i else ""
    key = lemma_key(doc, cand)
    subj = _subject(tok)
    speaker = _subject(gov) if gov_reporting else None
    return [
        *_onehot(cand.type, PLOVER_TYPES), cand.weight, float(cand.nominal),
        float(cand.definite), float(cand.depth), float(cand.subordinate),
        *_onehot(cand.origin, ORIGINS), float(len(cand.actors)), float(len(cand.recipients)),
        *_kinds(cand), 1.0 if any(r.kb_id for r in refs) else 0.0,
        *_onehot(cand.factuality, FACTS), *_onehot(tok.pos_, POS), *_onehot(tok.dep_, DEPS),
        *_onehot(tok.tag_, TAGS), title, 1.0 if tok.ent_type_ else 0.0,
        *_onehot(tok.ent_type_, ENTS), float(len(doc.char_span(
            cand.trigger_start, cand.trigger_end, alignment_mode="expand") or [tok])),
        float(k), k / n_sents, 1.0 if k == 0 else 0.0, float(len(sent)),
        float(in_quotes(tok, sent)),
        reporting, float(ctx.kb_mentions_per_sent[k]), *_date_features(ctx, cand, sent),
        # (no count of the document's candidates: the corpus's short non-political stories
        # taught it that a short text holds no event, and a pasted sentence then lost its own)
        float(ctx.same_type_in_sent.get((k, cand.type), 0)),
        0.0 if cand.place is None else 1.0, gov_reporting,
        1.0 if gov_lemma in f.negating_verbs else 0.0,
        1.0 if gov_lemma in f.hypothetical_governors else 0.0,
        1.0 if gov_lemma in f.planned_governors else 0.0,
        1.0 if gov_lemma in f.reported_governors else 0.0,
        *_onehot(_kind_of(ctx, subj), SUBJECT_KINDS), _bare_plural(subj),
        *_onehot(_kind_of(ctx, speaker) if speaker is not None or gov_reporting else "none",
                 SUBJECT_KINDS),
        1.0 if sent.text.rstrip().endswith("?") else 0.0,
        1.0 if sent.text.lstrip()[:1] in QUOTES else 0.0,
        1.0 if any(c.dep_ == "aux" and c.lemma_ == "have" for c in tok.children) else 0.0,
        1.0 if _SINCE_YEAR.search(sent.text) or _says_any(sent.text, ctx.durations) else 0.0,
        *stats.features(key, cand.type), *stats.type_shares(key),
    ]


FACT_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PLOVER_TYPES), *(f"rule_fact_{f}" for f in FACTS),
    *(f"origin_{o}" for o in ORIGINS), "own_neg", "own_modal_hypothetical",
    "own_modal_planned", "own_reported_adverb", "own_conditional", "chain_negating",
    "chain_hypothetical", "chain_planned", "chain_reported", "chain_speech", "chain_depth",
    "nominal", "in_quotes", "tag_VBD", "tag_VBN", "tag_VB", "tag_VBG", "subordinate",
    "sentence_has_if", "sentence_has_not", *(f"lemma_{n}" for n in LEMMA_NAMES),
)


def factuality_features(ctx: DocContext, cand: Candidate, stats: LemmaStats,
                        cues: Any) -> list[float]:
    doc = ctx.doc
    tok = doc[cand.head_i]
    f = cues.factuality
    own = list(tok.children)
    neg = any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in own)
    hypo = any(c.dep_ in ("aux", "auxpass") and c.lower_ in f.hypothetical_modals for c in own)
    plan = any(c.dep_ in ("aux", "auxpass") and c.lower_ in f.planned_modals for c in own)
    rep = any(c.dep_ == "advmod" and c.lower_ in f.reported_adverbs for c in own)
    cond = any(c.dep_ == "mark" and c.lower_ in f.conditional_marks for c in own)
    chain = {"neg": 0.0, "hyp": 0.0, "plan": 0.0, "rep": 0.0, "speech": 0.0}
    node, steps = tok, 0
    while node.head.i != node.i and steps < 6:
        node, steps = node.head, steps + 1
        lemma = node.lemma_.lower()
        chain["neg"] = max(chain["neg"], 1.0 if lemma in f.negating_verbs else 0.0)
        chain["hyp"] = max(chain["hyp"], 1.0 if lemma in f.hypothetical_governors else 0.0)
        chain["plan"] = max(chain["plan"], 1.0 if lemma in f.planned_governors else 0.0)
        chain["rep"] = max(chain["rep"], 1.0 if lemma in f.reported_governors else 0.0)
        chain["speech"] = max(chain["speech"], 1.0 if lemma in ctx.reporting else 0.0)
    sent = ctx.sentences[ctx.sent_of_token[cand.head_i]]
    lower = sent.text.lower()
    st = stats.features(lemma_key(doc, cand), cand.type)
    return [
        *_onehot(cand.type, PLOVER_TYPES), *_onehot(cand.factuality, FACTS),
        *_onehot(cand.origin, ORIGINS), float(neg), float(hypo), float(plan), float(rep),
        float(cond), chain["neg"], chain["hyp"], chain["plan"], chain["rep"],
        chain["speech"], float(steps), float(cand.nominal), float(in_quotes(tok, sent)),
        *(1.0 if tok.tag_ == t else 0.0 for t in ("VBD", "VBN", "VB", "VBG")),
        float(cand.subordinate), 1.0 if re.search(r"\b(if|unless)\b", lower) else 0.0,
        1.0 if re.search(r"\b(not|n't|never|no)\b", lower) else 0.0, *st,
    ]


TIMING_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PLOVER_TYPES), "dated", "days_before_publication",
    *(f"precision_{p}" for p in PRECISIONS), "date_after_publication",
    "older_year_in_sentence", "ago_in_sentence", "tag_VBD", "tag_VBN", "had_aux",
    "since_in_sentence", "former_in_sentence", "last_year_in_sentence", "sentence_relpos",
    "lead_sentence", "rule_fact_planned", *(f"lemma_{n}" for n in LEMMA_NAMES),
)


def timing_features(ctx: DocContext, cand: Candidate, stats: LemmaStats) -> list[float]:
    doc = ctx.doc
    tok = doc[cand.head_i]
    k = ctx.sent_of_token[cand.head_i]
    sent = ctx.sentences[k]
    lower = sent.text.lower()
    had = any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children)
    return [
        *_onehot(cand.type, PLOVER_TYPES), *_date_features(ctx, cand, sent),
        1.0 if tok.tag_ == "VBD" else 0.0, 1.0 if tok.tag_ == "VBN" else 0.0, float(had),
        1.0 if " since " in f" {lower} " else 0.0, 1.0 if "former" in lower else 0.0,
        1.0 if "last year" in lower or "years ago" in lower else 0.0,
        k / max(1, len(ctx.sentences)), 1.0 if k == 0 else 0.0,
        1.0 if cand.factuality == "planned" else 0.0,
        *stats.features(lemma_key(doc, cand), cand.type),
    ]


LINK_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PLOVER_TYPES), "symmetric_type", "rule_actor", "rule_recipient",
    *(f"kind_{k}" for k in KINDS), "kb_entity", "same_sentence", "sentence_distance",
    "token_distance", "mention_before_trigger", *(f"child_{d}" for d in CHILD_DEPS),
    "prep_child", "prep_recipient", "path_length", "path_through_root",
    "subject_of_governor", "object_of_governor", "mentions_in_sentence", "nominal_trigger",
    "origin_intent", "origin_demand", "same_country_as_other", "sector_gov_mil",
)


def _path(tok: Any, target: Any, limit: int = 8) -> tuple[int, bool]:
    """Steps from ``tok`` up to the lowest common ancestor with ``target`` and down."""
    up_a: dict[int, int] = {}
    node, d = tok, 0
    while d <= limit:
        up_a[node.i] = d
        if node.head.i == node.i:
            break
        node, d = node.head, d + 1
    node, d = target, 0
    while d <= limit:
        if node.i in up_a:
            through_root = node.dep_ == "ROOT"
            return up_a[node.i] + d, through_root
        if node.head.i == node.i:
            break
        node, d = node.head, d + 1
    return 2 * limit + 2, True


def link_features(ctx: DocContext, cand: Candidate, ref: ActorRef, head: Any, *,
                  rule_role: str | None, symmetric: bool, preps: frozenset[str],
                  n_in_sentence: int, countries: list[str | None]) -> list[float]:
    doc = ctx.doc
    tok = doc[cand.head_i]
    k_event = ctx.sent_of_token[cand.head_i]
    k_ref = ctx.sent_of_token[head.i] if head is not None else k_event
    child_dep = head.dep_ if head is not None and head.head.i == tok.i else None
    prep = None
    if head is not None and head.dep_ == "pobj" and head.head.head.i == tok.i:
        prep = head.head.lower_
    length, through_root = _path(tok, head) if head is not None and k_ref == k_event else (
        20, True)
    gov = tok.head
    subj_gov = obj_gov = 0.0
    if head is not None and gov.i != tok.i and head.head.i == gov.i:
        subj_gov = 1.0 if head.dep_ in ("nsubj", "nsubjpass") else 0.0
        obj_gov = 1.0 if head.dep_ in ("dobj", "dative") else 0.0
    same_country = 1.0 if ref.country and countries.count(ref.country) > 1 else 0.0
    return [
        *_onehot(cand.type, PLOVER_TYPES), float(symmetric),
        1.0 if rule_role == "actor" else 0.0, 1.0 if rule_role == "recipient" else 0.0,
        *_onehot(ref.kind, KINDS), 1.0 if ref.kb_id else 0.0,
        1.0 if k_ref == k_event else 0.0, float(abs(k_event - k_ref)),
        float(abs((head.i if head is not None else tok.i) - tok.i)),
        1.0 if head is not None and head.i < tok.i else 0.0,
        *_onehot(child_dep, CHILD_DEPS), 1.0 if prep else 0.0,
        1.0 if prep and prep in preps else 0.0, float(length), float(through_root),
        subj_gov, obj_gov, float(n_in_sentence), float(cand.nominal),
        1.0 if cand.origin == "intent" else 0.0, 1.0 if cand.origin == "demand" else 0.0,
        same_country, 1.0 if ref.sector in ("GOV", "MIL") else 0.0,
    ]


PAIR_NAMES: tuple[str, ...] = (
    *(f"type_{t}" for t in PLOVER_TYPES), "same_sentence", "sentence_distance",
    "log_token_distance", "same_factuality", "same_background", "shared_actors",
    "actors_earlier", "actors_later", "shared_countries", "countries_only_earlier",
    "countries_only_later", "later_definite", "later_nominal", "earlier_nominal",
    "same_trigger_lemma", "both_dated", "same_date", "date_precision_day_both",
    "same_place", "different_place", "later_origin_derived", "earlier_origin_derived",
    "score_earlier", "score_later", "same_type_between", "later_governed_by_earlier",
    "earlier_governed_by_later", "same_role_sets",
)


def countries_of(c: Candidate) -> set[str]:
    return {r.country for r in c.actors + c.recipients if r.country}


def pair_features(ctx: DocContext, a: Candidate, b: Candidate, shared: int,
                  between: int) -> list[float]:
    """Is ``b`` (later) a mention of the same event as ``a`` (earlier)? ``shared`` counts
    the participants both name (spelling variants included), ``between`` the mentions
    of the same type that stand between them."""
    doc = ctx.doc
    ta, tb = doc[a.head_i], doc[b.head_i]
    ka, kb = ctx.sent_of_token[a.head_i], ctx.sent_of_token[b.head_i]
    ca, cb = countries_of(a), countries_of(b)
    da, db = a.date, b.date
    pa, pb = a.place, b.place
    derived = ("intent", "demand")
    roles_a = ({r.key for r in a.actors}, {r.key for r in a.recipients})
    roles_b = ({r.key for r in b.actors}, {r.key for r in b.recipients})
    return [
        *_onehot(b.type, PLOVER_TYPES), 1.0 if ka == kb else 0.0, float(abs(kb - ka)),
        math.log1p(abs(b.head_i - a.head_i)), 1.0 if a.factuality == b.factuality else 0.0,
        1.0 if a.background == b.background else 0.0, float(shared),
        float(len(a.actors) + len(a.recipients)), float(len(b.actors) + len(b.recipients)),
        float(len(ca & cb)), float(len(ca - cb)), float(len(cb - ca)), float(b.definite),
        float(b.nominal), float(a.nominal),
        1.0 if ta.lemma_.lower() == tb.lemma_.lower() else 0.0,
        1.0 if da is not None and db is not None else 0.0,
        1.0 if da is not None and db is not None and da.value == db.value else 0.0,
        1.0 if da is not None and db is not None and da.precision == db.precision == "day"
        else 0.0,
        1.0 if pa is not None and pb is not None and pa.name == pb.name else 0.0,
        1.0 if pa is not None and pb is not None and pa.name != pb.name else 0.0,
        1.0 if b.origin in derived else 0.0, 1.0 if a.origin in derived else 0.0,
        a.score if a.score is not None else math.nan,
        b.score if b.score is not None else math.nan, float(between),
        1.0 if tb.head.i == ta.i else 0.0, 1.0 if ta.head.i == tb.i else 0.0,
        1.0 if roles_a == roles_b and (roles_a[0] or roles_a[1]) else 0.0,
    ]
