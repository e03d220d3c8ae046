"""The accuracy gate: `parley eval` on the PLOVER gold file must stay above the pinned floors."""

import json

from parley.cli import cli
from parley.eval.gate import baseline
from parley.eval.scorer import check_gate, evaluate, load_gold, sha256_file


def test_accuracy_gate_on_plover_gold(shared):
    gold = shared / "data" / "plover_gsr_cameo.json"
    report = evaluate(load_gold(str(gold)), gold_path=str(gold))
    assert report.records == 322
    assert check_gate(report, str(gold)) == []
    floors = baseline()["floors"]
    assert report.type_micro.f1 >= floors["event_type_micro_f1"]
    assert report.country_micro.f1 >= floors["participant_country_micro_f1"]
    assert sha256_file(gold) == baseline()["gold_sha256"]


def test_eval_json_reports_per_type_and_confusion(runner, tmp_path):
    gold = tmp_path / "mini.json"
    gold.write_text(json.dumps([
        {"id": "doc", "event": "DOCUMENT", "eventText": "header"},
        {"id": "m1", "event": "AGREE", "date": "2024-03-08",
         "text": "Kenya and Uganda agreed on Tuesday to build a joint railway.",
         "source": [{"code": "KEN"}, {"code": "UGA"}], "target": ""},
        {"id": "m2", "event": "DEMAND", "text": "Chad demanded that Niger reopen the border.",
         "source": [{"code": "TCD"}], "target": [{"code": "NER"}]},
        {"id": "m3", "event": "FIGHT", "text": "The weather was mild in Oslo.",
         "source": [{"code": "NOR"}], "target": []},
    ]))
    out = runner.invoke(cli, ["eval", str(gold), "--format", "json"])
    assert out.exit_code == 0, out.output
    r = json.loads(out.stdout)
    assert r["records"] == 3
    per = r["event_type"]["per_type"]
    assert per["AGREE"]["tp"] == 1 and per["REQUEST"]["tp"] == 1
    assert per["ASSAULT"]["fn"] == 1  # FIGHT maps to ASSAULT; nothing coded from the weather
    assert r["confusion"]["ASSAULT"] == {"none": 1}
    assert r["event_type"]["micro"]["precision"] == 1.0
    assert r["participant_country"]["micro"]["tp"] == 4


def test_eval_bad_gold_file_is_one_clear_error(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    out = runner.invoke(cli, ["eval", str(bad)])
    assert out.exit_code == 2
    assert "bad.json" in out.stderr and "Traceback" not in out.output
