#!/usr/bin/env python3
"""Truth for Global Azure Virtual Austria 2020 (Linz): Hugo site generated from Sessionize data.

Derived from data/sessionize.json (Sessionize "All data" API export, branch master), the file
the Hugo templates render. The site's session catalog /sessions/ lists every session with its
speakers (the home page and /speakers/ repeat them); it is the single event page. Hugo also
builds one page per session, /sessions/SHORT/ (SHORT = the answer to the Sessionize question
"Short Link"), but the site links almost none of them (they are share/redirect targets, listed
only in sitemap.xml under the production host), so they are recorded per session as
"session_page" and are not event pages. Speakers by id; name = firstName + " " + lastName
(fullName when present), bio = bio. The free-text tagLine is kept as "headline"; it is split into title and affiliation
only when it has exactly one " at " or " @ " separator, otherwise both stay null.
Usage: gab2020linz.py DATA_DIR SITE_DIR
"""
import json
import os
import re
import sys

from pagetext import norm, page, page_text  # noqa: E402 (this folder is on the path)

COMMIT_DATA = "2df4d7aa24652449207dd515d5368fa920bf3c24"  # master, "Add youtube links to redirect pages for sessions"
COMMIT_SITE = "985155e1d04e3b93896bdff1f041b59c1c9fb6ab"  # gh-pages, "Update website", the deploy after that master commit


def split_tagline(tagline):
    parts = re.split(r"\s+(?:at|@)\s+", tagline or "")
    if len(parts) == 2 and all(p.strip() for p in parts):
        return parts[0].strip(), parts[1].strip()
    return None, None


def main(data, site):
    with open(os.path.join(data, "data", "sessionize.json"), encoding="utf-8") as handle:
        sessionize = json.load(handle)
    short_link = next(q["id"] for q in sessionize["questions"] if q["question"] == "Short Link")
    people = {}
    for s in sessionize["speakers"]:
        title, affiliation = split_tagline(s.get("tagLine"))
        people[s["id"]] = {
            "name": (s.get("fullName") or f"{s['firstName']} {s['lastName']}").strip(),
            "title": title, "affiliation": affiliation, "role": None,
            "bio": s.get("bio") or None, "headline": s.get("tagLine") or None,
            "events": [], "profile_pages": [], "data_id": s["id"],
        }
    catalog, listed = "/sessions/", []
    for session in sessionize["sessions"]:
        short = next((a["answerValue"] for a in session.get("questionAnswers", []) if a["questionId"] == short_link), None)
        page = f"/sessions/{short}/" if short else None
        if page and not os.path.isfile(os.path.join(site, page.strip("/"), "index.html")):
            page = None
        names = []
        for speaker_id in session.get("speakers", []):
            if catalog not in people[speaker_id]["events"]:
                people[speaker_id]["events"].append(catalog)
            names.append(people[speaker_id]["name"])
        listed.append({"title": session["title"], "data_id": session["id"], "session_page": page, "speakers": names})
    events = [{"path": catalog, "title": "Sessions (catalog of all sessions)",
               "speakers": sorted({n for s in listed for n in s["speakers"]}), "sessions": listed}]

    speakers = [p for p in people.values() if p["events"]]
    texts = {e["path"]: page_text(site, e["path"]) for e in events}
    for p in speakers:
        hits = sum(1 for path in p["events"] if norm(p["name"]) in texts[path])
        p["name_in_html"] = {"pages_with_name": hits, "pages": len(p["events"])}
    pairs = sum(len(p["events"]) for p in speakers)
    found_pairs = sum(p["name_in_html"]["pages_with_name"] for p in speakers)
    truth = {
        "source": {
            "repo": "github.com/coding-club-linz/global-azure-bootcamp-2020 (Hugo from Sessionize JSON; source on master, built site on gh-pages)",
            "data": "data/sessionize.json (Sessionize API 'All' export)",
            "data_commit": COMMIT_DATA,
            "site_commit": COMMIT_SITE,
            "rule": __doc__.split("\n\n", 1)[1].rsplit("Usage:", 1)[0].strip(),
        },
        "stats": {
            "speakers": len(speakers),
            "event_pages": len(events),
            "sessions_on_event_page": len(listed),
            "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
            "speaker_page_links": pairs,
            "speakers_name_found_in_some_page": sum(1 for p in speakers if p["name_in_html"]["pages_with_name"]),
            "speaker_page_links_name_found": found_pairs,
            "name_found_share": round(found_pairs / pairs, 3) if pairs else None,
        },
        "speakers": sorted(speakers, key=lambda p: p["name"]),
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
