#!/usr/bin/env python3
"""Truth for DevFest du Bout du Monde 2020 (Hugo, devfest theme; build committed in public/).

Rule: every content/sessions/KEY.md (not a section _index, not a draft) whose format is not a
break (lunch, open, pause) is a session with page /sessions/KEY/ (the __hacking_noon lab counts);
its front-matter list `speakers` names content/speakers/SPEAKER.md files, whose front matter
gives name and company (affiliation) and whose body is the bio; the data has no job title.
Profile page /speakers/SPEAKER/. role 'keynote' for keynote-format sessions. A session page
that does not exist in the build is dropped (none is). Orphan pages left in the build by a talk
withdrawn before the event (/sessions/unifiez_vos_.../, /speakers/alexandre_touret/) are not in
the data, not linked from any page, and not in the truth.
Usage: devfestbdm2020.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml

BREAKS = {"lunch", "open", "pause"}


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        _, head, body = f.read().split("---", 2)
    return yaml.safe_load(head) or {}, body.strip()


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def main(data_dir, site_dir):
    people, events = {}, []
    speaker_dir = os.path.join(data_dir, "content/speakers")
    session_dir = os.path.join(data_dir, "content/sessions")
    for file in sorted(os.listdir(session_dir)):
        meta, _ = front_matter(os.path.join(session_dir, file))
        if file.startswith("_index") or meta.get("format") in BREAKS or meta.get("draft"):
            continue
        path = f"/sessions/{file[:-3]}/"
        if not os.path.isfile(os.path.join(site_dir, path.strip("/"), "index.html")):
            continue
        names = []
        for key in meta.get("speakers") or []:
            if key not in people:
                info, bio = front_matter(os.path.join(speaker_dir, key + ".md"))
                people[key] = {"name": " ".join(info["name"].split()), "title": None,
                               "affiliation": (info.get("company") or "").strip() or None,
                               "role": None, "bio": bio or None, "events": [],
                               "profile_pages": [f"/speakers/{key}/"], "data_id": key}
            people[key]["events"].append(path)
            if meta.get("format") == "keynote":
                people[key]["role"] = "keynote"
            names.append(people[key]["name"])
        events.append({"path": path, "title": meta["title"], "session_type": meta.get("format"), "speakers": names})
    speakers = sorted(people.values(), key=lambda p: p["name"])
    pairs = found = 0
    for event in events:
        text = page_text(site_dir, event["path"])
        pairs += len(event["speakers"])
        found += sum(1 for name in event["speakers"] if unicodedata.normalize("NFKC", name) in text)
    truth = {
        "source": {
            "repo": "github.com/DevFestBdM/site-devfest-2020 (Hugo; build committed in public/)",
            "data": "content/sessions/*.md + content/speakers/*.md (front matter)",
            "data_commit": "f65d584bba3d0b5758cc48ef435c9efbd02f61b4 (same commit as the build)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": len(events),
                  "event_pages_without_speakers": sum(1 for e in events if not e["speakers"]),
                  "speaker_event_pairs": pairs, "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, pairs), 3)},
        "speakers": speakers,
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
