#!/usr/bin/env python3
"""Truth for the DAI seminar ("DinAmicI: Another Internet Seminar", Hugo, 2020-2022).

Each talk is content/dai-seminars/SLUG.md with TOML front matter (speaker, affiliation, seminar =
talk title, start); Hugo renders it at /dai-seminars/SLUG/ (the gh-pages build deployed from this
data commit). A page is an event page when it exists in the build; the one item that only
announces a postponement (slug seminar-by-...) is a notice, not an event, and is left out.
speaker "A and B" names two people; affiliation is kept for single-speaker talks only.

Usage: dai-dinamici.py DATA_DIR SITE_DIR > truth.json
"""
import json
import os
import re
import sys
import tomllib
import unicodedata

from pagetext import Text  # noqa: E402 (this folder is on the path)


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def page_text(file):
    parser = Text()
    with open(file, encoding="utf-8") as f:
        parser.feed(f.read())
    return norm("".join(parser.parts)).casefold()


def main(data_dir, site_dir):
    speakers, events, found, pairs = {}, [], 0, 0
    for root, _, files in os.walk(data_dir):
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith("_"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                meta = tomllib.loads(f.read().split("+++")[1])
            slug = meta.get("slug") or name[:-3]
            path = f"/dai-seminars/{slug}/"
            page = os.path.join(site_dir, "dai-seminars", slug, "index.html")
            if slug.startswith("seminar-by-") or meta.get("draft") or not os.path.isfile(page):
                continue
            names = [norm(n) for n in re.split(r" and ", meta.get("speaker") or "") if n.strip()]
            events.append({"path": path, "title": norm(meta.get("seminar") or meta["title"]),
                           "start": meta.get("start"), "speakers": names})
            text = page_text(page)
            for person in names:
                s = speakers.setdefault(person, {"name": person, "title": None, "affiliation": None, "role": None,
                                                 "bio": None, "events": [], "profile_pages": []})
                s["events"].append(path)
                if len(names) == 1 and meta.get("affiliation"):
                    s["affiliation"] = norm(meta["affiliation"])
                pairs += 1
                found += person.casefold() in text
    events.sort(key=lambda e: e["path"])
    truth = {
        "source": {"repo": "github.com/marcolenci/dai-dinamici.github.io (Hugo; data on main, build on gh-pages)",
                   "data": "content/dai-seminars/*.md (TOML front matter)",
                   "data_commit": "4c2ab8f2c6f524defaaeaae359a08b5cfb6aa1b2",
                   "site_commit": "ad598860f12dd414cd286f514af9e9c2f9a469fa (gh-pages, 'deploy: 4c2ab8f')",
                   "rule": " ".join(__doc__.split("\n\n")[1].split())},
        "stats": {"speakers": len(speakers), "event_pages": len(events), "speaker_event_pairs": pairs,
                  "pairs_name_found_in_page": found},
        "speakers": sorted(speakers.values(), key=lambda s: s["name"]),
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
