"""Loading: `kb/**/*.ttl` and the vocabulary in, a pyoxigraph store (one named graph per file) out.

Each file goes into a graph named by its `file:` URI so that every triple keeps the file it came
from (problems name it; a rebuild reloads only changed files). Blank nodes are renamed at parse
time so that `_:b1` in two files stays two nodes. Syntax errors become `Problem`s with the
parser's line and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import PREFIXES, VOCAB_GRAPH
from .problems import Problem

VOCAB_PATH = Path(__file__).with_name("vocab.ttl")
SHAPES_PATH = Path(__file__).with_name("shapes.ttl")
_ERR_RE = re.compile(r"^Parser error (?:at|between) line \d+ (?:column \d+(?: and line \d+ column \d+)?|between columns \d+ and \d+): ")


@dataclass(frozen=True)
class SourceFile:
    """A Turtle file of the knowledge base: where it is and how to name it to a person."""

    path: Path  # absolute
    shown: str  # as the user would type it from where they ran the command

    @property
    def graph(self) -> ox.NamedNode:
        return ox.NamedNode(self.path.as_uri())


# Folders under the knowledge base that are not part of it: Tarikh's cache, compiled Python, and
# a version control system's own (a knowledge base kept in its own repository has one)
UNREAD_FOLDERS = frozenset({".tarikh-cache", "__pycache__", ".git", ".hg", ".svn"})


def is_lock_file(name: str) -> bool:
    """An editor's lock, not Turtle: Emacs links `.#events.ttl` to nowhere beside every file
    modified and not yet saved (read, it failed the build until the file was saved)."""
    return name.startswith(".#")


def find_files(kb_dir: Path, shown_dir: str) -> list[SourceFile]:
    """List the knowledge base's Turtle files in a stable order."""
    root = kb_dir.resolve()
    # a cache inside the knowledge base is skipped; one above it (a kb kept in a cache) is not
    # a link to a file that is not there is listed too: reading it is then an error at its path,
    # rather than its statements vanishing from the site without a word
    files = sorted(p for p in root.rglob("*.ttl")
                   if (p.is_file() or p.is_symlink() and not p.exists()) and not is_lock_file(p.name)
                   and UNREAD_FOLDERS.isdisjoint(p.relative_to(root).parts[:-1]))
    prefix = shown_dir.rstrip("/")
    return [SourceFile(p, f"{prefix}/{p.relative_to(root).as_posix()}" if prefix else p.relative_to(root).as_posix())
            for p in files]


# RDF files the loader does not read (it reads Turtle, `.ttl`): a warning, so that events written in
# `events.turtle` or `Events.TTL` do not silently vanish from the site
UNREAD_SUFFIXES = {".turtle", ".n3", ".nt", ".trig", ".nq", ".rdf", ".owl", ".jsonld"}


def unread_files(kb_dir: Path, shown_dir: str) -> list[Problem]:
    """A warning for each file under the knowledge base that looks like RDF but is not read."""
    root = kb_dir.resolve()
    prefix = shown_dir.rstrip("/")
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        suffix = p.suffix.lower()
        if not p.is_file() or not UNREAD_FOLDERS.isdisjoint(rel.parts[:-1]) or p.suffix == ".ttl":
            continue
        if suffix == ".ttl" or suffix in UNREAD_SUFFIXES:
            shown = f"{prefix}/{rel.as_posix()}" if prefix else rel.as_posix()
            out.append(Problem(shown, 1, 1, "warning", "not-read",
                               f"{rel.as_posix()} is not read: the knowledge base is its Turtle files, named *.ttl",
                               f"if it is Turtle, rename it {p.stem}.ttl; if not, convert it to Turtle"))
    return out


