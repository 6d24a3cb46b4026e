"""Checking a knowledge base: a loaded `KnowledgeBase` in, every `Problem` found out.

Never prints, never exits. Problems found on the store are placed at the file, line and column
where the offending statement is written, through builder/positions.py. The checks:
shapes (builder/shapes.ttl and the KB's own, compiled by builder/shacl.py), typos (IRIs used
but never described, misspelt terms, near-miss namespaces), values (ill-typed literals,
offsets, language tags), labels (warnings), and `check_time` for resolved dates. Relative-date
resolution errors (cycles, missing anchors, empty intersections) come from builder/dates.py.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from . import literals, terms
from .engine import query_text
from .kb import KnowledgeBase
from .namespaces import PREFIXES, SKOS, TL, VOCAB_GRAPH, all_prefixes, compact
from .positions import Positions, Where, index_files
from .problems import Problem

LOAD_FAILURES = {"syntax", "encoding", "unreadable", "too-large", "missing-config", "config-syntax"}
VOCAB = ox.NamedNode(VOCAB_GRAPH)
OFFSET_HINT = 'offsets are whole days typed xsd:dayTimeDuration: "P1D", "-P2D", "P0D"'


class Context:
    """What every check needs: the store, the prefixes, and how to place a statement in a file."""

    def __init__(self, kb: KnowledgeBase, positions: Positions | None = None):
        self.kb, self.store, self.id_ns = kb, kb.store, kb.id_ns
        self.prefixes = all_prefixes(kb.id_ns)
        self.positions = positions if positions is not None else index_files(kb.files, kb.id_ns)
        self.shown = {f.path.as_uri(): f.shown for f in kb.files}
        self.order = {f.path.as_uri(): i for i, f in enumerate(kb.files)}
        self._pending: dict = {}  # prefetched query rows
        self.reported: set[str] = set()  # IRIs a typo check has named; other checks stay quiet on them
        self.bad_namespaces: set[str] = set()  # namespaces of near-miss prefixes
        self.hint_budget = HINT_COMPARISONS  # the names "did you mean" may still compare (_did_you_mean)

    def is_reported(self, iri: str) -> bool:
        """True for an IRI a typo check has already reported (or one under a near-miss prefix)."""
        return iri in self.reported or any(iri.startswith(ns) for ns in self.bad_namespaces)

    def rows(self, name: str, **bound) -> list:
        """Run a check query from builder/queries over the union of the graphs (or take its prefetched rows)."""
        key = (name, tuple(sorted(bound.items(), key=str)))
        if key in self._pending:
            return self._pending.pop(key).result()
        return self._query(name, bound)

    def _query(self, name: str, bound: dict) -> list:
        subs = {ox.Variable(k): v for k, v in bound.items()} or None
        return list(self.store.query(query_text(name), use_default_graph_as_union=True, substitutions=subs))

    def prefetch(self, pool: ThreadPoolExecutor, *queries: tuple[str, dict]) -> None:
        """Start queries in the background: pyoxigraph lets go of the GIL, so they run side by side."""
        for name, bound in queries:
            key = (name, tuple(sorted(bound.items(), key=str)))
            self._pending[key] = pool.submit(self._query, name, bound)

    def short(self, term) -> str:
        """Show a term as a person writes it: id:x, "3.5"^^xsd:decimal, "label"@en."""
        if isinstance(term, str):
            return compact(term, self.prefixes)
        if isinstance(term, ox.NamedNode):
            return compact(term.value, self.prefixes)
        if isinstance(term, ox.Literal):
            text = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if term.language:
                return f"{text}@{term.language}"
            dt = term.datatype.value
            return text if dt.endswith("#string") else f"{text}^^{compact(dt, self.prefixes)}"
        return "a blank node"

    def key(self, term):
        """The positions key of a term: an IRI, a lexical value, or the path to a `[ ... ]`."""
        if isinstance(term, (ox.NamedNode, ox.Literal)):
            return term.value
        parent = next(iter(self.store.quads_for_pattern(None, None, term)), None)
        return None if parent is None else (self.key(parent.subject), parent.predicate.value)

    def graphs(self, s, p=None, o=None) -> list[str]:
        """The files (graph IRIs, in file order) that hold a statement, or that mention s."""
        if isinstance(s, ox.BlankNode) and p is None:
            found = {q.graph_name.value for q in self.store.quads_for_pattern(None, None, s)}
        else:
            found = {q.graph_name.value for q in self.store.quads_for_pattern(s, p, o) if q.graph_name != VOCAB}
        return sorted((g for g in found if g in self.order), key=self.order.get)

    def where(self, s, p=None, o=None) -> Where:
        """Where a statement (or a subject) is written; the file alone when the text says no more."""
        graphs = self.graphs(s, p, o) or self.graphs(s)
        ks = self.key(s)
        pv = p.value if isinstance(p, ox.NamedNode) else p
        found = None
        if pv is not None and o is not None:
            found = self.positions.where(ks, pv, self.key(o), graphs=graphs)
        if found is None and pv is not None:
            found = self.positions.where(ks, pv, graphs=graphs)
        if found is None:
            found = self.positions.where(ks, graphs=graphs)
        if found is None and isinstance(s, ox.BlankNode):
            parent = next(iter(self.store.quads_for_pattern(None, None, s)), None)
            return self.where(parent.subject, parent.predicate, s) if parent else Where("", 0, 0)
        if found is None and isinstance(s, ox.NamedNode) and not self.graphs(s):
            found = next(iter(_occurrences(self, s.value)), None)  # written only as an object
        if found is None:
            # read from an endpoint, a statement has no file: the endpoint is where it is
            return Where(self.shown[graphs[0]] if graphs else self.kb.origin or "builder/vocab.ttl", 0, 0)
        return found

    def where_file(self) -> Where:
        """The first file, for a problem of the knowledge base as a whole."""
        return Where(next(iter(self.shown.values()), ""), 0, 0)

    @staticmethod
    def problem(where: Where, severity: str, code: str, message: str, hint: str = "") -> Problem:
        """Make a problem at a place."""
        return Problem(where.path, where.line, where.column, severity, code, message, hint)


def check(kb: KnowledgeBase, positions: Positions | None = None) -> list[Problem]:
    """Return every problem of the knowledge base: its load problems and all the checks'."""
    problems = list(kb.problems)
    if kb.config is None:
        return sorted(set(problems))
    ctx = Context(kb, positions)
    # The queries run one after the other: running them in threads saved a few tenths of a second
    # at 10,000 events but was suspected in two hangs of a build; a build must never hang.
    return _checks(ctx, problems)


