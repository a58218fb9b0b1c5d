#!/usr/bin/env bash
# Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds the libFuzzer targets of Benchmarks/Fuzz with ASan, makes seed corpora from
# Tests/Fixtures and Corpus/texts, runs each target (one at a time, niced) for the given time and
# prints one summary line per target. Exit 1 when any crash, timeout, OOM or leak was found,
# 2 on a setup error. See Benchmarks/FUZZ.md.
#
# Environment:
#   FUZZ_CONFIG   release (default) or debug
#   FUZZ_WORK     work dir (default var/fuzz): seeds/, <target>/corpus, <target>/artifacts, logs
#   FUZZ_RUNS     also stop after this many executions (libFuzzer -runs), e.g. 1000000
#   FUZZ_RSS_MB   -rss_limit_mb (default 2048)
#   FUZZ_MAX_LEN  -max_len for every target (default: per target, see max_len_for)
#   FUZZ_NICE     niceness of the fuzzer processes (default 15: others share this machine)
#   FUZZ_NO_BUILD set to 1 to skip the build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ALL_TARGETS=(fuzz-sniff fuzz-jpeg fuzz-png fuzz-webp fuzz-gif fuzz-image
             fuzz-text-plain fuzz-text-html fuzz-text-markdown fuzz-normalize fuzz-report-json)
