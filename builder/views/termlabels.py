"""Names for readers of the standard terms the format uses: an IRI and a language in, a word out.

The `tl:` vocabulary names its own terms in every language (builder/vocab.ttl). The terms the
format takes from SEM, schema.org, PROV-O, Dublin Core, SKOS, RDF and OWL-Time name themselves
only in English, in their own documents, which the site does not load; a page wrote them as
`sem:hasActor` or `prov:wasDerivedFrom` wherever they appear (a role, a kind, a relation in "what
links here", a row of statements). These are their names as interface text, translated in the
catalogs like every other word of the interface; the link still goes to the term's own IRI.
The terms of SKOS, RDFS, OWL and XSD the vocabulary's own pages show (a concept's "what links
here" lists skos:hasTopConcept; a term's page its rdfs:range and owl:ObjectProperty) are named
too: an Arabic page has no reason to read `skos:hasTopConcept`.
"""
from __future__ import annotations

from ..fragments import N_
from ..i18n import translations_for
from ..namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TIME, XSD


TERM_LABELS = {
    # kinds
    SEM + "Event": N_("event"), SEM + "Actor": N_("actor"), SEM + "Place": N_("place"),
    PROV + "Entity": N_("source"), SKOS + "Concept": N_("concept"), RDF + "Statement": N_("statement"),
    SCHEMA + "Person": N_("person"), SCHEMA + "Organization": N_("organisation"),
    SCHEMA + "Country": N_("country"), SCHEMA + "NewsMediaOrganization": N_("news organisation"),
    SCHEMA + "City": N_("city"), SCHEMA + "Airport": N_("airport"), SCHEMA + "Place": N_("place"),
    SCHEMA + "NewsArticle": N_("news article"), SCHEMA + "CreativeWork": N_("publication"),
    SCHEMA + "Report": N_("report"), SCHEMA + "GovernmentOrganization": N_("government body"),
    SCHEMA + "AdministrativeArea": N_("administrative area"), SCHEMA + "Dataset": N_("data set"),
    # relations
    RDF + "type": N_("kind"), RDF + "subject": N_("subject"), RDF + "predicate": N_("predicate"),
    RDF + "object": N_("object"), RDFS + "label": N_("label"), RDFS + "comment": N_("comment"),
    SEM + "hasActor": N_("actor"), SEM + "hasPlace": N_("place"), SEM + "subEventOf": N_("part of"),
    SEM + "hasSubEvent": N_("sub-event"), SEM + "eventType": N_("event type"),
    SEM + "accordingTo": N_("according to"), SEM + "hasTimeStamp": N_("date"),
    SEM + "hasEarliestBeginTimeStamp": N_("earliest start"), SEM + "hasLatestEndTimeStamp": N_("latest end"),
    SKOS + "prefLabel": N_("name"), SKOS + "altLabel": N_("also written"), SKOS + "broader": N_("broader"),
    SKOS + "narrower": N_("narrower"), SKOS + "exactMatch": N_("same place elsewhere"),
    SKOS + "definition": N_("definition"), SKOS + "inScheme": N_("in the scheme"),
    DCTERMS + "date": N_("date"), DCTERMS + "description": N_("description"), DCTERMS + "title": N_("title"),
    DCTERMS + "publisher": N_("publisher"), DCTERMS + "issued": N_("issued"), DCTERMS + "language": N_("language"),
    DCTERMS + "creator": N_("author"), DCTERMS + "license": N_("licence"), PROV + "wasDerivedFrom": N_("derived from"), OWL + "sameAs": N_("same as"),
    SCHEMA + "memberOf": N_("member of"), SCHEMA + "jobTitle": N_("job title"),
    SCHEMA + "containedInPlace": N_("within"), SCHEMA + "latitude": N_("latitude"),
    SCHEMA + "longitude": N_("longitude"), SCHEMA + "url": N_("link"), SCHEMA + "archivedAt": N_("preserved copy"),
    SCHEMA + "value": N_("value"), SCHEMA + "unitText": N_("unit"), TIME + "dayOfWeek": N_("day of the week"),
    DCTERMS + "replaces": N_("replaces"), DCTERMS + "subject": N_("subject"),
    # the terms `tarikh import` writes besides the format's own
    DCTERMS + "bibliographicCitation": N_("citation"), DCTERMS + "isPartOf": N_("part of"),
    SCHEMA + "image": N_("image"), SCHEMA + "keywords": N_("keywords"),
    # the vocabulary's own terms: concept schemes (SKOS), classes and relations (RDFS, OWL), datatypes
    SKOS + "ConceptScheme": N_("concept scheme"), SKOS + "hasTopConcept": N_("top concept"),
    SKOS + "topConceptOf": N_("top concept of"), SKOS + "related": N_("related"), SKOS + "note": N_("note"),
    SKOS + "scopeNote": N_("scope note"), SKOS + "example": N_("example"), SKOS + "notation": N_("notation"),
    SKOS + "closeMatch": N_("close match"), SKOS + "broadMatch": N_("broader match"),
    SKOS + "narrowMatch": N_("narrower match"), SKOS + "relatedMatch": N_("related match"),
    RDF + "Property": N_("property"), RDF + "langString": N_("text in a language"),
    RDFS + "Class": N_("class"), RDFS + "Datatype": N_("datatype"), RDFS + "domain": N_("domain"),
    RDFS + "range": N_("range"), RDFS + "subClassOf": N_("subclass of"), RDFS + "subPropertyOf": N_("subproperty of"),
    RDFS + "seeAlso": N_("see also"), RDFS + "isDefinedBy": N_("defined by"),
    OWL + "Class": N_("class"), OWL + "ObjectProperty": N_("relation to a thing"),
    OWL + "DatatypeProperty": N_("relation to a value"), OWL + "AnnotationProperty": N_("annotation"),
    OWL + "NamedIndividual": N_("named individual"), OWL + "TransitiveProperty": N_("transitive relation"),
    OWL + "SymmetricProperty": N_("symmetric relation"), OWL + "FunctionalProperty": N_("single-valued relation"),
    OWL + "inverseOf": N_("inverse of"), OWL + "equivalentClass": N_("same class as"),
    OWL + "equivalentProperty": N_("same relation as"), OWL + "Ontology": N_("ontology"),
    OWL + "versionInfo": N_("version"),
    XSD + "string": N_("text"), XSD + "integer": N_("whole number"), XSD + "nonNegativeInteger": N_("whole number"),
    XSD + "decimal": N_("decimal number"), XSD + "boolean": N_("yes or no"), XSD + "date": N_("date"),
    XSD + "dateTime": N_("date and time"), XSD + "duration": N_("duration"), XSD + "dayTimeDuration": N_("duration"),
    XSD + "anyURI": N_("web address"),
    TIME + "Monday": N_("Monday"), TIME + "Tuesday": N_("Tuesday"), TIME + "Wednesday": N_("Wednesday"),
    TIME + "Thursday": N_("Thursday"), TIME + "Friday": N_("Friday"), TIME + "Saturday": N_("Saturday"),
    TIME + "Sunday": N_("Sunday"),
}


def term_label(iri: str, lang: str) -> str | None:
    """The reader's name of a standard term in a language, or None for a term not listed."""
    message = TERM_LABELS.get(iri)
    return translations_for(lang).gettext(message) if message else None
