#!/usr/bin/env python3
"""Truth for the FEEC/UNICAMP IA382 seminar series (Hugo, 2023-2026).

Each seminar is a Hugo page bundle content/seminars/SERIES/N/index.md whose front matter names
the speaker in `seminarist`; the two opening class lectures (SERIES/welcome.md,
SERIES/literature-review.md) are event pages too; their `author` (the course's professor) is not
shown on the page and goes in "ignore". The build shows seminars-1-2026/1 as the template
placeholder (title "Title", seminarist "Seminarist"), so that folder's data is taken at the
commit the build was made from (da893a3) and the placeholder names nobody.
content/seminars/S/N/index.md -> /seminars/S/N/ (S/x.md -> /seminars/S/x/), kept when the built
page exists and the page is not a draft. affiliation = first line of the body's "Affiliation"
section when it has one; bio = the body's "Bio" section as plain text.
The build also holds /seminars/seminars-1-2025/999/, a stale unlinked copy of .../8/: the URL
pattern leaves it out.

Usage: feec-seminar.py DATA_DIR SITE_DIR > truth.json
"""
import json
import os
import re
import sys
import unicodedata

import yaml

import pagetext  # noqa: E402 (this folder is on the path)

PATTERN = re.compile(r"^/seminars/seminars-[12]-20\d\d/([1-9]|1\d|welcome|literature-review)/$")


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


class Text(pagetext.Text):
    """pagetext's visible text, with the alt and title attributes kept apart."""

    def __init__(self):
        super().__init__()
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        self.attrs += [v for k, v in attrs if k in ("alt", "title") and v]


def page_texts(site, path):
    """(visible text, text of alt/title attributes) of a page, normalised and case-folded."""
    parser = Text()
    with open(os.path.join(site, path.strip("/"), "index.html"), encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    return norm("".join(parser.parts)).casefold(), norm(" | ".join(parser.attrs)).casefold()


def plain(markdown):
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]+", "", text)
    return norm(text) or None


def section(body, name):
    """The text under a '## Name' or '**Name**' heading, up to the next heading."""
    m = re.search(r"^(?:#+\s*%s\s*|\*\*%s\*\*\s*)$(.*?)(?=^#+\s|^\*\*[^*\n]+\*\*\s*$|^---|\Z)" % (name, name),
                  body, re.M | re.S | re.I)
    return m.group(1) if m else ""


def main(data_dir, site_dir):
    speakers, events, ignore = {}, [], []
    for root, _, files in os.walk(data_dir):
        for name in sorted(files):
            if not name.endswith(".md") or name == "_index.md":
                continue
            rel = os.path.relpath(os.path.join(root, name), data_dir).replace(os.sep, "/")
            rel = rel.split("content/seminars/", 1)[1]
            path = "/seminars/" + (rel[: -len("/index.md")] if rel.endswith("/index.md") else rel[:-3]) + "/"
            with open(os.path.join(root, name), encoding="utf-8") as f:
                _, front, body = f.read().split("---", 2)
            meta = yaml.safe_load(front)
            if meta.get("draft") or not PATTERN.match(path) or not os.path.isfile(os.path.join(site_dir, path.strip("/"), "index.html")):
                continue
            person = (meta.get("seminarist") or "").strip()
            person = "" if person == "Seminarist" else person
            if meta.get("author"):
                ignore.append({"name": re.sub(r"^(Prof\.|Dr\.)\s*", "", meta["author"]), "events": [path]})
            events.append({"path": path, "title": meta["title"], "date": str(meta.get("date_to_display") or meta.get("date"))[:10],
                           "series": (meta.get("series") or [None])[0], "speakers": [person] if person else []})
            if person:
                affiliation = [l for l in (plain(x) for x in section(body, "Affiliation").splitlines()) if l]
                bio = plain(section(body, "Bio"))
                s = speakers.setdefault(person, {"name": person, "title": None, "affiliation": None, "role": None,
                                                 "bio": None, "events": [], "profile_pages": []})
                s["affiliation"] = s["affiliation"] or (affiliation[0] if affiliation else None)
                s["bio"] = s["bio"] or bio
                s["events"].append(path)
    # every page the pattern matches is an event page, named in the data or not
    known = {e["path"] for e in events}
    for root, _, files in os.walk(site_dir):
        path = "/" + os.path.relpath(root, site_dir).replace(os.sep, "/") + "/"
        if "index.html" in files and PATTERN.match(path) and path not in known:
            events.append({"path": path, "title": None, "speakers": []})
    events.sort(key=lambda e: e["path"])
    found = visible = pairs = 0
    for s in speakers.values():
        texts = [page_texts(site_dir, p) for p in s["events"]]
        name = norm(s["name"]).casefold()
        hits = sum(name in text or name in attrs for text, attrs in texts)
        shown = sum(name in text for text, _ in texts)
        s["name_in_html"] = {"pages_with_name": hits, "pages_with_name_in_text": shown, "pages": len(s["events"])}
        found, visible, pairs = found + hits, visible + shown, pairs + len(s["events"])
    truth = {
        "source": {"repo": "github.com/feec-seminar-comp-eng/feec-seminar-comp-eng.github.io (Hugo + Blowfish; built site in public/)",
                   "data": "content/seminars/*/*/index.md front matter (seminarist) and body sections",
                   "data_commit": "fda7219ba41ee2ff54df609670d0e041db985e04",
                   "rule": __doc__.split("\n\n")[1].replace("\n", " ")},
        "stats": {"speakers": len(speakers), "event_pages": len(events),
                  "event_pages_without_speaker": sum(not e["speakers"] for e in events),
                  "speaker_event_pairs": pairs, "pairs_name_found_in_page": found,
                  "pairs_name_in_visible_text": visible},
        "speakers": sorted(speakers.values(), key=lambda s: s["name"]),
        "events": events,
        "ignore": ignore,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
