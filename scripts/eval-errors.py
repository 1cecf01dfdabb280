#!/usr/bin/env python3
"""Lists what extraction got wrong on development sites: missed (person, page) pairs and
false ones, with where the name sits in the page, to decide what to build next.

Usage: scripts/eval-errors.py KEEP_DIR [SITE ...] [--corpus DIR] [--limit N]

KEEP_DIR is the folder `speakerdb eval --keep KEEP_DIR` wrote exports to. Sites of the
validation split are refused: studying their errors would make them development sites
(docs/QUALITY.md says how to move one if that is really wanted).
"""
import argparse
import json
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval"))


def norm(text):
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w@]+", " ", text).split())


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0] or "/"


def variants(path):
    if path.endswith("/index.html"):
        return {path, path[: -len("index.html")]}
    if path.endswith("/"):
        return {path, path + "index.html"}
    if path.endswith(".html"):
        return {path, path[:-5]}
    return {path, path + ".html"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("keep")
    parser.add_argument("sites", nargs="*")
    parser.add_argument("--corpus", default=os.environ.get("SPEAKERDB_CORPUS", os.path.expanduser("~/.cache/speakerdb/corpus")))
    parser.add_argument("--limit", type=int, default=25)
    args = parser.parse_args()
    manifest = json.load(open(os.path.join(args.corpus, "manifest.json"), encoding="utf-8"))
    for site in manifest["sites"]:
        if args.sites and site["id"] not in args.sites:
            continue
        if site["split"] != "dev":
            if args.sites:
                print(f"{site['id']}: validation site, not shown")
            continue
        export_file = os.path.join(args.keep, site["id"] + ".json")
        if not os.path.exists(export_file):
            continue
        folder = site.get("path") or os.path.join(args.corpus, site["id"])
        truth = json.load(open(os.path.join(folder, "truth.json"), encoding="utf-8"))
        export = json.load(open(export_file, encoding="utf-8"))
        pages = {}
        for event in truth.get("events", []):
            for variant in variants(event["path"]):
                pages[variant] = event["path"]
        want = {}
        for person in truth.get("speakers", []):
            keys = {norm(person.get(field)) for field in ("name", "public_name", "full_public_name") if person.get(field)}
            for page in person.get("events", []):
                want[(norm(person["name"]), page)] = (person, keys)
        ignored = {(norm(i["name"]), p) for i in truth.get("ignore", []) for p in i.get("events", [])}
        got = {}
        for speaker in export["speakers"]:
            for event in speaker["events"]:
                page = pages.get(path_of(event["url"])) or next((pages[v] for v in variants(path_of(event["url"])) if v in pages), None)
                if page:
                    got[(norm(speaker["name"]), page)] = speaker
        matched = set()
        false = []
        for (name, page), speaker in got.items():
            hit = next((key for key, (person, keys) in want.items() if key[1] == page and name in keys), None)
            if hit:
                matched.add(hit)
            elif (name, page) not in ignored:
                false.append((speaker["name"], page, speaker.get("title"), speaker.get("affiliation")))
        missed = [(person["name"], page) for (key, page), (person, _) in want.items() if (key, page) not in matched]
        print(f"== {site['id']}: {len(matched)} right, {len(missed)} missed, {len(false)} false")
        for name, page in missed[: args.limit]:
            print(f"  missed {name!r} on {page}")
        for name, page, title, affiliation in false[: args.limit]:
            print(f"  false  {name!r} on {page} (title {title!r}, affiliation {affiliation!r})")


if __name__ == "__main__":
    main()
