#!/usr/bin/env bash
# Proves the installed package works for an out-of-tree plugin author, the way fmt's
# find-package test does: install feedloop into a scratch prefix, build the sample plugin in
# samples/plugins/safety against it with find_package(feedloop), then check and test it with the
# installed command.
#
#   out_of_tree_plugin.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD_DIR=$1
SOURCE_DIR=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
cmake -S "$SOURCE_DIR/samples/plugins/safety" -B "$WORK/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$WORK/prefix" >/dev/null
cmake --build "$WORK/build" >/dev/null

PLUGIN="$WORK/build/feedloop-safety.so"
FEEDLOOP="$WORK/prefix/bin/feedloop"
# Every built-in plugin is installed where the installed command finds it.
for builtin in learned root-cause sentiment taxonomy; do
  if ! "$FEEDLOOP" plugins info "$builtin" >/dev/null; then
    echo "the built-in plugin $builtin is not installed" >&2
    exit 1
  fi
done
exported=$(nm -D --defined-only "$PLUGIN" | awk '{print $3}' | sort | tr '\n' ' ')
if [ "$exported" != "feedloop_plugin_abi feedloop_plugin_get_descriptor " ]; then
  echo "the plugin exports more than its two ABI symbols: $exported" >&2
  exit 1
fi
"$FEEDLOOP" plugins check "$PLUGIN"
"$FEEDLOOP" plugins test "$PLUGIN" --cases "$SOURCE_DIR/samples/plugins/safety/tests/golden.jsonl"
# Dropped into a plugin folder, it is found by name like any built-in one.
mkdir -p "$WORK/plugins"
cp "$PLUGIN" "$WORK/plugins/"
echo '{"text": "The charger caught fire on my desk"}' |
  "$FEEDLOOP" stream --plugin-path "$WORK/plugins" --plugins safety | grep -q '"safety/electrical"'
echo "out-of-tree plugin: built, checked, tested and streamed against the installed feedloop"
