#!/usr/bin/env python3
"""Truth for the seminars of the ISP group, Universitat de València (Hugo, 2008-2024).

Each seminar is content/seminars/YEAR/SLUG.md with front matter title, date, speaker,
affiliation. The built site has one page per seminar, but those pages are empty shells (the
template renders only the navigation) and nothing links to them; the seminars are presented on
the single listing page /seminars/, which is therefore the one event page.
speaker is split on " / ", " & ", " and ", ", " ("Directed by " dropped); "Many" and department
names are not people. affiliation = the seminar's affiliation when it names one speaker only (the
speaker's most recent seminar wins); nothing else is in the data (no title, no bio).

Usage: ipl-uv-seminars.py DATA_DIR SITE_DIR > truth.json
"""
import json
import os
import re
import sys
import unicodedata

import yaml

from pagetext import Text  # noqa: E402 (this folder is on the path)

EVENT = "/seminars/"
NOT_PEOPLE = {"Many", "Dept. Física Nuclear", "Dept. Óptica"}


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def main(data_dir, site_dir):
    seminars = []
    for root, _, files in os.walk(data_dir):
        for name in files:
            if name.endswith(".md") and name != "_index.md":
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    meta = yaml.safe_load(f.read().split("---", 2)[1].replace("\t", " "))  # Hugo accepts tabs
                seminars.append(meta)
    seminars.sort(key=lambda m: str(m.get("date")))
    speakers, ignore = {}, []
    for meta in seminars:
        raw = re.sub(r"^Directed by ", "", norm(str(meta.get("speaker") or "")))
        names = [n.strip() for n in re.split(r" / | & | and |, ", raw) if n.strip()]
        for person in names:
            if person in NOT_PEOPLE:
                ignore.append(person)
                continue
            s = speakers.setdefault(person, {"name": person, "title": None, "affiliation": None, "role": None,
                                             "bio": None, "events": [EVENT], "profile_pages": [], "talks": []})
            s["talks"].append({"title": meta.get("title"), "date": str(meta.get("date"))})
            if len(names) == 1 and meta.get("affiliation"):
                s["affiliation"] = norm(str(meta["affiliation"]))
    parser = Text()
    with open(os.path.join(site_dir, "seminars", "index.html"), encoding="utf-8") as f:
        parser.feed(f.read())
    text = norm("".join(parser.parts)).casefold()
    found = 0
    for s in speakers.values():
        hit = norm(s["name"]).casefold() in text
        s["name_in_html"] = {"pages_with_name": int(hit), "pages": 1}
        found += hit
    people = sorted(speakers.values(), key=lambda s: s["name"])
    truth = {
        "source": {"repo": "github.com/IPL-UV/IPL-UV.github.io (Hugo; built site in public/, removed from the repository after this commit)",
                   "data": "content/seminars/*/*.md front matter (speaker, affiliation, title, date)",
                   "data_commit": "451b18927b392ab2f8ba9f022a70c6cd49c9f573",
                   "rule": " ".join(__doc__.split("\n\n")[1].split())},
        "stats": {"speakers": len(people), "event_pages": 1, "seminars": len(seminars),
                  "speaker_event_pairs": len(people), "pairs_name_found_in_page": found},
        "speakers": people,
        "events": [{"path": EVENT, "title": "Seminars", "speakers": [s["name"] for s in people]}],
        "ignore": [{"name": n, "events": [EVENT]} for n in sorted(set(ignore))],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