def _one_per_mistake(problems: list[Problem], shaped: list[Problem]) -> list[Problem]:
    """The problems so far and the shapes', one per mistake: where a misspelt term breaks a shape
    (tl:Rumoured is no claim status), the typo stays when it suggests the term meant ("did you
    mean time:Monday?"), else the shape's problem, which lists the terms allowed there."""
    typos = {(p.path, p.line, p.column): p for p in problems if p.code in TYPOS}
    out, dropped = [], set()
    for p in shaped:
        typo = typos.get((p.path, p.line, p.column))
        if typo is None:
            out.append(p)
        elif not typo.hint:
            dropped.add(typo)
            out.append(p)
    return [p for p in problems if p not in dropped] + out


TYPOS = {"unknown-term", "unknown-iri", "near-miss-prefix", "near-id-namespace"}  # the typo checks' codes

PREFETCH = [(name, {}) for name in ("check_literals", "check_used_undescribed", "check_predicates",
                                    "check_defined_terms", "check_offsets", "check_language_tags",
                                    "check_labels", "check_labelled_kinds")]


def _checks(ctx: Context, problems: list[Problem]) -> list[Problem]:
    """Run every check in order (the typo checks first: the others keep quiet on what they name)."""
    kb = ctx.kb
    problems += check_prefixes(ctx)
    typed = [row[0] for row in ctx.rows("check_literals")]
    undescribed = {row[0].value for row in ctx.rows("check_used_undescribed")}
    predicates = {row[0].value for row in ctx.rows("check_predicates")}
    foreign = {row[0].value for row in ctx.rows("check_foreign_subjects", id=ox.Literal(ctx.id_ns))}
    datatypes = {lit.datatype.value for lit in typed}
    problems += check_terms(ctx, undescribed | predicates | foreign | datatypes)
    problems += check_local_names(ctx) + check_blank_nodes(ctx)
    problems += check_literals(ctx, typed) + check_offsets(ctx) + check_language_tags(ctx)
    problems += check_same_as(ctx) + check_content_languages(ctx) + check_control_characters(ctx)
    if not any(p.code in LOAD_FAILURES for p in kb.problems):
        # these need every file: with one missing, things described there would look undescribed
        problems += check_unknown_iris(ctx, undescribed | predicates)
        problems += check_description_links(ctx)
        problems = _one_per_mistake(problems, check_shapes(ctx))
        problems += check_claim_objects(ctx)
        problems += check_labels(ctx)
        problems += check_cycles(ctx)
    return sorted(set(problems))


# ---- typos -------------------------------------------------------------------------------------

