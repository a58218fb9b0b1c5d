#!/usr/bin/env python3
"""An experiment for issue #17 (2026-12-08), kept so its figures can be repeated: would a corpus-wide
background similarity (a CSLS-style margin: a seed pair's similarity less the mean of the 3 most
similar sentences of every *other* work) tell language-model rewrites from documents on the same
subject, which the paraphrase matcher's present evidence cannot? Answer measured: no (see the issue
note). Reads stored sentence embeddings (HMSE rows) from ALL_DB and each pair's seed sentences from
`hashmark check --json` against a corpus holding only the work.

    B=.build/release/hashmark; export HASHMARK_DESCRIPTOR_MODEL=off
    $B corpus add --db /tmp/p/all.db --manifest Corpus/manifest.csv --embed-sentences
    $B corpus add --db /tmp/p/all.db --embed-sentences ../shared/data/dev/texts/*.txt
    $B corpus add --db /tmp/p/all.db --embed-sentences <the 68 English lm-* fixtures of Tests/Fixtures/paraphrase>
    python3 Scripts/eval/background-margin.py      # ~1 min; about 3 min for the corpus adds above

Prints, per pair (NEG: dev-pool false positives of `hashmark eval --pool ../shared/data/dev`, as
originals; POS: the rewrites), the seed pairs' mean similarity, background and margin."""
import csv, hashlib, json, os, sqlite3, struct, subprocess, sys
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
B = ROOT + "/.build/release/hashmark"
ALL_DB = os.environ.get("ALL_DB", "/tmp/p/all.db")
env = dict(os.environ, HASHMARK_DESCRIPTOR_MODEL="off")
TMP = tempfile.mkdtemp()


def key(b):
    return struct.unpack("<Q", hashlib.sha256(b).digest()[:8])[0]


def load_all():
    c = sqlite3.connect(ALL_DB)
    keys, vecs, owner = [], [], []
    for wid, data in c.execute("select work_id, data from fingerprints where algorithm like 'sentence-embeddings/%'"):
        d, n = struct.unpack("<HI", data[5:11])
        ks = struct.unpack("<%dQ" % n, data[11:11 + 8 * n])
        v = np.frombuffer(data[11 + 8 * n:], dtype="<f4").reshape(n, d)
        keys += ks; vecs.append(v); owner += [wid] * n
    return np.array(keys, dtype=np.uint64), np.vstack(vecs), np.array(owner)


KEYS, VECS, OWNER = load_all()
INDEX = {}
for i, (k, o) in enumerate(zip(KEYS.tolist(), OWNER.tolist())):
    INDEX.setdefault((o, k), i)
print("corpus sentences", len(KEYS), "works", len(set(OWNER.tolist())), file=sys.stderr)


def vec(work, b):
    i = INDEX.get((work, key(b)))
    return None if i is None else VECS[i]


def pairs_of(t_path, t_id, w_path, w_id):
    db = os.path.join(TMP, "one.db")
    if os.path.exists(db): os.remove(db)
    subprocess.run([B, "corpus", "add", "--db", db, "--id", w_id, "--embed-sentences", w_path], env=env, check=True,
                   capture_output=True)
    out = subprocess.run([B, "check", "--json", "--db", db, t_path], env=env, capture_output=True, text=True).stdout
    r = json.loads(out.splitlines()[0])
    sub, src = open(t_path, "rb").read(), open(w_path, "rb").read()
    res = []
    for m in r["matches"]:
        if m["matcher"] != "sentence-align": continue
        for p in m["evidence"]["passages"]:
            for q in p["pairs"]:
                if not q["isSeed"]: continue
                a, b = q["submitted"], q["source"]
                res.append((sub[a["offset"]:a["offset"] + a["length"]], src[b["offset"]:b["offset"] + b["length"]],
                            q["similarity"], m["isMatch"]))
    return res


def analyse(label, t_path, t_id, w_path, w_id, k=3):
    out = []
    mask = (OWNER != w_id) & (OWNER != t_id)
    others = VECS[mask]
    for qb, sb, sim, is_match in pairs_of(t_path, t_id, w_path, w_id):
        qv = vec(t_id, qb)
        if qv is None: continue
        top = np.sort(others @ qv)[-k:]
        out.append((sim, float(top.mean()), float(sim - top.mean())))
    if out:
        margins = [o[2] for o in out]
        print("%s %-55s pairs %2d sim %.3f bg %.3f  margin mean %.3f min %.3f" % (
            label, t_id[:55], len(out), np.mean([o[0] for o in out]), np.mean([o[1] for o in out]),
            np.mean(margins), np.min(margins)))
    return out


if __name__ == "__main__":
    dev = os.path.join(ROOT, "../shared/data/dev/texts/")
    negs = [("perl-doc__perl_perldelta", "perl-doc__perl_perldeprecation"),
            ("python3.11-doc__py_library_struct", "python3.11-doc__py_library_ctypes"),
            ("perl-doc__perl_perlrun", "python3.11-doc__py_whatsnew_3.4"),
            ("python3.11-doc__py_howto_descriptor", "python3.11-doc__py_whatsnew_2.2"),
            ("python3.11-doc__py_library_datetime", "python3.11-doc__py_howto_logging"),
            ("perl-doc__perl_perldebtut", "perl-doc__perl_perldebug"),
            ("perl-doc__perl_perlgov", "perl-doc__perl_perldebug"),
            ("python3.11-doc__py_reference_import", "python3.11-doc__py_whatsnew_3.3"),
            ("perl-doc__perl_perlsub", "perl-doc__perl_perlfaq7"),
            ("sword-text-kjv__KJV_Romans_1", "sword-text-web__WEB_James"),
            ("sword-text-kjv__KJV_Genesis_1", "sword-comm-scofield__scofield_001")]
    corpus = {r["id"]: os.path.join(ROOT, "Corpus", r["path"]) for r in csv.DictReader(open(ROOT + "/Corpus/manifest.csv"))}
    for t, w in negs:
        wp = dev + w + ".txt" if os.path.exists(dev + w + ".txt") else corpus.get(w)
        if wp: analyse("NEG", dev + t + ".txt", t, wp, w)
    fx = ROOT + "/Tests/Fixtures/paraphrase/"
    for name in sorted(os.listdir(fx)):
        if not name.startswith("manifest-"): continue
        for r in csv.DictReader(open(fx + name)):
            if r["language"] != "en" or not r["kind"].startswith("lm-"): continue
            analyse("POS", fx + r["file"], os.path.splitext(os.path.basename(r["file"]))[0], corpus[r["source_work"]],
                    r["source_work"])
