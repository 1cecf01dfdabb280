#!/usr/bin/env python3
"""Truth for Refresh DC (Washington web design meetup, 2006-2011): a Jekyll site built into html/.

The built site publishes, beside each event page /events/YEAR/SLUG/, the event's own record as
/events/YEAR/SLUG.json (the post's front matter plus its text): title, dates, location,
speakers (name, url) and content. Every record whose page exists is an event page; its speakers
are the record's `speakers` names, in order. Two people recorded under two spellings are merged
(the other spelling kept as public_name). The records give no title, affiliation or bio, so
those stay null. Happy hours and meetups without speakers stay in the event list with none.

Usage: refresh-dc.py DATA_DIR SITE_DIR > truth.json
"""
import glob
import html
import json
import os
import re
import sys
import unicodedata

from pagetext import Text  # noqa: E402 (this folder is on the path)

COMMIT = "51e163d5c8d6f672278c48306ef1354e4d1a40a1"
# Two people appear under two spellings in the records (a middle initial; a misspelt surname).
ALIASES = {"M. Jackson Wilkinson": "Jackson Wilkinson", "Martin Ringlin": "Martin Ringlein"}


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(text or ""))).strip()


def page_file(site, path):
    return os.path.join(site, path.strip("/"), "index.html")


def page_text(site, path):
    parser = Text()
    with open(page_file(site, path), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts)).casefold()


def main(data, site):
    people, events = {}, []
    for file in sorted(glob.glob(os.path.join(data, "events", "*", "*.json"))):
        with open(file, encoding="utf-8") as handle:
            record = json.load(handle)
        year = os.path.basename(os.path.dirname(file))
        path = f"/events/{year}/{os.path.basename(file)[:-5]}/"
        if not os.path.isfile(page_file(site, path)):
            continue
        names = []
        for speaker in record.get("speakers") or []:
            name = norm(speaker.get("name") if isinstance(speaker, dict) else speaker)
            if not name:
                continue
            canonical = ALIASES.get(name, name)
            person = people.setdefault(canonical.casefold(), {
                "name": canonical, "title": None, "affiliation": None, "role": None, "bio": None, "events": [],
            })
            if name != canonical:
                person.setdefault("public_name", name)
            if path not in person["events"]:
                person["events"].append(path)
                names.append(person["name"])
        events.append({"path": path, "title": norm(record.get("title")), "date": (record.get("dtstart") or "")[:10],
                       "speakers": names})

    out = sorted(people.values(), key=lambda p: p["name"].casefold())
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        spellings = [p["name"].casefold()] + ([p["public_name"].casefold()] if p.get("public_name") else [])
        hits = sum(1 for path in p["events"] if any(n in texts[path] for n in spellings))
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/jgarber623/refresh-dc.org (Jekyll, built into html/ at commit 'Site regeneration', 2013-11-27)",
            "data": "html/events/YEAR/SLUG.json, the per-event records the built site publishes (from src/jekyll/_posts)",
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
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