def known_namespaces(ctx: Context) -> dict[str, str]:
    """Namespace -> prefix for every namespace the format knows, and this KB's id: namespace."""
    return {ns: name for name, ns in ctx.prefixes.items()}


def check_prefixes(ctx: Context) -> list[Problem]:
    """A prefix bound to a near miss of a known namespace, or a standard prefix bound elsewhere."""
    known = known_namespaces(ctx)
    out = []
    for decl in ctx.positions.prefixes:
        near = terms.near_namespace(decl.namespace, known)
        standard = ctx.prefixes.get(decl.prefix)
        if near is None and standard and decl.namespace != standard:
            near = standard
        if near is None:
            continue
        name = known[near]
        ctx.bad_namespaces.add(decl.namespace)
        out.append(ctx.problem(decl.where, "error", "near-miss-prefix",
                               f"prefix {decl.prefix}: is bound to <{decl.namespace}>, "
                               f"not to the namespace of {_ns_name(name, near)}, <{near}>",
                               f"write @prefix {decl.prefix}: <{near}> ."))
    return out


def _ns_name(prefix: str, ns: str) -> str:
    return "this knowledge base (id:)" if prefix == "id" else terms.NAMES.get(ns, prefix + ":")


def check_terms(ctx: Context, iris: set[str]) -> list[Problem]:
    """Misspelt terms of known namespaces, and IRIs that are almost in the id: namespace."""
    known = {ns for ns in PREFIXES.values()}
    tl_terms = frozenset(r[0].value[len(TL):] for r in ctx.rows("check_defined_terms") if r[0].value.startswith(TL))
    out = []
    for iri in sorted(iris):
        parts = terms.split(iri, known)
        if parts and not terms.is_known(*parts, tl_terms):
            out += _unknown_term(ctx, iri, parts, tl_terms)
        elif not parts and terms.near_id(iri, ctx.id_ns) and not ctx.is_reported(iri):
            out += _near_id(ctx, iri)
    return out


def _unknown_term(ctx: Context, iri: str, parts: tuple[str, str], tl_terms: frozenset[str]) -> list[Problem]:
    """One problem per place a term that its namespace does not have is written."""
    ns, local = parts
    prefix = known_namespaces(ctx)[ns]
    close = terms.suggestions(ns, local, tl_terms)
    hint = ("did you mean " + " or ".join(f"{prefix}:{c}" for c in close) + "?") if close else ""
    message = f"{ctx.short(iri)} is not a term of {terms.NAMES.get(ns, prefix + ':')}"
    ctx.reported.add(iri)
    return [ctx.problem(w, "error", "unknown-term", message, hint) for w in _occurrences(ctx, iri)]


def _near_id(ctx: Context, iri: str) -> list[Problem]:
    """One problem per place an IRI almost in the id: namespace is written."""
    local = iri.rstrip("/").rsplit("/", 1)[-1]
    hint = f"did you mean id:{local} (<{ctx.id_ns}{local}>)?" if local else f"this knowledge base's things are under <{ctx.id_ns}>"
    message = f"<{iri}> is almost in the id: namespace <{ctx.id_ns}> (another scheme, host or path)"
    ctx.reported.add(iri)
    return [ctx.problem(w, "error", "near-id-namespace", message, hint) for w in _occurrences(ctx, iri)]


def _occurrences(ctx: Context, iri: str) -> list[Where]:
    """Every place an IRI is written, in the files that mention it (the file alone if the text is unreadable)."""
    node = ox.NamedNode(iri)
    graphs = {q.graph_name.value for pattern in ((node, None, None), (None, node, None), (None, None, node))
              for q in ctx.store.quads_for_pattern(*pattern) if q.graph_name.value in ctx.order}
    if not graphs:  # only as a datatype
        graphs = set(ctx.order)
    ordered = sorted(graphs, key=ctx.order.get)
    found = ctx.positions.occurrences(iri, graphs=ordered)
    return found or [Where(ctx.shown[g], 0, 0) for g in ordered[:1]]


