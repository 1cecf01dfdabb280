#!/usr/bin/env python3
"""Rebuilds the evaluation corpus outside git from repository snapshots.

Usage: corpus/rebuild.py [--manifest corpus/manifest.json] [--out DIR] [--mirror DIR] [--only ID ...]

For every entry of the manifest it
  1. finds the snapshot of each repository the entry names (a bare git directory under
     --mirror, laid out as OWNER+NAME/repo; `git clone --bare https://github.com/OWNER/NAME
     DIR/OWNER+NAME/repo` makes one where GitHub is reachable),
  2. copies the entry's `files` (at the recorded commit) into OUT/ID/site/ — the folder that
     is served as the site's web root — and its `data` (the organisers' own structured data)
     into OUT/ID/data/,
  3. writes OUT/ID/truth.json: for a conference site by running corpus/derive/ID.py on the
     data, for free-text pages by copying the hand labels from corpus/labels/,
  4. checks the truth against the site: every event page exists, every speaker's pages are
     event pages, and (for hand labels) every name, title and affiliation occurs in its page.

Nothing third-party is written inside the repository. Images, fonts, media and archives are
not copied (a page renders the same text without them).
Needs git, python3 and PyYAML (installed from PyPI when missing).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff", ".psd", ".ai", ".eps",
    ".mp4", ".mov", ".webm", ".mkv", ".avi", ".mp3", ".ogg", ".wav", ".m4a", ".flac",
    ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".exe", ".dmg", ".iso",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".key", ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx",
)


def ensure_yaml():
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("rebuild: installing PyYAML from PyPI", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"])


def snapshot_dir(mirror, repository):
    owner, name = repository.split("/", 1)
    for candidate in (os.path.join(mirror, f"{owner}+{name}", "repo"), os.path.join(mirror, f"{owner}+{name}", "repo", ".git"),
                      os.path.join(mirror, f"{owner}+{name}")):
        if os.path.isdir(os.path.join(candidate, "objects")):
            return candidate
    raise SystemExit(f"rebuild: no snapshot of {repository} under {mirror} (fetch it, or "
                     f"git clone --bare https://github.com/{repository} {mirror}/{owner}+{name}/repo)")


def copy_tree(git_dir, commit, source, destination):
    """Copies `source` (a file or folder of the commit; '' is the whole tree) to `destination`.

    Files are read one by one, so a snapshot that lacks some large blobs (images, media)
    still yields every text file."""
    git = ["git", "--git-dir", git_dir]
    prefix = source.strip("/")
    args = git + ["ls-tree", "-r", "-z", "--full-tree", commit] + ([prefix] if prefix else [])
    try:
        listing = subprocess.run(args, check=True, capture_output=True).stdout
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"rebuild: git ls-tree {commit} {source!r} failed: {error.stderr.decode(errors='replace').strip()}")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, blob = meta.split()
        path = path.decode("utf-8", errors="surrogateescape")
        if kind != b"blob" or mode == b"120000" or path.lower().endswith(SKIPPED_SUFFIXES):
            continue
        if prefix and path != prefix and not path.startswith(prefix + "/"):
            continue
        relative = os.path.basename(path) if path == prefix else path[len(prefix) + 1:] if prefix else path
        entries.append((blob.decode(), relative))
    if not entries:
        return 0  # only images or media there
    # One cat-file process for every blob; a blob the snapshot lacks is skipped.
    batch = subprocess.Popen(git + ["cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    copied = 0
    root = os.path.normpath(destination)
    for blob, relative in entries:
        batch.stdin.write(blob.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        target = os.path.normpath(os.path.join(destination, relative))
        if not (target == root or target.startswith(root + os.sep)):
            raise SystemExit(f"rebuild: {relative} would be written outside {destination}")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
        copied += 1
    batch.stdin.close()
    batch.wait()
    return copied


def page_file(site_dir, path):
    """The file a static server (GitHub Pages rules) answers for a URL path, or None."""
    relative = path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    base = os.path.join(site_dir, relative)
    candidates = [os.path.join(base, "index.html")] if path.endswith("/") or not relative else [base, base + ".html", os.path.join(base, "index.html")]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    return None


def page_text(file):
    """The page's visible text, entity-decoded, NFKC-normalised, whitespace collapsed."""
    import html
    import html.parser
    import re
    import unicodedata

    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style", "template"):
                self.skip += 1
            for key, value in attrs:  # names in alt/title attributes count as page text
                if key in ("alt", "title", "content", "aria-label") and value:
                    self.parts.append(" " + value + " ")
            self.parts.append(" ")

        def handle_endtag(self, tag):
            if tag in ("script", "style", "template") and self.skip:
                self.skip -= 1
            self.parts.append(" ")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    with open(file, "rb") as handle:
        raw = handle.read().decode("utf-8", errors="replace")
    parser = Text()
    parser.feed(raw)
    text = unicodedata.normalize("NFKC", html.unescape("".join(parser.parts)))
    return re.sub(r"\s+", " ", text)


