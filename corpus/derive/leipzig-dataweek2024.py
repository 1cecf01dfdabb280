#!/usr/bin/env python3
"""Truth for Leipzig Data Week 2024: a jekyll-rdf site rendered from the organisers' RDF graph.

The site is generated from an RDF knowledge graph that the built site itself publishes as
graph.nt (N-Triples). Every programme item is a schema:Event with dc:date, schema:location (a room,
https://dataweek.de/venue#ROOM) and schema:performer (persons with foaf:name and
schema:affiliation -> an organisation's name or German label). The finest pages of the site are one page per
day and room, /DATE/ROOM.html (German) and /en/DATE/ROOM.html (English): each shows the sessions
held in that room that day with their talks. Those pages are the event pages; the speakers of a
page are the performers of every event whose date and room are the page's. A performer of a session
that has talks (schema:subEvent) is its chair (role "moderator"); a performer of an event typed
dataweek:Keynote is a keynote speaker. affiliation = the organisation names, joined with "; ",
kept only when shown on one of the person's pages; title stays null (the graph's position
descriptions are not shown on these pages). Day/room pages without performers (breaks, the
datathon) stay in the event list with no speakers. Workshops whose leader is named only in the
title ("... (durchgeführt von X)") and not as a performer put X in "ignore" for their pages. The sub-conference pages (/uds/,
/lswt2024/program/) repeat part of the programme and are not event pages.

Usage: leipzig-dataweek2024.py DATA_DIR SITE_DIR > truth.json
"""
import collections
import html
import json
import os
import re
import sys
import unicodedata

from pagetext import Text  # noqa: E402 (this folder is on the path)

COMMIT = "cfd8b30456906f37dbfb52177290720c5d2b44eb"
SCHEMA, DC, FOAF = "http://schema.org/", "http://purl.org/dc/terms/", "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL, SKOS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"
KEYNOTE = "https://dataweek.de/#Keynote"


def unescape(text):
    def one(match):
        if match.group(1) or match.group(2):
            return chr(int(match.group(1) or match.group(2), 16))
        return {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}[match.group(3)]
    return re.sub(r'\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(["\\nrt])', one, text)


def read_graph(file):
    graph = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(file, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r'(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(.*?)\s*\.\s*$', line)
            if not match:
                continue
            subject, predicate, obj = match.groups()
            if obj.startswith("<"):
                value = ("iri", obj[1:-1])
            elif obj.startswith('"'):
                literal = re.match(r'"(.*)"(?:@([\w-]+)|\^\^<[^>]*>)?$', obj)
                value = ("lit", unescape(literal.group(1)), literal.group(2)) if literal else ("lit", obj, None)
            else:
                value = ("bnode", obj)
            graph[subject.strip("<>")][predicate].append(value)
    return graph


def literal(graph, subject, predicate, lang=None):
    values = [v for v in graph[subject].get(predicate, []) if v[0] == "lit"]
    for value in values:
        if lang is None or value[2] == lang:
            return value[1]
    return values[0][1] if values else None


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(text or ""))).strip()


def page_text(site, path):
    parser = Text()
    with open(os.path.join(site, path.lstrip("/")), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts)).casefold()


