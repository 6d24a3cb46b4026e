"""Where things are written: Turtle text in, a `Positions` index (file, line, column) out.

pyoxigraph parses fast but keeps no positions, so problems found on the store are mapped back
to the text through this index. One compiled regular expression tokenises Turtle (comments,
IRIs, prefixed names with escapes, the four string forms, numbers, booleans, `a`, directives,
`[ ]`, `( )`, `;`, `,`, `.`), and a small state machine walks the statements. Keys are full
IRIs (or a literal's lexical value); a blank node written as `[ ... ]` is keyed by the path
that leads to it, the tuple `(outer_subject_key, outer_predicate)`. The indexer never raises on
broken text: it skips to the next `.` and goes on.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urljoin

from .dates import Where  # one `Where` (path, line, column; 1-based) for the whole builder

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Deeper `[ ... ]` or `( ... )` are not indexed: keys nest one tuple per level, and hashing them
# grows with depth (the checker refuses blank nodes nested more than 32 deep anyway).
MAX_NESTING = 64
XSD = "http://www.w3.org/2001/XMLSchema#"

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS = _BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_IRI = r"<(?:[^\x00-\x20<>\"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
_STRING = (r'"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""' r"|'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
           r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'")
_TOKEN = re.compile(rf"""(?:\s++|\#[^\n\r]*+)*+(?:(?P<sep>[;,.])(?:\s++|\#[^\n\r]*+)*+)?(?:
    (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<punct>[;,.\[\]()])
  | (?P<string>{_STRING})(?:\s*(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)|\s*\^\^\s*(?P<dt>{_IRI}|(?:{_PREFIX})?:(?:{_LOCAL})?))?
  | (?P<iri>{_IRI})
  | (?P<number>[+-]?(?:[0-9]+\.?[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+))
  | (?P<bnode>_:[{_BASE}_0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<directive>@prefix|@base)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<other>[^\s#])
)""", re.X)
_STRING_TOKEN = re.compile(_STRING)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LOCAL_ESC = re.compile(r"\\(.)")
_NEWLINE = re.compile("\n")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PREFIX_DECL = re.compile(rf"^[ \t]*(?:@prefix|[Pp][Rr][Ee][Ff][Ii][Xx])[ \t]+(?P<name>(?:{_PREFIX})?:)[ \t]*(?P<iri>{_IRI})", re.M)


@dataclass(frozen=True)
class PrefixDecl:
    """A prefix declaration as written: name (without ':'), namespace IRI, and where."""

    prefix: str
    namespace: str
    where: Where


def _unescape_string(body: str) -> str:
    """Turn a Turtle string's escapes into characters."""
    def repl(m: re.Match) -> str:
        if m.group(3) is not None:
            return _ECHARS.get(m.group(3), m.group(3))
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return ""
    return _ECHAR.sub(repl, body) if "\\" in body else body


def _string_value(token: str) -> str:
    """The lexical value of a string token, quotes removed and escapes resolved."""
    cut = 3 if token[:3] in ('"""', "'''") and len(token) >= 6 else 1
    return _unescape_string(token[cut:-cut])


class PositionIndex:
    """Where each subject, predicate, triple and IRI is written in one file."""

    def __init__(self, shown: str, text: str, base_iri: str):
        self.path = shown
        self.prefixes: list[PrefixDecl] = []
        self._subjects: dict = {}
        self._predicates: dict = {}
        self._triples: dict = {}
        self._occurrences: dict = {}
        self._string_ends: dict[int, int | None] = {}  # where the string literal starting at an offset ends
        if text.startswith("\ufeff"):  # a byte-order mark, read as a space (load.without_bom)
            text = " " + text[1:]
        self._lines = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._text = text
        _Indexer(self, base_iri).run(text)

    def at(self, offset: int | None) -> Where | None:
        """Turn a character offset into a `Where`."""
        if offset is None:
            return None
        i = bisect_right(self._lines, offset) - 1
        return Where(self.path, i + 1, offset - self._lines[i] + 1)

    def where(self, subject, predicate: str | None = None, obj=None) -> Where | None:
        """Find where a subject (or its predicate, or one triple's object) is first written."""
        if predicate is None:
            return self.at(self._subjects.get(subject))
        if obj is None:
            return self.at(self._predicates.get((subject, predicate)))
        return self.at(self._triples.get((subject, predicate, obj)))

    def where_nested(self, outer_subject, outer_predicate: str, inner_predicate: str | None = None,
                     obj=None) -> Where | None:
        """Find a statement inside the `[ ... ]` that is the object of outer_subject outer_predicate."""
        return self.where((outer_subject, outer_predicate), inner_predicate, obj)

    def occurrences(self, iri: str) -> list[Where]:
        """List every place an IRI is written (subject, predicate, object or datatype)."""
        return [self.at(p) for p in self._occurrences.get(iri, ())]

    def inside_string(self, where: Where, needles: tuple[str, ...]) -> Where | None:
        """Where the first of `needles` is written inside the string literal that starts at
        `where` (a link inside a description, say), as written: escapes are not undone."""
        if where.line < 1 or where.line > len(self._lines):
            return None
        start = self._lines[where.line - 1] + where.column - 1
        if start not in self._string_ends:  # matched once: a long description may hold thousands of links
            token = _STRING_TOKEN.match(self._text, start)
            self._string_ends[start] = token.end() if token else None
        end = self._string_ends[start]
        if end is None:
            return None
        found = [i for n in needles if n and (i := self._text.find(n, start, end)) >= 0]
        return self.at(min(found)) if found else None

    def iris(self) -> list[str]:
        """List every IRI written in the file."""
        return list(self._occurrences)


class Positions:
    """The position indexes of every file of a knowledge base, each built when first asked for.

    Checks find problems on the store, where each triple's graph names its file, so usually
    only the few files with problems are ever tokenised. Methods take `graphs` (file URIs,
    shown paths or `SourceFile`s) to search; without it they search every file, in order.
    """

    def __init__(self, files: list, base_iri: str):
        self.files = list(files)
        self.base_iri = base_iri
        self._by_key = {k: f for f in self.files for k in (f.shown, f.path.as_uri(), str(f.path))}
        self._built: dict[str, PositionIndex | None] = {}
        self._prefixes: list[PrefixDecl] | None = None

    def file(self, key) -> PositionIndex | None:
        """Return the index of one file (by SourceFile, shown path or file URI), building it once."""
        source = self._by_key.get(getattr(key, "shown", None) or getattr(key, "value", None) or str(key))
        if source is None:
            return None
        if source.shown not in self._built:
            try:
                text = source.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._built[source.shown] = None
            else:
                self._built[source.shown] = PositionIndex(source.shown, text, self.base_iri)
        return self._built[source.shown]

    def _indexes(self, graphs=None):
        for key in (self.files if graphs is None else graphs):
            index = self.file(key)
            if index is not None:
                yield index

    def where(self, subject, predicate: str | None = None, obj=None, graphs=None) -> Where | None:
        """Find the first place a subject, predicate or triple is written."""
        return next((w for i in self._indexes(graphs) if (w := i.where(subject, predicate, obj))), None)

    def where_nested(self, outer_subject, outer_predicate: str, inner_predicate: str | None = None,
                     obj=None, graphs=None) -> Where | None:
        """Find a statement inside the `[ ... ]` that is the object of outer_subject outer_predicate."""
        return self.where((outer_subject, outer_predicate), inner_predicate, obj, graphs)

    def occurrences(self, iri: str, graphs=None) -> list[Where]:
        """List every place an IRI is written, file by file."""
        return [w for i in self._indexes(graphs) for w in i.occurrences(iri)]

    def inside_string(self, where: Where, needles: tuple[str, ...]) -> Where:
        """Where one of `needles` is written inside the string literal at `where`; else `where`."""
        index = self.file(where.path)
        return (index.inside_string(where, needles) if index is not None else None) or where

    @property
    def prefixes(self) -> list[PrefixDecl]:
        """List every prefix declaration of every file (a quick scan; no full index needed)."""
        if self._prefixes is None:
            self._prefixes = [d for f in self.files for d in scan_prefixes(f, self.base_iri)]
        return self._prefixes


def _resolve(base: str, iri: str) -> str:
    """Resolve a relative IRI against the base (an absolute one stays exactly as written)."""
    return iri if _SCHEME.match(iri) else urljoin(base, iri)


def scan_prefixes(source, base_iri: str) -> list[PrefixDecl]:
    """Find a file's prefix declarations with one regular expression, without indexing it."""
    try:
        text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    for m in _PREFIX_DECL.finditer(text):
        line = text.count("\n", 0, m.start("name")) + 1
        column = m.start("name") - (text.rfind("\n", 0, m.start("name")) + 1) + 1
        out.append(PrefixDecl(m.group("name")[:-1], _resolve(base_iri, m.group("iri")[1:-1]),
                              Where(source.shown, line, column)))
    return out


_MISSING = object()


class _Indexer:
    """Walks the tokens of one file and fills its `PositionIndex` (positions are offsets).

    The hot path (names, strings, `;`, `,`, `.`) lives in `run` with its state in locals; the
    rare tokens (brackets, directives, numbers, bad tokens) go through methods that work on
    `self`, so `run` saves its locals before calling them and reloads them after.
    """

    def __init__(self, out: PositionIndex, base_iri: str):
        self.out, self.base = out, base_iri
        self.ns: dict[str, str] = {}
        self.cache: dict[str, str | None] = {}
        self.stack: list[tuple] = []  # saved (kind, subject, predicate, expect) of enclosing [ ] and ( )
        self.subject = self.predicate = None
        self.expect = "s"  # s: subject, p: predicate, o: object, ao: after an object, d: directive, x: skipping
        self.kind = "top"  # top, bnode or list: what encloses the current statement part
        self.dword, self.dparts = "", []  # the directive being read (expect == "d")

    def iri(self, kind: str, text: str) -> str | None:
        """Expand an IRI token (IRIREF or prefixed name) to a full IRI, or None."""
        hit = self.cache.get(text, _MISSING)
        if hit is not _MISSING:
            return hit
        if kind == "iri":
            value = text[1:-1]
            if "\\" in value:
                value = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), value)
            value = _resolve(self.base, value)
        else:
            prefix, _, local = text.partition(":")
            ns = self.ns.get(prefix)
            value = None if ns is None else ns + (_LOCAL_ESC.sub(r"\1", local) if "\\" in local else local)
        self.cache[text] = value
        return value

    def note(self, iri: str | None, pos: int) -> None:
        """Remember one place where an IRI is written."""
        if iri is not None:
            self.out._occurrences.setdefault(iri, []).append(pos)

    def term(self, key, pos: int) -> None:
        """Take a subject, predicate or object (the slow path of the same logic in `run`)."""
        if self.expect == "o":
            self.out._triples.setdefault((self.subject, self.predicate, key), pos)
            if self.kind != "list":
                self.expect = "ao"
        elif self.expect == "p":
            self.predicate = key
            self.out._predicates.setdefault((self.subject, key), pos)
            self.expect = "o"
        elif self.expect == "s":
            self.subject = key
            self.out._subjects.setdefault(key, pos)
            self.expect = "p"
        else:
            self.skip()

    def skip(self) -> None:
        """Give up on the statement: ignore tokens until the next '.'."""
        if self.expect != "x":
            self.expect, self.stack, self.kind = "x", [], "top"

    def open_bracket(self, pos: int) -> None:
        """Start a `[ ... ]` as subject or object."""
        if len(self.stack) >= MAX_NESTING:
            return self.skip()
        if self.expect == "s":
            key = ("[]", pos)
        elif self.expect == "o":
            key = (self.subject, self.predicate)
            self.out._triples.setdefault((self.subject, self.predicate, key), pos)
        else:
            return self.skip()
        self.out._subjects.setdefault(key, pos)
        self.stack.append((self.kind, self.subject, self.predicate, self.expect))
        self.kind, self.subject, self.predicate, self.expect = "bnode", key, None, "p"

    def close_bracket(self) -> None:
        """End a `[ ... ]`."""
        if self.kind != "bnode" or self.expect not in ("p", "ao"):
            return self.skip()
        key = self.subject
        self.kind, self.subject, self.predicate, was = self.stack.pop()
        if was == "s":  # `[ ... ] :p :o .` or the sole `[ ... ] .`
            self.subject, self.expect = key, "p"
        else:
            self.expect = "o" if self.kind == "list" else "ao"

    def open_paren(self, pos: int) -> None:
        """Start a collection; its items count as objects of the enclosing predicate."""
        if self.expect not in ("s", "o") or len(self.stack) >= MAX_NESTING:
            return self.skip()
        was = self.expect
        self.stack.append((self.kind, self.subject, self.predicate, was))
        if was == "s":
            self.subject, self.predicate = ("()", pos), None
        self.kind, self.expect = "list", "o"

    def close_paren(self) -> None:
        """End a collection."""
        if self.kind != "list":
            return self.skip()
        key = self.subject
        self.kind, self.subject, self.predicate, was = self.stack.pop()
        if was == "s":
            self.subject, self.expect = key, "p"
        else:
            self.expect = "o" if self.kind == "list" else "ao"

    def bracket(self, char: str, pos: int) -> None:
        """Handle one of `[ ] ( )`."""
        if self.expect == "x":
            return
        if char == "[":
            self.open_bracket(pos)
        elif char == "]":
            self.close_bracket()
        elif char == "(":
            self.open_paren(pos)
        else:
            self.close_paren()

    def start_directive(self, word: str) -> None:
        """Begin `@prefix`, `PREFIX`, `@base` or `BASE`; its parts come as the next tokens."""
        if self.expect != "s" or self.kind != "top":
            return self.skip()
        self.dword, self.dparts, self.expect = word, [], "d"

    def directive_part(self, kind: str, m: re.Match) -> None:
        """Collect one part of a directive; SPARQL-style ones end when complete."""
        self.dparts.append((kind, m.group(kind), m.start(kind)))
        need = 2 if self.dword.lower().endswith("prefix") else 1
        if len(self.dparts) > need:
            self.expect = "x"
        elif len(self.dparts) == need and not self.dword.startswith("@"):
            self.end_directive()

    def end_directive(self) -> None:
        """Apply a complete prefix or base declaration, or skip a broken one."""
        parts, self.expect = self.dparts, "s"
        if self.dword.lower().endswith("prefix"):
            if [p[0] for p in parts] != ["pname", "iri"] or not parts[0][1].endswith(":"):
                return
            name, ns = parts[0][1][:-1], self.iri("iri", parts[1][1])
            self.ns[name], self.cache = ns, {}
            self.out.prefixes.append(PrefixDecl(name, ns, self.out.at(parts[0][2])))
        elif [p[0] for p in parts] == ["iri"]:
            self.base, self.cache = self.iri("iri", parts[0][1]), {}

    def other(self, kind: str, m: re.Match, pos: int) -> None:
        """Handle the rare tokens: numbers, blank node labels, bare words, bad characters."""
        if kind == "number":
            self.term(m.group(kind), pos)
        elif kind == "bnode":
            self.term(("_:", m.group(kind)), pos)
        elif kind == "word" and m.group(kind) in ("true", "false"):
            self.term(m.group(kind), pos)
        else:
            self.skip()

    def run(self, text: str) -> None:
        """Tokenise and walk the whole text."""
        out = self.out
        triples, predicates, subjects, occ = out._triples, out._predicates, out._subjects, out._occurrences
        triples_sd, predicates_sd, subjects_sd, occ_get = (triples.setdefault, predicates.setdefault,
                                                           subjects.setdefault, occ.get)
        expect, subject, predicate, kind_ctx = self.expect, self.subject, self.predicate, self.kind
        cache_get = self.cache.get
        it = _TOKEN.finditer(text)
        for m in it:
            kind = m.lastgroup
            char = m.group("sep")
            if char is None:
                pass
            elif char == ";":
                if expect == "ao" or expect == "p":
                    expect = "p"
                elif expect != "x":
                    self.stack, kind_ctx, expect = [], "top", "x"
            elif char == ",":
                if expect == "ao":
                    expect = "o"
                elif expect != "x":
                    self.stack, kind_ctx, expect = [], "top", "x"
            elif expect == "x" or expect == "s" or (kind_ctx == "top" and (expect == "ao" or expect == "p")):
                expect, subject, predicate = "s", None, None
            elif expect == "d":
                self.end_directive()
                expect, cache_get = "s", self.cache.get
            else:
                self.stack, kind_ctx, expect, subject, predicate = [], "top", "s", None, None
            if expect == "d":
                if kind == "punct" and m.group(kind) == ".":
                    self.end_directive()
                    expect, cache_get = "s", self.cache.get
                else:
                    self.directive_part(kind, m)
                    expect, cache_get = self.expect, self.cache.get
                continue
            if kind == "punct":
                char = m.group(kind)
                if char == ";":
                    if expect == "ao" or expect == "p":
                        expect = "p"
                        continue
                elif char == ",":
                    if expect == "ao":
                        expect = "o"
                        continue
                elif char == ".":
                    if expect == "x" or expect == "s" or (kind_ctx == "top" and (expect == "ao" or expect == "p")):
                        expect, subject, predicate = "s", None, None
                        continue
                    self.stack, kind_ctx, expect, subject, predicate = [], "top", "s", None, None
                    continue
                self.expect, self.subject, self.predicate, self.kind = expect, subject, predicate, kind_ctx
                if char in ";,":
                    self.skip()
                else:
                    self.bracket(char, m.start(kind))
                expect, subject, predicate, kind_ctx = self.expect, self.subject, self.predicate, self.kind
                continue
            if kind == "pname" or kind == "iri":
                tok = m.group(kind)
                key = cache_get(tok, _MISSING)
                if key is _MISSING:
                    key = self.iri(kind, tok)
                pos = m.start(kind)
                if key is not None:
                    seen = occ_get(key)
                    if seen is None:
                        occ[key] = [pos]
                    else:
                        seen.append(pos)
            elif kind == "lang" or kind == "dt" or kind == "string":
                tok = m.group("string")
                pos = m.start("string")
                if kind == "dt":
                    dt = m.group("dt")
                    self.note(self.iri("iri" if dt[0] == "<" else "pname", dt), pos)
                key = _string_value(tok)
            elif kind == "word" and m.group(kind) == "a" and expect == "p":
                key, pos = RDF_TYPE, m.start(kind)
                self.note(key, pos)
            else:
                self.expect, self.subject, self.predicate, self.kind = expect, subject, predicate, kind_ctx
                if kind == "directive" or (kind == "word" and m.group(kind).upper() in ("PREFIX", "BASE")):
                    self.start_directive(m.group(kind))
                elif kind is not None:
                    self.other(kind, m, m.start(kind))
                expect, subject, predicate, kind_ctx = self.expect, self.subject, self.predicate, self.kind
                continue
            if expect == "o":
                triples_sd((subject, predicate, key), pos)
                if kind_ctx != "list":
                    expect = "ao"
            elif expect == "p":
                predicate = key
                predicates_sd((subject, key), pos)
                expect = "o"
            elif expect == "s":
                subject = key
                subjects_sd(key, pos)
                expect = "p"
            elif expect != "x":
                self.stack, kind_ctx, expect = [], "top", "x"
        self.expect, self.subject, self.predicate, self.kind = expect, subject, predicate, kind_ctx


def index_text(text: str, shown: str, base_iri: str) -> PositionIndex:
    """Index one file's text (shown as `shown` in problems)."""
    return PositionIndex(shown, text, base_iri)


def index_files(files: list, base_iri: str) -> Positions:
    """Make the (lazy) position index of a knowledge base's files (`SourceFile`s)."""
    return Positions(files, base_iri)
