#!/usr/bin/env bash
# bench/accuracy/taxonomy.sh: per-category figures of the root cause chosen by the built-in
# plugins (sentiment, taxonomy, root-cause) on the Bitext customer-support sample.
#
# Usage: bench/accuracy/taxonomy.sh [BUILD_DIR]        (default BUILD_DIR: build)
#   FEEDLOOP_BIN=path/to/feedloop   the command to use (default: BUILD_DIR/bin/feedloop)
#   FEEDLOOP_DATASETS=path          folder holding bitext_support/ (default: ../shared/datasets
#                                   beside the repository, as for sentiment.sh)
#   BITEXT_CSV=path/to/file.csv     the dataset (default: $FEEDLOOP_DATASETS/bitext_support/
#                                   bitext_support_sample.csv); the script skips cleanly (exit 0)
#                                   when it is absent.
#
# The dataset: Bitext's customer-support sample, columns include `instruction` (the customer's
# text) and `category` (ORDER, DELIVERY, REFUND, SHIPPING_ADDRESS, PAYMENT, INVOICE,
# CANCELLATION_FEE, ACCOUNT, CONTACT, FEEDBACK, NEWSLETTER). It is machine-generated from
# templates, and its texts are requests ("how do I get a refund?") rather than complaints, so use
# the figures to check the wiring and to compare taxonomy versions, not as a claim of accuracy.
#
# Mapping of its categories onto our root causes (bench/accuracy/taxonomy_bitext_map.json):
#   DELIVERY -> delivery          SHIPPING_ADDRESS -> delivery (addresses are fulfilment's)
#   REFUND -> returns             PAYMENT, INVOICE, CANCELLATION_FEE -> billing
#   CONTACT -> support            ORDER, FEEDBACK, ACCOUNT, NEWSLETTER -> none (no counterpart)
# ORDER has no counterpart because three of its four intents (place, change, cancel an order) are
# not operational leaks; its fourth, track_order, is delivery/tracking for us, so a delivery
# prediction there counts against delivery's precision. The per-intent table shows it.
#
# Prints: the figures per root cause (precision, recall, F1 against the mapped labels), then per
# Bitext category and intent what the plugins answered. Uses `feedloop eval` when the build has
# it, and always `feedloop stream` + python3 (json and csv modules only) for the per-intent view.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
bin="${FEEDLOOP_BIN:-$build/bin/feedloop}"
datasets="${FEEDLOOP_DATASETS:-$root/../shared/datasets}"
csv="${BITEXT_CSV:-$datasets/bitext_support/bitext_support_sample.csv}"
map="$here/taxonomy_bitext_map.json"
plugins="sentiment,taxonomy,root-cause"

if [[ ! -f "$csv" ]]; then
  echo "taxonomy accuracy: dataset $csv not found (set FEEDLOOP_DATASETS or BITEXT_CSV); skipped."
  exit 0
fi
if [[ ! -x "$bin" ]]; then
  echo "taxonomy accuracy: $bin not found; build feedloop first (or set FEEDLOOP_BIN)." >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  echo "taxonomy accuracy: python3 not found; skipped."
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if "$bin" eval --help >/dev/null 2>&1; then
  echo "== feedloop eval (root cause against the mapped Bitext category)"
  "$bin" eval --input "$csv" --text instruction --label category --annotation root_cause \
    --map "$map" --plugins "$plugins" --strict
  echo
fi

# The same items through `feedloop stream`, for the per-category and per-intent view.
python3 - "$csv" >"$work/items.jsonl" <<'EOF'
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for i, row in enumerate(csv.DictReader(f)):
        print(json.dumps({"id": str(i), "kind": "review", "text": row["instruction"]}))
EOF
"$bin" stream --plugins "$plugins" --strict <"$work/items.jsonl" >"$work/out.jsonl"

python3 - "$csv" "$work/out.jsonl" "$map" <<'EOF'
import collections, csv, json, sys

rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
out = {}
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    out[r["id"]] = (r["root_cause"] or {}).get("label", "none")
mapping = {k: (v or "none") for k, v in json.load(open(sys.argv[3])).items()}
gold = [mapping.get(r["category"], "none") for r in rows]
pred = [out[str(i)] for i in range(len(rows))]

print("== per root cause (gold: the mapped Bitext category; 'none' = no root cause)")
print(f"{'root cause':<14}{'precision':>10}{'recall':>9}{'F1':>8}{'gold n':>9}{'predicted':>11}")
labels = sorted(set(gold) | set(pred))
for label in labels:
    tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
    n_gold = gold.count(label)
    n_pred = pred.count(label)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{label:<14}{p:>10.3f}{r:>9.3f}{f1:>8.3f}{n_gold:>9}{n_pred:>11}")
acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(rows)
print(f"accuracy {acc:.3f} over {len(rows)} texts")

print()
print("== per Bitext category: mapped cause, share answered with it, and what else was answered")
by_cat = collections.defaultdict(list)
for r, p in zip(rows, pred):
    by_cat[r["category"]].append(p)
for cat in sorted(by_cat):
    preds = by_cat[cat]
    want = mapping.get(cat, "none")
    hit = preds.count(want) / len(preds)
    dist = ", ".join(f"{k} {v}" for k, v in collections.Counter(preds).most_common(4))
    print(f"{cat:<17} -> {want:<9} {hit:6.1%} of {len(preds):>4}   ({dist})")

print()
print("== per intent")
by_intent = collections.defaultdict(list)
for r, p in zip(rows, pred):
    by_intent[(r["category"], r["intent"])].append(p)
for (cat, intent), preds in sorted(by_intent.items()):
    dist = ", ".join(f"{k} {v}" for k, v in collections.Counter(preds).most_common(3))
    print(f"{cat:<17} {intent:<26} n={len(preds):<4} {dist}")
EOF
