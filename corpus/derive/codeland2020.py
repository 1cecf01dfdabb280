#!/usr/bin/env python3
"""Truth for CodeLand 2020 (CodeNewbie; Middleman build committed beside its source).

Rule: data/workshops.yml (the organisers' list that config.rb turns into one page per entry,
/workshops/SLUG/ with SLUG = full_name lower-cased, spaces to hyphens) gives each workshop
and its single host. Every built workshop page is an event page; its speaker is the entry's
full_name (the page says "About NAME" above the bio). One slug has a non-ASCII letter
(/workshops/nočnica-fee/; the home page links it unencoded). An entry whose page were missing
from the commit would be recorded under "missing_pages" (none is). The data's job_title
and company are kept as data_job_title / data_company but title and affiliation stay null:
neither the workshop pages nor the home page print them (one bio happens to contain its
job title). role is "host" (the home page says "Hosted by: NAME"). The talks of
data/talks.yml have no pages of their own (the home page lists them) and are not in the
truth.
Usage: codeland2020.py DATA_DIR SITE_DIR
"""
import json
import os
import re
import sys

import yaml

from pagetext import norm, page_text  # noqa: E402 (this folder is on the path)

COMMIT = "9164c20265e6718254c30b2bc0bc90e0c735ae94"  # main, 2020-07-24, post-conference update with the build


def clean(value):
    return re.sub(r"\s+", " ", str(value)).strip() if value not in (None, "") else None


def main(data, site):
    file = os.path.join(data, "data", "workshops.yml")
    if os.path.isdir(file):
        file = os.path.join(file, "workshops.yml")
    with open(file, encoding="utf-8") as handle:
        workshops = yaml.safe_load(handle)["speakers"]
    speakers, events, missing = [], [], []
    for w in workshops:
        name = clean(w["full_name"])
        slug = w["full_name"].replace(" ", "-").lower()
        path = f"/workshops/{slug}/"
        entry = {"path": path, "title": clean(w.get("talk_title")), "day": w.get("day"), "speakers": [name]}
        if not os.path.isfile(os.path.join(site, path.strip("/"), "index.html")):
            missing.append(entry)
            continue
        events.append(entry)
        speakers.append({
            "name": name, "title": None, "affiliation": None, "role": "host",
            "bio": clean(w.get("bio")), "events": [path],
            "data_job_title": clean(w.get("job_title")), "data_company": clean(w.get("company")),
        })
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    found = sum(1 for s in speakers if norm(s["name"]) in texts[s["events"][0]])
    truth = {
        "source": {
            "repo": "github.com/code-newbies/codeland (Middleman; built pages committed at the root beside source/ and data/)",
            "data": "data/workshops.yml",
            "data_commit": COMMIT + " (same commit as the pages)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": len(events), "missing_pages": len(missing),
                  "speaker_event_pairs": len(speakers), "pairs_name_in_page": found,
                  "share_name_in_page": round(found / len(speakers), 3) if speakers else None},
        "speakers": sorted(speakers, key=lambda s: s["name"]),
        "events": events,
        "missing_pages": missing,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
