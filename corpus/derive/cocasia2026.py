#!/usr/bin/env python3
"""Truth for Community Over Code Asia 2026 (ApacheCon Asia; Hugo, English and Chinese).

Rule: each content/sessions/KEY.md (English) and KEY.zh.md (Chinese) is one session page,
/sessions/KEY.html and /zh/sessions/KEY.html (uglyURLs; kept when the page exists in the
gh-pages build). Front matter `presenters` lists the speakers, comma-separated; the Chinese file
may spell them in Chinese, and the two lists are paired by position, so a person's name is the
English form and the Chinese form becomes public_name. The body's speaker block
("NAME: TAGLINE" then a bio paragraph, from the organisers' Sessionize export) gives the
tagline, kept whole as title (it mixes role and organisation, so affiliation stays null), and
the bio. No keynote flag in the data (role null).
Usage: cocasia2026.py DATA_DIR SITE_DIR
"""
import html
import json
import os
import re
import sys
import unicodedata

import yaml


def read(path):
    with open(path, encoding="utf-8") as f:
        _, head, body = f.read().split("---", 2)
    return yaml.safe_load(head), body


def names(presenters):
    return [" ".join(n.split()) for n in re.split(r"[,，、]", presenters or "") if n.strip()]


def speaker_blocks(body):
    """{name: (tagline, bio)} from the 'NAME: TAGLINE' lines after the speakers heading."""
    blocks = {}
    section = re.split(r"###\s*(?:Speakers|讲师)\s*[:：]", body, maxsplit=1)
    if len(section) < 2:
        return blocks
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", section[1]) if p.strip() and not p.strip().startswith("<img")]
    for i, paragraph in enumerate(paragraphs):
        match = re.match(r"^([^:：\n]{2,80})[:：]\s*(.*)$", paragraph)
        if match and "\n" not in paragraph:
            bio = paragraphs[i + 1] if i + 1 < len(paragraphs) and not re.match(r"^[^:：\n]{2,80}[:：]", paragraphs[i + 1]) else None
            blocks[" ".join(match.group(1).split())] = (match.group(2).strip() or None, bio)
    return blocks


def page_text(site_dir, path):
    with open(os.path.join(site_dir, path.lstrip("/")), encoding="utf-8") as f:
        raw = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", f.read())
    return unicodedata.normalize("NFKC", html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))))


def main(data_dir, site_dir):
    folder = os.path.join(data_dir, "content/sessions")
    people, events = {}, []
    for file in sorted(f for f in os.listdir(folder) if f.endswith(".md") and not f.endswith(".zh.md")):
        key = file[:-3]
        meta_en, body_en = read(os.path.join(folder, file))
        en = names(meta_en.get("presenters"))
        blocks = speaker_blocks(body_en)
        zh_file = os.path.join(folder, key + ".zh.md")
        meta_zh = read(zh_file)[0] if os.path.isfile(zh_file) else {}
        zh = names(meta_zh.get("presenters"))
        if len(zh) != len(en):
            zh = en
        for name, alias in zip(en, zh):
            tagline, bio = blocks.get(name, (None, None))
            p = people.setdefault(name, {"name": name, "title": tagline, "affiliation": None, "role": None,
                                         "bio": bio, "events": []})
            if alias != name:
                p["public_name"] = alias
        for path, meta, shown in ((f"/sessions/{key}.html", meta_en, en), (f"/zh/sessions/{key}.html", meta_zh, zh)):
            if not meta or not os.path.isfile(os.path.join(site_dir, path.lstrip("/"))):
                continue
            events.append({"path": path, "title": meta.get("title"), "session_type": meta.get("stype"),
                           "speakers": list(en), "names_on_page": list(shown)})
            for name in en:
                people[name]["events"].append(path)
    pairs = found = 0
    for event in events:
        text = page_text(site_dir, event["path"])
        pairs += len(event["speakers"])
        found += sum(1 for n in event.pop("names_on_page") if unicodedata.normalize("NFKC", n) in text)
    speakers = sorted(people.values(), key=lambda p: p["name"])
    truth = {
        "source": {
            "repo": "github.com/apache/apachecon-acasia (Hugo; build on branch gh-pages, sources on master)",
            "data": "content/sessions/*.md + *.zh.md (front matter presenters; speaker block of the body)",
            "data_commit": "d314b76b107c8781bb6f060201cfa880ae89f646 (master; gh-pages c9e1f8ee was generated from it)",
            "rule": __doc__.split("Rule: ", 1)[1].split("Usage:", 1)[0].strip(),
        },
        "stats": {"speakers": len(speakers), "event_pages": len(events),
                  "event_pages_zh": sum(1 for e in events if e["path"].startswith("/zh/")),
                  "speakers_with_chinese_alias": sum(1 for p in speakers if "public_name" in p),
                  "speakers_with_title": sum(1 for p in speakers if p["title"]),
                  "speaker_event_pairs": pairs, "pairs_name_in_page": found,
                  "share_name_in_page": round(found / max(1, pairs), 3)},
        "speakers": speakers,
        "events": events,
    }
    json.dump(truth, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
