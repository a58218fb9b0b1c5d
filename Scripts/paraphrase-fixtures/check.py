#!/usr/bin/env python3
"""Checks Tests/Fixtures/paraphrase: every manifest row's file exists, its source span decodes to
a passage of the named Corpus work, licence columns are filled, no reserved package is used,
and an English rewrite shares no run of more than 4 words with its source passage. Prints the
rows by kind and language, and the largest run and word overlap measured.

Usage: python3 Scripts/paraphrase-fixtures/check.py
"""
import csv, pathlib, re, sys, collections

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "Tests/Fixtures/paraphrase"
KINDS = {"lm-paraphrase", "lm-loose", "lm-translation", "same-topic"}
RESERVED = ("deb:dict-devil", "deb:sword-comm-scofield")


def words(s):
    return [w for w in (re.sub(r"[^\w']", "", t).lower() for t in s.split()) if w]


def longest_run(a, b):
    best, prev = 0, {}
    for x in a:
        cur = {}
        for j, y in enumerate(b):
            if x == y:
                cur[j] = prev.get(j - 1, 0) + 1
                best = max(best, cur[j])
        prev = cur
    return best


def main():
    corpus = {r["id"]: r for r in csv.DictReader((ROOT / "Corpus/manifest.csv").open())}
    errors, counts, runs, overlaps, ids = [], collections.Counter(), [], [], set()
    for manifest in sorted(FOLDER.glob("manifest*.csv")):
        for n, r in enumerate(csv.DictReader(manifest.open()), start=2):
            where = f"{manifest.name}:{n} {r.get('id')}"
            if r["id"] in ids:
                errors.append(f"{where}: duplicate id")
            ids.add(r["id"])
            if r["kind"] not in KINDS:
                errors.append(f"{where}: kind {r['kind']}")
            for col in ("licence", "source_license", "source_package", "rewriter", "language"):
                if not r.get(col):
                    errors.append(f"{where}: empty {col}")
            if r["source_package"] in RESERVED or r["source_work"] not in corpus:
                errors.append(f"{where}: source {r['source_work']} is reserved or not a Corpus work")
                continue
            f = FOLDER / r["file"]
            if not f.exists():
                errors.append(f"{where}: no file {r['file']}")
                continue
            counts[(r["kind"], r["language"])] += 1
            if r["kind"] == "same-topic":
                continue
            src = (ROOT / "Corpus" / corpus[r["source_work"]]["path"]).read_bytes()
            o, l = int(r["source_offset"]), int(r["source_length"])
            if o < 0 or o + l > len(src):
                errors.append(f"{where}: span outside the work")
                continue
            passage = src[o:o + l].decode("utf-8")
            if len(passage.split()) != int(r["source_words"]):
                errors.append(f"{where}: source_words {r['source_words']} != {len(passage.split())}")
            if r["language"] == "en":
                a, b = words(f.read_text(encoding="utf-8")), words(passage)
                run = longest_run(a, b)
                runs.append(run)
                overlaps.append(sum(w in set(b) for w in a) / max(1, len(a)))
                if run > 4:
                    errors.append(f"{where}: shares a run of {run} words with its source")
    for (kind, lang), c in sorted(counts.items()):
        print(f"{kind:15} {lang}: {c}")
    if runs:
        print(f"English rewrites: longest shared run {max(runs)} words; word overlap max {max(overlaps):.2f}, "
              f"mean {sum(overlaps) / len(overlaps):.2f}")
    for e in errors:
        print("ERROR", e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
