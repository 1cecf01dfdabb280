#!/usr/bin/env python3
"""Renders `speakerdb eval` JSON reports as the Markdown tables of docs/QUALITY.md.

Usage: scripts/eval-table.py REPORT [REPORT ...] [--reach] [--gain BASE]

With several reports, a site's row comes from the last report that has it (so a re-run of
one site can be layered over a whole run). --reach prints discovery reach only; --gain
BASE prints per-site pair F1 of BASE beside the reports' (what a method adds).
"""
import argparse
import json


def load(paths):
    sites, pooled = {}, {}
    for path in paths:
        report = json.load(open(path))
        for site in report["sites"]:
            sites[site["site"]] = site
        pooled = report
    return sites, pooled


def f(value):
    return "–" if value is None else f"{value:.3f}"


def reach(value):
    return "–" if not value else f"{value['reached']}/{value['pages']}"


def accuracy(score, field):
    if not score or not score.get(f"{field}_scored"):
        return "–"
    return f(score.get(f"{field}_accuracy"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="+")
    parser.add_argument("--reach", action="store_true")
    parser.add_argument("--gain")
    args = parser.parse_args()
    sites, _ = load(args.reports)
    if args.reach:
        print("| Site | Split | Generator | Truth event pages | Reached with pattern | Reached without pattern | ≥ 95% without |")
        print("|---|---|---|---|---|---|---|")
        for site in sorted(sites.values(), key=lambda s: (s["kind"], s["site"])):
            if site["kind"] != "conference":
                continue
            auto = site.get("reach_auto")
            ok = "yes" if auto and auto["pages"] and auto["reached"] / auto["pages"] >= 0.95 else "no"
            print(f"| {site['site']} | {site['split']} | {site.get('generator') or ''} | {site['truth_pages']} | "
                  f"{reach(site.get('reach_pattern'))} | {reach(auto)} | {ok} |")
        return
    base = load([args.gain])[0] if args.gain else {}
    head = "| Site | Kind | Pair P | Pair R | **Pair F1** | People F1 | Title acc. | Affil. acc. | Dup. |"
    rule = "|---|---|---|---|---|---|---|---|---|"
    if base:
        head = "| Site | Kind | Pair F1 without | **Pair F1 with** | Change |"
        rule = "|---|---|---|---|---|"
    print(head)
    print(rule)
    for site in sorted(sites.values(), key=lambda s: (s["kind"], s["site"])):
        score = site.get("score") or {}
        if base:
            before = (base.get(site["site"], {}).get("score") or {}).get("pair_f1")
            after = score.get("pair_f1")
            change = "–" if before is None or after is None else f"{after - before:+.3f}"
            print(f"| {site['site']} | {site['kind']} | {f(before)} | **{f(after)}** | {change} |")
            continue
        print(f"| {site['site']} | {site['kind']} | {f(score.get('pair_precision'))} | {f(score.get('pair_recall'))} | "
              f"**{f(score.get('pair_f1'))}** | {f(score.get('speaker_f1'))} | {accuracy(score, 'title')} | "
              f"{accuracy(score, 'affiliation')} | {score.get('duplicates', 0)} |")


if __name__ == "__main__":
    main()
