#!/usr/bin/env python3
"""Writes corpus/manifest.json from corpus/entries/*.json, assigning each new entry to the
dev or validation split at random.

Usage: corpus/split.py --seed N

Entries already in the manifest keep their split; only new entries are assigned, as one
recorded batch (seed, date, the entries it covered). Entries of one organiser or one site
template (the same "group") go to the same split, so a rule written on one cannot be tested on
its twin; an entry with "split_fixed" keeps that split (the reason is beside it), also an entry
already assigned: a validation site that was studied is moved to dev that way and replaced. Conference sites: groups are drawn in random order into the validation split until it
holds at least a third of all conference sites (the sites of ../shared/eval/dev are dev: they
were studied before the corpus existed). Free-text organisations: drawn until the validation
split holds at least a third of the organisations and a third of the pages.
"""
import argparse
import datetime
import glob
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED_DEV = [
    {"id": "33c3", "kind": "conference", "organisation": "Chaos Computer Club (33C3)", "generator": "frab",
     "path": "../../shared/eval/dev/33c3", "split": "dev", "notes": "../shared/eval/dev; studied before the corpus existed"},
    {"id": "fossasia2017", "kind": "conference", "organisation": "FOSSASIA Summit 2017", "generator": "open-event",
     "path": "../../shared/eval/dev/fossasia2017", "split": "dev", "notes": "../shared/eval/dev; studied before the corpus existed"},
    {"id": "pmconf2019", "kind": "conference", "organisation": "pmconf 2019", "generator": "middleman",
     "path": "../../shared/eval/dev/pmconf2019", "split": "dev", "notes": "../shared/eval/dev; studied before the corpus existed"},
]


def pages_of(entry):
    with open(os.path.join(HERE, "..", entry["truth"]["labels"]), encoding="utf-8") as handle:
        return len(json.load(handle).get("events", []))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()
    path = os.path.join(HERE, "manifest.json")
    manifest = {"sites": list(SHARED_DEV), "batches": []}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    assigned = {site["id"]: site for site in manifest["sites"]}
    entries = []
    for file in sorted(glob.glob(os.path.join(HERE, "entries", "*.json"))):
        with open(file, encoding="utf-8") as handle:
            entry = json.load(handle)
        if entry["id"] in assigned:
            # A validation site whose errors were studied becomes a development site: its
            # entry says so with "split_fixed": "dev" and the reason.
            entry["split"] = entry.get("split_fixed") or assigned[entry["id"]]["split"]
            assigned[entry["id"]] = entry  # the entry file may have been corrected since
        else:
            entries.append(entry)
    rng = random.Random(args.seed)
    batch = {"seed": args.seed, "date": datetime.date.today().isoformat(), "validation": [], "dev": []}
    for entry in entries:
        if entry.get("split_fixed"):
            entry["split"] = entry["split_fixed"]
            batch[entry["split"]].append(entry["id"])
    for kind in ("conference", "freetext"):
        new = [entry for entry in entries if entry["kind"] == kind and not entry.get("split_fixed")]
        if not new:
            continue
        groups = {}
        for entry in new:
            groups.setdefault(entry.get("group", entry["id"]), []).append(entry)
        order = sorted(groups)
        rng.shuffle(order)
        old = [site for site in assigned.values() if site["kind"] == kind] + [
            entry for entry in entries if entry["kind"] == kind and entry.get("split_fixed")]
        weight = (lambda entry: pages_of(entry)) if kind == "freetext" else (lambda entry: 1)
        total_units = len(old) + len(new)
        total_weight = sum(weight(site) for site in old if "truth" in site) + len(
            [site for site in old if "truth" not in site]) + sum(weight(entry) for entry in new)
        validation_units = sum(1 for site in old if site["split"] == "validation")
        validation_weight = sum(weight(site) for site in old if site["split"] == "validation")
        for key in order:
            enough = validation_units >= math.ceil(total_units / 3) and validation_weight >= math.ceil(total_weight / 3)
            split = "dev" if enough else "validation"
            for entry in groups[key]:
                entry["split"] = split
                batch[split].append(entry["id"])
                validation_units += split == "validation"
                validation_weight += weight(entry) if split == "validation" else 0
    manifest["sites"] = sorted(list(assigned.values()) + entries, key=lambda site: (site["kind"], site["id"]))
    if entries:
        manifest.setdefault("batches", []).append(batch)
    manifest["split_rule"] = __doc__.strip().split("\n\n", 2)[2]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    for kind in ("conference", "freetext"):
        sites = [site for site in manifest["sites"] if site["kind"] == kind]
        validation = [site["id"] for site in sites if site["split"] == "validation"]
        print(f"{kind}: {len(sites)} sites, {len(validation)} in validation")


if __name__ == "__main__":
    main()
