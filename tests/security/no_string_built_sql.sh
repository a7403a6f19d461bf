#!/usr/bin/env bash
# Every SQL statement is a literal with bound parameters: no SQL is built by pasting values into
# strings. Fails on any Exec/Prepare/MustPrepare/sqlite3_* call whose SQL argument is concatenated
# or formatted, however many lines the call spans, and on any call given a variable that was built
# by pasting (`sql += ...`, `sql.append(...)`, `sql = a + b`, `std::string sql(a + b)`) since its
# declaration. A call is excused by a `sql-from-constant` comment (reviewed: what is pasted is a
# compile-time constant) on one of its lines or in the comment lines right above it.
#
#   no_string_built_sql.sh [ROOT]                 check ROOT (default: this checkout)
#   no_string_built_sql.sh --self-test FIXTURE    check FIXTURE and require exactly the hits its
#                                                 files mark with `expect: string-built SQL`
set -euo pipefail
self_test=0
if [ "${1:-}" = "--self-test" ]; then
  self_test=1
  shift
fi
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"

# Prints FILE:LINE: CALL for every string-built SQL call in the files given.
find_hits() {
  perl -e '
use strict;
use warnings;

my $call_re = qr/\b(Exec|Prepare|MustPrepare|sqlite3_exec|sqlite3_prepare(?:_v2|_v3)?)\s*\(/;
my $paste_re = qr/\+|std::to_string|fmt::format|std::format|snprintf|StrCat|\.str\s*\(/;
my $type_re = qr/(?:std::)?(?:string_view|string|ostringstream|stringstream)|auto|const\s+char\s*\*/;

# The source with comments and the contents of string and character literals blanked (newlines
# kept), so that parentheses, commas and plus signs are only ever code.
sub code_only {
  my ($s) = @_;
  my $out = "";
  my $n = length $s;
  my $i = 0;
  my $blank = sub { my $t = shift; $t =~ s/[^\n]/ /g; $t };
  while ($i < $n) {
    my $rest = substr($s, $i, 2);
    if ($rest eq "//") {
      my $e = index($s, "\n", $i);
      $e = $n if $e < 0;
      $out .= $blank->(substr($s, $i, $e - $i));
      $i = $e;
    } elsif ($rest eq "/*") {
      my $e = index($s, "*/", $i + 2);
      $e = $e < 0 ? $n : $e + 2;
      $out .= $blank->(substr($s, $i, $e - $i));
      $i = $e;
    } elsif (substr($s, $i) =~ /\A((?:u8|u|U|L)?R"([^(\s]{0,16})\()/) {
      my ($open, $delim) = ($1, $2);
      my $e = index($s, ")$delim\"", $i + length $open);
      $e = $e < 0 ? $n : $e + length($delim) + 2;
      $out .= "\"" . $blank->(substr($s, $i + 1, $e - $i - 2)) . "\"";
      $i = $e;
    } elsif (substr($s, $i, 1) eq "\"" || substr($s, $i, 1) eq "\x27") {
      my $q = substr($s, $i, 1);
      my $j = $i + 1;
      while ($j < $n) {
        my $c = substr($s, $j, 1);
        if ($c eq "\\") { $j += 2; next; }
        last if $c eq $q || $c eq "\n";
        ++$j;
      }
      $out .= $q . $blank->(substr($s, $i + 1, $j - $i - 1)) . $q;
      $i = $j + 1;
    } else {
      $out .= substr($s, $i, 1);
      ++$i;
    }
  }
  return $out;
}

sub line_of { my ($s, $pos) = @_; return 1 + (substr($s, 0, $pos) =~ tr/\n//); }

# The arguments of the call whose "(" is at $open: a list of [start, text], split at top-level
# commas, and the position of the closing ")".
sub arguments {
  my ($code, $open) = @_;
  my ($depth, $start, @args) = (0, $open + 1);
  for (my $i = $open; $i < length $code; ++$i) {
    my $c = substr($code, $i, 1);
    if ($c =~ /[\(\[\{]/) {
      ++$depth;
    } elsif ($c =~ /[\)\]\}]/) {
      if (--$depth == 0) {
        push @args, [$start, substr($code, $start, $i - $start)];
        return (\@args, $i);
      }
    } elsif ($c eq "," && $depth == 1) {
      push @args, [$start, substr($code, $start, $i - $start)];
      $start = $i + 1;
    }
  }
  return (\@args, length $code);
}

# Whether the variable $name was built by pasting between its last declaration before $pos and
# $pos (or, with no declaration in sight, in the 40 lines before $pos).
sub built_by_pasting {
  my ($code, $name, $pos) = @_;
  my $before = substr($code, 0, $pos);
  my $from = 0;
  while ($before =~ /(?:$type_re)\s*&?\s*\b\Q$name\E\b/g) { $from = $-[0]; }
  if (!$from) {
    my @lines = split /\n/, $before, -1;
    my $keep = @lines > 40 ? 40 : scalar @lines;
    $from = length($before) - length(join("\n", @lines[-$keep .. -1]));
  }
  my $scope = substr($before, $from);
  return 1 if $scope =~ /\b\Q$name\E\s*(?:\+=|<<)/;
  return 1 if $scope =~ /\b\Q$name\E\s*\.\s*(?:append|insert|push_back)\s*\(/;
  return 1 if $scope =~ /\b\Q$name\E\s*=(?!=)[^;]*(?:$paste_re)/;
  return 1 if $scope =~ /(?:$type_re)\s+\Q$name\E\s*[\(\{][^;]*(?:$paste_re)/;
  return 1 if $scope =~ /(?:std::)?(?:ostringstream|stringstream)\s+\Q$name\E\b/;
  return 0;
}

for my $file (@ARGV) {
  open(my $fh, "<", $file) or die "$file: $!";
  my $src = do { local $/; <$fh> };
  close $fh;
  my $code = code_only($src);
  my @src_lines = split /\n/, $src, -1;
  while ($code =~ /$call_re/g) {
    my $name = $1;
    my $open = $+[0] - 1;
    my $at = $-[0];
    my ($args, $close) = arguments($code, $open);
    next unless @$args;
    my $index = $name =~ /^sqlite3_/ ? 1 : 0;
    next if $index >= @$args;
    my $sql = $args->[$index][1];
    my $pasted = $sql =~ $paste_re;
    if (!$pasted && $sql =~ /^\s*(?:std::string_view\s*\(\s*)?([A-Za-z_]\w*)(?:\s*\.\s*(?:c_str|data)\s*\(\s*\))?\s*\)?\s*$/) {
      $pasted = built_by_pasting($code, $1, $at);
    }
    next unless $pasted;
    my $first = line_of($code, $at);
    my $last = line_of($code, $close);
    my $excused = 0;
    for (my $l = $first; $l <= $last; ++$l) {
      $excused = 1 if $src_lines[$l - 1] =~ /sql-from-constant/;
    }
    for (my $l = $first - 1; $l >= 1 && $src_lines[$l - 1] =~ m{^\s*//}; --$l) {
      $excused = 1 if $src_lines[$l - 1] =~ /sql-from-constant/;
    }
    next if $excused;
    (my $shown = $src_lines[$first - 1]) =~ s/^\s+//;
    print "$file:$first: $shown\n";
  }
}
' "$@"
}

mapfile -t sources < <(find engine/src plugins sdk -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) 2>/dev/null | sort)
if [ ${#sources[@]} -eq 0 ]; then
  echo "no C or C++ sources under $ROOT/engine/src, plugins or sdk"
  exit 1
fi
hits=$(find_hits "${sources[@]}")

if [ $self_test -eq 1 ]; then
  expected=$(grep -nH 'expect: string-built SQL' "${sources[@]}" | cut -d: -f1,2 | sort)
  found=$(printf '%s\n' "$hits" | sed '/^$/d' | cut -d: -f1,2 | sort)
  if [ -z "$expected" ] || [ "$expected" != "$found" ]; then
    echo "the check does not find exactly the marked violations of $ROOT"
    echo "expected:"
    echo "$expected"
    echo "found:"
    echo "$hits"
    exit 1
  fi
  echo "the check finds the $(echo "$expected" | wc -l) marked violations and nothing else"
  exit 0
fi

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
