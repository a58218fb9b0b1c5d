#!/usr/bin/env python3
"""Several daemons on one PostgreSQL corpus (issue #20, Benchmarks/SCALE.md).

Python 3 standard library only; needs Debian's postgresql package (as `make test` installs it) and
the release binary. Starts its own PostgreSQL cluster (initdb in a temporary folder, Unix socket
only, fsync ON: the server's defaults), so nothing else on the machine is touched.

    python3 Benchmarks/scale_bench.py                      # from the repository root
    python3 Benchmarks/scale_bench.py --files 900 --works 1000000

(a) throughput: the bundled Corpus registered in PostgreSQL; 1, 2 and 3 `hashmark watch` daemons
    (each its own spool, as on its own host; they share the corpus and the shared ledger) take a
    burst of --files files split evenly (one third JPEG copies of Corpus images with distinct
    bytes, two thirds texts: a Corpus passage inside new words, or new words only).
    files/s = files / (first rename -> last original out of active/). The peer in the same run:
    one daemon on the same corpus in SQLite.
    The same with one shared inbox (`[shared] folder`): every file dropped into it, the daemons
    share it out through the work queue (claims, leases, fences); each file must end with exactly
    one report across the daemons.
(b) a large corpus: --works synthetic hash-only image works (random PDQ hashes) loaded by COPY into
    PostgreSQL and by executemany into SQLite, then `hashmark corpus stats` (reads the snapshot
    digest over every row) and `hashmark check` of 1 and of 401 files (Corpus images) timed on each
    back end: the 1-file time is the load of the whole index, (401-file time - 1-file time) / 400 the
    time per file once it is loaded.
"""
import argparse
import csv
import os
import random
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_bench import RESERVED  # noqa: E402  (packages kept for independent evaluation: never inputs)


def pg_bin():
    versions = sorted(int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit())
    return f"/usr/lib/postgresql/{versions[-1]}/bin"


