#!/usr/bin/env python3
"""Truth for EuroSciPy 2025 (Kraków): Lektor site whose talk records are written from pretalx.

Derived from content/talks/CODE/contents.lr on branch main (written by the organisers' script
from the pretalx API: confirmed submissions with speakers). Each record is built as
/talks/CODE/ on branch gh-pages (kept only if the page exists). The speakers of a talk are the
"### Name" headings of its `speakers` field (the text under a heading is the bio); the
comma-joined `speaker_names` field is not split, since one name contains a comma. pretalx has
no title/affiliation fields, so both stay null. Two pretalx accounts of one person ("X" and
"X, PhD", equal ignoring case) are merged into one speaker, the other spelling kept as
full_public_name.
Usage: euroscipy2025.py DATA_DIR SITE_DIR
"""
import json
import os
import re
import sys

from pagetext import norm, page, page_text  # noqa: E402 (this folder is on the path)

COMMIT_DATA = "8a108018749fb1e9e675b8591dd3aa1046351574"  # main
COMMIT_SITE = "af2c02699049dcc5401a309c7e9993cff9387dea"  # gh-pages, "[ci skip] 8a10801..."


def lektor(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    fields = {}
    for block in re.split(r"\n---\n", text):
        match = re.match(r"\s*(\w+):\s?(.*)", block, re.S)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    return fields


def key(name):
    return norm(re.sub(r",\s*(PhD|Dr\.?)$", "", name.strip()))


def main(data, site):
    folder = os.path.join(data, "content", "talks")
    people, events = {}, []
    for code in sorted(os.listdir(folder)):
        file = os.path.join(folder, code, "contents.lr")
        if not os.path.isfile(file):
            continue
        talk = lektor(file)
        path = f"/talks/{code}/"
        if not os.path.isfile(page(site, path)):
            continue
        names = []
        for name, bio in re.findall(r"^### ([^\n]+)(?:\n|\Z)(.*?)(?=^### |\Z)", talk.get("speakers", ""), re.M | re.S):
            name = re.sub(r"\s+", " ", name).strip()
            person = people.setdefault(key(name), {
                "name": name, "title": None, "affiliation": None, "role": None,
                "bio": re.sub(r"\s+", " ", bio).strip() or None, "events": [], "profile_pages": [],
            })
            if name != person["name"]:
                person["full_public_name"] = name
            if path not in person["events"]:
                person["events"].append(path)
                names.append(person["name"])
        events.append({"path": path, "title": talk.get("title"), "speakers": names})

    out = sorted(people.values(), key=lambda p: p["name"])
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        hits = sum(1 for path in p["events"] if norm(p["name"]) in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/euroscipy/euroscipy.github.io (Lektor; sources on branch main, built site on branch gh-pages)",
            "data": "content/talks/*/contents.lr (written from the pretalx API by the organisers' utils/talks.py)",
            "data_commit": COMMIT_DATA,
            "site_commit": COMMIT_SITE,
            "rule": __doc__.split("\n\n", 1)[1].rsplit("Usage:", 1)[0].strip(),
        },
        "stats": {
            "speakers": len(out),
            "event_pages": len(events),
            "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
            "speaker_page_links": pairs,
            "speakers_name_found_in_some_page": sum(1 for p in out if p["name_in_html"]["pages_with_name"]),
            "speaker_page_links_name_found": found,
            "name_found_share": round(found / pairs, 3) if pairs else None,
        },
        "speakers": out,
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
