// Canonical form of customer text before it is stored or analyzed: Unicode NFC, line breaks as
// "\n", control and format characters removed (NUL, C0/C1 controls, stray BOMs), runs of spaces
// kept as written. Input must be valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace feedloop::text {

// Returns the normalized text. Thread-safe.
std::string NormalizeText(std::string_view valid_utf8);
// Appends the normalized text to `out` (no temporary for the common, already-clean text).
void AppendNormalizedText(std::string_view valid_utf8, std::string* out);

// Collapses whitespace runs to single spaces and trims; used for dedupe keys and excerpts.
std::string CollapseSpaces(std::string_view s);
// CollapseSpaces(s) appended to `out`.
void AppendCollapsedSpaces(std::string_view s, std::string* out);

// At most `max_bytes` of `s`, cut at a UTF-8 character boundary, with "..." when cut.
std::string Excerpt(std::string_view s, size_t max_bytes);

// An excerpt of raw input bytes that is safe to store and show: invalid UTF-8 replaced, controls
// removed, whitespace collapsed, at most `max_bytes`, and "..." at its end whenever it does not
// show the end of `raw` (Redactor::RedactExcerpt relies on it).
std::string DisplayExcerpt(std::string_view raw, size_t max_bytes = 200);
// DisplayExcerpt reads `max_bytes` of `raw` and this many more (what normalizing may drop).
inline constexpr size_t kDisplayExcerptSlack = 8;
// The beginning of `raw` that DisplayExcerpt(raw, max_bytes) reads, and one byte more to tell
// whether the record goes on: keeping only this much of a record is enough to show it later.
inline std::string_view DisplayExcerptHead(std::string_view raw, size_t max_bytes = 200) {
  return raw.substr(0, max_bytes + kDisplayExcerptSlack + 1);
}

}  // namespace feedloop::text
