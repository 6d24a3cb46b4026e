"""`tarikh new`: a kind and values (from flags or prompts) in, a well-formed Turtle block appended out.

`new_block` writes the block with a fresh slug (ASCII `[a-z0-9-]+` from the English label, with
-2, -3 … when taken); `append_block` appends it to a file, never rewriting what is there, and
declares the prefixes the file lacks. `add_arguments` and `run` are the command line's side.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

from urllib.parse import quote

import pyoxigraph as ox

from .load import UNREAD_FOLDERS
from .namespaces import PREFIXES, all_prefixes, compact

KINDS = ("event", "actor", "place", "source", "claim")
SLUG_PREFIX = {"event": "ev-", "source": "src-", "claim": "claim-", "actor": "", "place": ""}
CLASSES = {
    "event": ("sem:Event", None, None),
    "actor": ("sem:Actor", "schema", ("Organization", "Person", "Country", "NewsMediaOrganization")),
    "place": ("sem:Place", "schema", ("City", "Country", "Airport", "Place")),
    "source": ("prov:Entity", "schema", ("NewsArticle", "CreativeWork", "Report")),
    "claim": ("tl:Claim", None, None),
}
ROLES = {"perpetrator": "tl:perpetrator", "target": "tl:target", "participant": "tl:participant",
         "speaker": "tl:speaker", "actor": "sem:hasActor"}
STATUSES = ("Claimed", "Attributed", "Reported", "Confirmed", "Denied", "Disputed")
REQUIRED = {
    "event": ("label", "date", "source"), "actor": ("label",), "place": ("label",),
    "source": ("label", "publisher"), "claim": ("subject", "predicate", "object", "by", "status", "source"),
}
_COMMON = ("label_en", "label_ar", "description")
# the flags each kind writes; any other is refused rather than dropped without a word
APPLIES = {
    "event": (*_COMMON, "date", "type", "place", "source", "actors"),
    "actor": (*_COMMON, "type"),
    "place": (*_COMMON, "type", "place", "lat", "long", "source"),
    "source": (*_COMMON, "date", "type", "publisher", "url", "language", "source"),
    "claim": (*_COMMON, "date", "subject", "predicate", "object", "by", "status", "source"),
}
PROMPTS = {"label": "label in English (or --label-ar)", "date": "date (EDTF, e.g. 2024-01-29 or 2024-02)",
           "source": "source IRI (e.g. id:src-reuters-…)", "publisher": "publisher (an actor IRI)",
           "subject": "what the claim is about (IRI)", "predicate": "the claimed property (e.g. tl:perpetrator)",
           "object": "the claimed value (IRI)", "by": "who makes the claim (actor IRI)",
           "status": "status (" + ", ".join(STATUSES) + ")"}


class ScaffoldError(ValueError):
    """A value that cannot go into the block; the message says which and why."""


def slugify(text: str) -> str:
    """Make an ASCII slug `[a-z0-9-]+` from a label (empty when nothing Latin is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug


def fresh_slug(base: str, taken: set[str]) -> str:
    """Return base, or base-2, base-3 … whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def existing_slugs(kb) -> set[str]:
    """Every local name of the id: namespace that the knowledge base writes anywhere."""
    ns = kb.id_ns
    found = set()
    for q in kb.store.quads_for_pattern(None, None, None):
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(ns):
                found.add(term.value[len(ns):])
    return found


def literal(text: str, lang: str | None = None) -> str:
    """Write a Turtle string literal, escaped, with its language tag."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    # other control characters as escapes: the same text, but nothing invisible in the file, and
    # nothing a terminal would run when the file is shown (ESC [ … in a pasted label)
    body = _CONTROL.sub(lambda m: "\\t" if m.group() == "\t" else f"\\u{ord(m.group()):04X}", body)
    return f'"{body}"' + (f"@{lang}" if lang else "")


_CONTROL = re.compile("[\x00-\x09\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


# what an IRI cannot hold (RFC 3987; Turtle's IRIREF): spaces and controls, <>"{}|^` and \\
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')


def term(value: str, default_prefix: str = "id") -> str:
    """Write a reference the user typed: id:x, x (an id: slug), tl:Meeting, or a full IRI."""
    value = value.strip()
    if re.fullmatch(r"https?://\S+", value) or (value.startswith("<") and value.endswith(">")):
        iri = value[1:-1] if value.startswith("<") else value
        bad = _NOT_IRI.search(iri)
        if bad or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            why = (f"it holds {bad.group()!r}, which an IRI cannot (write it percent-encoded, as "
                   f"{quote(bad.group(), safe='')})" if bad else "it has no scheme such as https:")
            raise ScaffoldError(f"{value!r} is not an IRI I can write: {why}")
        return f"<{iri}>"
    if ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in PREFIXES or prefix == "id":
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local) and not local.endswith("."):
                return value
        raise ScaffoldError(f"{value!r} is not an IRI I can write: use id:slug, a known prefix, or https://…")
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*", value):
        return f"{default_prefix}:{value}"
    raise ScaffoldError(f"{value!r} is not an IRI I can write: use id:slug, a known prefix, or https://…")


def _date(value: str) -> str:
    """Write an EDTF date literal, after checking it parses."""
    try:
        from .edtf import EDTFError, parse_edtf
    except ImportError:  # pragma: no cover - edtf.py ships with the builder
        return f'{literal(value)}^^edtf:EDTF'
    try:
        parse_edtf(value)
    except EDTFError as exc:
        raise ScaffoldError(str(exc)) from None
    return f'{literal(value)}^^edtf:EDTF'


def _labels(values: dict, predicate: str = "skos:prefLabel") -> list[str]:
    pairs = [literal(values[k], lang) for k, lang in (("label_en", "en"), ("label_ar", "ar")) if values.get(k)]
    return [f"{predicate} " + " ,\n        ".join(pairs)] if pairs else []


def _class_line(kind: str, values: dict) -> str:
    """The `a …` line: the kind's class plus its schema.org kind where it has one."""
    base, prefix, allowed = CLASSES[kind]
    if prefix is None:
        return f"a {base}"
    wanted = values.get("type") or allowed[0]
    local = wanted.split(":", 1)[-1]
    match = next((a for a in allowed if a.lower() == local.lower()), None)
    if match is None:
        raise ScaffoldError(f"--type for a {kind} is one of {', '.join(allowed)}, not {wanted!r}")
    return f"a {base} , schema:{match}"


def _event_lines(values: dict) -> list[str]:
    lines = []
    if values.get("type"):
        lines.append(f"sem:eventType {term(values['type'], 'tl')}")
    if values.get("date"):
        lines.append(f"dcterms:date {_date(values['date'])}")
    for role, who in values.get("actors", []):
        if role not in ROLES:
            raise ScaffoldError(f"--actor takes ROLE=IRI with ROLE one of {', '.join(ROLES)}, not {role!r}")
        lines.append(f"{ROLES[role]} {term(who)}")
    if values.get("place"):
        lines.append(f"sem:hasPlace {term(values['place'])}")
    return lines


def _source_lines(values: dict) -> list[str]:
    lines = [f"dcterms:publisher {term(values['publisher'])}"] if values.get("publisher") else []
    if values.get("date"):
        lines.append(f"dcterms:issued {_date(values['date'])}")
    if values.get("url"):
        lines.append(f"schema:url {term(values['url'])}")
    if values.get("language"):
        from .literals import language_code_for, language_tag_problem
        code = values["language"]
        if language_tag_problem(code):
            meant = language_code_for(code)
            raise ScaffoldError(f"--language is a BCP 47 language code such as ar, en or ar-SY, not {code!r}"
                                + (f" (did you mean {meant}?)" if meant else ""))
        lines.append(f"dcterms:language {literal(values['language'])}")
    return lines


def _claim_lines(values: dict) -> list[str]:
    status = values.get("status", "")
    match = next((s for s in STATUSES if s.lower() == status.split(":")[-1].lower()), None)
    if match is None:
        raise ScaffoldError(f"--status is one of {', '.join(STATUSES)}, not {status!r}")
    lines = [f"rdf:subject {term(values['subject'])}", f"rdf:predicate {term(values['predicate'], 'tl')}",
             f"rdf:object {term(values['object'])}", f"sem:accordingTo {term(values['by'])}",
             f"tl:status tl:{match}"]
    if values.get("date"):
        lines.append(f"dcterms:date {_date(values['date'])}")
    return lines


def _place_lines(values: dict) -> list[str]:
    lines = []
    for key, prop in (("lat", "schema:latitude"), ("long", "schema:longitude")):
        if values.get(key):
            if not re.fullmatch(r"[+-]?[0-9]+\.[0-9]+", values[key]):
                raise ScaffoldError(f"--{key} is a decimal number such as 33.3128, not {values[key]!r}")
            limit = 90 if key == "lat" else 180
            if abs(float(values[key])) > limit:
                raise ScaffoldError(f"--{key} is between -{limit} and {limit} degrees, not {values[key]}")
            lines.append(f"{prop} {values[key]}")
    if values.get("place"):
        lines.append(f"schema:containedInPlace {term(values['place'])}")
    return lines


def new_block(kind: str, kb, values: dict) -> str:
    """Write the Turtle block for a new thing (it starts with `id:<fresh slug> `)."""
    if kind not in KINDS:
        raise ScaffoldError(f"KIND is one of {', '.join(KINDS)}, not {kind!r}")
    for key, value in values.items():
        for text in (value if isinstance(value, (list, tuple)) else [value]):
            for part in (text if isinstance(text, tuple) else [text]):
                if isinstance(part, str) and re.search("[\ud800-\udfff]", part):
                    # bytes that are not UTF-8 reach argv as lone surrogates, which no file can hold
                    raise ScaffoldError(f"{_flag(key)} is not valid UTF-8 text")
    _must_apply(kind, values)
    for key in ("label_en", "label_ar", "description"):
        if values.get(key) is not None and not values[key].strip():
            # a label of spaces names nothing: the pages would show a blank link
            raise ScaffoldError(f"{_flag(key)} is empty: give the text, or leave the flag out")
    missing = [k for k in REQUIRED[kind] if not (values.get(k) or (k == "label" and values.get("label_ar")))
               and not (k == "label" and values.get("label_en"))]
    if missing:
        raise ScaffoldError("missing " + ", ".join("--label-en (or --label-ar)" if m == "label" else _flag(m)
                                                   for m in missing))
    name = values.get("label_en") or ""
    if kind == "claim" and not name:
        name = f"{_local(values['subject'])} by {_local(values['by'])}"
    base = SLUG_PREFIX[kind] + (slugify(name) or kind)
    slug = fresh_slug(base.rstrip("-"), existing_slugs(kb) if kb is not None else set())
    lines = [_class_line(kind, values)]
    lines += _labels(values, "dcterms:title" if kind == "source" else "skos:prefLabel")
    lines += {"event": _event_lines, "source": _source_lines, "claim": _claim_lines,
              "place": _place_lines, "actor": lambda v: []}[kind](values)
    if values.get("description"):
        lines.append(f"dcterms:description {literal(values['description'], 'en')}")
    lines += [f"prov:wasDerivedFrom {term(s)}" for s in values.get("source") or [] if kind != "actor"]
    block = f"id:{slug} " + " ;\n    ".join(lines) + " .\n"
    triples = _must_parse(block, all_prefixes(kb.id_ns if kb is not None else "https://example.org/id/"))
    if kb is not None:
        _must_be_described(kb, triples)
    return block


def _must_apply(kind: str, values: dict) -> None:
    """Refuse a flag the kind does not write (--source on an actor, --lat on an event): it was
    dropped, and the user believed it recorded."""
    ignored = [k for k, v in values.items() if v and k not in APPLIES[kind]]
    if ignored:
        flags = ", ".join(_flag(k) for k in ignored)
        raise ScaffoldError(f"{flags} {'does' if len(ignored) == 1 else 'do'} not apply to a{'n' if kind[0] in 'aeiou' else ''} "
                            f"{kind}, which takes {', '.join(_flag(k) for k in APPLIES[kind])}")


def _flag(key: str) -> str:
    """The command-line flag of a values key (actors is --actor)."""
    return "--actor" if key == "actors" else "--" + key.replace("_", "-")


def _must_be_described(kb, triples: list) -> None:
    """Refuse a block that names a thing of id: the knowledge base does not describe (a typo in
    --source or --place), a term its namespace does not have (tl:Airstrik in --type, a misspelt
    --predicate), or a thing of the wrong kind (a place as --publisher, an actor as --source):
    the checker would reject the file it was appended to."""
    import difflib
    ns = kb.id_ns
    for t in triples:
        obj = t.object
        if not isinstance(obj, ox.NamedNode):
            continue
        if not obj.value.startswith(ns):
            _must_be_a_term(kb, obj.value)
        elif next(iter(kb.store.quads_for_pattern(obj, None, None)), None) is None:
            local = obj.value[len(ns):]
            described = sorted({q.subject.value[len(ns):] for q in kb.store.quads_for_pattern(None, None, None)
                                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ns)})
            close = difflib.get_close_matches(local, described, n=3, cutoff=0.75)
            hint = f" (did you mean {' or '.join('id:' + c for c in close)}?)" if close else ""
            raise ScaffoldError(f"id:{local} is not described in the knowledge base{hint}")
        if t.predicate == _EVENT_TYPE and not _is_a(kb, obj, _CONCEPT):
            raise ScaffoldError(f"--type {_short(obj.value, ns)} is not an event type: an event type is a "
                                "skos:Concept the vocabulary or the knowledge base describes, such as tl:Airstrike")
        # what the shapes say the property takes (builder/shapes.ttl: sh:path with sh:class); a
        # claim's rdf:object, what its rdf:predicate takes
        prop, what = t.predicate.value, f"the {_short(t.predicate.value, ns)} of a {_kind_of(triples, ns)}"
        if prop == PREFIXES["rdf"] + "object":
            prop = next((u.object.value for u in triples if u.predicate.value == PREFIXES["rdf"] + "predicate"), "")
            what = f"what a claim says is the {_short(prop, ns)}"
        wanted = _ranges().get(prop)
        if wanted and not _is_a(kb, obj, ox.NamedNode(wanted)):
            raise ScaffoldError(f"{what} must be a {_short(wanted, ns)}, and {_short(obj.value, ns)} is not")


