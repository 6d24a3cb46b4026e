"""The terms of the namespaces the format uses: a namespace and a local name in, "known?" out.

Input: an IRI (and the `tl:` terms the vocabulary defines, read from the store). Output: whether
it is a term of its namespace, the closest real terms when it is not, and whether a namespace
is a near miss of one we know (`https://schema.org/` for `http://schema.org/`, a missing `#`).
rdflib's namespace classes list the W3C and schema.org terms; SEM has no such list, so it is
written here from the SEM specification (http://semanticweb.cs.vu.nl/2009/11/sem/sem.rdf).
"""
from __future__ import annotations

import difflib
import re
from functools import cache

from .namespaces import DCTERMS, EDTF, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TIME, TL, WD, XSD

SEM_TERMS = frozenset("""
    Actor ActorType Authority Constraint Core Event EventType Object Place PlaceType Role RoleType
    Temporary Time TimeType Type View
    accordingTo actorType eventProperty eventType hasActor hasBeginTimeStamp
    hasEarliestBeginTimeStamp hasEarliestEndTimeStamp hasEndTimeStamp hasLatestBeginTimeStamp
    hasLatestEndTimeStamp hasPlace hasSubEvent hasSubType hasTime hasTimeStamp placeType roleType
    subEventOf subTypeOf timeType type
""".split())
EDTF_TERMS = frozenset({"EDTF"})
# The terms the format itself uses (spec/kb-format.md): known without loading rdflib's lists.
FORMAT_TERMS = frozenset(
    [RDF + t for t in ("type", "subject", "predicate", "object", "Statement", "langString", "first", "rest", "nil")]
    + [RDFS + t for t in ("label", "comment", "subClassOf", "subPropertyOf", "seeAlso")]
    + [XSD + t for t in ("string", "integer", "decimal", "double", "boolean", "date", "dateTime", "gYear",
                         "gYearMonth", "dayTimeDuration", "anyURI", "nonNegativeInteger")]
    + [OWL + "sameAs"]
    + [SKOS + t for t in ("prefLabel", "altLabel", "Concept", "ConceptScheme", "inScheme", "broader",
                          "narrower", "exactMatch", "closeMatch", "definition", "hasTopConcept", "topConceptOf")]
    + [DCTERMS + t for t in ("date", "description", "title", "publisher", "issued", "language", "creator")]
    + [PROV + t for t in ("wasDerivedFrom", "Entity")]
    + [TIME + t for t in ("dayOfWeek", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
    + [SCHEMA + t for t in ("Person", "Organization", "Country", "NewsMediaOrganization", "City", "Airport", "Place",
                            "NewsArticle", "CreativeWork", "Report", "memberOf", "jobTitle", "containedInPlace",
                            "latitude", "longitude", "url", "archivedAt", "value", "unitText")]
    + [SEM + t for t in SEM_TERMS] + [EDTF + "EDTF"])
NAMES = {RDF: "RDF", RDFS: "RDFS", XSD: "XSD", OWL: "OWL", SKOS: "SKOS", DCTERMS: "Dublin Core terms",
         PROV: "PROV-O", SEM: "SEM", TIME: "OWL-Time", SCHEMA: "schema.org", EDTF: "EDTF", WD: "Wikidata",
         TL: "the Tarikh vocabulary"}
_CONTAINER = re.compile(r"_[1-9][0-9]*")


@cache
def standard_terms() -> dict[str, frozenset[str]]:
    """Local names of each standard namespace whose terms are listed (not tl:, which the KB loads)."""
    from rdflib import namespace as ns

    def names(cls) -> frozenset[str]:
        return frozenset(cls.__annotations__) | frozenset(getattr(cls, "_extras", ()))
    return {RDF: names(ns.RDF) | {"dirLangString"}, RDFS: names(ns.RDFS), XSD: names(ns.XSD),
            OWL: names(ns.OWL), SKOS: names(ns.SKOS), DCTERMS: names(ns.DCTERMS), PROV: names(ns.PROV),
            TIME: names(ns.TIME), SCHEMA: names(ns.SDO), SEM: SEM_TERMS, EDTF: EDTF_TERMS}


def split(iri: str, namespaces) -> tuple[str, str] | None:
    """Split an IRI into (namespace, local name) for the longest namespace that fits."""
    best = max((ns for ns in namespaces if iri.startswith(ns)), key=len, default=None)
    return (best, iri[len(best):]) if best is not None else None


def is_known(ns: str, local: str, tl_terms: frozenset[str]) -> bool:
    """True when local is a term of the namespace (any name is fine in Wikidata)."""
    if ns == WD:
        return True
    if ns == TL:
        return local in tl_terms
    if ns == RDF and _CONTAINER.fullmatch(local):
        return True
    if ns + local in FORMAT_TERMS:
        return True
    return local in standard_terms().get(ns, frozenset({local}))


def suggestions(ns: str, local: str, tl_terms: frozenset[str], n: int = 3) -> list[str]:
    """The real terms closest to a misspelt one, best first (a case-only difference first of all)."""
    known = tl_terms if ns == TL else standard_terms().get(ns, frozenset())
    # a class is capitalised and a property not: never suggest one for the other
    kind = [t for t in known if t[:1].isupper() == local[:1].isupper()]
    same_case = [t for t in kind if t.lower() == local.lower()]
    if same_case:
        return same_case
    return difflib.get_close_matches(local, sorted(kind), n=n, cutoff=0.75)


def _norm(ns: str) -> str:
    """A namespace with the differences people slip on removed: scheme, www., case, trailing / or #."""
    s = re.sub(r"^[a-z]+://", "", ns.strip().lower())
    s = re.sub(r"^www\.", "", s)
    return s.rstrip("/#")


def near_namespace(ns: str, known) -> str | None:
    """The known namespace that ns almost is (scheme, '#', '/', a typo), or None."""
    if ns in known:
        return None
    for k in known:
        if _norm(ns) == _norm(k):
            return k
    close = difflib.get_close_matches(ns, list(known), n=1, cutoff=0.9)
    return close[0] if close else None


_HTTP = re.compile(r"(https?)://([^/?#]*)(.*)", re.I | re.S)


def near_id(iri: str, id_ns: str) -> bool:
    """True when an IRI is almost in the id: namespace: another scheme, host or path."""
    if iri.startswith(id_ns):
        return False
    got, want = _HTTP.match(iri), _id_parts(id_ns)
    if got is None or want is None:
        return False
    host, path = got[2].lower().removeprefix("www."), got[3] or "/"
    want_host, want_path, base_path = want
    if host == want_host:
        return path.startswith(base_path) or path.rstrip("/") + "/" == base_path
    return path.startswith(want_path) and _similar_host(host, want_host)


@cache
def _id_parts(id_ns: str) -> tuple[str, str, str] | None:
    """The id: namespace's host, path, and the site's base path (the path without id/)."""
    m = _HTTP.match(id_ns)
    if m is None:
        return None
    path = m[3] or "/"
    return m[2].lower().removeprefix("www."), path, path[: path.rstrip("/").rfind("/") + 1] or "/"


@cache
def _similar_host(host: str, want: str) -> bool:
    """True for a host that is probably a typo of the site's (example.com for example.org)."""
    return difflib.SequenceMatcher(None, host, want).ratio() >= 0.75
