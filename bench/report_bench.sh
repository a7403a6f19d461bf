#!/usr/bin/env bash
# Times `feedloop report` on a store of N analyzed items (default 1,000,000; target < 5 s).
#
#   bench/report_bench.sh [--items N] [--source sql|bulk] [--build DIR] [--keep]
#
#   --source sql   (default) fill the store with synthetic rows in one SQL transaction: items of
#                  every kind over 12 ISO weeks, their analysis (sentiment, root cause,
#                  evidence), tags in `labels` and transcript turns. Sets up in seconds, so the
#                  figure is the report alone.
#   --source bulk  the realistic path: feedloop-samples bulk, feedloop ingest, feedloop analyze
#                  with the built-in plugins (minutes for 1M items on 2 cores).
#
# Prints the store's size and the wall time, CPU time and peak memory of the report.
set -euo pipefail
cd "$(dirname "$0")/.."

items=1000000
source=sql
build=build
keep=0
while (($#)); do
  case "$1" in
    --items) items=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--items N] [--source sql|bulk] [--build DIR] [--keep]" >&2; exit 2 ;;
  esac
done
bin="$build/bin/feedloop"
[ -x "$bin" ] || { echo "no $bin: build first (cmake --build $build)" >&2; exit 2; }

work=$(mktemp -d)
[ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
db="$work/bench.db"
start=$(date +%s)

if [ "$source" = bulk ]; then
  samples="$build/bin/feedloop-samples"
  [ -x "$samples" ] || samples=$(find "$build" -name feedloop-samples -type f -perm -u+x | head -1)
  "$samples" bulk --items "$items" --out "$work/bulk.jsonl"
  "$bin" --db "$db" -q ingest "$work/bulk.jsonl"
  "$bin" --db "$db" -q analyze
else
  command -v sqlite3 >/dev/null || { echo "the sql source needs the sqlite3 command" >&2; exit 2; }
  # The schema comes from feedloop itself: ingest one item, then add the bulk with SQL.
  echo '{"id":"seed","kind":"review","text":"seed","created_at":"2026-08-31T00:00:00Z"}' >"$work/seed.jsonl"
  "$bin" --db "$db" -q ingest "$work/seed.jsonl" >/dev/null
  sqlite3 "$db" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
-- 12 ISO weeks from Monday 2026-08-31 (2026-W36 to 2026-W47), the samples' window.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $items)
INSERT INTO items(source, ext_id, kind, created_at, score, text, customer_id, sku, channel, region, attrs)
SELECT 'bulk-' || (i % 6), 'b' || i, k,
  1788134400 + (i * 7919) % (12 * 7 * 86400),
  CASE k WHEN 'nps' THEN abs(random()) % 11 WHEN 'csat' THEN 1 + abs(random()) % 5
         WHEN 'ces' THEN 1 + abs(random()) % 7 WHEN 'review' THEN 1 + abs(random()) % 5
         ELSE CASE WHEN i % 3 = 0 THEN 1 + abs(random()) % 5 END END,
  CASE i % 4 WHEN 0 THEN 'The parcel arrived a week late and the box was crushed, order o-' || i
             WHEN 1 THEN 'Great coffee, fast delivery, will order again'
             WHEN 2 THEN 'Charged twice for my subscription this month, call me on 555-123-' || (1000 + i % 9000)
             ELSE 'Still waiting for a reply from support after three days' END,
  'c-' || (i * 31 % 60000), 'SKU-' || (i % 40),
  CASE i % 5 WHEN 0 THEN 'web' WHEN 1 THEN 'email' WHEN 2 THEN 'app' WHEN 3 THEN 'chat' ELSE 'phone' END,
  CASE i % 7 WHEN 0 THEN 'UK' WHEN 1 THEN 'DE' WHEN 2 THEN 'FR' WHEN 3 THEN 'US' WHEN 4 THEN 'NL' WHEN 5 THEN 'ES' ELSE 'IT' END,
  CASE i % 3 WHEN 0 THEN '{"plan":"monthly"}' WHEN 1 THEN '{"plan":"annual"}' ELSE '{}' END
FROM (SELECT i, CASE i % 10 WHEN 0 THEN 'transcript' WHEN 1 THEN 'nps' WHEN 2 THEN 'nps' WHEN 3 THEN 'csat'
                             WHEN 4 THEN 'ces' ELSE 'review' END AS k FROM n);
INSERT INTO analysis(item_id, sentiment, root_cause, root_confidence, first_turn_sentiment, last_turn_sentiment,
                     tags, evidence)
SELECT id, (abs(random()) % 20001 - 10000) / 10000.0, c, CASE WHEN c IS NULL THEN NULL ELSE 0.5 + (id % 50) / 100.0 END,
  CASE WHEN kind = 'transcript' THEN -0.4 END, CASE WHEN kind = 'transcript' THEN (id % 9 - 4) / 10.0 END,
  '[' || CASE WHEN c IS NULL THEN '' ELSE '{"label":"' || c || '/' || CASE id % 3 WHEN 0 THEN 'late' WHEN 1 THEN 'damaged'
       ELSE 'other' END || '","confidence":0.8,"spans":[[4,10]]}' END
      || CASE WHEN id % 5 = 0 THEN CASE WHEN c IS NULL THEN '' ELSE ',' END
         || '{"label":"delivery/tracking","confidence":0.7,"spans":[[30,37]]}' ELSE '' END || ']',
  CASE WHEN c IS NULL THEN '[]' ELSE '[[4,10],[30,37]]' END
FROM (SELECT id, kind, CASE id % 14 WHEN 0 THEN 'delivery' WHEN 1 THEN 'packaging' WHEN 2 THEN 'wrong_item'
        WHEN 3 THEN 'stock' WHEN 4 THEN 'returns' WHEN 5 THEN 'subscription' WHEN 6 THEN 'support'
        WHEN 7 THEN 'billing' WHEN 8 THEN 'quality' WHEN 9 THEN 'price' WHEN 10 THEN 'delivery' END AS c FROM items);
INSERT INTO labels(item_id, plugin, annotation, label, confidence)
SELECT item_id, 'taxonomy', 'tags', value ->> '$.label', 0.8 FROM analysis, json_each(analysis.tags);
INSERT INTO turns(item_id, seq, role, at, text)
SELECT id, 0, 'customer', created_at, 'Where is my order?' FROM items WHERE kind = 'transcript';
INSERT INTO turns(item_id, seq, role, at, text)
SELECT id, 1, 'agent', created_at + 60 * (5 + id % 3000), 'Sorry, looking into it' FROM items WHERE kind = 'transcript' AND id % 8 <> 0;
INSERT INTO turns(item_id, seq, role, at, text)
SELECT id, 2, 'customer', created_at + 200000, 'Still waiting' FROM items WHERE kind = 'transcript' AND id % 4 = 0;
INSERT INTO runs(command, started_at, finished_at, status, config_hash, analyzed, details)
VALUES ('analyze', '2026-11-23T06:00:00Z', '2026-11-23T06:05:00Z', 'ok', 'bench', $items,
        '{"plugins":[{"name":"synthetic","version":"1"}],"skipped":[]}');
COMMIT;
SQL
fi
setup=$(($(date +%s) - start))
count=$(sqlite3 "$db" "SELECT count(*) FROM items")
analyzed=$(sqlite3 "$db" "SELECT count(*) FROM analysis")
size=$(du -h "$db" | cut -f1)
echo "store: $count items ($analyzed analyzed), $size, set up in ${setup} s ($source)"

# Warm the page cache once, as a weekly job on a used machine would find it.
cat "$db" >/dev/null
/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
  "$bin" --db "$db" report --period 2026-W47 --out "$work/report" >"$work/report.log" 2>&1 || {
  cat "$work/report.log" >&2
  exit 1
}
read -r wall user sys rss <"$work/time.txt"
echo "feedloop report --period 2026-W47 (all formats): ${wall} s wall, ${user} s user, ${sys} s sys, peak RSS $((rss / 1024)) MiB"
/usr/bin/time -f "%e" -o "$work/time2.txt" "$bin" --db "$db" -q report --out "$work/last" >/dev/null 2>&1
echo "feedloop report (period last): $(cat "$work/time2.txt") s wall"
ls -la "$work/report" | tail -n +2
[ "$keep" = 1 ] && echo "kept $work"
awk -v w="$wall" 'BEGIN { exit !(w < 5) }' && echo "PASS: under 5 s" || { echo "SLOW: over 5 s"; exit 1; }
