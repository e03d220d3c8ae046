import pytest

from parley.errors import InputMalformed, InputTooLarge, InputUnreadable
from parley.ingest.readers import decode_text, html_depth, normalise_date, read_jsonl
from parley.settings import load_settings


def test_bom_is_dropped_and_text_kept_otherwise():
    assert decode_text("\ufeffKenya met Uganda.".encode("utf-8"), source="x") == "Kenya met Uganda."


@pytest.mark.parametrize("data,msg", [(b"", "empty"), (b"ab\x00cd", "binary"),
                                      (b"caf\xe9", "UTF-8")])
def test_unreadable_bytes_are_refused(data, msg):
    with pytest.raises(InputUnreadable, match=msg):
        decode_text(data, source="f.txt")


def test_jsonl_errors_name_the_line_and_other_lines_survive():
    data = (b'{"id": 1, "text": "Chad met Niger."}\n\n[1, 2]\n{"id": "b", "published": 5, '
            b'"text": "x"}\n{"id": "c", "text": "Mali met Chad.", "published": "2024-13-01"}\n')
    out = list(read_jsonl(data, source="in.jsonl", settings=load_settings()))
    assert out[0].id == "1" and out[0].text == "Chad met Niger."
    assert isinstance(out[1], InputMalformed) and out[1].line == 3
    assert isinstance(out[2], InputMalformed) and out[2].line == 4 and "published" in out[2].message
    assert isinstance(out[3], InputMalformed) and "not a date" in out[3].message


def test_oversized_jsonl_record_is_refused():
    settings = load_settings().with_(max_jsonl_line_bytes=100)
    out = list(read_jsonl(b'{"text": "' + b"a" * 200 + b'"}\n', source="s", settings=settings))
    assert isinstance(out[0], InputTooLarge)


def test_publication_dates_are_normalised():
    assert str(normalise_date("2025-03-14 20:30:26Z", source="s")) == "2025-03-14"
    assert str(normalise_date("2024-02-01T10:00:00+02:00", source="s")) == "2024-02-01"
    assert normalise_date(None, source="s") is None


def test_html_depth_is_counted_without_recursion():
    deep = "<div>" * 10_000 + "x" + "</div>" * 10_000
    assert html_depth(deep, 400) == 401
    assert html_depth("<p>a<br>b<img src=x></p>", 400) == 1
