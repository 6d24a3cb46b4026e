"""Shape violations as problems: the store and the shapes in, `Problem`s at file:line out.

Runs builder/shapes.ttl and the knowledge base's own shapes (any sh:NodeShape or
sh:PropertyShape with a target in kb/) through builder/shacl.py, then words each violation
and places it: at the offending statement when there is a value, else at the thing itself.
"""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from . import literals, shacl
from .namespaces import SKOS
from .problems import Problem

DEFAULTS = {
    "minCount": "{this} has no {path}",
    "maxCount": "{this} has more than {n} {path}",
    "datatype": "the {path} of {this} must be a literal of type {param}, not {value}",
    "class": "the {path} of {this} must be a {param}, and {value} is not",
    "nodeKind": "the {path} of {this} must be {param}, not {value}",
    "in": "{value} is not allowed as the {path} of {this}: use {param}",
    "minInclusive": "{value} is too small for {path} (at least {param})",
    "maxInclusive": "{value} is too large for {path} (at most {param})",
    "minExclusive": "{value} is too small for {path} (more than {param})",
    "maxExclusive": "{value} is too large for {path} (less than {param})",
    "lessThanOrEquals": "the {path} of {this} ({value}) is more than its {param} ({other})",
    "lessThan": "the {path} of {this} ({value}) is not less than its {param} ({other})",
    "disjoint": "{this} has {value} both as {path} and as {param}",
    "uniqueLang": "{this} has two {path}s in one language (@{lang})",
    "hasValue": "{this} lacks {path} {param}",
    "qualifiedMinCount": "{this} has no {path} of the required kind",
    "qualifiedMaxCount": "{this} has a {path} of a kind it must not have",
    "pattern": "{value} does not match the pattern {param} required for {path}",
    "languageIn": "{value} is not in a language allowed for {path} ({param})",
    "minLength": "{value} is too short for {path}",
    "maxLength": "{value} is too long for {path}",
}
FOLLOW_ON = {"class", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "pattern", "node"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
NODE_DEFAULT = "{this} does not conform to the shape for it ({component})"
VALUE_DEFAULT = "the {path} of {this} ({value}) does not conform to the shape for it ({component})"
HINTS = {
    "missing-label": 'add skos:prefLabel "…"@en , "…"@ar',
    "missing-date": 'a thing the text does not date is dated by its report: '
                    'tl:relativeDate [ tl:anchor id:the-source ; tl:latestOffset "P0D"^^xsd:dayTimeDuration ]',
    "missing-source": "add prov:wasDerivedFrom and the source it was read in",
    "missing-claimant": "add sem:accordingTo and the actor that makes the claim",
    "missing-status": "add tl:status tl:Claimed (or tl:Attributed, tl:Reported, tl:Confirmed, tl:Denied, tl:Disputed)",
    "missing-publisher": "add dcterms:publisher and the actor that published it",
    "two-labels-one-language": "keep one skos:prefLabel per language; other names and spellings go in skos:altLabel",
    "wrong-class": "give {value} the class it needs (a {param}), or use another property",
    "bad-count": "a count is a whole number of 0 or more, written without quotes (3, not \"3\" or 3.0); "
                 "an uncertain number of dead is tl:fatalitiesLow and tl:fatalitiesHigh",
    "bad-coordinate": "latitude (-90 to 90) and longitude (-180 to 180) are decimals in degrees, written "
                      "without quotes and with a point: schema:latitude 33.3152 (a whole degree as 33.0)",
    "half-coordinates": "a point needs both, in decimal degrees: schema:latitude 33.3152 ; schema:longitude 44.3661 "
                        "(or neither, for a place the map does not show)",
    "fatalities-order": "the counts go tl:fatalitiesLow ≤ tl:fatalities ≤ tl:fatalitiesHigh",
    "bad-relative-date": "for example tl:relativeDate [ tl:anchor id:other-event ; tl:offset \"P1D\"^^xsd:dayTimeDuration ]",
}
NODE_KINDS = {"IRI": "an IRI", "Literal": "a literal", "BlankNode": "a blank node",
              "BlankNodeOrIRI": "an IRI or a [ … ] node", "IRIOrLiteral": "an IRI or a literal",
              "BlankNodeOrLiteral": "a literal or a [ … ] node"}


def shape_problems(ctx) -> list[Problem]:
    """Run the builder's shapes and the knowledge base's own, and turn violations into problems."""
    checks = list(shacl.builtin_checks())
    kb_graphs = [ox.NamedNode(g) for g in ctx.order]
    own = shacl.find_shapes(ctx.store, kb_graphs)
    out = []
    if own:
        extra, unsupported = shacl.compile_shapes(ctx.store, own)
        checks += extra
        out += [_unsupported(ctx, shape, what) for shape, what in unsupported]
    violations = shacl.run_checks(ctx.store, checks)
    unique = [v for v in violations if v.check.component == "uniqueLang"]
    out += unique_lang_problems(ctx, [(v.focus, v.value, v.check) for v in unique])
    # a value of the wrong kind altogether (text for a thing, a string for a number) is said once:
    # not again as of the wrong class or out of range
    kind = {(v.focus, v.check.path, v.value) for v in violations if v.check.component in ("nodeKind", "datatype")}
    violations = [v for v in violations if v.check.component not in FOLLOW_ON
                  or (v.focus, v.check.path, v.value) not in kind]
    out += [p for v in violations if v.check.component != "uniqueLang" and (p := _problem(ctx, v))]
    return out


RDF_PREDICATE, RDF_OBJECT = ox.NamedNode(RDF_TYPE[:-4] + "predicate"), ox.NamedNode(RDF_TYPE[:-4] + "object")
# which of several failed constraints on one value to report: its kind first, as for statements
CLAIM_ORDER = {"nodeKind": 0, "datatype": 1, "class": 2}


def claim_object_problems(ctx) -> list[Problem]:
    """A claim whose rdf:object is of a kind its rdf:predicate cannot take: the statement claimed
    (kb-format.md, "the statement claimed") is held to the shapes a plain statement of its subject
    is held to, so "tl:perpetrator" claimed of an event names an actor, "tl:fatalities" a count,
    "dcterms:date" a date. One problem per claim and value, at its rdf:object."""
    used = {q.object.value for q in ctx.store.quads_for_pattern(None, RDF_PREDICATE, None)
            if isinstance(q.object, ox.NamedNode)}
    checks = [c for c in shacl.builtin_checks() if c.claim_query and c.path in used]
    found: dict = {}
    for check in sorted(checks, key=lambda c: CLAIM_ORDER.get(c.component, 3)):
        for subject, value, claim in ctx.store.query(check.claim_query, use_default_graph_as_union=True):
            key = (claim, value)
            if key in found:
                continue
            problem = _problem(ctx, shacl.Violation(check, subject, value))
            if problem is None:
                found[key] = None
                continue
            found[key] = ctx.problem(ctx.where(claim, RDF_OBJECT, value), problem.severity, "claim-object-kind",
                                     f"{ctx.short(claim)} claims what {ctx.short(check.path)} cannot take: "
                                     + problem.message,
                                     problem.hint if problem.hint and (check.component != "class" or
                                                                       isinstance(value, ox.Literal))
                                     else "a claim's rdf:object is what its rdf:predicate takes in a plain "
                                          "statement about its rdf:subject: check both")
    return [p for p in found.values() if p is not None]


def _unsupported(ctx, shape, what: str) -> Problem:
    """A knowledge-base shape uses SHACL the checker cannot run."""
    return ctx.problem(ctx.where(shape), "warning", "unsupported-shape",
                       f"{ctx.short(shape)} uses {what}, which tarikh check does not run",
                       "use SHACL Core constraints: sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:in, "
                       "sh:pattern, sh:or, sh:node …")


def _problem(ctx, v: shacl.Violation) -> Problem | None:
    """Word and place one violation."""
    check = v.check
    if v.focus is None:  # the check itself failed to run
        return ctx.problem(ctx.where_file(), "warning", "unsupported-shape",
                           f"a shape of this knowledge base could not be run: {v.value.value}")
    if isinstance(v.focus, ox.Literal):
        return None  # a literal where a thing is due: the shape of the statement naming it says so
    if check.component == "class" and _undescribed(ctx, v.value):
        return None  # "used but never described" already says it
    if _already_reported(ctx, v):
        return None
    if isinstance(v.value, ox.Literal) and literals.problem_with(v.value.value, v.value.datatype.value):
        return None  # the ill-typed literal is reported as such
    words = _words(ctx, v)
    own = check.message if check.message and (v.value is not None or "{value}" not in check.message) else ""
    message = _fill(own or _default(check, v), words)  # a message about a value, for a count: the default
    hint = _fill(HINTS.get(check.code, ""), words)
    text_due = check.component == "datatype" and any(p.value == LANG_STRING for _, p in check.params)
    if text_due and not isinstance(v.value, ox.Literal):
        message = _fill("the {path} of {this} is text in quotes with a language tag, such as \"…\"@en, "
                        "not {value}", words)
        hint = "write the text itself in quotes, followed by its language: \"…\"@en or \"…\"@ar"
    elif text_due and isinstance(v.value, ox.Literal) and not v.value.language and not check.message:
        message = _fill("the {path} of {this} needs a language tag: write {value}@en or @ar", words)
        hint = hint or "text is tagged with the language it is written in: \"…\"@en, \"…\"@ar, \"…\"@ar-Latn"
    elif check.component == "class" and check.path == PROV_DERIVED and check.code == "wrong-class":
        hint = ("name the article, report or other source it was read in (a prov:Entity, whose "
                "dcterms:publisher is the actor that published it)")
    elif check.component == "class" and isinstance(v.value, ox.Literal):
        hint = _fill("name a {param} by its IRI, without quotes (such as id:some-thing); text in quotes "
                     "cannot be one", words)
    pred = ox.NamedNode(check.path) if check.path else None
    where = ctx.where(v.focus, pred, v.value) if v.value is not None and pred else ctx.where(v.focus)
    return ctx.problem(where, check.severity, check.code, message, hint)


def _already_reported(ctx, v: shacl.Violation) -> bool:
    """True when a typo check already named the term at fault (misspelt, near-miss namespace)."""
    terms = [v.focus, v.value, getattr(v.value, "datatype", None)]
    if v.value is None and v.check.path:  # a count: a value under a near-miss prefix may be the one missing
        terms += [q.object for q in ctx.store.quads_for_pattern(v.focus, ox.NamedNode(v.check.path), None)]
    if v.check.component == "class" and isinstance(v.value, (ox.NamedNode, ox.BlankNode)):
        # its class misspelt (sem:place): the typo is the one mistake
        terms += [q.object for q in ctx.store.quads_for_pattern(v.value, ox.NamedNode(RDF_TYPE), None)]
    iris = [t.value for t in terms if isinstance(t, ox.NamedNode)]
    return v.check.component != "in" and any(ctx.is_reported(i) for i in iris)


def _default(check: shacl.Check, v: shacl.Violation) -> str:
    if check.component in DEFAULTS:
        return DEFAULTS[check.component]
    return VALUE_DEFAULT if v.value is not None else NODE_DEFAULT


def _words(ctx, v: shacl.Violation) -> dict[str, str]:
    """The values a message template can name, compacted."""
    check = v.check
    params = [p for _, p in check.params]
    if check.component == "nodeKind":
        param = " or ".join(NODE_KINDS.get(p.value.rsplit("#", 1)[-1], ctx.short(p)) for p in params)
    elif check.component == "in":
        param = ", ".join(ctx.short(p) for p in params[:-1]) + (" or " if len(params) > 1 else "") + \
            (ctx.short(params[-1]) if params else "")
    else:
        param = " or ".join(ctx.short(p) if not isinstance(p, ox.Literal) else p.value for p in params)
    n = params[0].value if params and isinstance(params[0], ox.Literal) else "1"
    return {"this": _thing(ctx, v.focus), "path": ctx.short(check.path) if check.path else "its value",
            "value": _brief(ctx.short(v.value)) if v.value is not None else "", "other": ctx.short(v.other) if v.other is not None else "",
            "param": param, "n": "one" if n == "1" else n, "component": "sh:" + check.component,
            "lang": getattr(v.value, "language", "") or ""}


def _brief(text: str, most: int = 60) -> str:
    """A value as a message quotes it: on one line, a long text cut short with '…'."""
    text = " ".join(text.split("\n"))
    if len(text) <= most:
        return text
    end = text.rfind('"')  # keep the closing quote and the tag or datatype
    tail = text[end:] if end > 0 else ""
    return text[:most - len(tail) - 1].rstrip() + "…" + tail


def _thing(ctx, term) -> str:
    """Name a focus node: its IRI, or for a `[ … ]` the statement it hangs from."""
    if not isinstance(term, ox.BlankNode):
        return ctx.short(term)
    parent = next(iter(ctx.store.quads_for_pattern(None, None, term)), None)
    return f"the {ctx.short(parent.predicate)} of {_thing(ctx, parent.subject)}" if parent else "a blank node"


def _fill(template: str, words: dict[str, str]) -> str:
    """Fill {name} placeholders without tripping on other braces in a shape's message."""
    for name, value in words.items():
        template = template.replace("{" + name + "}", value)
    return template


def _undescribed(ctx, term) -> bool:
    """True for an id: IRI that nothing describes."""
    return (isinstance(term, ox.NamedNode) and term.value.startswith(ctx.id_ns)
            and next(iter(ctx.store.quads_for_pattern(term, None, None)), None) is None)


def unique_lang_problems(ctx, rows) -> list[Problem]:
    """Two values of one property in one language: one problem, at the one written later."""
    groups = defaultdict(list)
    for focus, value, check in rows:
        groups[(focus, check.path, value.language, check)].append(value)
    out = []
    for (focus, path, lang, check), values in groups.items():
        pred = ox.NamedNode(path)
        placed = [(ctx.where(focus, pred, value), value) for value in set(values)]
        where, value = max(placed, key=lambda wv: (wv[0].path, wv[0].line, wv[0].column, str(wv[1])))
        words = {"this": _thing(ctx, focus), "path": ctx.short(path), "lang": lang, "value": ctx.short(value)}
        message = _fill(check.message or DEFAULTS["uniqueLang"], words)
        if path == SKOS + "prefLabel":
            message = _fill("{this} has two skos:prefLabels in one language (@{lang})", words)
        out.append(ctx.problem(where, check.severity, check.code, message, _fill(HINTS.get(check.code, ""), words)))
    return out
