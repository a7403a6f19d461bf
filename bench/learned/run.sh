#!/usr/bin/env bash
# bench/learned/run.sh: the `learned` classifier (feedloop train + prediction) against fastText.
#
# Usage:   bench/learned/run.sh [BUILD_DIR]        (default BUILD_DIR: build)
#          BENCH_REPEATS=5 bench/learned/run.sh build
#
# Needs:   BUILD_DIR/bin/feedloop, the Debian `fasttext` package (0.9.2), python3 (standard library
#          only: it converts CSV to fastText's format and scores both tools' predictions with the
#          same code).
# Data:    ../shared/datasets/banking77/{train,test}.csv relative to the repository root (columns
#          text,category; the official split) and, when present,
#          ../shared/datasets/bitext_support/bitext_support_sample.csv (instruction -> category,
#          and instruction -> intent, on a seeded random 80/20 split). Without BANKING77 it prints
#          "skipped: dataset not found" and exits 0.
#
# What it runs, per dataset:
#   fastText: supervised -epoch 25 -lr 0.2 -wordNgrams 2 -dim 50 -bucket 200000 -minCount 1
#             -thread 1 -seed 1 on text lower-cased with punctuation split off (the preprocessing
#             of fastText's own tutorial; raw text scores ~3 points lower), then `fasttext test`
#             and `fasttext predict` over the test texts.
#   feedloop: `feedloop train` with its DEFAULT options (only --threads 1, for a one-core
#             comparison; the model does not depend on it), then `feedloop train --predict` over
#             the test CSV.
# Timings are wall-clock seconds of the whole process, so model loading (and process start) is
# included for both tools. Each run is repeated BENCH_REPEATS times (default 3) and the fastest
# is kept: on a shared machine the minimum is the run least disturbed by others.
# Prints one table per dataset: accuracy, macro-F1, training seconds, predictions/s, model size.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
FEEDLOOP="$BUILD/bin/feedloop"
REPEATS=${BENCH_REPEATS:-3}
DATASETS="$ROOT/../shared/datasets"

if [[ ! -f "$DATASETS/banking77/train.csv" || ! -f "$DATASETS/banking77/test.csv" ]]; then
  echo "skipped: dataset not found ($DATASETS/banking77/{train,test}.csv)"
  exit 0
fi
for tool in fasttext python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipped: $tool not found (apt-get install fasttext python3)"
    exit 0
  fi
done
if [[ ! -x "$FEEDLOOP" ]]; then
  echo "error: $FEEDLOOP not found; build it first (cmake --build $BUILD)" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Runs "$@" REPEATS times; prints the fastest wall time in seconds. The last run's stdout is in
# $WORK/last.out, its stderr in $WORK/last.err.
best_time() {
  local best="" start end t
  for _ in $(seq "$REPEATS"); do
    start=$(date +%s.%N)
    "$@" >"$WORK/last.out" 2>"$WORK/last.err"
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf '%.3f' "$best"
}

# prepare.py: CSV -> fastText training file, plain test texts, gold labels; optional 80/20 split.
cat >"$WORK/prepare.py" <<'PY'
import csv, random, re, sys
src_train, src_test, text_col, label_col, out = sys.argv[1:6]
def rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return [(r[text_col], r[label_col]) for r in csv.DictReader(f)]
if src_test == '-':  # seeded random 80/20 split of one file
    data = rows(src_train)
    random.Random(1).shuffle(data)
    cut = int(len(data) * 0.8)
    train, test = data[:cut], data[cut:]
else:
    train, test = rows(src_train), rows(src_test)
def ft(text):  # fastText tutorial preprocessing: split punctuation off, lower-case
    return ' '.join(re.sub(r"([.!?,'/()])", r' \1 ', text).lower().split())
