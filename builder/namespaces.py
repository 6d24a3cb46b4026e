"""The namespaces of the format (`spec/kb-format.md`, "Prefixes"), in one place."""
from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME = "http://www.w3.org/2006/time#"
SCHEMA = "http://schema.org/"
EDTF = "http://id.loc.gov/datatypes/edtf/"
WD = "http://www.wikidata.org/entity/"
TL = "https://w3id.org/tarikh/ns#"

PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS,
    "prov": PROV, "sem": SEM, "time": TIME, "schema": SCHEMA, "edtf": EDTF, "wd": WD, "tl": TL,
}

EDTF_TYPE = EDTF + "EDTF"
DERIVED_GRAPH = TL + "derived"
VOCAB_GRAPH = TL + "vocabulary"


def all_prefixes(id_ns: str) -> dict[str, str]:
    """The format's prefixes plus `id:` for this knowledge base."""
    return {**PREFIXES, "id": id_ns}


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """Write an IRI as prefix:local when a prefix fits, else in angle brackets."""
    best = ""
    for name, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = name
    return f"{best}:{iri[len(prefixes[best]):]}" if best else f"<{iri}>"
