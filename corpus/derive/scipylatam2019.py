#!/usr/bin/env python3
"""Truth for SciPy Latin America 2019 (Bogotá; Lektor site, built pages on branch gh-pages).

Derived from the Lektor content records on branch production:
  content/charlas/FOLDER/contents.lr   one programme item; `authors` = speaker folder names
  content/ponentes/FOLDER/contents.lr  name, last_name, position, position_company / company, information
A programme item is built as /charlas/SLUG/ (SLUG = its `_slug` field, else the folder name;
Spanish is the default language, the English copies under /en/ are not event pages of the
truth) and kept only if that page exists. Breaks, lunches and openings stay with speakers: [].
name = name + " " + last_name (as in the photos' alt text); public_name = first word of name +
last_name_prefix + first word of last_name (the form printed as link text); title = position, affiliation =
position_company (else company), bio = information. role = "keynote" for authors of items of
type keynote. Speaker pages /ponentes/FOLDER/ are profile_pages.
Usage: scipylatam2019.py DATA_DIR SITE_DIR
"""
import json
import os
import re
import sys

import pagetext  # noqa: E402 (this folder is on the path)
from pagetext import norm, page  # noqa: E402

COMMIT_DATA = "810a61193f1faa3026159078f81603e9dea893e7"  # branch production, "Update videos"
COMMIT_SITE = "5b56d366c4bdfb34a4608b6d5b15bf8fdbd3f81f"  # branch gh-pages, the build that followed


def lektor(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    fields = {}
    for block in re.split(r"\n---\n", text):
        match = re.match(r"\s*(\w+):\s?(.*)", block, re.S)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    return fields


def records(folder):
    return {slug: lektor(os.path.join(folder, slug, "contents.lr")) for slug in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, slug, "contents.lr"))}


class Text(pagetext.Text):
    """pagetext's visible text, with alt and title attributes read as text too."""

    def handle_starttag(self, tag, attrs):
        self.parts.extend(f" {value} " for key, value in attrs if key in ("alt", "title") and value)
        super().handle_starttag(tag, attrs)


def page_text(site, path):
    parser = Text()
    with open(page(site, path), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts))


def clean(value):
    return re.sub(r"\s+", " ", value or "").strip() or None


def main(data, site):
    talks = records(os.path.join(data, "content", "charlas"))
    speakers = records(os.path.join(data, "content", "ponentes"))
    people, events = {}, []
    for folder, talk in talks.items():
        path = f"/charlas/{talk.get('_slug') or folder}/"
        if not os.path.isfile(page(site, path)):
            continue
        names = []
        for author in [a.strip() for a in (talk.get("authors") or "").split(",") if a.strip()]:
            record = speakers.get(author)
            if record is None:
                continue
            profile = f"/ponentes/{author}/"
            person = people.setdefault(author, {
                "name": clean(f"{record.get('name', '')} {record.get('last_name', '')}"),
                "public_name": clean(" ".join(w.split(" ")[0] for w in (record.get("name", "").strip(),
                                     record.get("last_name_prefix", "").strip().lower(), record.get("last_name", "").strip()) if w)),
                "title": clean(record.get("position")),
                "affiliation": clean(record.get("position_company")) or clean(record.get("company")),
                "role": None,
                "bio": (record.get("information") or "").strip() or None,
                "events": [], "profile_pages": [profile] if os.path.isfile(page(site, profile)) else [],
                "data_id": author,
            })
            if talk.get("type") == "keynote":
                person["role"] = "keynote"
            person["events"].append(path)
            names.append(person["name"])
        events.append({"path": path, "title": clean(talk.get("name")), "session_type": talk.get("type"), "speakers": names})

    out = sorted(people.values(), key=lambda p: p["name"])
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        hits = sum(1 for path in p["events"] if norm(p["name"]) in texts[path])
        shown = sum(1 for path in p["events"] if norm(p["public_name"] or "") in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages_with_public_name": shown, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/scipy-latinamerica/scipylatam-webpage-2019 (Lektor; sources on branch production, built site on branch gh-pages)",
            "data": "content/charlas/*/contents.lr + content/ponentes/*/contents.lr",
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
            "name_found_note": "full names are found in img alt text; visible link text gives public_name",
        },
        "speakers": out,
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