for name, part in (('train', train), ('test', test)):
    with open(f'{out}/{name}.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)
        w.writerow(['text', 'label'])
        w.writerows(part)
    with open(f'{out}/{name}.ft', 'w', encoding='utf-8') as f:
        for text, label in part:
            f.write('__label__%s %s\n' % (label.replace(' ', '_'), ft(text)))
with open(f'{out}/test.txt', 'w', encoding='utf-8') as f:
    f.writelines(ft(t) + '\n' for t, _ in test)
with open(f'{out}/test.gold', 'w', encoding='utf-8') as f:
    f.writelines(l.replace(' ', '_') + '\n' for _, l in test)
print(len(train), len(test), len({l for _, l in train}))
PY

# score.py GOLD PRED: accuracy and macro-F1 (mean F1 over labels seen as gold or predicted).
cat >"$WORK/score.py" <<'PY'
import collections, sys
gold = [l.strip() for l in open(sys.argv[1], encoding='utf-8')]
pred = []
for line in open(sys.argv[2], encoding='utf-8'):
    first = line.split('\t')[0].split(' ')[0].strip()
    pred.append(first[len('__label__'):] if first.startswith('__label__') else first)
assert len(gold) == len(pred), (len(gold), len(pred))
tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
for g, p in zip(gold, pred):
    if g == p: tp[g] += 1
    else: fn[g] += 1; fp[p] += 1
labels = set(gold) | set(pred)
f1 = [2 * tp[l] / (2 * tp[l] + fp[l] + fn[l]) for l in labels]
print('%.4f %.4f' % (sum(tp.values()) / len(gold), sum(f1) / len(f1)))
PY

# bench NAME TRAIN_CSV TEST_CSV|- TEXT_COLUMN LABEL_COLUMN
bench() {
  local name=$1 dir="$WORK/$1"
  mkdir -p "$dir"
  read -r n_train n_test n_labels < <(python3 "$WORK/prepare.py" "$2" "$3" "$4" "$5" "$dir")

  local ft_train ft_pred ft_scores ft_p1 ft_size
  ft_train=$(best_time fasttext supervised -input "$dir/train.ft" -output "$dir/ft" -epoch 25 \
    -lr 0.2 -wordNgrams 2 -dim 50 -bucket 200000 -minCount 1 -thread 1 -seed 1)
  ft_p1=$(fasttext test "$dir/ft.bin" "$dir/test.ft" | awk '/^P@1/ {print $2}')
  ft_pred=$(best_time fasttext predict "$dir/ft.bin" "$dir/test.txt")
  cp "$WORK/last.out" "$dir/ft.pred"
  ft_scores=$(python3 "$WORK/score.py" "$dir/test.gold" "$dir/ft.pred")
  ft_size=$(stat -c %s "$dir/ft.bin")

  local fl_train fl_pred fl_scores fl_size fl_self
  fl_train=$(best_time "$FEEDLOOP" train --input "$dir/train.csv" --text text --label label \
    --out "$dir/model.flm" --threads 1)
  fl_pred=$(best_time "$FEEDLOOP" train --predict "$dir/model.flm" --input "$dir/test.csv" \
    --text text --label label --predictions "$dir/fl.pred")
  fl_self=$(grep -E '^[0-9]+ predictions' "$WORK/last.out" || true)
  fl_scores=$(python3 "$WORK/score.py" "$dir/test.gold" "$dir/fl.pred")
  fl_size=$(stat -c %s "$dir/model.flm")

  local ft_acc ft_f1 fl_acc fl_f1
  read -r ft_acc ft_f1 <<<"$ft_scores"
  read -r fl_acc fl_f1 <<<"$fl_scores"
  echo
  echo "== $name: train $n_train, test $n_test, $n_labels labels"
  printf '%-34s %14s %18s\n' "" "fastText 0.9.2" "feedloop learned"
  printf '%-34s %14s %18s\n' "accuracy" "$ft_acc" "$fl_acc"
  printf '%-34s %14s %18s\n' "macro-F1" "$ft_f1" "$fl_f1"
  printf '%-34s %14s %18s\n' "training seconds (1 thread)" "$ft_train" "$fl_train"
  printf '%-34s %14.0f %18.0f\n' "predictions/s (load included)" \
    "$(echo "$n_test / $ft_pred" | bc -l)" "$(echo "$n_test / $fl_pred" | bc -l)"
  printf '%-34s %14s %18s\n' "prediction run seconds" "$ft_pred" "$fl_pred"
  printf '%-34s %14.1f %18.1f\n' "model size (MB)" \
    "$(echo "$ft_size / 1048576" | bc -l)" "$(echo "$fl_size / 1048576" | bc -l)"
  echo "  fasttext test: P@1 $ft_p1"
  echo "  feedloop in-process: ${fl_self:-n/a}"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "best of $REPEATS runs for every timing"
bench banking77 "$DATASETS/banking77/train.csv" "$DATASETS/banking77/test.csv" text category
BITEXT="$DATASETS/bitext_support/bitext_support_sample.csv"
if [[ -f "$BITEXT" ]]; then
  bench bitext_support "$BITEXT" - instruction category
  bench bitext_support_intent "$BITEXT" - instruction intent
else
  echo "bitext_support: skipped: dataset not found"
fi