def syntax_problem(shown: str, exc: SyntaxError, data: bytes | None = None) -> Problem:
    """Turn a pyoxigraph syntax error into a problem with the parser's position and a hint.

    With the file's bytes, the hint for a missing '.', ';' or ',' (which the parser notices only
    where the next statement starts) names where the statement before ends: the likely place.
    """
    text = str(exc)
    message = re.sub(r"\s*\(line \d+\)$", "", _ERR_RE.sub("", text).strip()) or "syntax error"
    line, column = exc.lineno or 0, exc.offset or 0
    hint = ""
    undeclared = re.search(r"The prefix ([^\s:]*):? has not been declared", message)
    if undeclared:
        name = undeclared.group(1)
        known = PREFIXES.get(name)
        hint = (f"declare it at the top of the file: @prefix {name}: <{known}> ." if known else
                f"declare it at the top of the file (@prefix {name}: <…> .), or use a prefix the file declares")
    elif "UTF-8" in message:
        hint = "save the file as UTF-8"
    elif data is not None and (found := _likely_mistake(data, message, line, column)):
        hint = found
    elif "end of file" in message:
        hint = ("the file ends inside something left open: a string (\"), an IRI (<), brackets ([ ] or ( )) "
                "or a statement without its '.'")
    elif column <= 1 or "expected '.'" in message or "Unexpected" in message:
        before = _end_before(data, line, column) if data is not None else None
        if before is not None or data is None:
            hint = ("the parser notices a missing '.', ';' or ',' only where the next statement starts: "
                    "look at the end of the statement before this place"
                    + (f", line {before[0]}, column {before[1]}" if before else ""))
    return Problem(shown, line, column, "error", "syntax", message, hint)


def _likely_mistake(data: bytes, message: str, line: int, column: int) -> str | None:
    """A hint naming the likely mistake and its place, for the syntax errors a hand-writer makes
    most: a ';' left out between two predicate-object pairs, a ',' before the '.', a long string,
    an IRI or a '[' left open. None when the error is none of these (the general hints apply)."""
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    if not 1 <= line <= len(lines) or column < 1:
        return None
    here = lines[line - 1][column - 1:]
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column - 1
    if "should end with a ']'" in message:
        opened = _open_brackets(text, offset)
        if opened:
            at = _line_column(text, opened[-1])
            return (f"the '[' at line {at[0]}, column {at[1]} is never closed: end it with ']' after its last "
                    "statement, before the ';' or '.' that goes on with the outer one")
    if "end of file" in message and here.startswith(('"""', "'''")):
        end = _likely_string_end(text, offset + 3, here[0])
        return (f"the {here[:3]} text that starts here is never closed, so it runs to the end of the file: end it "
                f"with {here[:3]}" + (f" (perhaps at line {end[0]}, column {end[1]}, where a single {here[0]} "
                                      "ends it instead)" if end else ""))
    if "end of file" in message and here.startswith(('"', "'")):
        return f"the string that starts here is never closed: end it with {here[0]} on the same line"
    if here.startswith("<") and ("end of file" in message or "IRI" in message):
        written = re.match(r"<[^\s>]*", here).group(0)
        if re.match(r"<[^<>\n]*>", here) and "end of file" not in message:  # closed, after a space
            return "an IRI holds no spaces: write a space in one as %20"
        return (f"the IRI that starts here is never closed with '>': write {written}> "
                "(an IRI holds no spaces; write a space in one as %20)")
    before = _end_before(data, line, column)
    if before is None:
        return None
    stray = lines[before[0] - 1][before[1] - 1]
    if "is not a valid RDF object" in message and stray == ",":
        return (f"a ',' must be followed by another object: remove the ',' at line {before[0]}, column {before[1]}, "
                "or write the object it was meant for")
    starts_pair = re.match(r"(?:[A-Za-z][\w.-]*)?:\S*\s+\S|<[^>\s]*>\s+\S|a\s", here)
    if "dot is expected" in message and column > 1 and starts_pair and not re.match(r"\S+\s+a\s", here):
        return (f"a ';' is missing between two predicate-object pairs of one subject: put ';' after the pair "
                f"before, which ends at line {before[0]}, column {before[1]} (the parser notices it only here, "
                "at the next predicate)")
    if "subject or graph name" in message and column > 1 and here[:1] in "\"'0123456789-+":
        return (f"a ',' is missing between two objects of one predicate: put ',' after the object before, "
                f"which ends at line {before[0]}, column {before[1]} (or ';' if a predicate was left out)")
    return None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset in a text."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# what _open_brackets steps over (long strings, strings, IRIs, comments), and the brackets
_SCAN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                   r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r"|<[^\s<>]*>|#[^\n]*|[\[\]()]", re.S)


def _open_brackets(text: str, end: int) -> list[int]:
    """The offsets of the '[' still open at `end` (strings, IRIs and comments skipped)."""
    stack: list[int] = []
    for m in _SCAN.finditer(text, 0, end):
        token = m.group(0)
        if token in ("[", "("):
            stack.append(m.start())
        elif token in ("]", ")") and stack:
            stack.pop()
    return [i for i in stack if text[i] == "["]


