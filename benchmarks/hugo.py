"""The Hugo side of the benchmark: a generated knowledge base in, a Hugo site of the same things out.

One content page per event, actor, place, source and claim, in each language (English and Arabic,
right to left), with front matter (title, date, taxonomies for the actors and the event type) and
a few paragraphs; a simple layout (a base template, single pages, list pages, taxonomy pages).
Hugo's defaults stay on (RSS per list, sitemap), as a Hugo site would have them.

    python -m benchmarks.hugo KB_DIR SITE_DIR
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

CONFIG = """baseURL = "https://example.org/"
title = "A generated timeline"
defaultContentLanguage = "en"
disableHugoGeneratorInject = true
[taxonomies]
who = "who"
kind = "kinds"
[languages.en]
contentDir = "content/en"
languageName = "English"
weight = 1
[languages.ar]
contentDir = "content/ar"
languageName = "العربية"
languageDirection = "rtl"
title = "خط زمني مولد"
weight = 2
"""
LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}" dir="{{ or .Site.Language.LanguageDirection "ltr" }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" lang="{{ .Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}{{ if not .IsZero }}<p><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}{{ end }}
{{ with .GetTerms "who" }}<p>Actors: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "kinds" }}<p>Type: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .Params.place }}<p>Place: {{ . }}</p>{{ end }}
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>{{ range .Pages }}<li>{{ with .Date }}{{ if not .IsZero }}<time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2006-01-02" }}</time> {{ end }}{{ end }}<a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ol>{{ end }}
""",
}
STYLE = "body{font-family:sans-serif;max-width:50rem;margin:auto}nav a{margin-inline-end:.5rem}\n"

THINGS = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX tl: <https://w3id.org/tarikh/ns#>
SELECT ?s ?kind ?en ?ar ?date ?type ?place ?desc
  (GROUP_CONCAT(DISTINCT STRAFTER(STR(?actor), "/id/"); separator=" ") AS ?actors) WHERE {
  VALUES (?class ?kind) { (sem:Event "events") (sem:Actor "actors") (sem:Place "places")
                          (prov:Entity "sources") (tl:Claim "claims") }
  ?s a ?class .
  OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?s dcterms:title ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?s skos:prefLabel ?ar FILTER(LANG(?ar) = "ar") }
  OPTIONAL { ?s dcterms:date|dcterms:issued ?date }
  OPTIONAL { ?s sem:eventType ?type }
  OPTIONAL { ?s sem:hasPlace ?place }
  OPTIONAL { ?s dcterms:description ?desc }
  OPTIONAL { ?s tl:perpetrator|tl:target|tl:participant|tl:speaker|sem:accordingTo ?actor }
} GROUP BY ?s ?kind ?en ?ar ?date ?type ?place ?desc"""
WORDS = ("report source event attack statement meeting claim border city region forces group "
         "officials said according local residents week earlier later since following").split()
AR_WORDS = "قال مصدر هجوم بيان اجتماع منطقة مدينة قوات مسؤول محلي أسبوع لاحق سابق وفق".split()


def things(kb_dir: Path) -> list[dict]:
    """The events, actors, places, sources and claims of a knowledge base, one dict each."""
    store = ox.Store()
    for path in sorted(kb_dir.rglob("*.ttl")):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="https://example.org/id/")
    out = []
    for row in store.query(THINGS):
        value = {k: (row[k].value if row[k] is not None else None)
                 for k in ("s", "kind", "en", "ar", "date", "type", "place", "desc", "actors")}
        out.append(value)
    return sorted(out, key=lambda t: t["s"])


def paragraphs(rng: random.Random, words: list[str], n: int = 3) -> str:
    """A few paragraphs of filler, about the text of a thing's page."""
    return "\n\n".join(" ".join(rng.choice(words) for _ in range(rng.randrange(40, 70))).capitalize() + "."
                       for _ in range(n))


def front_matter(thing: dict, lang: str) -> str:
    """A page's TOML front matter in one language."""
    slug = thing["s"].rsplit("/", 1)[-1]
    title = (thing["ar"] if lang == "ar" else None) or thing["en"] or slug
    lines = [f"title = {_toml(title)}", f'slug = "{slug}"', f'translationKey = "{slug}"']
    date = (thing["date"] or "")[:10]
    if len(date) == 10 and date[4] == "-" and date[7] == "-":
        lines.append(f"date = {date}")
    if thing["actors"]:
        lines.append("who = [" + ", ".join(_toml(a) for a in thing["actors"].split()) + "]")
    if thing["type"]:
        lines.append(f"kinds = [{_toml(thing['type'].rsplit('#', 1)[-1])}]")
    if thing["place"]:
        lines.append(f"place = {_toml(thing['place'].rsplit('/', 1)[-1])}")
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(kb_dir: Path, site: Path, seed: int = 1) -> int:
    """Write the Hugo site of a knowledge base (content, layouts, config); return its content pages."""
    rng = random.Random(seed)
    shutil.rmtree(site, ignore_errors=True)
    for rel, text in LAYOUTS.items():
        (site / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / rel).write_text(text, encoding="utf-8")
    (site / "static").mkdir(parents=True)
    (site / "static" / "style.css").write_text(STYLE, encoding="utf-8")
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    n = 0
    for thing in things(kb_dir):
        slug = thing["s"].rsplit("/", 1)[-1]
        for lang, words in (("en", WORDS), ("ar", AR_WORDS)):
            folder = site / "content" / lang / thing["kind"]
            folder.mkdir(parents=True, exist_ok=True)
            body = (thing["desc"] + "\n\n" if thing["desc"] and lang == "en" else "") + paragraphs(rng, words)
            (folder / f"{slug}.md").write_text(front_matter(thing, lang) + "\n" + body + "\n", encoding="utf-8")
            n += 1
    return n


def hugo_command(site: Path) -> list[str]:
    """The command that builds the Hugo site into SITE/public (no minification, as by default)."""
    return ["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")]


def hugo_version() -> str | None:
    """Hugo's version line, or None when it is not installed."""
    if shutil.which("hugo") is None:
        return None
    return subprocess.run(["hugo", "version"], capture_output=True, text=True, check=False).stdout.strip()


def ensure_hugo() -> str | None:
    """Install Debian's hugo when it is missing and apt-get can run; return its version line."""
    if hugo_version() is None and shutil.which("apt-get"):
        print("installing Debian's hugo (apt-get install -y hugo)", file=sys.stderr)
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        for argv in (["apt-get", "install", "-y", "-qq", "hugo"], ["apt-get", "update", "-qq"],
                     ["apt-get", "install", "-y", "-qq", "hugo"]):
            subprocess.run(argv, env=env, capture_output=True, check=False)
            if hugo_version() is not None:
                break
    return hugo_version()


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), Path(sys.argv[2])), "content pages")