SECONDS_PER_TARGET=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "unknown target: $t (known: ${ALL_TARGETS[*]})" >&2; exit 2; }
done
[[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2; }

CONFIG=${FUZZ_CONFIG:-release}
WORK=${FUZZ_WORK:-var/fuzz}
RSS_MB=${FUZZ_RSS_MB:-2048}
NICE=${FUZZ_NICE:-15}
RUNS=${FUZZ_RUNS:--1}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# --- what it needs ------------------------------------------------------------------------------
# The C libraries HashmarkMedia links against (the Makefile installs only the missing ones).
make --no-print-directory deps
# libFuzzer and ASan runtimes ship with the Swift toolchain (not with Debian's clang).
SWIFT_BIN=$(dirname "$(readlink -f "$(command -v swift)")")
if ! ls "$SWIFT_BIN"/../lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
   ! ls "$SWIFT_BIN"/../lib/swift/clang/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "No libclang_rt.fuzzer in the Swift toolchain at $SWIFT_BIN/..: install a swift.org toolchain for Linux (it ships libFuzzer)." >&2
    exit 2
fi
# The Swift runtime's own crash backtracer replaces libFuzzer's signal handlers and reads memory
# that ASan then reports as a wild read: switch it off so an abort shows libFuzzer's stack.
export SWIFT_BACKTRACE=enable=no
if [ -x "$SWIFT_BIN/llvm-symbolizer" ]; then export ASAN_SYMBOLIZER_PATH="$SWIFT_BIN/llvm-symbolizer"; fi

# --- build --------------------------------------------------------------------------------------
# SwiftPM's `--sanitize=fuzzer --sanitize=address` passes two -sanitize= flags to swiftc and the
# last one wins: the code gets ASan but no coverage instrumentation (libFuzzer then runs blind).
# The SwiftPM flags still choose libFuzzer's main at link time; the -Xswiftc flag, placed after
# them, compiles every module with both.
BUILD=(swift build -c "$CONFIG" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
       --package-path Benchmarks/Fuzz)
if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
    echo "building: ${BUILD[*]}"
    nice -n "$NICE" "${BUILD[@]}" 2>&1 | grep -E "error|warning: |Compiling|Build complete" | grep -v "Cannot export local symbol" || true
fi
BIN=$("${BUILD[@]}" --show-bin-path)
for t in "${TARGETS[@]}"; do [ -x "$BIN/$t" ] || { echo "missing $BIN/$t: the build failed" >&2; exit 2; }; done

# --- seed corpora -------------------------------------------------------------------------------
SEEDS=$WORK/seeds
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{image,jpeg,png,webp,gif,text,html,markdown,sniff,report}
magic() { head -c 12 "$1" | od -An -tx1 | tr -d ' \n'; }
for f in Tests/Fixtures/{media,fastpath,pdq,local,lowcontrast}/*; do
    case $f in *.md|*.py|*.json) continue ;; esac
    name=$(basename "$(dirname "$f")")__$(basename "$f")
    cp "$f" "$SEEDS/image/$name"
    cp "$f" "$SEEDS/sniff/$name"
    m=$(magic "$f")
    case $m in
        ffd8ff*) cp "$f" "$SEEDS/jpeg/$name" ;;
        89504e470d0a1a0a*) cp "$f" "$SEEDS/png/$name" ;;
        52494646????????57454250) cp "$f" "$SEEDS/webp/$name" ;;
        474946383761*|474946383961*) cp "$f" "$SEEDS/gif/$name" ;;
    esac
done
# The PPM photos (pdq, local, lowcontrast) are no decodable format: small PNGs made from them give
# the PNG and image targets real photographic content.
python3 - "$SEEDS" Tests/Fixtures/{pdq,local,lowcontrast}/*.ppm <<'EOF'
import os, struct, sys, zlib
out = sys.argv[1]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
for path in sys.argv[2:]:
    raw = open(path, "rb").read()
    fields, i = [], 0
    while len(fields) < 4:                          # P6 width height maxval, comments skipped
        while raw[i:i + 1].isspace(): i += 1
        if raw[i:i + 1] == b"#":
            i = raw.index(b"\n", i); continue
        j = i
        while not raw[j:j + 1].isspace(): j += 1
        fields.append(raw[i:j]); i = j
    if fields[0] != b"P6" or fields[3] != b"255": continue
    w, h = int(fields[1]), int(fields[2]); pix = raw[i + 1:]
    step = max(1, (max(w, h) + 63) // 64)           # at most 64 px a side: a few KiB a seed
    rows = b""
    for y in range(0, h, step):
        row = b"".join(pix[(y * w + x) * 3:(y * w + x) * 3 + 3] for x in range(0, w, step))
        rows += b"\0" + row
    sw, sh = (w + step - 1) // step, (h + step - 1) // step
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", sw, sh, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    name = os.path.basename(os.path.dirname(path)) + "__" + os.path.basename(path)[:-4] + ".png"
    for kind in ("png", "image"):
        open(os.path.join(out, kind, name), "wb").write(png)
EOF
for f in Tests/Fixtures/text/*.txt Corpus/texts/* Tests/Fixtures/media/{plain,latin1,utf16,html-fragment}.txt; do
    for kind in text html markdown; do cp "$f" "$SEEDS/$kind/"; done
done
cp Tests/Fixtures/media/*.html "$SEEDS/html/"
cp Tests/Fixtures/media/*.html Tests/Fixtures/text/*.txt "$SEEDS/sniff/"
for f in Tests/Fixtures/*/README.md; do cp "$f" "$SEEDS/markdown/$(basename "$(dirname "$f")")__README.md"; done
cp Tests/Fixtures/report/*.json Tests/Fixtures/media/expected.json Schemas/*.json "$SEEDS/report/"

seeds_for() {
    case $1 in
        fuzz-sniff) echo sniff ;; fuzz-jpeg) echo jpeg ;; fuzz-png) echo png ;; fuzz-webp) echo webp ;;
        fuzz-gif) echo gif ;; fuzz-image) echo image ;; fuzz-text-plain|fuzz-normalize) echo text ;;
        fuzz-text-html) echo html ;; fuzz-text-markdown) echo markdown ;; fuzz-report-json) echo report ;;
    esac
}
# Images: long enough for every small media fixture (longer inputs mostly cost time in the C
# decoders). Text: the strippers and the normaliser's reference path are slow per byte under ASan,
# so 4 KiB (4x the executions of 16 KiB); plain decoding stays at 16 KiB.
max_len_for() {
    case $1 in
        fuzz-sniff) echo 8192 ;; fuzz-jpeg|fuzz-png|fuzz-webp|fuzz-gif|fuzz-image) echo 32768 ;;
        fuzz-text-html|fuzz-text-markdown|fuzz-normalize) echo 4096 ;;
        *) echo 16384 ;;
    esac
}

# --- run ----------------------------------------------------------------------------------------
found_any=0
summary=()
for t in "${TARGETS[@]}"; do
    dir=$WORK/$t
    mkdir -p "$dir/corpus" "$dir/artifacts"
    before=$(ls "$dir/artifacts" | wc -l)
    log=$dir/run-$(date -u +%Y%m%dT%H%M%SZ).log
    echo "running $t for ${SECONDS_PER_TARGET}s (log: $log)"
    start=$(date +%s)
    set +e
    (cd "$dir" && nice -n "$NICE" "$BIN/$t" -max_total_time="$SECONDS_PER_TARGET" -runs="$RUNS" \
        -rss_limit_mb="$RSS_MB" -timeout=10 -max_len="${FUZZ_MAX_LEN:-$(max_len_for "$t")}" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" "$SEEDS/$(seeds_for "$t")") >"$log" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    # A crash ends the run before the final stats: take the last status line's count instead.
    [ -z "$execs" ] && execs=$(grep -a -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    execs=${execs:-0}
    rate=$(grep -a -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
    rate=${rate:-$(( execs / (elapsed > 0 ? elapsed : 1) ))}
    new=$(ls -t "$dir/artifacts" | head -n $(( $(ls "$dir/artifacts" | wc -l) - before )))
    count() { printf '%s\n' "$new" | grep -c "^$1-" || true; }
    crashes=$(count crash); timeouts=$(count timeout); ooms=$(count oom); leaks=$(count leak)
    line=$(printf '%-20s %6ss %12s execs %8s exec/s  crashes=%s timeouts=%s ooms=%s leaks=%s rc=%s' \
        "$t" "$elapsed" "$execs" "$rate" "$crashes" "$timeouts" "$ooms" "$leaks" "$rc")
    summary+=("$line")
    echo "$line"
    if [ $((crashes + timeouts + ooms + leaks)) -gt 0 ] || [ "$rc" -ne 0 ]; then
        found_any=1
        for a in $new; do echo "    artifact: $dir/artifacts/$a"; done
    fi
done

echo
echo "summary ($(date -u +%Y-%m-%dT%H:%MZ), $CONFIG, ${SECONDS_PER_TARGET}s per target):"
printf '%s\n' "${summary[@]}"
exit $found_any
