#!/usr/bin/env python3
"""Truth for BlendConf 2015 (Middleman; build committed in build/).

Rule: data/speakers.yml has one record per speaker (firstName, lastName, type, talkTitle,
company, bio). config.rb proxies each record to /speakers/FIRST-LAST/ (profile page) and to
/schedule/SLUG/ (talk page), SLUG = clean_data(talkTitle) as config.rb defines it (ASCII
lower-case, space -> '-', drop . : ( ) & ' , ?). Several records share a talk page (same SLUG): the
page renders the first of them, and the talk template adds one co-speaker by hand for
three titles (CO_SPEAKERS below); the other co-speakers are not on the talk page, so they keep
only their profile page (events []). affiliation = company; bio = bio with tags stripped; no
job title in the data; role 'keynote' for type Keynotes.
Usage: blendconf2015.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml

CO_SPEAKERS = {  # source/schedule/template.html.slim: "About NAME" added for these talks
    "Hands-on with Polymer": "Michelle Yaiser",
    "Learnings from Collaborating across UX and Design": "Irene Pereyra",
    "Love & Trust – What we know about relationships holds true in products": "Cat Noone",
}


def clean_data(value):
    value = "".join(c.lower() if c.isascii() else c for c in str(value)).replace(" ", "-")
    return re.sub(r"[.:()&',?]", "", value)


def data_file(data_dir, relative):
    """rebuild.py copies a single data file to DATA_DIR/relative/basename; accept either layout."""
    path = os.path.join(data_dir, relative)
    return os.path.join(path, os.path.basename(relative)) if os.path.isdir(path) else path


def text_of(raw):
    raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", raw or "")
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))).strip()


def main(data_dir, site_dir):
    with open(data_file(data_dir, "data/speakers.yml"), encoding="utf-8") as f:
        records = [r for r in yaml.safe_load(f) if r and str(r.get("firstName")) != "TBD"]
    people, events = {}, {}
    for r in records:
        name = f"{r['firstName']} {r['lastName']}".strip()
        people[name] = {"name": name, "title": None, "affiliation": (r.get("company") or "").strip() or None,
                        "role": "keynote" if r.get("type") == "Keynotes" else None,
                        "bio": text_of(r.get("bio")) or None, "events": [],
                        "profile_pages": [f"/speakers/{clean_data(r['firstName'])}-{clean_data(r['lastName'])}/"],
                        "session_type": r.get("type")}
        title = str(r.get("talkTitle") or "")
        path = f"/schedule/{clean_data(title)}/"
        if not title or title == "TBD" or not os.path.isfile(os.path.join(site_dir, path.strip("/"), "index.html")):
            continue
        if path not in events:  # the first record with this title is the one the page renders
            events[path] = {"path": path, "title": title, "session_type": r.get("type"), "speakers": [name]}
        elif CO_SPEAKERS.get(title) == name:
            events[path]["speakers"].append(name)
    for event in events.values():
        for name in event["speakers"]:
            people[name]["events"].append(event["path"])
    speakers = sorted(people.values(), key=lambda p: p["name"])
    pairs = found = 0
    for event in events.values():
        with open(os.path.join(site_dir, event["path"].strip("/"), "index.html"), encoding="utf-8") as f:
            text = text_of(f.read())
        pairs += len(event["speakers"])
        found += sum(1 for n in event["speakers"] if unicodedata.normalize("NFKC", n) in text)
    truth = {
        "source": {
            "repo": "github.com/bpainter/blendconf.com (Middleman; build committed in build/)",
            "data": "data/speakers.yml",
            "data_commit": "cad751d183c9e1af6b761994a8b6770c5c8d66f9 (same commit as the build)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": len(events),
                  "speakers_without_event_page": sum(1 for p in speakers if not p["events"]),
                  "speaker_event_pairs": pairs, "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, pairs), 3)},
        "speakers": speakers,
        "events": sorted(events.values(), key=lambda e: e["path"]),
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
