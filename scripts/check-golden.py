#!/usr/bin/env python3
"""Check the search golden set against a speakerdb database.

Usage: python3 scripts/check-golden.py DB_PATH GOLDEN_JSON_PATH
e.g.   python3 scripts/check-golden.py data/speakers.db Tests/SearchTests/Fixtures/golden-queries.json

Checks that the JSON parses and has a description; that there are at least 45
queries and at least the minimum number per kind; that every query has a
non-empty text, a known kind, a note and at least one relevant speaker, grades
of 1 or 2 and no speaker twice; that no query text repeats; and that every
(name, affiliation) pair exists exactly once in the database's speakers table
(affiliation null means the stored affiliation is NULL). Exits 1 on any error.
Standard library only.
"""
import json
import sqlite3
import sys
from collections import Counter

MIN_TOTAL = 45
MIN_PER_KIND = {"topic": 20, "paraphrase": 10, "name": 5, "organisation": 3, "request": 5}


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    db_path, json_path = argv[1], argv[2]
    errors = []

    try:
        with open(json_path, encoding="utf-8") as f:
            golden = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"error: cannot read {json_path}: {e}", file=sys.stderr)
        return 1

    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        rows = con.execute("SELECT id, name, affiliation FROM speakers").fetchall()
    except sqlite3.Error as e:
        print(f"error: cannot read speakers from {db_path}: {e}", file=sys.stderr)
        return 1
    speakers = Counter((name, affiliation) for _, name, affiliation in rows)

    if not isinstance(golden, dict):
        print("error: top level must be an object", file=sys.stderr)
        return 1
    if not isinstance(golden.get("description"), str) or not golden["description"].strip():
        errors.append("missing or empty \"description\"")
    queries = golden.get("queries")
    if not isinstance(queries, list):
        print("error: \"queries\" must be a list", file=sys.stderr)
        return 1

    kinds = Counter()
    texts = Counter()
    grades = Counter()
    pairs_used = set()
    for n, q in enumerate(queries, 1):
        where = f"query {n}"
        if not isinstance(q, dict):
            errors.append(f"{where}: not an object")
            continue
        text = q.get("query")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: missing query text")
        else:
            where = f"query {n} ({text!r})"
            texts[text.strip().casefold()] += 1
        kind = q.get("kind")
        if kind not in MIN_PER_KIND:
            errors.append(f"{where}: unknown kind {kind!r}")
        else:
            kinds[kind] += 1
        if not isinstance(q.get("note"), str) or not q["note"].strip():
            errors.append(f"{where}: missing note")
        if "constraints" in q and not isinstance(q["constraints"], dict):
            errors.append(f"{where}: constraints must be an object")
        relevant = q.get("relevant")
        if not isinstance(relevant, list) or not relevant:
            errors.append(f"{where}: no relevant speakers")
            continue
        seen = set()
        for r in relevant:
            if not isinstance(r, dict) or not isinstance(r.get("name"), str) or "affiliation" not in r:
                errors.append(f"{where}: relevant entry needs name and affiliation: {r!r}")
                continue
            affiliation = r["affiliation"]
            if affiliation is not None and not isinstance(affiliation, str):
                errors.append(f"{where}: affiliation must be a string or null: {r!r}")
                continue
            pair = (r["name"], affiliation)
            if r.get("grade") not in (1, 2):
                errors.append(f"{where}: grade must be 1 or 2: {r!r}")
            else:
                grades[r["grade"]] += 1
            if pair in seen:
                errors.append(f"{where}: {pair} listed twice")
            seen.add(pair)
            pairs_used.add(pair)
            count = speakers.get(pair, 0)
            if count == 0:
                errors.append(f"{where}: no speaker named {pair[0]!r} with affiliation {pair[1]!r} in the database")
            elif count > 1:
                errors.append(f"{where}: {count} speakers named {pair[0]!r} with affiliation {pair[1]!r}; ambiguous")

    for text, count in texts.items():
        if count > 1:
            errors.append(f"query text {text!r} appears {count} times")
    if len(queries) < MIN_TOTAL:
        errors.append(f"{len(queries)} queries; at least {MIN_TOTAL} needed")
    for kind, minimum in MIN_PER_KIND.items():
        if kinds[kind] < minimum:
            errors.append(f"{kinds[kind]} {kind} queries; at least {minimum} needed")

    print(f"{len(queries)} queries: " + ", ".join(f"{k} {kinds[k]}" for k in MIN_PER_KIND))
    print(f"{sum(grades.values())} judgements (grade 2: {grades[2]}, grade 1: {grades[1]}); "
          f"{len(pairs_used)} of {len(rows)} speakers appear at least once")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if errors:
        print(f"FAILED: {len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