class Cluster:
    """A throwaway PostgreSQL cluster listening on a Unix socket in its own folder."""

    def __init__(self, root):
        self.dir = os.path.join(root, "pg")
        os.makedirs(self.dir)
        self.bin = pg_bin()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(root, "postgres")
            shutil.chown(self.dir, "postgres")
        self.run("initdb", "-D", self.dir + "/data", "-U", "hashmark", "--auth=trust", "--no-locale", "-E", "UTF8")
        self.run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "start",
                 "-o", f"-k {self.dir} -c listen_addresses='' -c max_connections=100")

    def run(self, tool, *args, stdin=None):
        cmd = [self.bin + "/" + tool, *args]
        if self.as_postgres and tool in ("initdb", "pg_ctl"):
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=True, capture_output=True, text=True, input=stdin).stdout

    def createdb(self, name):
        self.run("createdb", "-h", self.dir, "-U", "hashmark", name)
        return f"postgresql://hashmark@/{name}?host={self.dir}"

    def psql(self, db, sql, stdin=None):
        return self.run("psql", "-h", self.dir, "-U", "hashmark", "-d", db, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql, stdin=stdin)

    def stop(self):
        try:
            self.run("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass


def hashmark(binary, *args, check=True):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if check and r.returncode not in (0, 1):
        sys.exit(f"hashmark {' '.join(args)} failed: {r.stderr}")
    return r


def corpus_files(suffix):
    """Bundled Corpus files ending in `suffix`, the reserved packages' works left out."""
    rows = csv.DictReader(open(os.path.join(REPO, "Corpus", "manifest.csv"), encoding="utf-8"))
    return sorted(os.path.join(REPO, "Corpus", r["path"]) for r in rows
                  if r["source_package"] not in RESERVED and r["path"].endswith(suffix))


def make_inputs(folder, n, seed):
    """n files: a third JPEG copies of Corpus images (random trailing bytes after EOI, so each has
    its own SHA-256 and report), the rest texts; the reserved packages' works left out."""
    rng = random.Random(seed)
    os.makedirs(folder, exist_ok=True)
    images, texts = corpus_files(".jpg"), corpus_files(".txt")
    words = "river stone lantern quiet market winter engine paper orchard signal harbour meadow".split()
    for i in range(n):
        if i % 3 == 0:
            data = open(images[i % len(images)], "rb").read() + secrets.token_bytes(16)
            name = f"f{i:05d}.jpg"
        else:
            new = " ".join(rng.choice(words) for _ in range(300))
            if i % 3 == 1:
                source = open(texts[i % len(texts)], encoding="utf-8").read().split()
                start = rng.randrange(0, max(1, len(source) - 200))
                new = new[:900] + " " + " ".join(source[start:start + 200]) + " " + new[900:]
            data = f"File {i}. {new}".encode()
            name = f"f{i:05d}.txt"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    return sorted(os.listdir(folder))


def burst(binary, db, root, inputs, names, daemons, key_dir, workers, shared=False):
    """Runs `daemons` daemons of `workers` workers each on db, renames the files into their inboxes
    round-robin (or, `shared`, all into one shared inbox that the daemons share out through the
    work queue), returns files/s from the first rename to the last file out of active/."""
    config = os.path.join(root, "scale.toml")
    shared_folder = os.path.join(root, "shared")
    with open(config, "w") as f:
        f.write(f"[workers]\ncount = {workers}\n[corpus]\npoll_seconds = 5\n[scan]\ninterval_seconds = 5\n")
        if shared:
            f.write(f'[shared]\nfolder = "{shared_folder}"\npoll_seconds = 0.2\n')
    procs, spools = [], []
    for d in range(daemons):
        spool = os.path.join(root, f"spool-{daemons}-{d}")
        log = open(os.path.join(root, f"daemon-{daemons}-{d}.log"), "w")
        procs.append(subprocess.Popen([binary, "watch", "--spool", spool, "--db", db, "--key",
                                       os.path.join(key_dir, "hashmark.key.pem"), "--config", config],
                                      stdout=subprocess.DEVNULL, stderr=log))
        spools.append(spool)
    deadline = time.time() + 120
    for d, spool in enumerate(spools):
        while " ready " not in open(os.path.join(root, f"daemon-{daemons}-{d}.log")).read():
            if time.time() > deadline or procs[d].poll() is not None:
                sys.exit(f"daemon {d} did not start: " + open(os.path.join(root, f"daemon-{daemons}-{d}.log")).read())
            time.sleep(0.05)
    inboxes = [os.path.join(shared_folder, "inbox")] if shared else [os.path.join(s, "inbox") for s in spools]
    for inbox in inboxes:  # staged on the same file system, renamed in at once
        os.makedirs(os.path.join(inbox, ".tmp"), exist_ok=True)
    staged = []
    for i, name in enumerate(names):
        inbox = inboxes[i % len(inboxes)]
        tmp = os.path.join(inbox, ".tmp", name)
        shutil.copyfile(os.path.join(inputs, name), tmp)
        staged.append((tmp, os.path.join(inbox, name)))
    start = time.time()
    for tmp, final in staged:
        os.rename(tmp, final)

    def left():
        n = sum(len([e for e in os.listdir(inbox) if not e.startswith(".")]) for inbox in inboxes)
        for spool in spools:  # a shared file's copy in active/ is a dot-file: counted too
            n += len([e for e in os.listdir(os.path.join(spool, "active")) if not e.startswith(".shared-tmp.")])
        return n
    while left() > 0:
        if time.time() - start > 1800:
            sys.exit("burst did not finish in 30 minutes")
        time.sleep(0.02)
    elapsed = time.time() - start
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=60)
    folders = [shared_folder] if shared else spools
    done = sum(len(os.listdir(os.path.join(s, "done"))) + len(os.listdir(os.path.join(s, "failed"))) for s in folders)
    assert done == len(names), (done, len(names))
    reports = sum(len([e for e in os.listdir(os.path.join(s, "reports")) if e.endswith(".json")]) for s in spools)
    assert reports == len(names), ("one report per file", reports, len(names))
    return len(names) / elapsed


