#!/usr/bin/env bash
# Renders the samples' report in headless Chromium: the page must load without console errors
# or network requests, and show its charts and tables. Keeps report.html, the DOM dump, the log
# and a screenshot (report.png, 1280x2000) in the artifact folder given as $1.
#
#   FEEDLOOP_BIN=build/bin/feedloop FEEDLOOP_SAMPLES_DIR=samples tests/browser/report_browser_test.sh OUT
#
# Exits 77 (ctest: skipped) when no Chromium is installed; `scripts/setup --deps` installs it.
set -euo pipefail

out=${1:?usage: report_browser_test.sh ARTIFACT_DIR}
bin=${FEEDLOOP_BIN:?set FEEDLOOP_BIN}
samples=${FEEDLOOP_SAMPLES_DIR:?set FEEDLOOP_SAMPLES_DIR}

chromium=""
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" >/dev/null 2>&1; then chromium=$(command -v "$c"); break; fi
done
if [ -z "$chromium" ]; then
  echo "SKIPPED: Chromium is not installed (apt-get install chromium, or scripts/setup --deps)"
  exit 77
fi

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The samples' report (ingest with the samples' config, analyze with the built-in plugins).
"$bin" --db "$work/s.db" -q ingest --config "$samples/feedloop.json" "$samples"/data/* >"$out/feedloop.log" 2>&1 ||
  fail "ingest failed: $(cat "$out/feedloop.log")"
"$bin" --db "$work/s.db" -q analyze >>"$out/feedloop.log" 2>&1 || fail "analyze failed: $(cat "$out/feedloop.log")"
"$bin" --db "$work/s.db" -q report --period 2026-W45 --format html --out "$out" >>"$out/feedloop.log" 2>&1 ||
  fail "report failed: $(cat "$out/feedloop.log")"
page="$out/report.html"
[ -s "$page" ] || fail "no report.html"

run_chromium() {
  # A fresh profile each time; no network, no background services.
  local profile
  profile=$(mktemp -d -p "$work")
  timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --mute-audio --hide-scrollbars \
    --user-data-dir="$profile" "$@"
}

# 1. The DOM after load, with console messages on stderr.
run_chromium --enable-logging=stderr --v=0 --virtual-time-budget=3000 --dump-dom "file://$page" \
  >"$out/dom.html" 2>"$out/chromium.log" || fail "chromium --dump-dom failed: $(tail -5 "$out/chromium.log")"
if grep -E ":CONSOLE|Uncaught|Refused to|Content Security Policy|net::ERR_" "$out/chromium.log" >"$out/errors.txt"; then
  fail "console errors or blocked requests: $(head -5 "$out/errors.txt")"
fi
dom="$out/dom.html"
count() { grep -o "$1" "$dom" | wc -l; }
[ "$(count '<svg')" -ge 10 ] || fail "expected the SVG charts in the DOM, found $(count '<svg')"
[ "$(count '<polyline')" -ge 6 ] || fail "expected trend lines, found $(count '<polyline')"
[ "$(count 'class="chart bars"')" -eq 1 ] || fail "no impact bar chart"
[ "$(count 'class="chart heat"')" -eq 1 ] || fail "no heat map"
[ "$(count '<table')" -ge 5 ] || fail "expected the tables, found $(count '<table')"
for id in headline top-causes emerging actions cause-table sku-table save-table transcripts provenance; do
  grep -q "id=\"$id\"" "$dom" || fail "missing #$id"
done
[ "$(count '<script')" -eq 0 ] || fail "the page has a script element"
grep -q "Emerging" "$dom" || fail "the W45 delivery surge is not flagged as emerging"
grep -q "KETTLE-2L" "$dom" || fail "the SKU table does not show KETTLE-2L"

# 2. The screenshot: the first screen must be the headline, top causes and emerging issues.
run_chromium --screenshot="$out/report.png" --window-size=1280,2000 "file://$page" \
  >>"$out/chromium.log" 2>&1 || fail "chromium --screenshot failed"
[ -s "$out/report.png" ] || fail "no screenshot"
size=$(stat -c %s "$out/report.png")
[ "$size" -gt 50000 ] || fail "the screenshot is suspiciously small ($size bytes)"

echo "OK: report renders in $($chromium --version 2>/dev/null | head -1); screenshot $out/report.png"
