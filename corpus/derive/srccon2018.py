#!/usr/bin/env python3
"""Truth for SRCCON 2018 (Jekyll; _site/ committed beside its _data/).

Rule: _data/sessions.yml (JSON text; the organisers' session list that sessions.md renders)
gives each session a title and up to three people: facilitator, cofacilitator,
cofacilitator_two. The site has no per-session pages: /sessions/ lists every session with
"Facilitated by ..." and is the single event page. Every named (co)facilitator is a speaker of
that page; the data gives no job title, affiliation or bio, and no role beyond facilitating
(role left null). Community reviewers thanked on the same page are not participants.
Usage: srccon2018.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

EVENT_PAGE = "/sessions/"


def data_file(data_dir, relative):
    """rebuild.py copies a single data file to DATA_DIR/relative/basename; accept either layout."""
    path = os.path.join(data_dir, relative)
    return os.path.join(path, os.path.basename(relative)) if os.path.isdir(path) else path


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def main(data_dir, site_dir):
    with open(data_file(data_dir, "_data/sessions.yml"), encoding="utf-8") as f:
        sessions = json.load(f)
    people = {}
    for session in sessions:
        for key in ("facilitator", "cofacilitator", "cofacilitator_two"):
            name = " ".join((session.get(key) or "").split())
            if not name:
                continue
            entry = people.setdefault(name, {
                "name": name, "title": None, "affiliation": None, "role": None, "bio": None,
                "events": [EVENT_PAGE], "sessions": []})
            entry["sessions"].append(session["id"])
    speakers = sorted(people.values(), key=lambda p: p["name"])
    text = page_text(site_dir, EVENT_PAGE)
    found = sum(1 for p in speakers if unicodedata.normalize("NFKC", p["name"]) in text)
    truth = {
        "source": {
            "repo": "github.com/OpenNews/srccon2018 (Jekyll; _site/ committed)",
            "data": "_data/sessions.yml",
            "data_commit": "f3106b9fdb9ef6755e7ea9606035c1256eae931f (same commit as the build)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": 1, "sessions": len(sessions),
                  "speaker_event_pairs": len(speakers), "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, len(speakers)), 3)},
        "speakers": speakers,
        "events": [{"path": EVENT_PAGE, "title": "Sessions at SRCCON 2018 (all sessions)",
                    "speakers": [p["name"] for p in speakers]}],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
