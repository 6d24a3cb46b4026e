"""Names for readers of the standard terms the format uses: an IRI and a language in, a word out.

The `tl:` vocabulary names its own terms in every language (builder/vocab.ttl). The terms the
format takes from SEM, schema.org, PROV-O, Dublin Core, SKOS, RDF and OWL-Time name themselves
only in English, in their own documents, which the site does not load; a page wrote them as
`sem:hasActor` or `prov:wasDerivedFrom` wherever they appear (a role, a kind, a relation in "what
links here", a row of statements). These are their names as interface text, translated in the
catalogs like every other word of the interface; the link still goes to the term's own IRI.
Terms a page shows only on the vocabulary's technical pages (rdfs:range, owl:Class) are left as
they are written.
"""
from __future__ import annotations

from ..fragments import N_
from ..i18n import translations_for
from ..namespaces import DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, TIME


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
}


def term_label(iri: str, lang: str) -> str | None:
    """The reader's name of a standard term in a language, or None for a term not listed."""
    message = TERM_LABELS.get(iri)
    return translations_for(lang).gettext(message) if message else None
