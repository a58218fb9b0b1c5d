#!/usr/bin/env bash
# Crash-safety soak for `hashmark watch`: SIGKILL the daemon at random moments while files flow
# into the inbox, restart it, repeat; then let it drain and check the spool.
#
#   Scripts/soak-crash.sh [ROUNDS] [FILES_PER_ROUND]        (defaults: 20 rounds, 10 files/round)
#
# Environment:
#   HASHMARK_BIN   the binary (default .build/release/hashmark)
#   SOAK_CONFIG    passed as --config (optional)
#   SOAK_DB        passed as --db    (optional; needed unless the config names the corpus)
#   SOAK_KEY       passed as --key   (optional; needed unless the config names the key)
#   SOAK_INPUTS    a folder of sample files to copy (default: generated texts)
#   SOAK_POISON=N  every Nth file is a poison file that hangs or crashes its worker (through the
#                  worker's test hooks; max_seconds = 1 unless SOAK_CONFIG is given): each must end
#                  in failed/ with a `timeout` or `worker-crashed` report, never retried forever
#   SOAK_KEEP=1    keep the temporary spool for inspection
#
# Checks (exit 1 on any failure): 0 files lost (every dropped file ends in done/ or failed/
# exactly once, byte-identical, nothing left in inbox/ or active/), 0 reports missing and 0
# duplicates (one reports/<id>.json per dropped file, each with its .json.sig), 0 conflicting
# verdicts (one report per dropped name; `hashmark verify --ledger` accepts the chain), 0 partial
# files (nothing else in reports/, every report non-empty valid JSON; needs jq).
set -euo pipefail

