// Fuzz target: JsonReader on a whole file (JSON Lines, a bare array, or an object wrapping an
// array), reading every record.
//
// Input: one option byte, then the file.
//   bits 0-1  layout: 0 the bytes as they are, 1 wrapped in [ ], 2 wrapped in {"tickets": [ ]},
//             3 wrapped in {"meta": {...}, "tickets": [ ]} with records_member "tickets"
//   bit 2     repair invalid UTF-8 instead of rejecting
//   bit 3     max_record_bytes 4096 instead of 16 MiB (reaches the too-long paths)
//   bit 4     max_depth 3 instead of 32
//
// Invariants: records are numbered 1, 2, 3...; lines never go backwards; every error has a reason
// and a short valid excerpt; every accepted record holds only valid UTF-8; and for JSON Lines,
// exactly one record per non-blank line, on that line (nothing is silently dropped).
#include <cstdint>
#include <string>
#include <vector>

#include "feedloop/ingest/input.hpp"
#include "feedloop/ingest/json_reader.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {
namespace {

using ingest::FieldValue;
using ingest::FlatRecord;

void CheckRecord(const FlatRecord& record, int depth) {
  FUZZ_CHECK(depth < 64, "nesting deeper than the reader's limit");
  for (const auto& [name, value] : record.fields) {
    FUZZ_CHECK(ValidUtf8(name), "field name " + Show(name));
    if (value.type == FieldValue::Type::kString) {
      FUZZ_CHECK(ValidUtf8(value.text), "value of " + Show(name) + ": " + Show(value.text));
    }
    for (std::string_view s : value.scalars) FUZZ_CHECK(ValidUtf8(s), "list item " + Show(s));
    for (const FlatRecord& child : value.items) CheckRecord(child, depth + 1);
    FUZZ_CHECK(
        value.type == FieldValue::Type::kArray || (value.items.empty() && value.scalars.empty()),
        "a scalar field with list items: " + Show(name));
  }
}

// The line numbers of the records a JSON Lines text holds: every line with something other than
// blanks, once the leading blank lines and byte-order marks the reader skips are gone.
std::vector<int64_t> NonBlankLines(std::string_view s) {
  size_t i = 0;
  int64_t line = 1;
  while (i < s.size()) {
    if (s[i] == '\n') {
      ++line;
      ++i;
    } else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
      ++i;
    } else if (s.compare(i, 3, "\xEF\xBB\xBF") == 0) {
      i += 3;
    } else {
      break;
    }
  }
  std::vector<int64_t> lines;
  while (i < s.size()) {
    size_t nl = s.find('\n', i);
    std::string_view raw =
        s.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r')) {
      raw.remove_suffix(1);
    }
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
    if (line == 1 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (!raw.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    i = nl + 1;
    ++line;
  }
  return lines;
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  Input in(data, size);
  const uint8_t opts = in.Byte();
  std::string body(in.Rest());
  ingest::JsonReaderOptions options;
  switch (opts & 3) {
    case 0:
      break;
    case 1:
      body = "[" + body + "]";
      break;
    case 2:
      body = "{\"tickets\": [" + body + "]}";
      break;
    case 3:
      body = "{\"meta\": {\"count\": 2, \"next\": \"]\"}, \"tickets\": [" + body + "]}";
      options.records_member = "tickets";
      break;
  }
  options.repair_utf8 = (opts & 4) != 0;
  if (opts & 8) options.max_record_bytes = 4096;
  if (opts & 16) options.max_depth = 3;

  MemFile file(body);
  Result<std::unique_ptr<ingest::InputFile>> input = ingest::InputFile::Open(file.path());
  FUZZ_CHECK(input.ok(), input.status().message());
  Result<std::unique_ptr<ingest::JsonReader>> opened =
      ingest::JsonReader::Open(std::move(input).value(), options);
  if (!opened.ok()) return 0;
  ingest::JsonReader& reader = *opened.value();

  ingest::RawRecord record;
  std::vector<int64_t> lines;
  int64_t previous_line = 0;
  while (reader.Next(&record)) {
    FUZZ_CHECK(
        record.number == static_cast<int64_t>(lines.size()) + 1,
        "record " + std::to_string(record.number) + " after " + std::to_string(lines.size()));
    FUZZ_CHECK(record.line >= 1 && record.line >= previous_line,
               "line " + std::to_string(record.line) + " after " + std::to_string(previous_line));
    FUZZ_CHECK(lines.size() <= body.size(), "more records than bytes");
    previous_line = record.line;
    lines.push_back(record.line);
    if (!record.error.empty()) {
      FUZZ_CHECK(ValidUtf8(record.error), Show(record.error));
      FUZZ_CHECK(ValidUtf8(record.excerpt) && record.excerpt.size() <= 200, Show(record.excerpt));
      continue;
    }
    CheckRecord(record.record, 0);
  }
  FUZZ_CHECK(reader.status().ok(), reader.status().message());
  FUZZ_CHECK(ValidUtf8(reader.warning()), Show(reader.warning()));
  // JSON Lines: every non-blank line is a record (accepted or rejected), in order.
  if ((opts & 3) == 0 && reader.layout() == ingest::JsonLayout::kLines) {
    std::vector<int64_t> expected = NonBlankLines(body);
    FUZZ_CHECK(lines == expected, std::to_string(lines.size()) + " records for " +
                                      std::to_string(expected.size()) + " non-blank lines");
  }
  if (reader.layout() == ingest::JsonLayout::kEmpty)
    FUZZ_CHECK(lines.empty(), "records in an empty file");
  return 0;
}
