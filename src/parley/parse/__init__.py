"""Parse: the offline spaCy pipeline, one ``Doc`` per article with offsets kept."""

from parley.parse.nlp import codable_text, get_nlp, parse_article, pipe_articles

__all__ = ["get_nlp", "parse_article", "pipe_articles", "codable_text"]
