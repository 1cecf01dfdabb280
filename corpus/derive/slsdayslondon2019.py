#!/usr/bin/env python3
"""Truth for ServerlessDays London 2019 (Eleventy; _site/ committed beside src/).

Rule: src/agenda.json (the data the Eleventy page /agenda/ renders) lists every programme item
with type (workshop, keynote, talk, lightning, break) and speaker [{name, link}]. Talks have no
pages of their own (each speaker has a profile page /speakers/KEY/ with bio and talk), so
/agenda/ is the single event page and everyone in an item's speaker list is a speaker of it,
except "ServerlessDays Team" (the hosts' welcome and closing remarks: ignore). Profile pages and
bios come from src/speakers/KEY.json (speaker.name, .title, .bio); there `title` is one
"Role at Company" string, kept whole as title (affiliation null). Workshop leaders' title and
company come from src/workshops/index.json. role 'keynote' for keynote items. A speaker with a
profile page who is on no agenda item (Erez Berkner) keeps only the profile page.
Usage: slsdayslondon2019.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

EVENT_PAGE = "/agenda/"
HOSTS = {"ServerlessDays Team"}


def load(data_dir, relative):
    path = os.path.join(data_dir, relative)
    if os.path.isdir(path):  # rebuild.py copies a single data file to DATA_DIR/relative/basename
        path = os.path.join(path, os.path.basename(relative))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.strip("/"), "index.html"), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def main(data_dir, site_dir):
    people = {}

    def person(name):
        return people.setdefault(name, {"name": name, "title": None, "affiliation": None, "role": None,
                                        "bio": None, "events": [], "profile_pages": []})

    speaker_dir = os.path.join(data_dir, "src/speakers")
    for file in sorted(os.listdir(speaker_dir)):
        if not file.endswith(".json") or file == "index.json":
            continue
        info = load(speaker_dir, file)["speaker"]
        p = person(" ".join(info["name"].split()))
        p["title"] = (info.get("title") or "").strip() or None
        p["bio"] = " ".join((info.get("bio") or "").split()) or None
        if os.path.isfile(os.path.join(site_dir, "speakers", file[:-5], "index.html")):
            p["profile_pages"].append(f"/speakers/{file[:-5]}/")
    for workshop in load(data_dir, "src/workshops/index.json")["workshops"]:
        for w in workshop.get("speakers") or []:
            p = person(" ".join(w["name"].split()))
            p["title"], p["affiliation"] = w.get("title") or None, w.get("company") or None
    on_page, items = [], 0
    for item in load(data_dir, "src/agenda.json")["agenda"]:
        names = [" ".join(s["name"].split()) for s in item.get("speaker") or []]
        items += bool(names)
        for name in names:
            if name in HOSTS:
                continue
            p = person(name)
            if EVENT_PAGE not in p["events"]:
                p["events"].append(EVENT_PAGE)
                on_page.append(name)
            if item.get("type") == "keynote":
                p["role"] = "keynote"
    speakers = sorted(people.values(), key=lambda p: p["name"])
    text = page_text(site_dir, EVENT_PAGE)
    found = sum(1 for n in on_page if unicodedata.normalize("NFKC", n) in text)
    truth = {
        "source": {
            "repo": "github.com/ServerlessDays/serverlessdays-london (Eleventy; _site/ committed)",
            "data": "src/agenda.json + src/speakers/*.json + src/workshops/index.json",
            "data_commit": "1208db8c5b5cc832a9ea3d423c4e16b2a0abd26a (same commit as the build)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": 1, "agenda_items_with_people": items,
                  "speaker_event_pairs": len(on_page), "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, len(on_page)), 3)},
        "speakers": speakers,
        "events": [{"path": EVENT_PAGE, "title": "Agenda (all talks and workshops of ServerlessDays London 2019)",
                    "speakers": sorted(on_page)}],
        "ignore": [{"name": name, "events": [EVENT_PAGE]} for name in sorted(HOSTS)],
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
