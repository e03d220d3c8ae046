"""Parse: the offline spaCy pipeline, one ``Doc`` per article with offsets kept."""

from parley.parse.nlp import codable_text, get_nlp, parse_long

__all__ = ["codable_text", "get_nlp", "parse_long"]
