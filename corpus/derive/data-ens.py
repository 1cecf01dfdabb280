#!/usr/bin/env python3
"""Truth for the Data Science Colloquium of the ENS and its Laplace reading group (Jekyll).

There is no page per talk: each listing page renders one data file (Liquid loops in the page
sources), and those listing pages are the event pages:
  /seminar/ and /next/ <- _data/next.yml      /past/ <- _data/past.yml
  /reading_group/ <- _data/next_reading_group.yml   /past_reading_group/ <- _data/past_reading_group.yml
A talk's speaker field may hold several people as HTML links separated by ", " or " and ": tags
are removed and the names split. affiliation = the talk's affiliation when it names one speaker
(newest talk first in the files). One past entry's speaker is "Special Inauguration Conference" (a
link to a one-day conference), not a person, and is skipped. People named by the page sources only as organisers or contact
(seminar.md "Organizers" list, reading_group.md contact) go in "ignore" for that page.

Usage: data-ens.py DATA_DIR SITE_DIR > truth.json
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml

from pagetext import Text  # noqa: E402 (this folder is on the path)

PAGES = {"/seminar/": ("next.yml", "seminar.md"), "/next/": ("next.yml", None), "/past/": ("past.yml", None),
         "/reading_group/": ("next_reading_group.yml", "reading_group.md"),
         "/past_reading_group/": ("past_reading_group.yml", None)}
NOT_PEOPLE = {"Special Inauguration Conference"}


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", "", str(text))))).strip()


def find(root, name):
    for here, _, files in os.walk(root):
        if name in files:
            return os.path.join(here, name)
    raise SystemExit(f"{name} not in {root}")


def main(data_dir, site_dir):
    speakers, events, ignore, found, pairs = {}, [], [], 0, 0
    for path, (data_file, source) in PAGES.items():
        parser = Text()
        with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
            parser.feed(f.read())
        text = norm("".join(parser.parts)).casefold()
        with open(find(data_dir, data_file), encoding="utf-8") as f:
            talks = yaml.safe_load(f) or []
        names_here = []
        for talk in talks:
            names = [n for n in re.split(r", | and ", norm(talk.get("speaker") or "")) if n and n not in NOT_PEOPLE]
            for person in names:
                s = speakers.setdefault(person, {"name": person, "title": None, "affiliation": None, "role": None,
                                                 "bio": None, "events": [], "profile_pages": []})
                if len(names) == 1 and talk.get("affiliation") and not s["affiliation"]:
                    s["affiliation"] = norm(talk["affiliation"])
                if path not in s["events"]:
                    s["events"].append(path)
                    names_here.append(person)
                    pairs += 1
                    found += person.casefold() in text
        events.append({"path": path, "title": path.strip("/").replace("_", " ").title(), "speakers": names_here})
        if source:
            with open(find(data_dir, source), encoding="utf-8") as f:
                md = f.read()
            organisers = re.findall(r"^- \[([^\]]+)\]", md.split("Organizers", 1)[-1], re.M) if "Organizers" in md else []
            organisers += re.findall(r"\[([^\]]+)\]\(mailto:", md)
            ignore += [{"name": n, "events": [path]} for n in organisers if n not in names_here]
    truth = {
        "source": {"repo": "github.com/data-ens/data-ens.github.io (Jekyll, built site in _site/)",
                   "data": "_data/{next,past,next_reading_group,past_reading_group}.yml; seminar.md, reading_group.md (organisers)",
                   "data_commit": "4fbb57ffd12619cc046e5e6f4b93816214d138de",
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
