"""SHACL shapes compiled to SPARQL: shapes (builder/shapes.ttl and a KB's own) in, violations out.

pySHACL needs the data in rdflib, which at 10,000 events costs more than the whole check may
take (see benchmarks/shapes.py), so the SHACL Core constraints the shapes use are compiled to
SPARQL queries and run on the pyoxigraph store. Each top-level constraint becomes one query that
returns the offending focus node (and value); nested shapes (`sh:node`, `sh:or`, `sh:and`,
`sh:xone`, `sh:not`, `sh:qualifiedValueShape`) become boolean SPARQL expressions inside it.
Constraints outside that subset are reported as unsupported, never silently skipped.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
TLC = "https://w3id.org/tarikh/check#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SHAPES_PATH = Path(__file__).with_name("shapes.ttl")
TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"
NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBlank({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
PAIRS = {"lessThan": "<", "lessThanOrEquals": "<=", "equals": "=", "disjoint": "!="}
SHAPE_KEYS = {"property", "or", "and", "xone", "not", "node", "class", "datatype", "nodeKind", "in",
              "hasValue", "languageIn", "pattern", "minLength", "maxLength", *COMPARISONS}
IGNORED = {"path", "message", "severity", "name", "description", "order", "group", "targetClass",
           "targetNode", "targetSubjectsOf", "targetObjectsOf", "deactivated", "flags",
           "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "defaultValue"}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SPARQL query and what to say about each row it returns."""

    query: str
    component: str  # the SHACL constraint name, e.g. "minCount"
    code: str
    message: str  # a template with {this}, {path}, {value}, {other}; "" for the default
    severity: str
    path: str | None  # the predicate when the path is a single IRI
    params: tuple = ()  # (name, value) pairs for the default message
    requires: str | None = None  # a predicate without which the check cannot find anything
    # the same constraint on a statement a claim holds (rdf:subject ?this ; rdf:predicate path ;
    # rdf:object ?value), returning ?this ?value ?claim: for a value check on a single predicate
    claim_query: str | None = None


@dataclass(frozen=True)
class Violation:
    """One row of a check: the focus node, and the value (and other value) at fault."""

    check: Check
    focus: object
    value: object = None
    other: object = None


@dataclass
class _Reader:
    """Reads shape descriptions from a store (any graph)."""

    store: ox.Store
    unsupported: list = field(default_factory=list)
    current: object = None  # the top-level shape being compiled
    _counter: list = field(default_factory=lambda: [0])

    def objects(self, node, name: str, ns: str = SH) -> list:
        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(ns + name), None)]

    def value(self, node, name: str, ns: str = SH):
        found = self.objects(node, name, ns)
        return found[0] if found else None

    def items(self, node) -> list:
        """Read an RDF list."""
        out, seen = [], set()
        while node is not None and node != ox.NamedNode(RDF + "nil") and node not in seen:
            seen.add(node)
            out.append(self.value(node, "first", RDF))
            node = self.value(node, "rest", RDF)
        return [x for x in out if x is not None]

    def var(self, stem: str = "v") -> str:
        """Make a fresh SPARQL variable."""
        self._counter[0] += 1
        return f"?{stem}{self._counter[0]}"

    def note(self, shape, what: str) -> None:
        """Remember something of a shape that cannot be run (under the top-level shape being compiled)."""
        entry = (self.current if self.current is not None else shape, what)
        if entry not in self.unsupported:
            self.unsupported.append(entry)

    def keys(self, node) -> set[str]:
        return {q.predicate.value[len(SH):] for q in self.store.quads_for_pattern(node, None, None)
                if q.predicate.value.startswith(SH)}


def _path(r: _Reader, node) -> str:
    """Compile a SHACL property path to a SPARQL path."""
    if isinstance(node, ox.NamedNode):
        return str(node)
    if r.value(node, "first", RDF) is not None:
        return "(" + "/".join(_path(r, x) for x in r.items(node)) + ")"
    for name, fmt in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                      ("zeroOrOnePath", "({})?")):
        inner = r.value(node, name)
        if inner is not None:
            return fmt.format(_path(r, inner))
    alt = r.value(node, "alternativePath")
    if alt is not None:
        return "(" + "|".join(_path(r, x) for x in r.items(alt)) + ")"
    r.note(None, "a property path it cannot read")
    return f"<{RDF}nil>"


