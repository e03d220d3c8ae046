"""In-document fusion and participant disputes."""


def test_participant_named_in_one_account_but_not_another_is_disputed(code):
    doc = code("The foreign ministers of Kenya, Ethiopia and Somalia met in Nairobi on Monday.\n"
               "Trade between the three countries has grown.\n"
               "The Ethiopian and Kenyan ministers met to discuss the border, officials said.",
               published="2024-03-08")
    meetings = [e for e in doc.events if e.type == "CONSULT"]
    assert len(meetings) == 1
    e = meetings[0]
    actors = {a.id: a for a in doc.actors}
    disputed = {actors[p.actor].country for p in e.participants if p.disputed}
    assert disputed == {"SOM"}
    conflict = next(c for c in doc.conflicts if c.kind == "participants")
    assert "Somalia" in conflict.detail and conflict.event == e.id
    quoted = [doc.text[s.start : s.end] for s in conflict.evidence]
    assert any("Somalia" in q for q in quoted) and any("Somalia" not in q for q in quoted)


def test_separate_events_of_one_type_stay_separate(code):
    doc = code("Egypt and Qatar held talks in Cairo on Monday.\n"
               "Separately, Chile and Peru held talks in Lima on Tuesday.")
    assert len([e for e in doc.events if e.type == "CONSULT"]) == 2
