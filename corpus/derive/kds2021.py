#!/usr/bin/env python3
"""Truth for Knowit Developer Summit 2021 (Next.js static export on branch gh-pages).

Rule: models/data.json (the programme the organisers' pre-build script made from their
spreadsheet and the Next.js pages render) lists days > slots > rooms > talks, each talk with
speakers {name, info}. The export has no per-talk pages: every talk and its speakers are on
one programme page, /TalksAndSpeakers, which is the single event page. bio = info; the data
has no title or affiliation; a speaker named "-" (cancelled talk) is nobody; role 'keynote' for the talk whose type is a keynote.
Usage: kds2021.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

EVENT_PAGE = "/TalksAndSpeakers"


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.lstrip("/") + ".html"), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def data_file(data_dir, relative):
    """rebuild.py copies a single data file to DATA_DIR/relative/basename; accept either layout."""
    path = os.path.join(data_dir, relative)
    return os.path.join(path, os.path.basename(relative)) if os.path.isdir(path) else path


def main(data_dir, site_dir):
    with open(data_file(data_dir, "models/data.json"), encoding="utf-8") as f:
        program = json.load(f)["program"]
    people, titles = {}, []
    for day in program["days"]:
        for slot in day["slots"]:
            for room in slot["rooms"]:
                for talk in room["talks"]:
                    titles.append(talk["title"])
                    for person in talk["speakers"]:
                        name = " ".join(person["name"].split())
                        if not any(c.isalpha() for c in name):  # "-" stands for nobody (cancelled talk)
                            continue
                        entry = people.setdefault(name, {
                            "name": name, "title": None, "affiliation": None, "role": None,
                            "bio": (person.get("info") or "").strip() or None,
                            "events": [EVENT_PAGE], "talks": []})
                        entry["talks"].append(talk["title"])
                        if talk["type"].lower().startswith("keynote"):
                            entry["role"] = "keynote"
    speakers = sorted(people.values(), key=lambda p: p["name"])
    text = page_text(site_dir, EVENT_PAGE)
    found = sum(1 for p in speakers if unicodedata.normalize("NFKC", p["name"]) in text)
    truth = {
        "source": {
            "repo": "github.com/knowit/kds2021 (Next.js; export on branch gh-pages, sources on master)",
            "data": "models/data.json",
            "data_commit": "cdb8787499f5ced459da014f86e6f2019e20e319",
            "html_commit": "0354f1fa1f738592dc0b3973093a60220dcc96e5 (gh-pages, deployed from that master commit)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": 1, "talks": len(titles),
                  "speaker_event_pairs": len(speakers), "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, len(speakers)), 3)},
        "speakers": speakers,
        "events": [{"path": EVENT_PAGE, "title": "Talks & speakers (all talks of KDS 2021)",
                    "speakers": [p["name"] for p in speakers]}],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