_EVENT_TYPE = ox.NamedNode(PREFIXES["sem"] + "eventType")
_CONCEPT = ox.NamedNode(PREFIXES["skos"] + "Concept")


@cache
def _ranges() -> dict[str, str]:
    """Property -> the class its value must have, as the shapes say (sh:path with sh:class)."""
    from .shacl import SH, SHAPES_PATH
    shapes: dict = {}
    for t in ox.parse(path=str(SHAPES_PATH), format=ox.RdfFormat.TURTLE):
        if t.predicate.value in (SH + "path", SH + "class") and isinstance(t.object, ox.NamedNode):
            shapes.setdefault(t.subject, {})[t.predicate.value] = t.object.value
    return {d[SH + "path"]: d[SH + "class"] for d in shapes.values() if len(d) == 2}


def _is_a(kb, node, cls) -> bool:
    """Whether the knowledge base (or the vocabulary) types node as cls or one of its sub-classes."""
    query = f"ASK {{ <{node.value}> <{PREFIXES['rdf']}type>/<{PREFIXES['rdfs']}subClassOf>* <{cls.value}> }}"
    return bool(kb.store.query(query, use_default_graph_as_union=True))


def _kind_of(triples: list, id_ns: str) -> str:
    """The new thing's class, as written (sem:Event …), for messages."""
    rdf_type = PREFIXES["rdf"] + "type"
    return next((_short(t.object.value, id_ns) for t in triples if t.predicate.value == rdf_type), "thing")


