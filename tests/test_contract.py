"""The JSON Schema in the package is the one the model generates."""

from parley.contract import committed, generate


def test_committed_schema_matches_model():
    assert committed() == generate(), "run `python -m parley.contract` and commit the result"
