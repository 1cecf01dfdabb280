#!/usr/bin/env python3
"""Truth for the DHAI seminar (Digital Humanities / Artificial Intelligence, Paris; Jekyll).

There is no page per session: each listing page renders one data file (Liquid loops in the page
sources), and those listing pages are the event pages:
  / and /next/ <- _data/next.yml      /past/ <- _data/past.yml
A session's speaker field often names several people, separated by ", ", " and ", " et ", " & "
or " / " (HTML tags removed; a trailing "for the DHAI organizing members" dropped); "TBA" and
"The DHAI team" are nobody. affiliation = the session's affiliation when it names one
speaker (newest first in the files). The scientific committee listed by index.md (home page) goes
in "ignore" for that page unless the person also speaks there.

Usage: dhai-seminar.py DATA_DIR SITE_DIR > truth.json
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml

from pagetext import Text  # noqa: E402 (this folder is on the path)

PAGES = {"/": ("next.yml", "index.md"), "/next/": ("next.yml", None), "/past/": ("past.yml", None)}
TITLES = {"/": "The DHAI Seminar", "/next/": "Next", "/past/": "Past"}
NOT_PEOPLE = {"TBA", "The DHAI team"}


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
            names = [n for n in re.split(r", | and | et | & | / ", re.sub(r" for the DHAI organizing members$", "", norm(talk.get("speaker") or ""))) if n and n not in NOT_PEOPLE]
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
        events.append({"path": path, "title": TITLES[path], "speakers": names_here})
        if source:
            with open(find(data_dir, source), encoding="utf-8") as f:
                md = f.read()
            organisers = re.findall(r"^- \[([^\]]+)\]", md.split("Scientific Committee", 1)[-1], re.M)
            ignore += [{"name": n, "events": [path]} for n in organisers if n not in names_here]
    truth = {
        "source": {"repo": "github.com/dhai-seminar/dhai-seminar.github.io (Jekyll, built site in _site/)",
                   "data": "_data/next.yml, _data/past.yml; index.md (scientific committee)",
                   "data_commit": "a5915303b86e4ecb6e9042100e0bcc22deb0c561",
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
