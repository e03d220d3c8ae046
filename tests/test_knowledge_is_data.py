"""Knowledge is data: no word lists in Python.

Every list of English words the coder reads (cue words, verbs, prepositions, role
nouns, month names ...) lives in a commented data file under ``parley/data/``, loaded
by ``parley.knowledge``. This test walks the syntax tree of every module in
``src/parley`` and fails on any list, set or tuple literal that holds five or more
English words. Parser labels (spaCy's dependency, part-of-speech and entity labels)
are not words of the language, nor are strings that name Python identifiers of the
package (field names such as "candidates" in a stage's ``requires``); a string of more
than three words is prose (a description), not a list entry; ``Literal[...]`` type
definitions are types.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import spacy.glossary

from tests.helpers import ROOT

SRC = ROOT / "src" / "parley"
LABELS = {k.lower() for k in spacy.glossary.GLOSSARY}
WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")
LIMIT = 5


def identifiers(paths: list[Path]) -> set[str]:
    """Every name the package's code uses as an identifier."""
    names: set[str] = set()
    for path in paths:
        for n in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(n, ast.Attribute):
                names.add(n.attr)
            elif isinstance(n, ast.Name):
                names.add(n.id)
            elif isinstance(n, ast.arg | ast.keyword) and n.arg:
                names.add(n.arg)
            elif isinstance(n, ast.FunctionDef | ast.ClassDef):
                names.add(n.name)
    return names


def english_words(node: ast.AST, skip: set[str] = frozenset()) -> list[str]:
    words = []
    for elt in getattr(node, "elts", ()):
        if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
            parts = elt.value.split()
            if 0 < len(parts) <= 3 and all(WORD.fullmatch(w) and w not in LABELS
                                             for w in parts) and elt.value not in skip:
                words.append(elt.value)
    return words


def word_lists(path: Path, skip: set[str]) -> list[tuple[int, list[str]]]:
    tree = ast.parse(path.read_text("utf-8"))
    literal_slices = {
        id(n.slice) for n in ast.walk(tree)
        if isinstance(n, ast.Subscript) and (
            (isinstance(n.value, ast.Name) and n.value.id == "Literal")
            or (isinstance(n.value, ast.Attribute) and n.value.attr == "Literal"))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Set | ast.Tuple) and id(node) not in literal_slices:
            words = english_words(node, skip)
            if len(words) >= LIMIT:
                found.append((node.lineno, words))
    return found


def test_the_checker_sees_a_word_list():
    tree = ast.parse('NEGATING = frozenset({"deny", "refuse", "veto", "thwart", "postpone"})')
    sets = [n for n in ast.walk(tree) if isinstance(n, ast.Set)]
    skip = identifiers(sorted(SRC.rglob("*.py")))
    assert english_words(sets[0], skip) == ["deny", "refuse", "veto", "thwart", "postpone"]
    labels = ast.parse('_CLIMB = ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp")')
    assert english_words(next(n for n in ast.walk(labels) if isinstance(n, ast.Tuple))) == []


def test_no_module_holds_a_list_of_english_words():
    paths = sorted(SRC.rglob("*.py"))
    assert len(paths) > 40  # the package is really there
    skip = identifiers(paths)
    offenders = [f"{path.relative_to(ROOT)}:{line}: {', '.join(words[:8])}"
                 for path in paths for line, words in word_lists(path, skip)]
    assert offenders == [], "word lists belong in parley/data/ files:\n" + "\n".join(offenders)
