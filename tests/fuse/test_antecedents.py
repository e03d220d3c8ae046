"""Reactions to an event told before take its actor as their recipient."""

from parley.fuse.antecedents import retold_recipients

STORY = ("Turkish warplanes struck Kurdish militia positions near the Syrian town of Kobani "
         "on Sunday, killing at least 12 fighters, a war monitor said.\n"
         "The Syrian Democratic Forces said civilians were among the dead.\n"
         "Iran's foreign ministry condemned the strikes as a violation of Syrian sovereignty.\n"
         "Separately, Human Rights Watch condemned the killings and called for an inquiry.")


def _roles(doc, event):
    actors = {a.id: a for a in doc.actors}
    return {(actors[p.actor].country or actors[p.actor].name, p.role)
            for p in event.participants}


def test_condemning_the_strikes_names_the_striker_as_recipient(code):
    doc = code(STORY, published="2024-03-11")
    condemned = [e for e in doc.events if e.type == "ACCUSE"
                 and any(doc.text[m.trigger.start:m.trigger.end] == "condemned"
                         for m in e.mentions)]
    # two reactions by two actors stay two events, though they share the recipient
    assert len(condemned) == 2
    iran = next(e for e in condemned if ("IRN", "actor") in _roles(doc, e))
    assert ("TUR", "recipient") in _roles(doc, iran)
    hrw = next(e for e in condemned if e is not iran)
    assert ("TUR", "recipient") in _roles(doc, hrw)
    # the recipient's evidence is its name in the sentence of the strikes
    actors = {a.id: a for a in doc.actors}
    tur = next(actors[p.actor] for p in iran.participants if p.role == "recipient")
    assert any(s.start < STORY.index("\n") for s in tur.mentions)


def test_a_reaction_with_nothing_told_before_gets_no_recipient(code):
    doc = code("Iran's foreign ministry condemned the strikes as a violation of Syrian "
               "sovereignty.", published="2024-03-11")
    accuse = [e for e in doc.events if e.type == "ACCUSE"]
    assert accuse and all(("TUR", "recipient") not in _roles(doc, e) for e in accuse)
    assert all(p.role != "recipient" for e in accuse for p in e.participants)


def _work(text):
    from parley.model import Article
    from parley.pipeline import default_pipeline

    pipe = default_pipeline()
    work = pipe.start(Article(id="t", text=text, published="2024-03-11"))
    for stage in pipe.stages:
        if stage.name == "fuse":
            return work
        work = next(stage.pipe([work])) if hasattr(stage, "pipe") else stage(work)
    raise AssertionError("no fuse stage")


def test_only_a_definite_event_noun_without_its_own_actor_retells():
    from parley.fuse.antecedents import _retelling_object

    found = {}
    for obj in ("the strikes", "Russia's attack", "the Hamas attack", "strikes",
                "the minister"):
        work = _work("Turkish warplanes struck Kurdish militia positions near Kobani on "
                     f"Sunday.\nIran condemned {obj} in a statement.")
        cues = work.knowledge.cues.arguments
        cand = next(c for c in work.candidates
                    if work.doc[c.head_i].lower_ == "condemned")
        noun = _retelling_object(work.doc, cand, cues)
        found[obj] = noun.text if noun is not None else None
    assert found == {"the strikes": "strikes", "Russia's attack": None,
                     "the Hamas attack": None, "strikes": None,
                     "the minister": None}
    assert retold_recipients(_work("Iran condemned the strikes.")) == {}
