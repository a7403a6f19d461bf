// CsvReader: RFC 4180 CSV in bounded memory: a header row, quoted fields with doubled quotes and
// line breaks inside, CRLF or LF, a UTF-8 byte-order mark, and other delimiters (';', tab) found
// from the header when not given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/ingest/input.hpp"
#include "feedloop/ingest/record.hpp"

namespace feedloop::ingest {

struct CsvOptions {
  char delimiter = 0;  // 0: detect from the header (',', ';', tab or '|')
  char quote = '"';    // 0: no quoting (plain TSV)
  bool header = true;  // false: columns are named "1", "2", ...
  size_t max_record_bytes = 16u << 20;
  bool repair_utf8 = false;
};

// Not thread-safe. Records handed out by Next are valid until the next call.
class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(std::unique_ptr<InputFile> input,
                                                 CsvOptions options = {});
  ~CsvReader();

  const std::vector<std::string>& header() const { return header_; }
  char delimiter() const { return options_.delimiter; }
  // Fills `out` with the next row keyed by the header names, or an error; false at the end.
  bool Next(RawRecord* out);
  const Status& status() const { return input_->status(); }

 private:
  CsvReader(std::unique_ptr<InputFile> input, CsvOptions options);
  // Reads one physical record into fields_; false at end of input.
  bool ReadRow();
  // The first field of the current row that is not valid UTF-8, and the offset of the bad byte
  // in it; field_ends_.size() when every field is valid.
  std::pair<size_t, size_t> FindInvalidField() const;
  bool Fill();

  std::unique_ptr<InputFile> input_;
  CsvOptions options_;
  std::vector<std::string> header_;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;  // line number at begin_
  int64_t rows_ = 0;
  // The current row: field bytes concatenated, with end offsets.
  std::string row_;
  std::vector<size_t> field_ends_;
  int64_t row_line_ = 0;
  std::string row_error_;
  std::string raw_;  // the row's raw bytes (first part), for the excerpt
};

}  // namespace feedloop::ingest