def large_corpus(binary, cluster, root, n, seed):
    """n synthetic hash-only works in both back ends; returns timings per back end."""
    rng = random.Random(seed)
    pg = cluster.createdb("large")
    sq = os.path.join(root, "large.sqlite")
    for db in (pg, sq):
        hashmark(binary, "corpus", "stats", "--db", db)  # creates the schema
    rows = []
    for i in range(n):
        rows.append((f"w{i:08d}", rng.getrandbits(256).to_bytes(32, "big")))
    t0 = time.time()
    works = "".join(f"{w}\t{w}\tsynthetic\t\tscale-bench\timage\t\\N\t0\n" for w, _ in rows)
    cluster.psql("large", "COPY works (id, title, owner, license, source, media_type, sha256, added_at) FROM STDIN", stdin=works)
    fps = "".join(f"{w}\tpdq\t1\t0\t\\\\x{h.hex()}\t100\n" for w, h in rows)
    cluster.psql("large", "COPY fingerprints (work_id, algorithm, version, variant, data, quality) FROM STDIN", stdin=fps)
    cluster.psql("large", "UPDATE meta SET value = value + 1 WHERE key = 'snapshot_version'; ANALYZE")
    pg_load = time.time() - t0
    t0 = time.time()
    con = sqlite3.connect(sq)
    con.executemany("INSERT INTO works (id, title, owner, license, source, media_type, sha256, added_at) "
                    "VALUES (?, ?, 'synthetic', '', 'scale-bench', 'image', NULL, 0)", [(w, w) for w, _ in rows])
    con.executemany("INSERT INTO fingerprints (work_id, algorithm, version, variant, data, quality) "
                    "VALUES (?, 'pdq', 1, 0, ?, 100)", rows)
    con.execute("UPDATE meta SET value = value + 1 WHERE key = 'snapshot_version'")
    con.commit()
    con.close()
    sq_load = time.time() - t0
    queries = (corpus_files(".jpg")[:40] * 10)[:400]
    queries = queries[:1] + queries  # the first file alone, then 400 more
    out = {}
    for label, db, load in (("postgresql", pg, pg_load), ("sqlite", sq, sq_load)):
        t0 = time.time()
        printed = hashmark(binary, "corpus", "stats", "--db", db).stdout
        stats = time.time() - t0
        assert f"works: {n} " in printed, printed
        t0 = time.time()
        hashmark(binary, "check", "--json", "--db", db, queries[0])
        one = time.time() - t0
        t0 = time.time()
        hashmark(binary, "check", "--json", "--db", db, *queries)
        many = time.time() - t0
        out[label] = dict(bulk_load_s=load, stats_s=stats, check1_s=one, check401_s=many,
                          per_file_ms=(many - one) / 400 * 1000)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "hashmark"))
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--works", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1, help="workers per daemon")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-burst", action="store_true")
    ap.add_argument("--skip-shared", action="store_true", help="no shared-inbox bursts")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="hashmark-scale-")
    os.chmod(root, 0o755)
    cluster = Cluster(root)
    try:
        key_dir = os.path.join(root, "keys")
        hashmark(args.binary, "keygen", "--out", key_dir)
        manifest = os.path.join(REPO, "Corpus", "manifest.csv")
        pg = cluster.createdb("corpus")
        sq = os.path.join(root, "corpus.sqlite")
        for db in (pg, sq):
            hashmark(args.binary, "corpus", "add", "--db", db, "--manifest", manifest)
        inputs = os.path.join(root, "inputs")
        names = make_inputs(inputs, args.files, args.seed)
        print(f"machine: {os.cpu_count()} cores; {args.files} files a burst "
              f"({len([n for n in names if n.endswith('.jpg')])} JPEG, {len([n for n in names if n.endswith('.txt')])} text)")
        # One worker per daemon: each daemon is a host with one core's worth of matching, so the
        # scaling is visible up to this machine's cores (and capped by them after that).
        if args.skip_burst:
            names = []
        os.makedirs(root + "/sq")
        base = 0 if args.skip_burst else burst(args.binary, sq, root + "/sq", inputs, names, 1, key_dir, args.workers)
        print(f"peer  SQLite, 1 daemon      : {base:7.1f} files/s  ({args.workers} worker a daemon)")
        for n in () if args.skip_burst else (1, 2, 3):
            os.makedirs(f"{root}/pg{n}")
            fps = burst(args.binary, pg, f"{root}/pg{n}", inputs, names, n, key_dir, args.workers)
            print(f"PostgreSQL, {n} daemon{'s' if n > 1 else ' '}    : {fps:7.1f} files/s ({fps / base:.2f}x the SQLite daemon)")
        for n in () if args.skip_burst or args.skip_shared else (1, 2, 3):
            os.makedirs(f"{root}/shared{n}")
            fps = burst(args.binary, pg, f"{root}/shared{n}", inputs, names, n, key_dir, args.workers, shared=True)
            print(f"PostgreSQL, {n} daemon{'s' if n > 1 else ' '}, one shared inbox: {fps:7.1f} files/s ({fps / base:.2f}x the SQLite daemon)")
        rows = cluster.psql("corpus", "SELECT count(*), count(DISTINCT host) FROM shared_ledger").strip()
        verify = hashmark(args.binary, "verify", "--ledger", pg, check=False)
        print(f"shared ledger: {rows.replace('|', ' rows, ')} hosts; verify exit {verify.returncode}")
        if not args.skip_large:
            result = large_corpus(args.binary, cluster, root, args.works, args.seed)
            for label, r in result.items():
                print(f"{args.works:,} works, {label:10}: bulk load {r['bulk_load_s']:6.1f} s, corpus stats {r['stats_s']:5.1f} s, "
                      f"check 1 file {r['check1_s']:5.1f} s, 401 files {r['check401_s']:5.1f} s -> {r['per_file_ms']:5.1f} ms a file")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