def _distinct(r: _Reader, subject: str, path: str, n: int) -> str:
    """A pattern matching n distinct values of a path."""
    vs = [r.var("d") for _ in range(n)]
    pattern = " . ".join(f"{subject} {path} {v}" for v in vs)
    tests = [f"{a} != {b}" for i, a in enumerate(vs) for b in vs[i + 1:]]
    return pattern + (f" FILTER({' && '.join(tests)})" if tests else "")


def _value_conditions(r: _Reader, shape, v: str) -> list[tuple[str, str]]:
    """(component, condition) pairs a single value node v must meet under the shape."""
    out = []
    out += [("class", f"EXISTS {{ {v} {TYPE_PATH} {c} }}") for c in r.objects(shape, "class")]
    out += [("datatype", f"(isLiteral({v}) && datatype({v}) = {d})") for d in r.objects(shape, "datatype")]
    out += [("nodeKind", NODE_KINDS.get(k.value[len(SH):], "false").format(v=v)) for k in r.objects(shape, "nodeKind")]
    for lst in r.objects(shape, "in"):
        terms = r.items(lst)
        out.append(("in", "(" + " || ".join(f"sameTerm({v}, {t})" for t in terms) + ")" if terms else "false"))
    for name, op in COMPARISONS.items():
        out += [(name, f"({v} {op} {lit})") for lit in r.objects(shape, name)]
    out += [("minLength", f"(!isBlank({v}) && STRLEN(STR({v})) >= {x.value})") for x in r.objects(shape, "minLength")]
    out += [("maxLength", f"(!isBlank({v}) && STRLEN(STR({v})) <= {x.value})") for x in r.objects(shape, "maxLength")]
    for lit in r.objects(shape, "pattern"):
        try:
            re.compile(lit.value)
        except re.error:
            r.note(shape, f"an sh:pattern that is not a regular expression ({lit.value})")
            continue
        flags = r.value(shape, "flags")
        regex = f"REGEX(STR({v}), {ox.Literal(lit.value)}, {ox.Literal(flags.value if flags else '')})"
        out.append(("pattern", f"(!isBlank({v}) && {regex})"))
    for lst in r.objects(shape, "languageIn"):
        tests = " || ".join(f"langMatches(lang({v}), {ox.Literal(x.value)})" for x in r.items(lst))
        out.append(("languageIn", f"(isLiteral({v}) && ({tests or 'false'}))"))
    out += [("node", _conforms(r, sub, v)) for sub in r.objects(shape, "node")]
    return out + _logical(r, shape, v)


def _logical(r: _Reader, shape, v: str) -> list[tuple[str, str]]:
    """The shape's sh:or, sh:and, sh:xone and sh:not as (component, expression on v)."""
    out = []
    for lst in r.objects(shape, "or"):
        out.append(("or", "(" + " || ".join(_conforms(r, s, v) for s in r.items(lst)) + ")"))
    for lst in r.objects(shape, "and"):
        out.append(("and", "(" + " && ".join(_conforms(r, s, v) for s in r.items(lst)) + ")"))
    for lst in r.objects(shape, "xone"):
        out.append(("xone", "((" + " + ".join(f"IF({_conforms(r, s, v)}, 1, 0)" for s in r.items(lst)) + ") = 1)"))
    out += [("not", f"(!{_conforms(r, s, v)})") for s in r.objects(shape, "not")]
    return out


def _counts(r: _Reader, prop, v: str, path: str) -> list[tuple[str, str]]:
    """(component, condition on focus v) for the counting constraints of a property shape."""
    out = []
    for lit in r.objects(prop, "minCount"):
        n = int(lit.value)
        out.append(("minCount", f"EXISTS {{ {_distinct(r, v, path, n)} }}" if n > 0 else "true"))
    for lit in r.objects(prop, "maxCount"):
        out.append(("maxCount", f"NOT EXISTS {{ {_distinct(r, v, path, int(lit.value) + 1)} }}"))
    out += [("hasValue", f"EXISTS {{ {v} {path} {t} }}") for t in r.objects(prop, "hasValue")]
    for qs in r.objects(prop, "qualifiedValueShape"):
        q = r.var("q")
        low, high = r.value(prop, "qualifiedMinCount"), r.value(prop, "qualifiedMaxCount")
        if low is not None and int(low.value) > 0:
            if int(low.value) > 1:
                r.note(prop, "sh:qualifiedMinCount above 1")
            out.append(("qualifiedMinCount", f"EXISTS {{ {v} {path} {q} FILTER({_conforms(r, qs, q)}) }}"))
        if high is not None and int(high.value) == 0:
            out.append(("qualifiedMaxCount", f"NOT EXISTS {{ {v} {path} {q} FILTER({_conforms(r, qs, q)}) }}"))
        elif high is not None:
            r.note(prop, "sh:qualifiedMaxCount above 0")
    return out


