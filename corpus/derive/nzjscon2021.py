#!/usr/bin/env python3
"""Truth for nz.js(con); 2021 (Gatsby build committed under public/).

Rule: src/content/schedule.json (the organisers' programme, rendered by the Gatsby page
/schedule/) maps day > time > track to either a string (breaks) or a talk {name, bio, title,
abstract, type}. The site has no per-talk pages: /schedule/ lists every talk with its speakers
and is the single event page. A talk's "name" may join two people with " & " or " and ";
each is a speaker. bio = bio; the data has no job title or affiliation; role 'keynote' where
type is keynote. A talk without a name (the lightning-talk block) names nobody.
Usage: nzjscon2021.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

EVENT_PAGE = "/schedule/"


def data_file(data_dir, relative):
    """rebuild.py copies a single data file to DATA_DIR/relative/basename; accept either layout."""
    path = os.path.join(data_dir, relative)
    return os.path.join(path, os.path.basename(relative)) if os.path.isdir(path) else path


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def main(data_dir, site_dir):
    with open(data_file(data_dir, "src/content/schedule.json"), encoding="utf-8") as f:
        schedule = json.load(f)
    people, talks = {}, 0
    for day in schedule.values():
        for tracks in day.values():
            for item in tracks.values():
                if not isinstance(item, dict):
                    continue
                talks += 1
                names = [n.strip() for n in re.split(r"\s+(?:&|and)\s+", item.get("name") or "") if n.strip()]
                for name in names:
                    entry = people.setdefault(name, {
                        "name": name, "title": None, "affiliation": None, "role": None,
                        "bio": (item.get("bio") or "").strip() or None if len(names) == 1 else None,
                        "events": [EVENT_PAGE], "talks": []})
                    entry["talks"].append(item["title"])
                    if item.get("type") == "keynote":
                        entry["role"] = "keynote"
    speakers = sorted(people.values(), key=lambda p: p["name"])
    text = page_text(site_dir, EVENT_PAGE)
    found = sum(1 for p in speakers if unicodedata.normalize("NFKC", p["name"]) in text)
    truth = {
        "source": {
            "repo": "github.com/JavaScript-NZ/nzjscon-website (Gatsby; build committed in public/)",
            "data": "src/content/schedule.json",
            "data_commit": "b188d4fca1c3628623ddebf7b9482afbeaf0ed9c (same commit as the build)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": 1, "talks": talks,
                  "speaker_event_pairs": len(speakers), "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, len(speakers)), 3)},
        "speakers": speakers,
        "events": [{"path": EVENT_PAGE, "title": "Schedule (all talks of nz.js(con); 2021)",
                    "speakers": [p["name"] for p in speakers]}],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
