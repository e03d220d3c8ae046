"""Places: sentence first, then dateline; typos corrected only in place contexts."""

from parley.knowledge import default_knowledge


def get_gazetteer():
    return default_knowledge().gazetteer


def test_event_place_from_sentence_with_coordinates(code):
    doc = code("Russia and Türkiye held talks in Moscow on Monday.")
    place = next(e for e in doc.events if e.type == "CONSULT").place
    assert (place.name, place.country) == ("Moscow", "RUS")
    assert abs(place.lat - 55.75) < 0.1 and abs(place.lon - 37.62) < 0.1


def test_event_place_falls_back_to_the_dateline(code):
    doc = code("NAIROBI — Kenya and Uganda signed a trade agreement on Tuesday.")
    assert doc.dateline.place == "Nairobi"
    e = doc.events[0]
    assert e.place.name == "Nairobi" and e.place.country == "KEN"


def test_misspelt_place_after_in_is_corrected(code):
    doc = code("Egypt and Qatar held talks in Kairo on Monday.")
    place = next(e for e in doc.events if e.type == "CONSULT").place
    assert place is not None and place.name == "Cairo"


def test_misspelt_dateline_is_corrected_and_common_words_are_not_places(code):
    doc = code("MOSOCW — Russian forces withdrew from the village in haste.")
    assert doc.dateline.place == "Moscow"
    doc = code("The talks between Egypt and Qatar ended in failure on Monday.")
    talks = next(e for e in doc.events if e.type == "CONSULT")
    assert talks.place is None
    doc = code("UPDATE — Egypt and Qatar held talks on Monday.")
    assert doc.dateline is None


def test_gazetteer_disambiguates_by_population():
    gaz = get_gazetteer()
    assert gaz.lookup("Moscow").country == "RUS"
    assert gaz.fuzzy("Monday", min_score=88) is None


def test_datelines_with_a_date_an_agency_and_a_long_region():
    from parley.clean import find_dateline

    knowledge = default_knowledge()
    for text, place in [
        ("GOMA, March 3 (Kivu Monitor Wire) — Rebels shelled the town.", "Goma"),
        ("BUKAVU, Democratic Republic of Congo (AP) — Rebels shelled the town.", "Bukavu"),
        ("ADDIS ABABA, 14 Feb (Horn Desk) - The talks ended.", "Addis Ababa"),
        ("MOGADISHU/ADDIS ABABA, Jan 3 (Horn Desk) — Somalia recalled its envoy.",
         "Mogadishu"),
    ]:
        found = find_dateline(text, knowledge.cues.clean, knowledge.gazetteer)
        assert found is not None and found.place == place, text


def test_a_dateline_below_a_headline_and_a_byline():
    from parley.clean import find_dateline

    knowledge = default_knowledge()
    text = ("Floods kill 40 in western Kenya\nBy Jane Achieng and Tom Baraza\n\n"
            "NAIROBI, Kenya, May 4 (Rift Wire) — Floods swept through Kisumu on Friday.")
    found = find_dateline(text, knowledge.cues.clean, knowledge.gazetteer)
    assert found is not None and found.place == "Nairobi"
    assert text[found.start:found.end] == "NAIROBI, Kenya, May 4 (Rift Wire) —"
    # a paragraph of the story above it: that is not a dateline but a section of the story
    story = "Floods swept through Kisumu on Friday.\n\nNAIROBI — The rains went on."
    assert find_dateline(story, knowledge.cues.clean, knowledge.gazetteer) is None


def test_the_day_in_a_dateline_below_a_byline_is_not_the_events_day(code):
    doc = code("By Jane Achieng\n\nSANAA, Yemen, April 7 (Gulf Wire) — Warplanes pounded "
               "rebel positions around Sanaa on Monday night, residents said.",
               published="2015-04-07", min_confidence=0)
    assert doc.dateline is not None and doc.dateline.place == "Sanaa"
    assert [e.date.value.isoformat() for e in doc.events if e.type == "ASSAULT"] == [
        "2015-04-06"]


def test_a_place_named_through_a_common_noun(code):
    # "the Turkish capital" is Ankara (countries.yaml), "the C.A.R.'s capital, Bangui"
    # is Bangui, "the Kidal region" is Kidal
    for text, want in [
        ("Turkish F-16 jets flew low on Monday across the Turkish capital in an exercise.",
         ("Ankara", "TUR")),
        ("Cameroonian and Central African officials met in the C.A.R.'s capital, Bangui, "
         "on Friday.", ("Bangui", "CAF")),
        ("Police clashed with protesters in the Kidal region on Monday.", ("Kidal", "MLI")),
    ]:
        doc = code(text, published="2024-03-08")
        places = {(e.place.name, e.place.country) for e in doc.events if e.place}
        assert want in places, (text, places)


def test_without_a_dateline_the_lead_sentence_gives_the_place(code):
    doc = code("Gunmen attacked a police post near Beledweyne on Monday, officials said.\n\n"
               "Soldiers later arrested three suspects, a police spokesman said.",
               published="2024-03-08", min_confidence=0)
    assert doc.dateline is None
    later = [e for e in doc.events if e.mentions[0].start > 60 and e.type == "COERCE"]
    assert later and all(e.place and e.place.name == "Beledweyne" for e in later)


def test_regions_of_the_knowledge_base_give_places_and_countries(code):
    # "Zamfara state" is a Nigerian state (kb/regions.yaml), a place and not an actor;
    # gunmen "in Balochistan" are Pakistani by the region the sentence names
    doc = code("Gunmen attacked a police post in northwestern Zamfara state on Monday, "
               "officials said.", published="2024-03-08", min_confidence=0)
    attack = next(e for e in doc.events if e.type == "ASSAULT")
    assert (attack.place.name, attack.place.country) == ("Zamfara", "NGA")
    assert attack.place.lat is None  # a region has no point
    assert not any("state" in a.name.lower() for a in doc.actors)
    doc = code("Gunmen in Balochistan pulled passengers off buses and shot them.",
               published="2024-03-08", min_confidence=0)
    gunmen = next(a for a in doc.actors if a.sector == "UAF")
    assert gunmen.country == "PAK"


def test_a_region_name_two_countries_share_is_not_a_place():
    gaz = get_gazetteer()
    assert gaz.region("Zamfara").country == "NGA"
    assert gaz.region("Punjab") is None  # India and Pakistan both have one
    assert gaz.lookup("Kano").kind == "city"  # the city, not the state
    assert gaz.region("Kano").kind == "state"


def test_a_statement_later_in_the_story_does_not_take_the_lead_place(code):
    # the lead's place is lent to events done on the ground, not to reactions
    doc = code("Gunmen attacked a police post near Beledweyne on Monday, officials said.\n\n"
               "The United States condemned the attack on Tuesday and urged Somalia to "
               "find those responsible.", published="2024-03-08", min_confidence=0)
    attack = next(e for e in doc.events if e.type == "ASSAULT")
    assert attack.place and attack.place.name == "Beledweyne"
    reactions = [e for e in doc.events if e.type in ("ACCUSE", "REQUEST")]
    assert reactions and all(e.place is None for e in reactions)