def _short(iri: str, id_ns: str) -> str:
    """An IRI as the user would write it: id:x, tl:X, or <…>."""
    return compact(iri, all_prefixes(id_ns))


def _must_be_a_term(kb, iri: str) -> None:
    """Refuse an IRI of a namespace the format uses (tl:, schema:, sem: …) that is not one of its
    terms, as the checker does (builder/terms.py), with the closest real terms."""
    from . import terms
    from .namespaces import TL
    parts = terms.split(iri, set(PREFIXES.values()))
    if parts is None:
        return  # described elsewhere (Wikidata, GeoNames, a web page): nothing to check here
    namespace, local = parts
    if namespace == TL and next(iter(kb.store.quads_for_pattern(ox.NamedNode(iri), None, None)), None) is not None:
        return  # defined by the vocabulary, or a concept of the knowledge base's own
    tl_terms = frozenset(q.subject.value[len(TL):] for q in kb.store.quads_for_pattern(None, None, None)
                         if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(TL))
    if terms.is_known(namespace, local, tl_terms):
        return
    prefix = next(p for p, n in PREFIXES.items() if n == namespace)
    close = terms.suggestions(namespace, local, tl_terms)
    hint = f" (did you mean {' or '.join(f'{prefix}:{c}' for c in close)}?)" if close else ""
    raise ScaffoldError(f"{prefix}:{local} is not a term of {terms.NAMES.get(namespace, prefix + ':')}{hint}")


