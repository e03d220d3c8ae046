"""Extract: event candidates from each sentence of the parse.

For each sentence: find triggers (``triggers``), drop nominal restatements, read
participants (``arguments``), decide factuality (``factuality``), add the PLOVER events
that stated intentions and demands imply (``intents``) and mark events that sit in
another event's clause (``salience``). The ``extract`` stage assigns ``candidates``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parley.actors import resolver
from parley.extract.arguments import noun_arguments, verb_arguments
from parley.extract.factuality import factuality
from parley.extract.intents import demands, derived, obligation
from parley.extract.salience import mark_subordinates
from parley.extract.triggers import dedupe, find_triggers, trigger_depth
from parley.model import Candidate, Work


def evidence_bounds(sent: Any) -> tuple[int, int]:
    """The sentence as evidence: without the blanked boilerplate or spaces around it."""
    stripped = sent.text.rstrip()
    return sent.start_char + len(stripped) - len(stripped.lstrip()), sent.start_char + len(
        stripped)


def extract_candidates(work: Work) -> list[Candidate]:
    doc, k = work.doc, work.knowledge
    res = resolver(work)
    cues = k.cues
    light = cues.arguments.light_verbs
    out: list[Candidate] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        triggers = dedupe(doc, find_triggers(sent, k.lexicon), cues)
        bounds = evidence_bounds(sent)
        musts = {t.head_i for t in triggers if obligation(doc[t.head_i], k) is not None}
        out.extend(demands(sent, res, k, musts, bounds))
        found: list[Candidate] = []
        for trig in triggers:
            tok = doc[trig.head_i]
            nominal = tok.pos_ in ("NOUN", "PROPN")
            if nominal:
                actors, recipients = noun_arguments(trig, doc, res, k)
            else:
                actors, recipients = verb_arguments(trig, doc, res, k)
            recipients = [r for r in recipients if all(r.key != a.key for a in actors)]
            span = doc[trig.start_tok : trig.end_tok]
            definite = any(c.dep_ == "det" and c.lower_ in cues.arguments.definite_determiners
                           for c in tok.children)
            cand = Candidate(
                type=trig.type, mode=trig.mode,
                factuality=factuality(tok, cues.factuality, event_type=trig.type),
                weight=trig.weight, trigger_start=span.start_char, trigger_end=span.end_char,
                sent_start=bounds[0], sent_end=bounds[1], head_i=tok.i,
                depth=trigger_depth(tok, light), nominal=nominal, definite=definite,
                actors=tuple(actors), recipients=tuple(recipients),
                origin="learned" if trig.learned else "lexicon",
            )
            found.append(cand)
            implied = derived(cand, doc, res, k)
            if implied is not None:
                found.append(implied)
        out.extend(mark_subordinates(doc, found, light))
    return out


class Extract:
    name = "extract"
    requires: tuple[str, ...] = ("doc", "actors")
    assigns: tuple[str, ...] = ("candidates",)

    def __call__(self, work: Work) -> Work:
        return replace(work, candidates=tuple(extract_candidates(work)))


__all__ = ["Extract", "evidence_bounds", "extract_candidates"]
