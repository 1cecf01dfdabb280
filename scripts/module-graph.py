#!/usr/bin/env python3
"""Prints speakerdb's module graph from Package.swift: each library and executable target
with the targets of this package it depends on (external products left out), in the
order Package.swift declares them.

docs/ARCHITECTURE.md carries this output between the markers
`<!-- module-graph:begin -->` and `<!-- module-graph:end -->`; ModuleGraphTests fails when
the two differ, so the graph cannot go stale. Refresh it with:

    scripts/module-graph.py --write
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- module-graph:begin -->", "<!-- module-graph:end -->"


def targets(package: str):
    """(kind, name, internal dependencies) for every target, in declaration order."""
    found = []
    for match in re.finditer(r"\.(target|executableTarget|systemLibrary|testTarget)\(\s*name:\s*\"([^\"]+)\"", package):
        kind, name = match.group(1), match.group(2)
        # The target's arguments run to the matching closing parenthesis.
        depth, index = 1, match.end()
        while depth and index < len(package):
            depth += {"(": 1, ")": -1}.get(package[index], 0)
            index += 1
        body = package[match.end():index]
        dependencies = []
        listed = re.search(r"dependencies:\s*\[", body)
        if listed:
            depth, end = 1, listed.end()
            while depth and end < len(body):
                depth += {"[": 1, "]": -1}.get(body[end], 0)
                end += 1
            inner = body[listed.end():end - 1]
            # Plain strings are this package's targets; .product(...) entries are external.
            inner = re.sub(r"\.product\([^)]*\)", "", inner)
            dependencies = re.findall(r"\"([^\"]+)\"", inner)
        found.append((kind, name, dependencies))
    return found


def graph() -> str:
    package = (ROOT / "Package.swift").read_text()
    rows = [(name, deps) for kind, name, deps in targets(package) if kind in ("target", "executableTarget")]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name.ljust(width)} → {', '.join(deps) if deps else '(nothing)'}" for name, deps in rows]
    return "```\n" + "\n".join(lines) + "\n```"


def main() -> int:
    text = graph()
    if "--write" in sys.argv[1:]:
        doc = ROOT / "docs" / "ARCHITECTURE.md"
        content = doc.read_text()
        start, end = content.index(BEGIN) + len(BEGIN), content.index(END)
        doc.write_text(content[:start] + "\n" + text + "\n" + content[end:])
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