def _pairs(r: _Reader, prop, v: str, path: str, a: str, b: str) -> list[tuple[str, str, str, tuple]]:
    """(component, pattern, failing filter, params) for uniqueLang and the property-pair constraints."""
    out = []
    if any(x.value == "true" for x in r.objects(prop, "uniqueLang")):
        out.append(("uniqueLang", f"{v} {path} {a}, {b}", f"{a} != {b} && lang({a}) != \"\" && lang({a}) = lang({b})", ()))
    for name, op in PAIRS.items():
        for other in r.objects(prop, name):
            test = f"sameTerm({a}, {b})" if name == "disjoint" else f"!COALESCE({a} {op} {b}, false)"
            if name == "equals":
                r.note(prop, "sh:equals")
                continue
            out.append((name, f"{v} {path} {a} . {v} {other} {b}", test, ((name, other),)))
    return out


def _property_conditions(r: _Reader, prop, v: str) -> list[str]:
    """Conditions a focus node v must meet under one property shape (for nested shapes)."""
    path = _path(r, r.value(prop, "path"))
    out = [c for _, c in _counts(r, prop, v, path)]
    w = r.var("w")
    conds = [c for _, c in _value_conditions(r, prop, w)]
    if conds:
        out.append(f"NOT EXISTS {{ {v} {path} {w} FILTER(!COALESCE({' && '.join(conds)}, false)) }}")
    out += [f"NOT EXISTS {{ {pattern} FILTER({test}) }}" for _, pattern, test, _ in _pairs(r, prop, v, path, r.var("a"), r.var("b"))]
    return out


def _conforms(r: _Reader, shape, v: str) -> str:
    """A SPARQL expression that is true when node v conforms to the shape."""
    if r.value(shape, "path") is not None:
        conds = _property_conditions(r, shape, v)
    else:
        conds = [c for _, c in _value_conditions(r, shape, v)]
    for prop in r.objects(shape, "property"):
        conds += _property_conditions(r, prop, v)
    _note_unsupported(r, shape)
    return "COALESCE(" + (" && ".join(conds) or "true") + ", false)"


def _note_unsupported(r: _Reader, shape) -> None:
    """Remember constraint parameters this compiler does not know."""
    for key in r.keys(shape) - SHAPE_KEYS - IGNORED - {"minCount", "maxCount", "uniqueLang",
                                                        "qualifiedValueShape", *PAIRS, "sparql", "equals"}:
        r.note(shape, f"sh:{key}")
    if "sparql" in r.keys(shape):
        r.note(shape, "sh:sparql")


def _targets(r: _Reader, shape) -> str:
    """The union of a shape's targets as a pattern binding ?this."""
    parts = [f"{{ ?this {TYPE_PATH} {c} }}" for c in r.objects(shape, "targetClass")]
    parts += [f"{{ VALUES ?this {{ {n} }} }}" for n in r.objects(shape, "targetNode")]
    parts += [f"{{ ?this {p} [] }}" for p in r.objects(shape, "targetSubjectsOf")]
    parts += [f"{{ [] {p} ?this }}" for p in r.objects(shape, "targetObjectsOf")]
    return " UNION ".join(parts)


def _meta(r: _Reader, shape, component: str) -> dict:
    """The code, message and severity a shape gives its violations."""
    code, message, severity = r.value(shape, "code", TLC), r.value(shape, "message"), r.value(shape, "severity")
    return {"component": component, "code": code.value if code else "shape-" + _kebab(component),
            "message": message.value if message else "",
            "severity": "warning" if severity is not None and severity.value != SH + "Violation" else "error"}


def _kebab(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name)