def check_local_names(ctx: Context) -> list[Problem]:
    """A thing of the id: namespace whose local name is not a slug: it could have no page.

    Local names become folders of the site (`id/<slug>/`), so only `[a-z0-9-]` names, up to 200
    characters, are accepted: no `..`, `/`, `\\`, `%`, upper case or non-ASCII letters, which
    would leave the output folder or collide on case-insensitive or normalising file systems.
    """
    from .scaffold import fresh_slug, slugify
    from .views.common import SLUG_RE
    out = []
    rows = ctx.rows("check_described_ids", id=ox.Literal(ctx.id_ns))
    described = {row[0].value[len(ctx.id_ns):] for row in rows}
    for row in rows:
        local = row[0].value[len(ctx.id_ns):]
        if SLUG_RE.match(local) or _is_shape(ctx, row[0]):
            continue
        ctx.reported.add(row[0].value)
        fixed = slugify(local)[:200].strip("-")
        if fixed in described:  # the slug it would have names another thing already
            hint = (f"id:{fixed} is described too: if they are one thing, describe it once as id:{fixed}; "
                    f"if not, rename this one id:{fresh_slug(fixed, described)}")
        elif fixed:
            hint = f"rename it id:{fixed} (a slug: lower-case ASCII letters, digits and hyphens)"
        else:
            hint = "give it a slug of lower-case ASCII letters, digits and hyphens; Arabic belongs in its labels"
        shown = local if len(local) <= 60 else local[:57] + "..."
        out.append(ctx.problem(ctx.where(row[0]), "error", "bad-local-name",
                               f"<{ctx.id_ns}{shown}> has a local name that is not a slug ([a-z0-9-], "
                               "at most 200 characters), so it can have no page", hint))
    return out


MAX_BLANK_DEPTH = 32
BLANK_HINT = "write each [ ... ] once, where it is used, at most 32 deep; give a thing used twice an id: slug"


def check_blank_nodes(ctx: Context) -> list[Problem]:
    """Blank nodes nested too deep, used twice, or in a cycle.

    The dumps give blank nodes canonical labels (RDFC-1.0), whose cost grows steeply with chains
    and cycles of blank nodes (a 400-item RDF list takes seconds, a 1,000-item one minutes), so a
    knowledge base is held to what the format needs: trees of `[ ... ]` a few levels deep.
    """
    parents: dict = {}
    out = []
    for s, p, o, g in ctx.rows("check_blank_objects"):
        if o in parents:
            where = ctx.where(s, p) if isinstance(s, ox.NamedNode) else Where(ctx.shown.get(g.value, ""), 0, 0)
            out.append(ctx.problem(where, "error", "blank-node-shape",
                                   "a blank node is the value of more than one statement", BLANK_HINT))
        parents.setdefault(o, (s, p, g))
    deepest: dict = {}
    for node, (depth, root) in _blank_depths(parents).items():
        if depth is None:
            s, p, g = parents[node]
            deepest.setdefault(("cycle", g.value), None)
        elif depth > MAX_BLANK_DEPTH:
            deepest[root] = max(depth, deepest.get(root) or 0)
    for key, depth in deepest.items():
        if key[0] == "cycle":
            out.append(ctx.problem(Where(ctx.shown.get(key[1], ""), 0, 0), "error", "blank-node-shape",
                                   "blank nodes refer to each other in a cycle", BLANK_HINT))
            continue
        s, p, g = key
        where = ctx.where(s, p) if isinstance(s, ox.NamedNode) else Where(ctx.shown.get(g.value, ""), 0, 0)
        out.append(ctx.problem(where, "error", "blank-node-shape",
                               f"blank nodes are nested {depth} deep here (an RDF list counts one level per item); "
                               f"at most {MAX_BLANK_DEPTH} are accepted", BLANK_HINT))
    return out


def _blank_depths(parents: dict) -> dict:
    """Each blank node's nesting depth and its outermost statement (None, None inside a cycle)."""
    info: dict = {}
    for start in parents:
        path, on_path, node = [], set(), start
        while node in parents and node not in info and node not in on_path:
            on_path.add(node)
            path.append(node)
            node = parents[node][0]
        if node in on_path:  # the walk came back to itself
            info.update((n, (None, None)) for n in path)
            continue
        depth, root = info.get(node, (0, None))
        for n in reversed(path):
            if depth is None:
                info[n] = (None, None)
                continue
            depth, root = depth + 1, root or parents[n]
            info[n] = (depth, root)
    return info


def _is_shape(ctx: Context, node) -> bool:
    """A knowledge base's own SHACL shape: configuration for the checker, not a thing with a page."""
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return any(q.object.value.startswith("http://www.w3.org/ns/shacl#")
               for q in ctx.store.quads_for_pattern(node, rdf_type, None) if isinstance(q.object, ox.NamedNode))