def normalised(value):
    import re
    import unicodedata
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()


def check_truth(entry, truth, site_dir):
    problems = []
    event_paths = {event["path"] for event in truth.get("events", [])}
    for path in sorted(event_paths):
        if page_file(site_dir, path) is None:
            problems.append(f"event page {path} is not in the site")
    if entry.get("start_path") and page_file(site_dir, entry["start_path"]) is None:
        problems.append(f"start_path {entry['start_path']} is not in the site")
    for speaker in truth.get("speakers", []):
        for path in speaker.get("events", []):
            if path not in event_paths:
                problems.append(f"{speaker['name']}: {path} is not among the truth's events")
    if entry["kind"] == "freetext":
        texts = {}
        for speaker in truth.get("speakers", []):
            for path in speaker.get("events", []):
                file = page_file(site_dir, path)
                if file is None:
                    continue
                text = texts.setdefault(path, page_text(file))
                for field in ("name", "title", "affiliation"):
                    value = speaker.get(field)
                    if value and normalised(value) not in text:
                        problems.append(f"{path}: {field} {value!r} of {speaker['name']!r} is not in the page text")
    return problems


def build(entry, args):
    site_id = entry["id"]
    root = os.path.join(args.out, site_id)
    if os.path.isdir(root):
        shutil.rmtree(root)
    site_dir, data_dir = os.path.join(root, "site"), os.path.join(root, "data")
    os.makedirs(site_dir)
    os.makedirs(data_dir)
    copied = 0
    for item in entry.get("files", [{"from": ""}]):
        git_dir = snapshot_dir(args.mirror, item.get("repository", entry["repository"]))
        copied += copy_tree(git_dir, item.get("commit", entry["commit"]), item.get("from", ""),
                            os.path.join(site_dir, item.get("to", "").lstrip("/")))
    for item in entry.get("data", []):
        item = {"from": item} if isinstance(item, str) else item
        git_dir = snapshot_dir(args.mirror, item.get("repository", entry["repository"]))
        copy_tree(git_dir, item.get("commit", entry["commit"]), item["from"],
                  os.path.join(data_dir, item.get("to", item["from"]).lstrip("/")))
    truth_spec = entry["truth"]
    if "derive" in truth_spec:
        script = os.path.join(HERE, "..", truth_spec["derive"])
        result = subprocess.run([sys.executable, script, data_dir, site_dir], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"rebuild: {truth_spec['derive']} failed for {site_id}:\n{result.stderr}")
        truth = json.loads(result.stdout)
    else:
        with open(os.path.join(HERE, "..", truth_spec["labels"]), encoding="utf-8") as handle:
            truth = json.load(handle)
    truth["site"] = site_id
    truth["start_path"] = entry.get("start_path")
    truth["event_url_pattern"] = entry.get("event_url_pattern")
    if entry.get("alt_start_paths"):
        truth["alt_start_paths"] = entry["alt_start_paths"]
    with open(os.path.join(root, "truth.json"), "w", encoding="utf-8") as handle:
        json.dump(truth, handle, ensure_ascii=False, indent=1)
    problems = check_truth(entry, truth, site_dir)
    people = len(truth.get("speakers", []))
    pages = len(truth.get("events", []))
    print(f"{site_id:28} {entry.get('split', '-'):10} {copied:6} files  {pages:4} event pages  {people:4} people"
          + (f"  {len(problems)} PROBLEMS" if problems else ""))
    for problem in problems[:20]:
        print(f"    {problem}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", default=os.path.join(HERE, "manifest.json"))
    parser.add_argument("--out", default=os.environ.get("SPEAKERDB_CORPUS", os.path.expanduser("~/.cache/speakerdb/corpus")))
    parser.add_argument("--mirror", default=os.environ.get("SPEAKERDB_MIRROR", "/work/.mirror"))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--entry", action="append", default=[],
                        help="build this entry file (one manifest entry as JSON) instead of the manifest's")
    args = parser.parse_args()
    ensure_yaml()
    if args.entry:
        manifest = {"sites": []}
        for file in args.entry:
            with open(file, encoding="utf-8") as handle:
                manifest["sites"].append(json.load(handle))
    else:
        with open(args.manifest, encoding="utf-8") as handle:
            manifest = json.load(handle)
    os.makedirs(args.out, exist_ok=True)
    ok = True
    for entry in manifest["sites"]:
        if args.only and entry["id"] not in args.only or "path" in entry:
            continue
        ok = build(entry, args) and ok
    # The manifest goes beside the sites, so `speakerdb eval --manifest OUT/manifest.json` finds them.
    if args.entry:
        sys.exit(0 if ok else 1)
    # Sites read in place: their folders as absolute paths, so the copied manifest finds them.
    for entry in manifest["sites"]:
        if "path" in entry:
            entry["path"] = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(args.manifest)), entry["path"]))
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
    print(f"corpus in {args.out}" + ("" if ok else " (with problems above)"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
