#!/usr/bin/env python3
"""Truth for DrupalCamp NYC 2020: a Drupal 8 site exported to static HTML with Tome.

The Tome export holds, beside the HTML (html/), the site's content entities as JSON
(content/node.UUID.json, content/user.UUID.json). Every node of type "session" (talks, a panel,
trainings and a workshop) is an event page at its path alias (/session/SLUG or /training/SLUG,
served as /session/SLUG/). Its speakers are the users referenced by field_speakers, named
"first last" from field_u_first_name/field_u_last_name; bio = field_speaker_profile as plain text.
field_u_job_title/field_u_company become title/affiliation only when the session page shows them.
A speaker's /user/UID/ page (name and profile) is listed as a profile page when it was exported.
Unpublished nodes and nodes whose page was not exported are left out. Two exported pages under
/session/ are Tome redirect stubs to renamed sessions; they are not events (the URL pattern
leaves them out).

Usage: drupalcampnyc2020.py DATA_DIR SITE_DIR > truth.json
"""
import glob
import html
import json
import os
import re
import sys
import unicodedata

from pagetext import Text  # noqa: E402 (this folder is on the path)

COMMIT = "2e199bdf395ec2115bd403c3debba07070faf7c4"


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", html.unescape(text or ""))).strip()


def page_file(site, path):
    return os.path.join(site, path.strip("/"), "index.html")


def page_text(site, path):
    parser = Text()
    with open(page_file(site, path), encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return norm("".join(parser.parts)).casefold()


def value(entity, field):
    items = entity.get(field) or []
    return items[0].get("value") if items else None


def plain(markup):
    return norm(re.sub(r"<[^>]+>", " ", markup or "")) or None


def main(data, site):
    content = os.path.join(data, "content")
    users, nodes = {}, []
    for file in sorted(glob.glob(os.path.join(content, "*.json"))):
        with open(file, encoding="utf-8") as handle:
            entity = json.load(handle)
        name = os.path.basename(file)
        if name.startswith("user."):
            users[value(entity, "uuid")] = entity
        elif name.startswith("node.") and entity.get("type", [{}])[0].get("target_id") == "session":
            nodes.append(entity)

    people, events = {}, []
    for node in sorted(nodes, key=lambda n: n["path"][0]["alias"]):
        if not value(node, "status"):
            continue
        path = node["path"][0]["alias"].rstrip("/") + "/"
        if not os.path.isfile(page_file(site, path)):
            continue
        text = page_text(site, path)
        names = []
        for reference in node.get("field_speakers", []):
            user = users.get(reference.get("target_uuid"))
            if not user:
                continue
            name = norm(" ".join(filter(None, (value(user, "field_u_first_name"), value(user, "field_u_last_name")))))
            if not name:
                continue
            uid = value(user, "uid")
            person = people.setdefault(uid, {
                "name": name, "title": None, "affiliation": None, "role": None,
                "bio": plain(value(user, "field_speaker_profile")), "events": [], "profile_pages": [],
            })
            for field, key in (("field_u_job_title", "title"), ("field_u_company", "affiliation")):
                stated = norm(value(user, field))
                if stated and stated.casefold() in text:
                    person[key] = stated
            profile = f"/user/{uid}/"
            if os.path.isfile(page_file(site, profile)) and profile not in person["profile_pages"]:
                person["profile_pages"].append(profile)
            if path not in person["events"]:
                person["events"].append(path)
                names.append(name)
        events.append({"path": path, "title": value(node, "title"), "type": value(node, "field_type"),
                       "speakers": names})

    out = sorted(people.values(), key=lambda p: p["name"])
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in out:
        hits = sum(1 for path in p["events"] if p["name"].casefold() in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in out)
    found = sum(p["name_in_html"]["pages_with_name"] for p in out)
    truth = {
        "source": {
            "repo": "github.com/hotwebmatter/drupalcampnyc (branch 184-archive-2020-website: Tome static export of 2020.drupalcamp.nyc)",
            "data": "content/node.*.json (type session) and content/user.*.json, Tome's export of the Drupal entities",
            "data_commit": COMMIT,
            "site_commit": COMMIT,
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
