#!/usr/bin/env bash
# Accuracy of feedloop's `sentiment` plugin against VADER on human-rated text nobody on the
# project wrote: the ground truth of Hutto & Gilbert (ICWSM 2014), product-review sentences
# (amazonReviewSnippets, 3,708) and tweets (4,200), each rated -4..+4 by 20 people.
#
# Usage:  bench/accuracy/sentiment.sh            (after building feedloop and the plugin)
#   FEEDLOOP_BUILD_DIR  build folder holding bin/feedloop and its plugins (default: build)
#   FEEDLOOP_BIN        the feedloop command (default: $FEEDLOOP_BUILD_DIR/bin/feedloop)
#   FEEDLOOP_DATASETS   folder holding vader_ground_truth/ (default: ../shared/datasets)
#   SENTIMENT_CONFIG    a config for the plugin, e.g. '{"lexicon": "mine.tsv"}' (optional)
#   KEEP_WORK=1         keep the JSONL and the scores in the printed work folder
#
# Method (datasets/README.md, the VADER paper's Table 4): Pearson r between our score and the
# raters' mean; a text is positive when its value is >= 0.05, negative when <= -0.05, else
# neutral, applied to the gold mean and to the predicted score; precision, recall and F1 are
# counted over the positive and negative classes only (micro-averaged): TP = predicted class ==
# gold class among pos/neg predictions, P = TP / #predicted pos or neg, R = TP / #gold pos or neg.
# Each file is also split in two halves by line: odd lines are the development half (the rules
# and the lexicon were tuned looking only at it), even lines the held-out half.
#
# VADER is the npm port `vader-sentiment` 1.1.3 (compound score), installed into
# bench/accuracy/node_modules from package-lock.json when missing. When `feedloop eval` exists,
# our figures on each whole file are also taken from it and checked against the Python ones.
#
# Exits 0 after printing the table, or with a "skipped" message when the datasets are absent.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${FEEDLOOP_DATASETS:-$ROOT/../shared/datasets}/vader_ground_truth
BUILD=${FEEDLOOP_BUILD_DIR:-$ROOT/build}
[[ $BUILD = /* ]] || BUILD=$ROOT/$BUILD
FEEDLOOP=${FEEDLOOP_BIN:-$BUILD/bin/feedloop}
FILES=(amazonReviewSnippets_GroundTruth tweets_GroundTruth)

if [[ ! -d $DATA ]]; then
  echo "sentiment accuracy: skipped: dataset folder $DATA is absent (set FEEDLOOP_DATASETS)"
  exit 0
fi
for f in "${FILES[@]}"; do
  if [[ ! -f $DATA/$f.txt ]]; then
    echo "sentiment accuracy: skipped: $DATA/$f.txt is absent"
    exit 0
  fi
done
if [[ ! -x $FEEDLOOP ]]; then
  echo "sentiment accuracy: $FEEDLOOP not found; build first (ninja -C build feedloop sentiment)" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "sentiment accuracy: python3 is needed" >&2; exit 2; }

WORK=$(mktemp -d)
if [[ ${KEEP_WORK:-0} = 1 ]]; then echo "work folder: $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# 1. TSV (id, mean, text; CRLF) -> JSONL with the json module, so every text is escaped right.
for f in "${FILES[@]}"; do
  python3 -c '
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8", newline="") as inp, open(dst, "w", encoding="utf-8") as out:
    for n, line in enumerate(inp, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        rid, gold, text = line.split("\t", 2)
        half = "dev" if n % 2 == 1 else "heldout"
        out.write(json.dumps({"id": rid, "text": text, "gold": float(gold), "half": half},
                             ensure_ascii=False) + "\n")
' "$DATA/$f.txt" "$WORK/$f.jsonl"
done

# 2. Our scores.
plugin_args=(--plugins sentiment --strict)
config_args=()
if [[ -n ${SENTIMENT_CONFIG:-} ]]; then
  printf '{"plugins": [{"name": "sentiment", "config": %s}]}\n' "$SENTIMENT_CONFIG" >"$WORK/feedloop.json"
  config_args=(--config "$WORK/feedloop.json")
fi
for f in "${FILES[@]}"; do
  "$FEEDLOOP" -q stream "${plugin_args[@]}" "${config_args[@]}" --threads 2 \
    <"$WORK/$f.jsonl" >"$WORK/$f.ours.jsonl"
done

# 3. VADER's scores (compound), with the npm port pinned in package-lock.json.
have_vader=1
if [[ ! -d $HERE/node_modules/vader-sentiment ]]; then
  if command -v npm >/dev/null; then
    (cd "$HERE" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
      npm install --prefix "$HERE" --silent --no-audit --no-fund vader-sentiment@1.1.3 >/dev/null 2>&1 ||
      have_vader=0
  else
    have_vader=0
  fi
fi
if [[ $have_vader = 1 ]] && command -v node >/dev/null; then
  for f in "${FILES[@]}"; do
    node -e '
const vader = require(process.argv[1]);
const lines = require("fs").readFileSync(process.argv[2], "utf8").split("\n");
const out = [];
for (const line of lines) {
  if (!line) continue;
  const r = JSON.parse(line);
  const s = vader.SentimentIntensityAnalyzer.polarity_scores(r.text).compound;
  out.push(JSON.stringify({id: r.id, sentiment: {score: s}}));
}
require("fs").writeFileSync(process.argv[3], out.join("\n") + "\n");
' "$HERE/node_modules/vader-sentiment" "$WORK/$f.jsonl" "$WORK/$f.vader.jsonl"
  done
else
  echo "(VADER not available: npm or node missing; showing our figures only)"
fi

# 4. `feedloop eval`, when this build has it: our figures on each whole file, to cross-check.
if "$FEEDLOOP" eval --help >/dev/null 2>&1; then
  for f in "${FILES[@]}"; do
    "$FEEDLOOP" -q eval --input "$WORK/$f.jsonl" --format jsonl --text text --label gold \
      --annotation sentiment "${plugin_args[@]}" "${config_args[@]}" --json \
      >"$WORK/$f.eval.json" 2>"$WORK/$f.eval.err" || rm -f "$WORK/$f.eval.json"
  done
fi

# 5. The figures.
python3 - "$WORK" "${FILES[@]}" <<'PY'
import json, math, os, sys

work, files = sys.argv[1], sys.argv[2:]

def label(v):
    return 1 if v >= 0.05 else (-1 if v <= -0.05 else 0)

def figures(pairs):
    n = len(pairs)
    g = [p[0] for p in pairs]
    s = [p[1] for p in pairs]
    mg, ms = sum(g) / n, sum(s) / n
    cov = sum((a - mg) * (b - ms) for a, b in pairs)
    vg = sum((a - mg) ** 2 for a in g)
    vs = sum((b - ms) ** 2 for b in s)
    r = cov / math.sqrt(vg * vs) if vg > 0 and vs > 0 else 0.0
    tp = sum(1 for a, b in pairs if label(b) != 0 and label(b) == label(a))
    pred = sum(1 for _, b in pairs if label(b) != 0)
    gold = sum(1 for a, _ in pairs if label(a) != 0)
    p = tp / pred if pred else 0.0
    rec = tp / gold if gold else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return n, r, p, rec, f1

def scores(path):
    out = {}
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if "id" in o and o.get("sentiment") is not None:
                out[o["id"]] = o["sentiment"]["score"]
    return out

print("sentiment accuracy: Pearson r vs the raters' mean; P/R/F1 over positive and negative "
      "(threshold 0.05)")
head = f"{'file':<22}{'half':<9}{'n':>6}   {'ours r':>7}{'P':>7}{'R':>7}{'F1':>7}   {'VADER r':>7}{'P':>7}{'R':>7}{'F1':>7}"
print(head)
print("-" * len(head))
for name in files:
    rows = [json.loads(l) for l in open(os.path.join(work, name + ".jsonl"), encoding="utf-8")]
    ours = scores(os.path.join(work, name + ".ours.jsonl"))
    vader = scores(os.path.join(work, name + ".vader.jsonl"))
    missing = [r["id"] for r in rows if r["id"] not in ours]
    if missing:
        print(f"  {name}: {len(missing)} texts have no score from the plugin (first: {missing[0]})")
    short = name.replace("_GroundTruth", "")
    for half in ("dev", "heldout", "all"):
        sel = [r for r in rows if half == "all" or r["half"] == half]
        o = figures([(r["gold"], ours.get(r["id"], 0.0)) for r in sel])
        line = f"{short:<22}{half:<9}{o[0]:>6}   {o[1]:>7.3f}{o[2]:>7.3f}{o[3]:>7.3f}{o[4]:>7.3f}"
        if vader is not None:
            v = figures([(r["gold"], vader.get(r["id"], 0.0)) for r in sel])
            line += f"   {v[1]:>7.3f}{v[2]:>7.3f}{v[3]:>7.3f}{v[4]:>7.3f}"
        print(line)
    ev = os.path.join(work, name + ".eval.json")
    if os.path.exists(ev):
        e = json.load(open(ev))
        o = figures([(r["gold"], ours.get(r["id"], 0.0)) for r in rows])
        ok = (abs(e["pearson_r"] - o[1]) < 0.002 and abs(e["f1"] - o[4]) < 0.002 and
              abs(e["precision"] - o[2]) < 0.002 and abs(e["recall"] - o[3]) < 0.002)
        print(f"  feedloop eval on the whole file: r {e['pearson_r']:.3f}, P {e['precision']:.3f}, "
              f"R {e['recall']:.3f}, F1 {e['f1']:.3f}, {e['examples']} texts "
              f"({'agrees' if ok else 'DISAGREES'} with the figures above)")
PY
