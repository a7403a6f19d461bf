#!/usr/bin/env bash
# Every SQL statement is a literal with bound parameters: no SQL is built by pasting values into
# strings. Fails on any Exec/Prepare/sqlite3_* call whose SQL is concatenated or formatted, except
# lines marked `sql-from-constant` (reviewed: the pasted value is a compile-time constant).
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
pattern='(Exec|Prepare|MustPrepare|sqlite3_exec|sqlite3_prepare(_v2|_v3)?)\s*\(([^;]*("\s*\+|\+\s*"|std::to_string|fmt::format|snprintf|\.str\(\)))'
hits=$(grep -rnE "$pattern" engine/src plugins sdk --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.c' |
  grep -v 'sql-from-constant' || true)
# Raw SQLite calls live in one file only.
raw=$(grep -rnlE 'sqlite3_(exec|prepare)' engine/src plugins | grep -v 'engine/src/store/database.cpp' || true)
status=0
if [ -n "$hits" ]; then
  echo "string-built SQL:"
  echo "$hits"
  status=1
fi
if [ -n "$raw" ]; then
  echo "raw SQLite calls outside engine/src/store/database.cpp:"
  echo "$raw"
  status=1
fi
[ $status -eq 0 ] && echo "no string-built SQL in $(grep -rlE 'Prepare|Exec' engine/src | wc -l) files"
exit $status
