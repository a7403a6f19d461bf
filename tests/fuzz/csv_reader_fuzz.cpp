// Fuzz target: CsvReader on a whole file, reading every row.
//
// Input: one option byte, then the file.
//   bits 0-1  delimiter: 0 detected from the header, 1 ',', 2 ';', 3 tab
//   bit 2     no quoting (plain TSV)
//   bit 3     no header row (columns are named 1, 2, ...)
//   bit 4     repair invalid UTF-8 instead of rejecting
//   bit 5     max_record_bytes 4096 instead of 16 MiB (reaches the too-long paths)
//
// Invariants: the header names are unique, non-empty, valid UTF-8; rows are numbered 1, 2, 3...
// and their lines never go backwards; a row accepted with a header has exactly the header's
// fields, by the header's names; every value is valid UTF-8; without quoting no value holds the
// delimiter or a line break; an accepted row stays within max_record_bytes (memory is bounded by
// it, delimiters included).
#include <cstdint>
#include <set>
#include <string>

#include "feedloop/ingest/csv_reader.hpp"
#include "feedloop/ingest/input.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  Input in(data, size);
  const uint8_t opts = in.Byte();
  const std::string_view body = in.Rest();
  ingest::CsvOptions options;
  static const char kDelimiters[] = {0, ',', ';', '\t'};
  options.delimiter = kDelimiters[opts & 3];
  if (opts & 4) options.quote = 0;
  options.header = (opts & 8) == 0;
  options.repair_utf8 = (opts & 16) != 0;
  if (opts & 32) options.max_record_bytes = 4096;

  MemFile file(body);
  Result<std::unique_ptr<ingest::InputFile>> input = ingest::InputFile::Open(file.path());
  FUZZ_CHECK(input.ok(), input.status().message());
  Result<std::unique_ptr<ingest::CsvReader>> opened =
      ingest::CsvReader::Open(std::move(input).value(), options);
  if (!opened.ok()) {
    FUZZ_CHECK(options.header, "no header, yet the file was refused: " + opened.status().message());
    FUZZ_CHECK(ValidUtf8(opened.status().message()), Show(opened.status().message()));
    return 0;
  }
  ingest::CsvReader& reader = *opened.value();
  const char delimiter = reader.delimiter();
  FUZZ_CHECK(delimiter == ',' || delimiter == ';' || delimiter == '\t' || delimiter == '|',
             "delimiter " + std::to_string(delimiter));

  const std::vector<std::string>& header = reader.header();
  std::set<std::string> names;
  for (const std::string& h : header) {
    FUZZ_CHECK(!h.empty() && ValidUtf8(h), "header name " + Show(h));
    FUZZ_CHECK(names.insert(h).second, "duplicate header name " + Show(h));
  }
  FUZZ_CHECK(options.header || header.empty(), "a header without a header row");

  size_t line_breaks = 0;
  for (char c : body) line_breaks += c == '\n' || c == '\r';
  ingest::RawRecord record;
  int64_t rows = 0, previous_line = 0;
  while (reader.Next(&record)) {
    ++rows;
    FUZZ_CHECK(record.number == rows,
               "row " + std::to_string(record.number) + " after " + std::to_string(rows - 1));
    FUZZ_CHECK(record.line >= 1 && record.line >= previous_line,
               "line " + std::to_string(record.line));
    FUZZ_CHECK(static_cast<size_t>(rows) <= line_breaks + 1, "more rows than lines");
    previous_line = record.line;
    if (!record.error.empty()) {
      FUZZ_CHECK(ValidUtf8(record.error), Show(record.error));
      FUZZ_CHECK(ValidUtf8(record.excerpt) && record.excerpt.size() <= 200, Show(record.excerpt));
      continue;
    }
    const auto& fields = record.record.fields;
    if (options.header) {
      // Never more (or fewer) fields than the header without an error.
      FUZZ_CHECK(fields.size() == header.size(), std::to_string(fields.size()) + " fields for " +
                                                     std::to_string(header.size()) + " columns");
    }
    size_t bytes = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
      const auto& [name, value] = fields[i];
      const std::string expected = options.header ? header[i] : std::to_string(i + 1);
      FUZZ_CHECK(name == expected, "field " + Show(name) + " in column " + expected);
      FUZZ_CHECK(ValidUtf8(value.text), "value " + Show(value.text));
      if (options.quote == 0) {
        FUZZ_CHECK(
            value.text.find_first_of(std::string{delimiter, '\n', '\r'}) == std::string_view::npos,
            "unquoted value with a delimiter or line break: " + Show(value.text));
      }
      bytes += value.text.size();
    }
    // Values plus delimiters: what the row cost in memory. (Repaired bytes may grow by the
    // U+FFFD replacements, 3 bytes for each bad byte.)
    const size_t limit = options.max_record_bytes + 2;
    FUZZ_CHECK(record.repaired || bytes + fields.size() <= limit,
               std::to_string(bytes) + " bytes in " + std::to_string(fields.size()) +
                   " fields, over max_record_bytes " + std::to_string(options.max_record_bytes));
  }
  FUZZ_CHECK(reader.status().ok(), reader.status().message());
  return 0;
}