def check_unknown_iris(ctx: Context, candidates_used: set[str]) -> list[Problem]:
    """An id: IRI that is used but never described, with the closest described ones as hints."""
    used = sorted(i for i in candidates_used if i.startswith(ctx.id_ns)
                  and next(iter(ctx.store.quads_for_pattern(ox.NamedNode(i), None, None)), None) is None)
    if not used:
        return []
    described = [r[0].value for r in ctx.rows("check_described_ids", id=ox.Literal(ctx.id_ns))]
    candidates = sorted(i[len(ctx.id_ns):] for i in described)
    out = []
    for iri in used:
        local = iri[len(ctx.id_ns):]
        hint = _did_you_mean(ctx, local, candidates)
        if re.match(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#:]|$)", local):
            # <www.example.com/x>: an address without its scheme is read against the id: namespace
            hint = (f"an address in <…> without https:// is read as a name in the id: namespace: "
                    f"for a web address write <https://{local}>")
        message = f"{ctx.short(iri)} is used but never described"
        ctx.reported.add(iri)
        out += [ctx.problem(w, "error", "unknown-iri", message, hint) for w in _occurrences(ctx, iri)]
    return out


HINT_COMPARISONS = 1_000_000  # names compared for "did you mean" hints in one check at most


def _did_you_mean(ctx: Context, local: str, candidates: list[str]) -> str:
    """A hint naming the closest described IRIs with their labels. Each name is compared with every
    described one, so the comparisons of one check are bounded (HINT_COMPARISONS): 2,000 unknown
    names among 2,000 described took 29 s (10,000: some 12 minutes). Past the bound, the hint
    says to check the spelling without naming what is close."""
    if ctx.hint_budget < len(candidates):
        close = []
    else:
        ctx.hint_budget -= len(candidates)
        close = difflib.get_close_matches(local, candidates, n=3, cutoff=0.7)
    if not close:
        return f"describe it (for example with `tarikh new`), or check the spelling"
    named = [f"id:{c}" + (f" ({label})" if (label := _label(ctx, ctx.id_ns + c)) else "") for c in close]
    return "did you mean " + " or ".join(named) + "?"


def _label(ctx: Context, iri: str) -> str:
    """A thing's label in the site's first language, else any."""
    labels = [q.object for q in ctx.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(SKOS + "prefLabel"), None)]
    langs = ctx.kb.config.languages if ctx.kb.config else ()
    for lang in (*langs, None):
        for label in labels:
            if lang is None or label.language == lang:
                return label.value
    return ""


DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")


def check_description_links(ctx: Context) -> list[Problem]:
    """A Markdown link in a description to a thing of the id: namespace or the vocabulary that has
    no page: on the site it would be a broken link (builder/descriptions.py)."""
    from .descriptions import hrefs_by_target, link_targets
    from .views.common import SLUG_RE, TERM_RE
    rows = [(s, o, link_targets(o.value, ctx.id_ns)) for s, o in ctx.rows("check_descriptions")]
    rows = [row for row in rows if row[2]]
    if not rows:
        return []
    described = [r[0].value for r in ctx.rows("check_described_ids", id=ox.Literal(ctx.id_ns))]
    pages = {i for i in described if SLUG_RE.match(i[len(ctx.id_ns):])}
    pages |= {r[0].value for r in ctx.rows("check_defined_terms") if TERM_RE.match(r[0].value[len(TL):])}
    candidates = sorted(i[len(ctx.id_ns):] for i in described)
    out = []
    for s, o, targets in rows:
        hrefs = None  # found once per description: a long one may hold thousands of links
        for iri in targets:
            if iri in pages:
                continue
            hrefs = hrefs_by_target(o.value, ctx.id_ns) if hrefs is None else hrefs
            local = iri[len(ctx.id_ns):] if iri.startswith(ctx.id_ns) else None
            if local is None:
                hint = "link to a term of the vocabulary (its pages are listed at vocab/), or to a thing of id:"
            elif SLUG_RE.match(local):
                hint = _did_you_mean(ctx, local, candidates)
            else:
                hint = (f"this names no thing: write a link to a thing as [text](id:slug), as its slug alone "
                        f"([text](slug), also ./slug or slug/), or as its IRI ([text]({ctx.id_ns}slug)), "
                        f"with a #fragment after it if wanted; a link out needs a full http(s) address")
            # at the link itself: a description may run over many lines
            written = hrefs.get(iri, ())
            where = ctx.positions.inside_string(ctx.where(s, DESCRIPTION, o), written + (local or iri,))
            out.append(ctx.problem(where, "error", "description-link-without-page",
                                   f"the description of {ctx.short(s)} links to {ctx.short(iri)}, which has no page",
                                   hint))
    return out


# ---- values ------------------------------------------------------------------------------------

def check_literals(ctx: Context, typed: list | None = None) -> list[Problem]:
    """Ill-typed literals: a bad EDTF string, 2024-02-30, a non-integer count."""
    out = []
    for lit in typed if typed is not None else [row[0] for row in ctx.rows("check_literals")]:
        found = literals.problem_with(lit.value, lit.datatype.value)
        if found:
            code, message = found
            hint = _literal_hint(ctx, lit)
            out += [ctx.problem(ctx.where(q.subject, q.predicate, lit), "error", code, message, hint)
                    for q in _statements_with(ctx, lit)]
    return out


