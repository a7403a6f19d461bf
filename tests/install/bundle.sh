#!/usr/bin/env bash
# Proves the relocatable bundle of docs/scale.md works where feedloop was never built: make it
# with scripts/bundle from this build tree, unpack it in a fresh folder, and run a shard's work
# (stream --partial, then merge) through its launcher with a minimal environment.
#
#   bundle.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD_DIR=$1
SOURCE_DIR=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

FEEDLOOP_BUILD_DIR=$BUILD_DIR FEEDLOOP_BUNDLE_NO_BUILD=1 "$SOURCE_DIR/scripts/bundle" \
  "$WORK/feedloop-bundle.tar.gz" >/dev/null
mkdir "$WORK/node"
tar -C "$WORK/node" -xzf "$WORK/feedloop-bundle.tar.gz"
RUN=(env -i PATH=/usr/bin:/bin HOME="$WORK" "$WORK/node/feedloop/bin/feedloop-bundle")

# The built-in plugins are found inside the bundle, not in the build tree.
plugins=$("${RUN[@]}" plugins list)
for builtin in learned root-cause sentiment taxonomy; do
  if ! grep -q "^$builtin .*$WORK/node/feedloop/" <<<"$plugins"; then
    echo "the bundle does not bring the $builtin plugin:" >&2
    echo "$plugins" >&2
    exit 1
  fi
done
# A shard's work and the merge, as the cluster recipes run them.
cd "$WORK"
head -n 200 "$SOURCE_DIR/samples/data/app_reviews.jsonl" >shard.jsonl
"${RUN[@]}" stream --threads 1 --partial - <shard.jsonl >shard.state
"${RUN[@]}" -q merge shard.state --format json --out report >/dev/null
grep -q '"headline"' report/report.json || {
  echo "the merged report has no headline" >&2
  exit 1
}
echo "bundle: unpacked elsewhere, it lists its plugins, streams a shard and merges it"
