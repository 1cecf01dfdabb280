#!/usr/bin/env python3
"""Truth for the Imaging in Paris seminar (Jekyll; _site/ committed by the organisers).

The seminar has no page per talk: the home page lists the upcoming talks (_data/next.yml) and
the talks of the current academic year (_data/current_past.yml); /previous_seminars/ lists all
earlier talks (_data/past.yml). Those two listing pages are the event pages; each talk's
speaker is linked to the page whose list holds the talk. affiliation = the talk's affiliation
(HTML tags removed; the most recent talk wins); bio/title are not in the data. The organisers
named at the foot of the home page (index.md, "Organizers") go in "ignore" for that page.

Usage: imaging-in-paris.py DATA_DIR SITE_DIR > truth.json
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml

from pagetext import Text  # noqa: E402 (this folder is on the path)

PAGES = {"/": ["next.yml", "current_past.yml"], "/previous_seminars/": ["past.yml"]}
TITLES = {"/": "Imaging in Paris Seminar", "/previous_seminars/": "Previous seminars"}


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", "", text)))).strip()


def find(root, name):
    for here, _, files in os.walk(root):
        if name in files:
            return os.path.join(here, name)
    raise SystemExit(f"{name} not in {root}")


def main(data_dir, site_dir):
    speakers, events, found, pairs = {}, [], 0, 0
    for path, files in PAGES.items():
        parser = Text()
        with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
            parser.feed(f.read())
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", "".join(parser.parts))).casefold()
        names = []
        for name in files:
            with open(find(data_dir, name), encoding="utf-8") as f:
                talks = yaml.safe_load(f) or []
            for talk in talks:
                person = norm(str(talk.get("speaker") or ""))
                if not person:
                    continue
                s = speakers.setdefault(person, {"name": person, "title": None, "affiliation": None, "role": None,
                                                 "bio": None, "events": [], "profile_pages": [], "talks": []})
                s["talks"].append({"title": norm(str(talk.get("title") or "")), "date": str(talk.get("date")), "page": path})
                affiliation = talk.get("affiliation")
                if isinstance(affiliation, list):
                    affiliation = ", ".join(map(str, affiliation))
                if affiliation and not s["affiliation"]:  # data files list the newest talk first
                    s["affiliation"] = norm(str(affiliation))
                if path not in s["events"]:
                    s["events"].append(path)
                    names.append(person)
                    pairs += 1
                    found += person.casefold() in text
        events.append({"path": path, "title": TITLES[path], "speakers": names})
    with open(find(data_dir, "index.md"), encoding="utf-8") as f:
        organisers = re.findall(r"^- \[([^\]]+)\]", f.read().split("Organizers", 1)[1].split("Thanks", 1)[0], re.M)
    ignore = [{"name": n, "events": ["/"]} for n in organisers if "/" not in speakers.get(n, {}).get("events", [])]
    truth = {
        "source": {"repo": "github.com/imaging-in-paris/imaging-in-paris.github.io (Jekyll, built site in _site/)",
                   "data": "_data/next.yml, _data/current_past.yml, _data/past.yml; index.md (organisers)",
                   "data_commit": "ef38a1b1d6449ef97931ced775e19a1fec774f66",
                   "rule": " ".join(__doc__.split("\n\n")[1].split())},
        "stats": {"speakers": len(speakers), "event_pages": len(events), "speaker_event_pairs": pairs,
                  "pairs_name_found_in_page": found},
        "speakers": sorted(speakers.values(), key=lambda s: s["name"]),
        "events": events,
        "ignore": ignore,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