def _local(value: str) -> str:
    """The local part of what the user typed for an IRI (id:ev-x, <https://…/ev-x>, ev-x)."""
    return re.split(r"[:/#]", value.strip("<> "))[-1]


def _must_parse(block: str, prefixes: dict[str, str]) -> list:
    """The block's triples; refuse a block that would not parse (a value the escaping above did not foresee)."""
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    try:
        return list(ox.parse((head + block).encode(), ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ScaffoldError(f"the block would not parse: {exc}") from None


def _declared(text: str) -> dict[str, str]:
    """The prefixes a Turtle text declares, each with the namespace its last declaration binds."""
    return dict(re.findall(r"(?im)^[\s\ufeff]*(?:@prefix|prefix)\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>", text))


def append_block(path: Path, text: str, prefixes: dict[str, str]) -> None:
    """Append a block to a Turtle file (created if new), declaring the prefixes it uses and lacks."""
    # read only to see the prefixes and the last line break: a stray byte that is not UTF-8 (in a
    # comment, which the parser skips) is no reason to refuse, and is appended after, not rewritten
    old = path.read_bytes().decode("utf-8", "replace") if path.exists() else ""
    used = set(re.findall(r"(?<![\w<\"#])([a-z][a-z0-9]*):(?=[A-Za-z0-9_])", text)) & set(prefixes)
    declared = _declared(old)
    other = sorted(p for p in used & set(declared) if declared[p] != prefixes[p])
    if other:
        # the block would name other things than new said: id:x would be the file's id:x
        p = other[0]
        raise ScaffoldError(f"{path} binds {p}: to <{declared[p]}>, not <{prefixes[p]}>, so the block's "
                            f"{p}: names would mean other things there; fix its @prefix line, or choose another --file")
    lacking = sorted(used - set(declared), key=list(prefixes).index)
    head = "".join(f"@prefix {p + ':':<8} <{prefixes[p]}> .\n" for p in lacking)
    sep = "" if not old else ("\n" if old.endswith("\n") else "\n\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(sep + (head + "\n" if head else "") + text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `tarikh new`'s arguments (the caller adds --kb)."""
    # a value that starts with '-' and a digit is a value, not an option: argparse takes only
    # numbers so (-0232, -33.5), and refused a BCE date such as --date -0599~ or -0599/-0500
    parser._negative_number_matcher = re.compile(r"^-\d")
    parser.add_argument("kind", choices=KINDS, metavar="KIND", help="event, actor, place, source or claim")
    parser.add_argument("--file", required=True, help="the Turtle file to append to (created if new)")
    for flag, help_text in (("--label-en", "the label in English (the slug comes from it)"),
                            ("--label-ar", "the label in Arabic"), ("--date", "an EDTF date (issued, for a source)"),
                            ("--type", "event type (tl:Airstrike …) or schema.org kind (Person, City, NewsArticle …)"),
                            ("--place", "where (a place IRI); for a place, the place it is in"),
                            ("--publisher", "a source's publisher (an actor IRI)"), ("--url", "a source's URL"),
                            ("--language", "a source's language (en, ar …)"), ("--description", "a description in English"),
                            ("--subject", "a claim's subject"), ("--predicate", "a claim's property"),
                            ("--object", "a claim's value"), ("--by", "who makes the claim"),
                            ("--status", "a claim's status: " + ", ".join(STATUSES)),
                            ("--lat", "a place's latitude"), ("--long", "a place's longitude")):
        parser.add_argument(flag, help=help_text)
    parser.add_argument("--source", action="append", help="where it comes from (repeatable)")
    parser.add_argument("--actor", action="append", default=[], metavar="ROLE=IRI",
                        help="an actor and its role: perpetrator, target, participant, speaker or actor (repeatable)")


def _values(args) -> dict:
    """The flags as a values dict."""
    keys = ("label_en", "label_ar", "date", "type", "place", "publisher", "url", "language", "description",
            "subject", "predicate", "object", "by", "status", "lat", "long", "source")
    values = {k: getattr(args, k, None) for k in keys}
    values["actors"] = [tuple(a.split("=", 1)) if "=" in a else ("actor", a) for a in args.actor or []]
    return values


def _prompt(kind: str, values: dict) -> None:
    """Ask for the required values that no flag gave (only at a terminal)."""
    for key in REQUIRED[kind]:
        if key == "label" and (values.get("label_en") or values.get("label_ar")):
            continue
        if values.get(key):
            continue
        answer = input(f"{PROMPTS.get(key, key)}: ").strip()
        if key == "label":
            values["label_en"] = answer
        else:
            values[key] = [answer] if key == "source" else answer


def _load_error(kb, path: Path):
    """The problem that stops a file of the knowledge base from loading (a syntax error, bytes that
    are not UTF-8), or None."""
    where = path.parent.resolve() / path.name
    shown = next((f.shown for f in kb.files if f.path == where), None)
    return next((p for p in kb.problems if shown is not None and p.path == shown and p.severity == "error"), None)


def run(args) -> int:
    """Run `tarikh new`: append the block, print its IRI; return the exit code."""
    from .kb import open_kb
    kb = open_kb(args.kb)
    if kb.config is None:
        print(f"tarikh: error: {args.kb}/site.toml is missing or invalid", file=sys.stderr)
        return 2
    path = Path(args.file)
    if path.suffix != ".ttl":
        print(f"tarikh: error: {args.file} is not a Turtle file: the build reads only files named *.ttl",
              file=sys.stderr)
        print(f"    hint: for example --file {path.with_suffix('.ttl')}", file=sys.stderr)
        return 2
    # the file as the build lists it: its folder resolved, a link to a file read as that file
    root, where = Path(args.kb).resolve(), path.parent.resolve() / path.name
    if root not in where.parents:
        print(f"tarikh: error: {args.file} is not inside {args.kb}, so the build would not read it",
              file=sys.stderr)
        print(f"    hint: for example --file {Path(args.kb) / path.name}", file=sys.stderr)
        return 2
    unread = sorted(UNREAD_FOLDERS.intersection(where.relative_to(root).parts[:-1]))
    if unread:
        print(f"tarikh: error: {args.file} is inside {unread[0]}/, which the build does not read", file=sys.stderr)
        print(f"    hint: for example --file {Path(args.kb) / path.name}", file=sys.stderr)
        return 2
    broken = _load_error(kb, path)
    if broken:
        # the loader reads a file whole or not at all: what is appended to this one would not be read
        print(f"tarikh: error: {args.file} does not load ({broken.path}:{broken.line}:{broken.column}: "
              f"{broken.message}), so nothing appended to it would be read", file=sys.stderr)
        print(f"    hint: fix it first (tarikh check --kb {args.kb}), or choose another --file", file=sys.stderr)
        return 2
    values = _values(args)
    try:
        _must_apply(args.kind, values)  # before any prompt
        if sys.stdin.isatty():
            _prompt(args.kind, values)
        block = new_block(args.kind, kb, values)
    except (ScaffoldError, EOFError) as exc:
        print(f"tarikh: error: {exc or 'no answer'}", file=sys.stderr)
        return 2
    try:
        append_block(path, block, all_prefixes(kb.id_ns))
    except OSError as exc:  # a folder, a read-only file, a path through a file
        print(f"tarikh: error: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ScaffoldError as exc:
        print(f"tarikh: error: {exc}", file=sys.stderr)
        return 2
    iri = block.split(" ", 1)[0]
    print(iri)
    print(f"appended {iri} to {args.file}", file=sys.stderr)
    return 0
