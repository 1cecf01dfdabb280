#!/usr/bin/env python3
"""Truth for PyCon HK 2017 (HKOSCon organisers; gulp + nunjucks build deployed to gh-pages).

Rule: the deployed gh-pages commit carries the organisers' data files beside the built pages
(data/topics.yml and data/speakers.yml, copies of assets/data/ on master that the nunjucks
templates render). Each topic of topics.yml has its own page /2017/topics/ID/ naming its
speakers (keys into speakers.yml). Every topic page is an event page, except the one whose
topic is marked "withdrew: true": its page was still built but nothing links to it (the
event URL pattern leaves it out), so it is recorded under "withdrawn" and not as an event.
A speaker's name is speakers.yml "name"; affiliation is "company.name" when given (the page
prints it as "Company: ..."), otherwise null; the data has no job title (the free-text
description, e.g. "Micropython.HK webmaster and CityU part time Tutor", is kept as bio and
not split). role is "keynote" for topics of type keynote, otherwise null (the page labels
talks and workshops alike "Speaker").
Usage: pyconhk2017.py DATA_DIR SITE_DIR
"""
import json
import os
import re
import sys

import yaml

from pagetext import norm, page_text  # noqa: E402 (this folder is on the path)

PREFIX = "/2017"
COMMIT = "c366f7b75719c688673d3cca95c21f6a2effaafd"  # gh-pages, Travis deploy of 2017-11-04


def load(data, name):
    for candidate in (os.path.join(data, "data", name), os.path.join(data, "data", name, name)):
        if os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as handle:
                return yaml.safe_load(handle)
    raise SystemExit(f"pyconhk2017: data/{name} missing under {data}")


def clean(value):
    return re.sub(r"\s+", " ", value or "").strip() or None


def main(data, site):
    topics = load(data, "topics.yml")["topics"]
    speakers = load(data, "speakers.yml")
    people, events, withdrawn = {}, [], []
    for topic in topics:
        path = f"{PREFIX}/topics/{topic['id']}/"
        names = []
        for key in topic.get("speaker") or []:
            s = speakers[key]
            names.append(clean(s["name"]))
            if topic.get("withdrew"):
                continue
            person = people.setdefault(key, {
                "name": clean(s["name"]),
                "title": None,
                "affiliation": clean((s.get("company") or {}).get("name")),
                "role": None,
                "bio": clean(" ".join(s.get("description") or [])),
                "events": [],
                "data_id": key,
            })
            if topic.get("type") == "keynote":
                person["role"] = "keynote"
            person["events"].append(path)
        entry = {"path": path, "title": clean(topic["title"]), "type": topic.get("type"), "speakers": names}
        if topic.get("withdrew"):
            withdrawn.append(dict(entry, remark=topic.get("remark")))
        else:
            events.append(entry)
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    pairs = sum(len(p["events"]) for p in people.values())
    found = sum(1 for p in people.values() for path in p["events"] if norm(p["name"]) in texts[path])
    truth = {
        "source": {
            "repo": "github.com/pyconhk/2017 (gulp + nunjucks; built site and its data on branch gh-pages)",
            "data": "data/topics.yml, data/speakers.yml (gh-pages copies of assets/data/ on master)",
            "data_commit": COMMIT + " (same commit as the pages)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(people), "event_pages": len(events), "withdrawn_topics": len(withdrawn),
                  "speaker_event_pairs": pairs, "pairs_name_in_page": found,
                  "share_name_in_page": round(found / pairs, 3) if pairs else None},
        "speakers": sorted(people.values(), key=lambda p: p["name"]),
        "events": events,
        "withdrawn": withdrawn,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