def _likely_string_end(text: str, start: int, quote: str) -> tuple[int, int] | None:
    """Where a long string left open was most likely meant to end: the first single quote after
    `start` followed by a language tag, a datatype, or a ';', ',' or '.' that ends its line."""
    q = re.escape(quote)
    ends = re.compile(rf"(?<!{q}){q}(?!{q})(?=@[A-Za-z]|\^\^|[ \t]*[.;,\]][ \t]*(?:#[^\n]*)?$)", re.M)
    m = ends.search(text, start)
    return _line_column(text, m.start()) if m else None


def _end_before(data: bytes, line: int, column: int) -> tuple[int, int] | None:
    """The 1-based line and column of the last character before (line, column) that is neither
    blank nor in a comment: where the statement before ends. None at the start of the file."""
    lines = data.decode("utf-8", "replace").split("\n")
    if not 1 <= line <= len(lines):
        return None
    for number in range(line, 0, -1):
        text = lines[number - 1]
        if number == line:
            text = text[:max(column - 1, 0)]
        code = _without_comment(text).rstrip()
        if code:
            return number, len(code)
    return None


def _without_comment(line: str) -> str:
    """A line without its `#` comment (a `#` inside a string or an IRI is not one)."""
    quote, in_iri, i = "", False, 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif in_iri:
            in_iri = c != ">"
        elif c in "\"'":
            quote = c
        elif c == "<":
            in_iri = True
        elif c == "#":
            return line[:i]
        i += 1
    return line


def parse_file(source: SourceFile, base_iri: str) -> tuple[list[ox.Quad], Problem | None]:
    """Parse one Turtle file into quads of its own graph, or return its syntax problem."""
    graph = source.graph
    return _read(source, lambda data: [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=base_iri, rename_blank_nodes=True)])


def load_file(source: SourceFile, base_iri: str, store: ox.Store) -> Problem | None:
    """Load one Turtle file into its own graph of the store, or return its syntax problem: all of
    it or none of it, its blank nodes apart from every other file's, as parse_file makes them,
    and twice as fast, with no Python object made per triple."""
    return _read(source, lambda data: store.load(data, ox.RdfFormat.TURTLE, base_iri=base_iri,
                                                 to_graph=source.graph))[1]


def _read(source: SourceFile, use):
    """(what `use` makes of the file's bytes, None), or ([], the problem that stopped it)."""
    data = None
    try:
        data = without_bom(source.path.read_bytes())
        return use(data), None
    except SyntaxError as exc:
        return [], syntax_problem(source.shown, exc, data)
    except UnicodeDecodeError as exc:
        return [], Problem(source.shown, 1, 0, "error", "encoding", f"the file is not UTF-8: {exc.reason}")
    except MemoryError:  # the parser refuses a single term over its buffer limit (16 MB)
        return [], Problem(source.shown, _longest_line(source.path), 1, "error", "too-large",
                           "a literal or IRI here is larger than the parser's limit of 16 MB",
                           "keep long texts out of the knowledge base: link to them with schema:url")
    except OSError as exc:
        return [], Problem(source.shown, 0, 0, "error", "unreadable", f"cannot read the file: {exc.strerror}")


def without_bom(data: bytes) -> bytes:
    """A file's bytes with a UTF-8 byte-order mark (which some editors write first) made a space:
    the parser would read it as the start of a name, and columns stay as an editor counts them."""
    return b" " + data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _longest_line(path: Path) -> int:
    """The number of the file's longest line (where an oversized term most likely is)."""
    best, best_len, number = 1, -1, 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if len(line) > best_len:
                best, best_len = number, len(line)
    return best


def load_vocab(store: ox.Store) -> None:
    """Load the builder's vocabulary into its own graph."""
    store.load(path=str(VOCAB_PATH), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(VOCAB_GRAPH))


def load_kb(files: list[SourceFile], base_iri: str, store: ox.Store | None = None) -> tuple[ox.Store, list[Problem]]:
    """Load every file (reporting every syntax error, not just the first) and the vocabulary."""
    store = store if store is not None else ox.Store()
    problems: list[Problem] = []
    for source in files:
        problem = load_file(source, base_iri, store)
        if problem:
            problems.append(problem)
    load_vocab(store)
    return store, problems