def _statements_with(ctx: Context, obj) -> list:
    """The statements (in the KB's files) whose object is this term."""
    return [q for q in ctx.store.quads_for_pattern(None, None, obj) if q.graph_name.value in ctx.order]


def _literal_hint(ctx: Context, lit: ox.Literal) -> str:
    """A hint for an ill-typed literal, where the datatype suggests one."""
    dt = lit.datatype.value
    if dt.endswith("#integer") and "." in lit.value:
        return "counts are whole numbers; for an uncertain count give tl:fatalitiesLow and tl:fatalitiesHigh"
    if dt.endswith("#integer"):
        return "write a whole number without quotes, such as 12"
    return ""


def check_offsets(ctx: Context) -> list[Problem]:
    """Offsets of relative dates that are not a whole number of days."""
    out = []
    for node, pred, lit in ctx.rows("check_offsets"):
        why = (_offset_problem(lit.value) if lit.datatype.value.endswith("#dayTimeDuration")
               and not literals.problem_with(lit.value, lit.datatype.value) else None)  # else said once, as a literal
        if why:
            out.append(ctx.problem(ctx.where(node, pred, lit), "error", "bad-offset", why, OFFSET_HINT))
    return out


def _offset_problem(lexical: str) -> str | None:
    """Why an offset is not whole days: builder/dates.py's words when it is there."""
    try:
        from .dates import parse_duration_days
    except ImportError:
        return literals.offset_problem(lexical)
    try:
        parse_duration_days(lexical)
    except ValueError as exc:
        return str(exc)
    return None


CYCLE_WORDS = {
    "http://semanticweb.cs.vu.nl/2009/11/sem/subEventOf": ("is a sub-event of", "an event is never part of itself: "
                                                           "remove the sem:subEventOf that points back"),
    "http://schema.org/containedInPlace": ("is contained in", "a place is never within itself: "
                                           "remove the schema:containedInPlace that points back"),
    TL + "partOf": ("is part of", "an actor is never part of itself: remove the tl:partOf that points back"),
    "http://schema.org/memberOf": ("is a member of", "an actor is never a member of itself: "
                                   "remove the schema:memberOf that points back"),
    SKOS + "broader": ("is narrower than", "a concept is never broader than itself: remove the skos:broader that points back"),
    TL + "supersedes": ("supersedes", "a claim corrects only earlier claims: remove the tl:supersedes that points back"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("relays", "a source relays only other, earlier sources: "
                                                 "remove the prov:wasDerivedFrom that points back"),
}


def check_cycles(ctx: Context) -> list[Problem]:
    """A thing that is, through a chain of links of one kind, part of itself: a sub-event of itself,
    a place contained in itself, a claim superseding itself, a source relaying itself. One problem
    per cycle, at the link written from the first thing in it (by file and line)."""
    edges: dict[str, dict[str, set[str]]] = {}
    for s, p, o in ctx.rows("check_hierarchies"):
        if isinstance(s, ox.NamedNode):
            edges.setdefault(p.value, {}).setdefault(s.value, set()).add(o.value)
    out = []
    for pred, graph in sorted(edges.items()):
        for cycle in _cycles(graph):
            p = ox.NamedNode(pred)
            places = [(ctx.where(ox.NamedNode(a), p, ox.NamedNode(b)), a) for a, b in zip(cycle, cycle[1:] + cycle[:1])]
            where, first = min(places, key=lambda wa: (wa[0].path, wa[0].line, wa[0].column, wa[1]))
            start = cycle.index(first)
            ring = cycle[start:] + cycle[:start] + [first]
            words, hint = CYCLE_WORDS[pred]
            if len(cycle) == 1:
                message = f"{ctx.short(first)} {words} itself ({ctx.short(pred)} {ctx.short(first)})"
            else:
                message = (f"{ctx.short(pred)} goes round in a circle: "
                           + " → ".join(ctx.short(x) for x in ring) + f", so {ctx.short(first)} {words} itself")
            out.append(ctx.problem(where, "error", "cycle", message, hint))
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of a directed graph, one per strongly connected part (a path round it), in a
    stable order: Tarjan's algorithm, iteratively, so a long chain does not exhaust the stack."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    parts: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    part.append(x)
                    if x == node:
                        break
                if len(part) > 1 or node in graph.get(node, ()):
                    parts.append(part)
    return [_ring(graph, set(part)) for part in parts]


def _ring(graph: dict[str, set[str]], part: set[str]) -> list[str]:
    """A path round a strongly connected part, from its least member back to just before it."""
    start = min(part)
    if start in graph.get(start, ()):
        return [start]
    # breadth-first from start to a node that links back to start, staying in the part
    previous = {start: None}
    queue = [start]
    for node in queue:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return path[::-1]
            if nxt in part and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start]


