#!/usr/bin/env python3
"""How many of the English language-model rewrites of Tests/Fixtures/paraphrase (as they are, not
embedded in filler) `hashmark check` finds in their source work, against a given corpus database:
the paraphrase matcher's recall as the corpus grows (the bundled corpus alone, or with more texts
added), and its cost.

    python3 Scripts/eval/lm_fixture_check.py --db var/hashmark.sqlite [--model M.json] [--out found.json]

Prints "found/total, seconds" (one `hashmark check` process, corpus load included)."""
import argparse, csv, json, os, subprocess, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--model")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/hashmark"))
    ap.add_argument("--out", help="write {fixture id: found} here")
    args = ap.parse_args()
    fixtures = os.path.join(ROOT, "Tests/Fixtures/paraphrase")
    rows = []
    for name in sorted(f for f in os.listdir(fixtures) if f.startswith("manifest-") and f.endswith(".csv")):
        rows += [r for r in csv.DictReader(open(os.path.join(fixtures, name)))
                 if r["language"] == "en" and r["kind"].startswith("lm-")]
    cmd = [args.binary, "check", "--json", "--db", args.db] + (["--model", args.model] if args.model else [])
    start = time.time()
    out = subprocess.run(cmd + [os.path.join(fixtures, r["file"]) for r in rows], capture_output=True, text=True,
                         cwd=ROOT).stdout
    seconds = time.time() - start
    found = {}
    for line, r in zip(out.splitlines(), rows):
        matches = json.loads(line)["matches"]
        found[r["id"]] = any(m["work"]["id"] == r["source_work"] and m.get("isMatch") for m in matches)
    print(f"{sum(found.values())}/{len(rows)} found, {seconds:.1f} s")
    if args.out:
        json.dump(found, open(args.out, "w"), indent=1)


if __name__ == "__main__":
    main()