def _property_checks(r: _Reader, prop, target: str) -> list[Check]:
    """One check per constraint of a property shape applied to the target's focus nodes."""
    path_node = r.value(prop, "path")
    path = _path(r, path_node)
    simple = path_node.value if isinstance(path_node, ox.NamedNode) else None
    out = []
    for component, cond in _counts(r, prop, "?this", path):
        query = f"SELECT DISTINCT ?this WHERE {{ {target} FILTER(!COALESCE({cond}, false)) }}"
        out.append(Check(query, path=simple, params=_params(r, prop, component), **_meta(r, prop, component)))
    for component, cond in _value_conditions(r, prop, "?value"):
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER(!COALESCE({cond}, false)) }}"
        claimed = None
        if simple is not None:
            claimed = (f"SELECT DISTINCT ?this ?value ?claim WHERE {{ {target} ?claim <{RDF}subject> ?this ; "
                       f"<{RDF}predicate> {path} ; <{RDF}object> ?value FILTER(!COALESCE({cond}, false)) }}")
        out.append(Check(query, path=simple, params=_params(r, prop, component), requires=simple,
                         claim_query=claimed, **_meta(r, prop, component)))
    for component, pattern, test, params in _pairs(r, prop, "?this", path, "?value", "?other"):
        query = f"SELECT DISTINCT ?this ?value ?other WHERE {{ {target} {pattern} FILTER({test}) }}"
        out.append(Check(query, path=simple, params=params, requires=simple, **_meta(r, prop, component)))
    _note_unsupported(r, prop)
    return out


def _params(r: _Reader, shape, component: str) -> tuple:
    """The parameter a default message names (the class, datatype, count, list ...)."""
    key = {"qualifiedMinCount": "qualifiedMinCount", "qualifiedMaxCount": "qualifiedMaxCount"}.get(component, component)
    values = r.objects(shape, key)
    if component == "in" and values:
        values = r.items(values[0])
    return tuple((component, v) for v in values)


def _shape_checks(r: _Reader, shape) -> list[Check]:
    """Compile one shape that has targets into its checks."""
    target = _targets(r, shape)
    if not target or any(x.value == "true" for x in r.objects(shape, "deactivated")):
        return []
    if r.value(shape, "path") is not None:
        return _property_checks(r, shape, target)
    out = []
    for component, cond in _value_conditions(r, shape, "?this"):
        query = f"SELECT DISTINCT ?this WHERE {{ {target} FILTER(!COALESCE({cond}, false)) }}"
        out.append(Check(query, path=None, params=_params(r, shape, component), **_meta(r, shape, component)))
    for prop in r.objects(shape, "property"):
        out += _property_checks(r, prop, target)
    _note_unsupported(r, shape)
    return out


def compile_shapes(store: ox.Store, shapes: list | None = None) -> tuple[list[Check], list[str]]:
    """Compile the shapes (all with targets, unless given); also list (shape, what) it cannot run."""
    r = _Reader(store)
    checks = []
    shapes = find_shapes(store) if shapes is None else shapes
    for shape in shapes:
        r.current = shape
        try:
            checks += _shape_checks(r, shape)
        except (ValueError, TypeError, AttributeError):  # a count that is not a number, a list that is not one
            r.note(shape, "a constraint it cannot read (a count that is not a number?)")
    return checks, r.unsupported


def find_shapes(store: ox.Store, graphs: list | None = None) -> list:
    """List the shapes with targets in a store (in the given graphs, or any)."""
    found = set()
    for target in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
        for graph in graphs or [None]:
            found.update(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(SH + target), None, graph))
    return sorted(found, key=str)


@cache
def builtin_checks() -> tuple[Check, ...]:
    """Compile builder/shapes.ttl once."""
    store = ox.Store()
    store.load(path=str(SHAPES_PATH), format=ox.RdfFormat.TURTLE)
    checks, unsupported = compile_shapes(store)
    assert not unsupported, unsupported  # the builder's own shapes stay inside the subset
    return tuple(checks)


def _run(store: ox.Store, check: Check) -> list[Violation]:
    """Run one check (unless the property it looks at is never used)."""
    if check.requires and next(iter(store.quads_for_pattern(None, ox.NamedNode(check.requires), None)), None) is None:
        return []
    out = []
    try:
        for row in store.query(check.query, use_default_graph_as_union=True):
            width = len(row)
            out.append(Violation(check, row[0], row[1] if width > 1 else None, row[2] if width > 2 else None))
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:  # only a KB's own odd shape gets here
        out.append(Violation(check, None, ox.Literal(str(exc))))
    return out


def run_checks(store: ox.Store, checks) -> list[Violation]:
    """Run compiled checks over the union of the store's graphs, two or more at a time.

    pyoxigraph lets go of the GIL while it evaluates a query, so threads use every core.
    """
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        return [v for found in pool.map(lambda c: _run(store, c), checks) for v in found]