def check_language_tags(ctx: Context) -> list[Problem]:
    """Language tags that are not well formed."""
    out = []
    for row in ctx.rows("check_language_tags"):
        tag = row[0].value
        why = literals.language_tag_problem(tag)
        if why:
            hint = "use a language code such as en, ar, fa or ar-Latn (Arabic in Latin letters)"
            out += [ctx.problem(ctx.where(s, p, o), "error", "bad-language-tag", why, hint)
                    for s, p, o, _ in ctx.rows("check_tagged", tag=ox.Literal(tag))]
    return out


SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")


def check_same_as(ctx: Context) -> list[Problem]:
    """owl:sameAs naming the thing itself: true of everything, so it says nothing, and most likely
    stands where another IRI (its Wikidata item, a duplicate's id:) was meant. A warning: nothing
    breaks, but the link the writer meant is missing."""
    out = []
    for q in ctx.store.quads_for_pattern(None, SAME_AS, None):
        if q.subject == q.object and q.graph_name.value in ctx.order:
            out.append(ctx.problem(ctx.where(q.subject, SAME_AS, q.object), "warning", "same-as-itself",
                                   f"{ctx.short(q.subject)} owl:sameAs {ctx.short(q.object)}: a thing is the same "
                                   "as itself, so this links to nothing",
                                   "owl:sameAs names the same thing elsewhere (its Wikidata item, such as "
                                   "wd:Q801, or another IRI for it): write that IRI, or remove the statement"))
    return out


DC_LANGUAGE = ox.NamedNode("http://purl.org/dc/terms/language")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def check_content_languages(ctx: Context) -> list[Problem]:
    """dcterms:language whose value is not a BCP 47 language code ("Arabic", "english", "ar_SY"):
    the site names the language from the code, and a query filtering on "ar" would miss it."""
    out = []
    for q in ctx.store.quads_for_pattern(None, DC_LANGUAGE, None):
        value = q.object
        if not isinstance(value, ox.Literal) or q.graph_name.value not in ctx.order:
            continue  # an IRI (a language of a vocabulary such as id.loc.gov's) is fine
        written = value.value
        if not literals.language_tag_problem(written.strip()) and written == written.strip():
            continue
        code = literals.language_code_for(written)
        hint = (f'write dcterms:language "{code}"' if code else
                'write a BCP 47 language code, such as "ar", "en", "fa" or "ar-SY"')
        out.append(ctx.problem(ctx.where(q.subject, DC_LANGUAGE, value), "error", "bad-language-code",
                               f"the dcterms:language of {ctx.short(q.subject)} is {ctx.short(value)}, "
                               "not a BCP 47 language code", hint))
    return out


CONTROL_HINT = ("remove it (text pasted from elsewhere can carry one unseen); a line break in a text is written "
                "\\n, or as itself inside a long string \"\"\"...\"\"\", and a tab \\t")


def check_control_characters(ctx: Context) -> list[Problem]:
    """A literal holding a control character (but tab, line feed, form feed and carriage return)
    or a noncharacter: Turtle allows them ("a\\u0001b", or the raw byte), HTML does not, so the
    pages leave them out (fragments.NOT_HTML). A warning: the site stays valid, but what it shows
    is not what was written, and such a character is almost always pasted in by mistake. One per
    statement, at the first such character, naming each one the literal holds."""
    from .fragments import NOT_HTML, NOT_IN_HTML
    pattern = "".join(c if c == "-" else f"\\u{ord(c):04X}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08X}"
                      for c in NOT_IN_HTML)
    query = query_text("check_control_characters").replace("NOT_IN_HTML", pattern)
    out = []
    for s, p, o in ctx.store.query(query, use_default_graph_as_union=True):
        if o.datatype.value != XSD_STRING and o.datatype.value != RDF_LANG_STRING and \
                literals.problem_with(o.value, o.datatype.value):
            continue  # an ill-typed literal: reported once, as such (check_literals)
        found = list(dict.fromkeys(NOT_HTML.findall(o.value)))
        shown = [f"U+{ord(c):04X}" for c in found[:5]] + (["…"] if len(found) > 5 else [])
        named = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        nonchars = sum(1 for c in found if 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE)
        what = " and ".join(one if n == 1 else many for n, one, many in (
            (len(found) - nonchars, "a control character", "control characters"),
            (nonchars, "a noncharacter", "noncharacters")) if n)
        first = ord(found[0])
        written = (found[0], f"\\u{first:04x}", f"\\u{first:04X}", f"\\U{first:08x}", f"\\U{first:08X}",
                   *(("\\b",) if first == 8 else ()))
        where = ctx.positions.inside_string(ctx.where(s, p, o), written)
        out.append(ctx.problem(where, "warning", "control-character",
                               f"the {ctx.short(p)} of {ctx.short(s)} holds {named} ({what}), "
                               "which the pages leave out", CONTROL_HINT))
    return out