ROUNDS=${1:-20}
PER_ROUND=${2:-10}
BIN=${HASHMARK_BIN:-.build/release/hashmark}
[[ -x $BIN ]] || { echo "soak: $BIN is not executable (build first or set HASHMARK_BIN)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hashmark-soak.XXXXXX")
SPOOL=$WORK/spool
MANIFEST=$WORK/manifest      # "<sha256>  <name>" of every dropped file
LOG=$WORK/daemon.log
mkdir -p "$SPOOL/inbox/.tmp"
: > "$MANIFEST"
: > "$WORK/poisoned"
cleanup() {
  [[ -n ${DAEMON:-} ]] && kill -9 "$DAEMON" 2>/dev/null || true
  [[ -n ${PRODUCER:-} ]] && kill "$PRODUCER" 2>/dev/null || true
  if [[ ${SOAK_KEEP:-0} == 1 ]]; then echo "soak: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

POISON=${SOAK_POISON:-0}
if (( POISON > 0 )); then
  export HASHMARK_WORKER_TEST_HOOKS=1
  if [[ -z ${SOAK_CONFIG:-} ]]; then
    SOAK_CONFIG=$WORK/soak.toml
    printf '[limits]\nmax_seconds = 1\n' > "$SOAK_CONFIG"
  fi
fi
POISONED=$WORK/poisoned     # names of the poison files

ARGS=(watch --spool "$SPOOL")
[[ -n ${SOAK_CONFIG:-} ]] && ARGS+=(--config "$SOAK_CONFIG")
[[ -n ${SOAK_DB:-} ]] && ARGS+=(--db "$SOAK_DB")
[[ -n ${SOAK_KEY:-} ]] && ARGS+=(--key "$SOAK_KEY")

INPUTS=()
if [[ -n ${SOAK_INPUTS:-} ]]; then mapfile -t INPUTS < <(find "$SOAK_INPUTS" -maxdepth 1 -type f | sort); fi

# One file: written in .tmp/ then renamed in (most), or written in place (every 4th).
drop() {
  local name=$1 n=$2 src
  local tmp="$SPOOL/inbox/.tmp/$name"
  if (( POISON > 0 && n % POISON == POISON - 1 )); then
    if (( n / POISON % 2 == 0 )); then printf 'HASHMARK-TEST-HANG %s\n' "$name" > "$tmp"
    else printf 'HASHMARK-TEST-CRASH %s\n' "$name" > "$tmp"; fi
    echo "$name" >> "$POISONED"
  elif (( ${#INPUTS[@]} > 0 )); then
    src=${INPUTS[$(( n % ${#INPUTS[@]} ))]}
    cp "$src" "$tmp"
  else
    printf 'soak file %s\nline %s of generated text for the crash soak test\n' "$name" "$n" > "$tmp"
  fi
  sha=$(sha256sum "$tmp" | cut -d' ' -f1)
  echo "$sha  $name" >> "$MANIFEST"
  if (( n % 4 == 0 )); then
    cat "$tmp" > "$SPOOL/inbox/$name" && rm -f "$tmp"
  else
    mv "$tmp" "$SPOOL/inbox/$name"
  fi
}

producer() {
  local n=0
  for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < PER_ROUND; i++)); do
      drop "soak-$r-$i" "$n"; n=$((n + 1))
      sleep "0.0$(( RANDOM % 5 ))"
    done
  done
}

echo "soak: $ROUNDS rounds, $PER_ROUND files/round, spool $SPOOL"
producer &
PRODUCER=$!

for ((round = 1; round <= ROUNDS; round++)); do
  "$BIN" "${ARGS[@]}" >>"$LOG" 2>&1 &
  DAEMON=$!
  sleep "$(( RANDOM % 2 )).$(( RANDOM % 10 ))$(( RANDOM % 10 ))"
  kill -9 "$DAEMON" 2>/dev/null || true
  wait "$DAEMON" 2>/dev/null || true
  DAEMON=
done
wait "$PRODUCER"; PRODUCER=

# Final run: wait for readiness (the "ready" log line), drain, then a graceful stop.
readies() { grep -c ' ready ' "$LOG" || true; }
before=$(readies)
"$BIN" "${ARGS[@]}" >>"$LOG" 2>&1 &
DAEMON=$!
for ((t = 0; t < 3000 && $(readies) == before; t++)); do
  kill -0 "$DAEMON" 2>/dev/null || break
  sleep 0.1
done
pending() { find "$SPOOL/inbox" "$SPOOL/active" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l; }
for ((t = 0; t < 1200; t++)); do
  [[ $(pending) -eq 0 ]] && break
  kill -0 "$DAEMON" 2>/dev/null || { echo "soak: daemon exited during drain; log: $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
  sleep 0.1
done
fail=0
problem() { echo "FAIL: $*" >&2; fail=1; }
kill -TERM "$DAEMON"
status=0; wait "$DAEMON" || status=$?
DAEMON=
(( status == 0 )) || problem "daemon exit code $status after SIGTERM"
dropped=$(wc -l < "$MANIFEST")

# 0 files lost, no duplicate originals, byte-identical.
[[ $(pending) -eq 0 ]] || problem "$(pending) files still in inbox/ or active/"
mapfile -t originals < <(cd "$SPOOL" && find done failed -mindepth 1 -maxdepth 1 -printf '%f\n' | sort)
(( ${#originals[@]} == dropped )) || problem "dropped $dropped files, found ${#originals[@]} originals in done/+failed/"
while read -r sha name; do
  path=
  [[ -f $SPOOL/done/$name ]] && path=$SPOOL/done/$name
  [[ -f $SPOOL/failed/$name ]] && { [[ -n $path ]] && problem "$name in both done/ and failed/"; path=$SPOOL/failed/$name; }
  [[ -n $path ]] || { problem "lost: $name"; continue; }
  [[ $(sha256sum "$path" | cut -d' ' -f1) == "$sha" ]] || problem "changed: $name"
done < "$MANIFEST"

# 0 reports missing / duplicated, 0 partial files.
reports=$(find "$SPOOL/reports" -maxdepth 1 -name '*.json' | wc -l)
(( reports == dropped )) || problem "dropped $dropped files, found $reports reports"
while IFS= read -r f; do
  case $f in
    ledger.jsonl|checkpoints.tsv) ;;
    *.json) [[ -s $SPOOL/reports/$f ]] || problem "empty report $f"
            [[ -f $SPOOL/reports/$f.sig ]] || problem "report without signature: $f" ;;
    *.json.sig) [[ -f $SPOOL/reports/${f%.sig} ]] || problem "signature without report: $f" ;;
    *) problem "partial or stray file in reports/: $f" ;;
  esac
done < <(find "$SPOOL/reports" -mindepth 1 -maxdepth 1 -printf '%f\n')
# Every report is valid JSON, and each dropped name has exactly one report (one verdict).
for f in "$SPOOL"/reports/*.json; do jq -e . "$f" >/dev/null 2>&1 || problem "invalid JSON: ${f##*/}"; done
dupes=$(jq -r '.subject.fileName' "$SPOOL"/reports/*.json | sort | uniq -d | wc -l)
(( dupes == 0 )) || problem "$dupes file names with more than one report (conflicting verdicts)"
# Poison files: quarantined in failed/ with a timeout or worker-crashed report.
quarantined=0
while read -r name; do
  [[ -n $name ]] || continue
  [[ -f $SPOOL/failed/$name ]] || problem "poison file not in failed/: $name"
  code=$(jq -r --arg n "$name" 'select(.subject.fileName == $n) | .error.code' "$SPOOL"/reports/*.json)
  [[ $code == timeout || $code == worker-crashed ]] || problem "poison file $name: report code '$code'"
  quarantined=$((quarantined + 1))
done < "$POISONED"
# No worker outlives its daemon (they die with it: parent-death signal, end of their stdin).
sleep 0.5
orphans=$(pgrep -f -- "worker --db ${SOAK_DB:-/nonexistent} " | wc -l || true)
(( orphans == 0 )) || problem "$orphans worker processes outlived their daemon"
# The ledger chain is intact and every report matches its ledger line (and its signature).
PUB=${SOAK_KEY%.key.pem}.pub.pem
if [[ -n ${SOAK_KEY:-} && -f $PUB ]]; then
  "$BIN" verify --ledger "$SPOOL/reports" --pubkey "$PUB" >/dev/null || problem "hashmark verify --ledger failed"
else
  "$BIN" verify --ledger "$SPOOL/reports" >/dev/null || problem "hashmark verify --ledger failed"
fi

if (( fail )); then echo "soak: FAILED ($ROUNDS rounds, $dropped files); log: $LOG" >&2; SOAK_KEEP=1; exit 1; fi
echo "soak: OK — $ROUNDS SIGKILL rounds, $dropped files ($quarantined poison, quarantined): 0 lost, 0 stuck, 0 reports missing, 0 duplicate/conflicting, 0 partial, 0 orphan workers"
