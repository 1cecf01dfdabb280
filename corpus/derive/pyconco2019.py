#!/usr/bin/env python3
"""Truth for PyCon Colombia 2019 (Lektor site, built pages on branch gh-pages).

Derived from the Lektor content records on branch `production`:
  content/talks/SLUG/contents.lr     one programme item; `authors` = speaker slugs
  content/speakers/SLUG/contents.lr  name + last_name, position_1 (free "job/title"), information
  content/keynotes/SLUG/contents.lr  keynote speakers; their talk is content/talks/keynote-SLUG
Every talk record is built as /ponencias/SLUG/ (Spanish, the default language) and as
/en/talks/SLUG/ (English): both are event pages of the same talk, with the same speakers. Only pages a visitor can reach by
following links from the home page count: the schedule links keynotes to the keynote speakers'
profile pages, so the keynote talk pages (and most breaks) are orphans and are left out.
Breaks etc. that are linked stay with speakers: [].
name = name + " " + last_name; title = `position` (keynote records only), affiliation =
`employer` (keynote records only); position_1 mixes job titles and organisations, so it is kept
as "headline" and not scored; bio = information. Keynote speakers would get role "keynote", but
their talk pages are orphans, so they are not in the truth.
Usage: pyconco2019.py DATA_DIR SITE_DIR
"""
import html
import html.parser
import json
import os
import re
import sys

from pagetext import Text, norm  # noqa: E402 (this folder is on the path)

COMMIT_DATA = "20998563b88960f2ed338eacef1780dff9954071"  # branch production
COMMIT_SITE = "407cfc790c35ed2084cfa80b5b26bb2861de1343"  # branch gh-pages, "Synchronized build"


def lektor(path):
    """Fields of a Lektor contents.lr file."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    fields = {}
    for block in re.split(r"\n---+\n", text):
        match = re.match(r"\s*(\w+):\s?(.*)", block, re.S)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    return fields


def records(folder):
    out = {}
    for slug in sorted(os.listdir(folder)):
        path = os.path.join(folder, slug, "contents.lr")
        if os.path.isfile(path):
            out[slug] = lektor(path)
    return out


def page_text(site, path):
    file = os.path.join(site, path.strip("/"), "index.html")
    if not os.path.isfile(file):
        return None
    parser = Text()
    with open(file, encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts))


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for key, value in attrs if tag == "a" and key == "href" and value]


def reachable(site, start="/"):
    """URL paths reachable from `start` by following same-site links (directories get their slash)."""
    from urllib.parse import unquote, urljoin, urlparse
    seen, queue = set(), [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        file = os.path.join(site, path.strip("/"), "index.html") if path.endswith("/") else os.path.join(site, path.lstrip("/"))
        if not file.endswith(".html") or not os.path.isfile(file):
            continue
        parser = Links()
        with open(file, encoding="utf-8", errors="replace") as handle:
            parser.feed(handle.read())
        for href in parser.hrefs:
            url = urlparse(urljoin("http://site" + path, href))
            target = unquote(url.path)
            if url.netloc != "site":
                continue
            if not target.endswith("/") and os.path.isdir(os.path.join(site, target.strip("/"))):
                target += "/"
            queue.append(target)
    return seen


def main(data, site):
    content = os.path.join(data, "content")
    talks = records(os.path.join(content, "talks"))
    speakers = records(os.path.join(content, "speakers"))
    keynotes = records(os.path.join(content, "keynotes"))
    people, events = {}, []
    linked = reachable(site)

    def person(slug, record, keynote, talk_title=""):
        name = f"{record.get('name', '')} {record.get('last_name', '')}".strip()
        if keynote and not record.get("name"):  # a record with only a last name: take the talk title
            name = re.sub(r"^Keynote by\s+", "", talk_title).strip() or name
        folder = "keynotes" if keynote else "ponentes"
        profile = f"/{folder}/{slug}/"
        return people.setdefault(("k" if keynote else "s") + slug, {
            "name": re.sub(r"\s+", " ", name),
            "title": record.get("position") or None if keynote else None,
            "affiliation": record.get("employer") or None if keynote else None,
            "role": "keynote" if keynote else None,
            "bio": record.get("information") or None,
            "headline": record.get("position_1") or None,
            "events": [],
            "profile_pages": [profile] if os.path.isfile(os.path.join(site, profile.strip("/"), "index.html")) else [],
            "data_id": slug,
        })

    for slug, talk, path in [(s, t, p) for s, t in talks.items() for p in (f"/ponencias/{s}/", f"/en/talks/{s}/")]:
        if not os.path.isfile(os.path.join(site, path.strip("/"), "index.html")) or path not in linked:
            continue
        names = []
        authors = [a.strip() for a in (talk.get("authors") or "").split(",") if a.strip()]
        for author in authors:
            if author in speakers:
                entry = person(author, speakers[author], False)
                entry["events"].append(path)
                names.append(entry["name"])
        if talk.get("type") == "keynote" and slug.startswith("keynote-") and slug[8:] in keynotes:
            entry = person(slug[8:], keynotes[slug[8:]], True, talk.get("name", ""))
            entry["events"].append(path)
            names.append(entry["name"])
        events.append({"path": path, "title": talk.get("name"), "session_type": talk.get("type"), "speakers": names})

    speakers_out = [p for p in people.values() if p["events"]]
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    found = 0
    for p in speakers_out:
        hits = sum(1 for path in p["events"] if norm(p["name"]) in (texts[path] or ""))
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
        found += hits > 0
    pairs = sum(len(p["events"]) for p in speakers_out)
    pairs_found = sum(p["name_in_html"]["pages_with_name"] for p in speakers_out)
    truth = {
        "source": {
            "repo": "github.com/PyConColombia/website-2019 (Lektor; sources on branch production, built site on branch gh-pages)",
            "data": "content/talks/*/contents.lr + content/speakers/*/contents.lr + content/keynotes/*/contents.lr",
            "data_commit": COMMIT_DATA,
            "site_commit": COMMIT_SITE,
            "rule": __doc__.split("\n\n", 1)[1].rsplit("Usage:", 1)[0].strip(),
        },
        "stats": {
            "speakers": len(speakers_out),
            "event_pages": len(events),
            "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
            "speaker_page_links": pairs,
            "speakers_name_found_in_some_page": found,
            "speaker_page_links_name_found": pairs_found,
            "name_found_share": round(pairs_found / pairs, 3) if pairs else None,
        },
        "speakers": sorted(speakers_out, key=lambda p: p["name"]),
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
