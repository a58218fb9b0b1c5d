#!/usr/bin/env python3
"""Lists the pairs of texts of a pool that already share verbatim passages, for `hashmark eval
--related`: a held-out text related to a registered one is then not used as a negative (nor as
another case's filler), as `build-image-pool.py` does for pictures.

    python3 Scripts/eval/related-texts.py --pool ../shared/data/dev --out /tmp/related-dev-texts.csv \
        [--hashmark .build/release/hashmark]

Every text of the pool's manifest (`kind` = text) is registered in a temporary corpus and checked
against it by Hashmark's own word aligner alone (the paraphrase matcher and the image descriptor
switched off: relatedness is judged on shared words, so that what the paraphrase matcher finds
between unrelated texts stays a false positive). A pair is related when the aligner finds, in
either direction, a passage at looser thresholds than the decision rule's (>= 25 aligned words,
half the rule's 50, coverage >= 0.4, a run of >= 4 words) or the rule's own match. On the dev pool
these are KJV books that share formulae and parallel accounts (Kings and Chronicles), the Perl FAQ
files with their common boilerplate, and successive Python "What's new" pages.

Writes OUT with the columns work,related,evidence (one row per direction found)."""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pool", required=True, help="folder with manifest.csv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--hashmark", default=os.path.join(ROOT, ".build/release/hashmark"))
    ap.add_argument("--min-aligned-words", type=int, default=25)
    ap.add_argument("--min-coverage", type=float, default=0.4)
    ap.add_argument("--min-longest-run", type=int, default=4)
    args = ap.parse_args()
    rows = [r for r in csv.DictReader(open(os.path.join(args.pool, "manifest.csv"), encoding="utf-8"))
            if r["kind"] == "text"]
    paths = [os.path.join(args.pool, r["path"]) for r in rows]
    ids = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    env = dict(os.environ, HASHMARK_SEMANTIC_MODEL="off", HASHMARK_DESCRIPTOR_MODEL="off")
    pairs = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "texts.sqlite")
        subprocess.run([args.hashmark, "corpus", "add", "--db", db] + paths, env=env, check=True,
                       capture_output=True)
        out = subprocess.run([args.hashmark, "check", "--json", "--db", db] + paths, env=env,
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit("hashmark check failed: " + out.stderr)
    lines = out.stdout.splitlines()
    if len(lines) != len(paths):
        sys.exit("expected %d lines from hashmark check, got %d" % (len(paths), len(lines)))
    for me, line in zip(ids, lines):
        for m in json.loads(line)["matches"]:
            other, e = m["work"]["id"], m["evidence"]
            if other == me or m["matcher"] != "text-align":
                continue
            loose = (e.get("alignedWords", 0) >= args.min_aligned_words and e.get("coverage", 0) >= args.min_coverage
                     and e.get("longestRun", 0) >= args.min_longest_run)
            if m.get("isMatch") or loose:
                pairs[(me, other)] = ("word aligner: %d aligned words, coverage %.2f, longest run %d%s (check %s "
                                      "against a corpus holding %s)" % (
                                          e.get("alignedWords", 0), e.get("coverage", 0), e.get("longestRun", 0),
                                          ", a match by the decision rule" if m.get("isMatch") else "", me, other))
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["work", "related", "evidence"])
        for (a, b), evidence in sorted(pairs.items()):
            w.writerow([a, b, evidence])
    print("%d related pairs (directions) among %d texts -> %s" % (len(pairs), len(ids), args.out))


if __name__ == "__main__":
    main()
