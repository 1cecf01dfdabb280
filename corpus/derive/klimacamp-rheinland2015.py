#!/usr/bin/env python3
"""Truth for the Klimacamp im Rheinland 2015 programme: a frab static export.

frab exports, beside the HTML, the programme as schedule.json (days -> rooms -> events, each
with its persons: id and full_public_name) and speakers.json (every speaker with abstract,
description and events). Each event of schedule.json whose page events/ID.html was exported
is an event page (served as /2015/events/ID.html, see the entry's notes); its speakers are its
persons. name = full_public_name as the organisers entered it (often "Name, Group" or
"Name (Group)", sometimes a group or a first name only); it is not split, so title and
affiliation stay null. bio = the speaker's abstract and description from speakers.json, when
given. profile_pages = /2015/speakers/ID.html when exported. Events without persons (many
workshops were entered without speakers) stay in the event list with no speakers.

Usage: klimacamp-rheinland2015.py DATA_DIR SITE_DIR > truth.json
"""
import html
import json
import os
import re
import sys
import unicodedata

from pagetext import Text  # noqa: E402 (this folder is on the path)

COMMIT = "b52ceb01f8f886e1cb911fe22c6117c8a5f74087"
PREFIX = "/2015"


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(text or ""))).strip()


def page_file(site, path):
    return os.path.join(site, path.lstrip("/"))


def page_text(site, path):
    parser = Text()
    with open(page_file(site, path), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts)).casefold()


def main(data, site):
    with open(os.path.join(data, "schedule.json"), encoding="utf-8") as handle:
        schedule = json.load(handle)["schedule"]
    with open(os.path.join(data, "speakers.json"), encoding="utf-8") as handle:
        speakers = {s["id"]: s for s in json.load(handle)["schedule_speakers"]["speakers"]}

    people, events = {}, []
    items = [e for day in schedule["conference"]["days"] for room in day["rooms"].values() for e in room]
    for event in sorted(items, key=lambda e: e["id"]):
        path = f"{PREFIX}/events/{event['id']}.html"
        if not os.path.isfile(page_file(site, path)):
            continue
        names = []
        for person in event.get("persons", []):
            name = norm(person.get("full_public_name") or person.get("public_name"))
            if not name:
                continue
            record = speakers.get(person["id"], {})
            bio = norm(" ".join(filter(None, (record.get("abstract"), record.get("description"))))) or None
            entry = people.setdefault(person["id"], {
                "name": name, "title": None, "affiliation": None, "role": None, "bio": bio,
                "events": [], "profile_pages": [],
            })
            profile = f"{PREFIX}/speakers/{person['id']}.html"
            if os.path.isfile(page_file(site, profile)) and profile not in entry["profile_pages"]:
                entry["profile_pages"].append(profile)
            if path not in entry["events"]:
                entry["events"].append(path)
                names.append(name)
        events.append({"path": path, "title": norm(event.get("title")), "type": event.get("type"), "speakers": names})

    out = sorted(people.values(), key=lambda p: p["name"].casefold())
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        hits = sum(1 for path in p["events"] if p["name"].casefold() in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/klimacampimrheinland/klimacampimrheinland.github.io (branch master: frab static export)",
            "data": "schedule.json and speakers.json of the same frab export",
            "data_commit": COMMIT,
            "site_commit": COMMIT,
            "rule": __doc__.split("\n\n", 1)[1].rsplit("Usage:", 1)[0].strip(),
        },
        "stats": {
            "speakers": len(out),
            "event_pages": len(events),
            "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
            "schedule_events_without_page": len(items) - len(events),
            "speaker_page_links": pairs,
            "speakers_name_found_in_some_page": sum(1 for p in out if p["name_in_html"]["pages_with_name"]),
            "speaker_page_links_name_found": found,
            "name_found_share": round(found / pairs, 3) if pairs else None,
        },
        "speakers": out,
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