def main(data, site):
    graph = read_graph(os.path.join(data, "graph.nt"))
    # Every event with date, room and (maybe) performers.
    by_page = collections.defaultdict(list)
    for subject, props in graph.items():
        if ("iri", SCHEMA + "Event") not in props.get(RDF_TYPE, []):
            continue
        date = literal(graph, subject, DC + "date")
        rooms = [v[1] for v in props.get(SCHEMA + "location", []) if v[0] == "iri" and "/venue#" in v[1]]
        if not date or not rooms:
            continue
        by_page[(date, rooms[0].rsplit("#", 1)[1])].append(subject)

    people, events, ignore = {}, [], {}
    day_room = re.compile(r"^(\d{4}-\d\d-\d\d)/([A-Za-z0-9]+)\.html$")
    pages = []
    for prefix in ("", "en/"):
        for day in sorted(os.listdir(os.path.join(site, prefix or "."))):
            folder = os.path.join(site, prefix, day)
            if not re.match(r"^\d{4}-\d\d-\d\d$", day) or not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                match = day_room.match(f"{day}/{name}")
                if match and name != "index.html":
                    pages.append((f"/{prefix}{day}/{name}", match.group(1), match.group(2), prefix))
    for path, date, room, prefix in pages:
        lang = "en" if prefix else "de"
        text = page_text(site, path)
        names, titles = [], []
        for subject in by_page.get((date, room), []):
            if graph[subject].get(SCHEMA + "performer"):
                continue
            leader = re.search(r"\(durchgeführt von ([^()]+)\)", literal(graph, subject, DC + "title", "de") or "")
            if leader and not leader.group(1).startswith("Mitarbeitenden"):
                paths = ignore.setdefault(norm(leader.group(1)), [])
                if path not in paths:
                    paths.append(path)
        for subject in sorted(by_page.get((date, room), []), key=lambda s: (literal(graph, s, SCHEMA + "startTime") or "", s)):
            props = graph[subject]
            has_talks = bool(props.get(SCHEMA + "subEvent"))
            if has_talks:
                titles.append(literal(graph, subject, DC + "title", lang) or "")
            keynote = ("iri", KEYNOTE) in props.get(RDF_TYPE, [])
            for kind, performer, *_ in props.get(SCHEMA + "performer", []):
                name = norm(literal(graph, performer, FOAF + "name"))
                if kind != "iri" or not name:
                    continue
                person = people.setdefault(performer, {
                    "name": name, "title": None, "affiliation": None,
                    "role": None, "bio": None, "events": [], "_orgs": [], "_roles": set(), "_texts": [],
                })
                for kind2, org, *_ in graph[performer].get(SCHEMA + "affiliation", []):
                    if kind2 != "iri":
                        continue
                    labels = [norm(literal(graph, org, predicate, "de")) for predicate in (FOAF + "name", RDFS_LABEL, SKOS_LABEL)]
                    org_name = next((label for label in labels if label), None)
                    if org_name and org_name not in person["_orgs"]:
                        person["_orgs"].append(org_name)
                person["_roles"].add("moderator" if has_talks else "keynote" if keynote else "speaker")
                if path not in person["events"]:
                    person["events"].append(path)
                    person["_texts"].append(text)
                    names.append(name)
        events.append({"path": path, "title": f"{room}, {date}" + (": " + "; ".join(t for t in titles if t) if titles else ""),
                       "speakers": names})

    out = []
    for person in people.values():
        shown = [org for org in person["_orgs"] if any(org.casefold() in t for t in person["_texts"])]
        person["affiliation"] = "; ".join(shown) or None
        roles = person.pop("_roles")
        person["role"] = "keynote" if roles == {"keynote"} else "moderator" if roles == {"moderator"} else None
        del person["_orgs"], person["_texts"]
        out.append(person)
    out.sort(key=lambda p: p["name"])
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        hits = sum(1 for path in p["events"] if p["name"].casefold() in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/AKSW/leipzig.dataweek.de (branch page-2024: the built 2024 site, deployed from past/2024 6ebbb85)",
            "data": "graph.nt, the RDF graph the site is rendered from (published with the site)",
            "data_commit": COMMIT,
            "site_commit": COMMIT,
            "rule": __doc__.split("\n\n", 1)[1].rsplit("Usage:", 1)[0].strip(),
        },
        "stats": {
            "speakers": len(out),
            "event_pages": len(events),
            "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
            "speaker_page_links": pairs,
            "speakers_name_found_in_some_page": sum(1 for p in out if p["name_in_html"]["pages_with_name"]),
            "speaker_page_links_name_found": found,
            "name_found_share": round(found / pairs, 3) if pairs else None,
        },
        "speakers": out,
        "events": events,
        "ignore": [{"name": name, "events": paths} for name, paths in sorted(ignore.items())],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