# ---- shapes and labels -------------------------------------------------------------------------

def check_shapes(ctx: Context) -> list[Problem]:
    """The format's shapes and the knowledge base's own."""
    from .shape_problems import shape_problems
    return shape_problems(ctx)


def check_claim_objects(ctx: Context) -> list[Problem]:
    """A claim whose object is of a kind its predicate cannot take (an event's tl:perpetrator a place)."""
    from .shape_problems import claim_object_problems
    return claim_object_problems(ctx)


def check_labels(ctx: Context) -> list[Problem]:
    """Two prefLabels in one language; things without a label in a site language; shared labels."""
    from .label_checks import label_problems
    return label_problems(ctx)


# ---- time --------------------------------------------------------------------------------------

def check_time(kb: KnowledgeBase, bounds: Mapping[str, tuple[int | None, int | None]],
               positions: Positions | None = None) -> list[Problem]:
    """Things dated after their own sources were published; sub-events outside their parent."""
    if kb.config is None:
        return []
    ctx = Context(kb, positions)
    return sorted(_before_sources(ctx, bounds) + _outside_parents(ctx, bounds))


def _day(n: int) -> str:
    try:
        from .edtf import xsd_date
    except ImportError:  # pragma: no cover - edtf.py ships with the builder
        return str(n)
    return xsd_date(n)


def _before_sources(ctx: Context, bounds: Mapping) -> list[Problem]:
    """A thing that happened after the latest day its source was published; a relay older than its origin."""
    out = []
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    for thing, source, relay in ctx.rows("check_derived_from"):
        (t_lo, t_hi), (s_lo, s_hi) = bounds.get(thing.value, (None, None)), bounds.get(source.value, (None, None))
        is_relay = relay.value == "true"
        if not is_relay and t_lo is not None and s_hi is not None and t_lo > s_hi:
            out.append(ctx.problem(ctx.where(thing, derived, source), "error", "reported-before-it-happened",
                                   f"{ctx.short(thing)} happened on {_day(t_lo)} at the earliest, after its source "
                                   f"{ctx.short(source)} was published ({_day(s_hi)} at the latest)",
                                   "nothing is reported before it happens: check the dates of both, "
                                   "and whether this is the right source"))
        elif is_relay and s_lo is not None and t_hi is not None and s_lo > t_hi:
            out.append(ctx.problem(ctx.where(thing, derived, source), "error", "relays-a-later-source",
                                   f"{ctx.short(thing)} was published by {_day(t_hi)}, before {ctx.short(source)}, "
                                   f"which it relays, was published ({_day(s_lo)} at the earliest)",
                                   "a source can only relay one published before it: check both dcterms:issued"))
    return out


def _outside_parents(ctx: Context, bounds: Mapping) -> list[Problem]:
    """A sub-event whose days cannot fall within its parent's span."""
    out = []
    for child, parent, inverse in ctx.rows("check_sub_events"):
        (c_lo, c_hi), (p_lo, p_hi) = bounds.get(child.value, (None, None)), bounds.get(parent.value, (None, None))
        before = c_hi is not None and p_lo is not None and c_hi < p_lo
        after = c_lo is not None and p_hi is not None and c_lo > p_hi
        if not (before or after):
            continue
        sem = "http://semanticweb.cs.vu.nl/2009/11/sem/"
        where = (ctx.where(parent, ox.NamedNode(sem + "hasSubEvent"), child) if inverse.value == "true"
                 else ctx.where(child, ox.NamedNode(sem + "subEventOf"), parent))
        span = f"{_day(p_lo)} to {_day(p_hi)}" if p_lo is not None and p_hi is not None else \
            (f"from {_day(p_lo)}" if p_lo is not None else f"until {_day(p_hi)}")
        when = f"ends by {_day(c_hi)}" if before else f"begins on {_day(c_lo)} at the earliest"
        out.append(ctx.problem(where, "error", "sub-event-outside-parent",
                               f"{ctx.short(child)} {when}, outside its parent {ctx.short(parent)} ({span})",
                               "a sub-event happens within its parent: check both dates, or the sem:subEventOf link"))
    return out
