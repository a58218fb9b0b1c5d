#!/usr/bin/env bash
# Renders a `hashmark show --html` page in headless Chromium and saves a screenshot.
#   Scripts/render-report.sh OUT.html SCREENSHOT.png
# Fails (exit 1) when Chromium fails, writes no or an empty screenshot, or the page logs anything
# to the console (a script error, or a blocked load: the page's CSP allows no external request).
# Needs the Debian `chromium` package (or $CHROMIUM).
set -euo pipefail

if [ $# -ne 2 ]; then echo "usage: $0 OUT.html SCREENSHOT.png" >&2; exit 2; fi
html=$(realpath "$1")
png=$(realpath -m "$2")
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "render-report: $chromium not found (apt-get install chromium)" >&2; exit 2; }
[ -f "$html" ] || { echo "render-report: no such file $html" >&2; exit 2; }

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$png"

status=0
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --screenshot="$png" --window-size=1200,1600 "file://$html" >"$log" 2>&1 || status=$?

if [ "$status" -ne 0 ]; then
    echo "render-report: chromium exited with $status" >&2; tail -20 "$log" >&2; exit 1
fi
# Messages the page itself produced (console errors, CSP violations): Chromium tags them CONSOLE.
if grep -q ':CONSOLE' "$log"; then
    echo "render-report: the page logged console messages:" >&2; grep ':CONSOLE' "$log" >&2; exit 1
fi
size=$(stat -c %s "$png" 2>/dev/null || echo 0)
if [ "$size" -lt 5000 ]; then
    echo "render-report: screenshot missing or trivially small ($size bytes)" >&2; tail -20 "$log" >&2; exit 1
fi
echo "$png ($size bytes)"
