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
# Beside them, 40 complaints whose every text field (text, customer id, SKU, channel, region,
# source, attrs) carries script tags, event attributes, javascript: URLs, CSS, Markdown and
# spreadsheet formulas (hostile.jsonl): they must show as text and run nothing.
"$bin" --db "$work/s.db" -q ingest "$(dirname "$0")/hostile.jsonl" >>"$out/feedloop.log" 2>&1 ||
  fail "ingest of hostile.jsonl failed: $(cat "$out/feedloop.log")"
"$bin" --db "$work/s.db" -q analyze >>"$out/feedloop.log" 2>&1 || fail "analyze failed: $(cat "$out/feedloop.log")"
"$bin" --db "$work/s.db" -q report --period 2026-W45 --segment sku --format html --out "$out" >>"$out/feedloop.log" 2>&1 ||
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
# The hostile text: rendered, escaped, inert.
grep -q '&lt;a href="javascript:alert(1)"&gt;click' "$dom" || fail "the hostile quotes are not shown as text"
grep -q '&lt;b&gt;KETTLE&lt;/b&gt;&lt;script&gt;alert(2)' "$dom" || fail "the hostile SKU is not shown as text"
grep -q 'c-&lt;img src=x onerror=alert(0)&gt;' "$dom" || fail "the hostile customer id is not on the save list as text"
if grep -o '<title>[^<]*' "$dom" | grep -q pwned; then fail "customer text changed the page title"; fi
if grep -Eo '<[a-zA-Z][^<>]* on[a-z]+=' "$dom" | head -1 | grep -q .; then
  fail "an element has an event attribute: $(grep -Eo '<[a-zA-Z][^<>]* on[a-z]+=' "$dom" | head -1)"
fi
if grep -Eiq '<[a-zA-Z][^<>]*(href|src|action|xlink:href)="?[[:space:]]*javascript:' "$dom"; then fail "a javascript: URL in an attribute"; fi
for tag in '<img' '<iframe' '<a ' '<object' '<embed' '<form'; do
  [ "$(count "$tag")" -eq 0 ] || fail "customer text made an element: $tag"
done
[ "$(count '<style')" -eq 1 ] || fail "expected only the report's own style sheet, found $(count '<style')"
grep -q "Emerging" "$dom" || fail "the W45 delivery surge is not flagged as emerging"
grep -q "KETTLE-2L" "$dom" || fail "the SKU table does not show KETTLE-2L"

# The same store in Markdown and CSV: no live markup or link from the data, no cell a
# spreadsheet would run as a formula.
"$bin" --db "$work/s.db" -q report --period 2026-W45 --segment sku --format md,csv --out "$work/text" >>"$out/feedloop.log" 2>&1 ||
  fail "report md,csv failed: $(cat "$out/feedloop.log")"
for bad in '<script' '<img' '<svg' '![x](' '<a href'; do
  if grep -qF "$bad" "$work/text/report.md"; then fail "report.md holds live '$bad' from customer text"; fi
done
# A link needs "](" with its "]" not escaped.
if grep -qP '(?<!\\)\]\(' "$work/text/report.md"; then fail "report.md holds a live Markdown link"; fi
grep -qF 'c-\<img src=x onerror=alert(0)\>' "$work/text/report.md" || grep -qF 'c-&lt;img' "$work/text/report.md" ||
  fail "report.md does not show the hostile customer id as text"
python3 - "$work/text" <<'PY' || fail "a CSV cell starts like a formula"
import csv, glob, sys
bad = []
for path in glob.glob(sys.argv[1] + "/*.csv"):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            for cell in row:
                # Figures we format ("-6.2") are numbers; text never starts with = + - @ tab CR.
                if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell.lstrip("-").replace(".", "").isdigit()):
                    bad.append((path, cell[:60]))
if bad:
    print(bad[:5])
    sys.exit(1)
PY
# ... and the quotes that start with one are there, behind a quote mark.
grep -qE "(^|,)\"?'[=+@-](HYPERLINK|cmd|SUM|2)" "$work/text/save_list.csv" ||
  fail "the formula payloads are not in the save list, neutralized"

# 2. The screenshot: the first screen must be the headline, top causes and emerging issues.
run_chromium --screenshot="$out/report.png" --window-size=1280,2000 "file://$page" \
  >>"$out/chromium.log" 2>&1 || fail "chromium --screenshot failed"
[ -s "$out/report.png" ] || fail "no screenshot"
size=$(stat -c %s "$out/report.png")
[ "$size" -gt 50000 ] || fail "the screenshot is suspiciously small ($size bytes)"

echo "OK: report renders in $($chromium --version 2>/dev/null | head -1); screenshot $out/report.png"
