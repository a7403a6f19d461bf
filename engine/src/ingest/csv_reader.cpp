#include "feedloop/ingest/csv_reader.hpp"

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::ingest {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kExcerptBytes = 200;
constexpr size_t kRawKeep = 256;

char DetectDelimiter(std::string_view header_line, char quote) {
  const char candidates[] = {',', ';', '\t', '|'};
  size_t best_count = 0;
  char best = ',';
  for (char d : candidates) {
    size_t count = 0;
    bool in_quotes = false;
    for (char c : header_line) {
      if (quote != 0 && c == quote) in_quotes = !in_quotes;
      if (!in_quotes && c == d) ++count;
    }
    if (count > best_count) {
      best_count = count;
      best = d;
    }
  }
  return best;
}

std::string SafeExcerpt(std::string_view raw) {
  return text::DisplayExcerpt(raw, kExcerptBytes);
}

}  // namespace

CsvReader::CsvReader(std::unique_ptr<InputFile> input, CsvOptions options)
    : input_(std::move(input)), options_(options), buf_(kChunk) {}

CsvReader::~CsvReader() = default;

bool CsvReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < kChunk / 2) buf_.resize(end_ + kChunk);
  size_t n = input_->Read(buf_.data() + end_, buf_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::unique_ptr<InputFile> input,
                                                   CsvOptions options) {
  std::unique_ptr<CsvReader> r(new CsvReader(std::move(input), options));
  r->Fill();
  if (!r->input_->status().ok()) return r->input_->status();
  // A UTF-8 byte-order mark at the start is not part of the first column's name.
  if (r->end_ >= 3 && std::memcmp(r->buf_.data(), "\xEF\xBB\xBF", 3) == 0) r->begin_ = 3;
  if (r->options_.delimiter == 0) {
    // Detect from the first line (enough of it is in the first chunk).
    std::string_view data(r->buf_.data() + r->begin_, r->end_ - r->begin_);
    size_t nl = data.find('\n');
    r->options_.delimiter = DetectDelimiter(data.substr(0, nl), r->options_.quote);
  }
  if (!r->options_.header) return r;
  if (!r->ReadRow()) return r;  // empty file: no header, no records
  if (!r->row_error_.empty()) {
    return Status::InvalidInput(r->input_->path() +
                                ": the header row is unreadable: " + r->row_error_);
  }
  if (r->FindInvalidField().first < r->field_ends_.size()) {
    return Status::InvalidInput(r->input_->path() + ": the header row is not valid UTF-8");
  }
  size_t start = 0;
  // Names taken so far, and the next suffix to try for each name: linear in the number of
  // columns, however many there are and however many share a name.
  std::unordered_set<std::string> taken;
  std::unordered_map<std::string, int> next_suffix;
  for (size_t i = 0; i < r->field_ends_.size(); ++i) {
    std::string name =
        text::CollapseSpaces(std::string_view(r->row_).substr(start, r->field_ends_[i] - start));
    start = r->field_ends_[i];
    if (name.empty()) name = "column_" + std::to_string(i + 1);
    // Duplicate names get a suffix so each column stays addressable.
    std::string unique = name;
    if (taken.count(unique) != 0) {
      int& k = next_suffix.try_emplace(name, 2).first->second;
      while (taken.count(unique = name + "_" + std::to_string(k)) != 0) ++k;
      ++k;
    }
    taken.insert(unique);
    r->header_.push_back(std::move(unique));
  }
  r->rows_ = 0;
  return r;
}

bool CsvReader::ReadRow() {
  row_.clear();
  field_ends_.clear();
  row_error_.clear();
  raw_.clear();
  const char d = options_.delimiter;
  const char q = options_.quote;
  // Skip blank lines between records.
  while (true) {
    if (begin_ >= end_ && !Fill()) return false;
    char c = buf_[begin_];
    if (c == '\n') {
      ++line_;
      ++begin_;
    } else if (c == '\r') {
      ++begin_;
    } else {
      break;
    }
  }
  row_line_ = line_;
  enum { kStart, kUnquoted, kQuoted, kQuoteInQuoted } state = kStart;
  bool too_long = false;
  int64_t quote_line = 0;
  while (true) {
    if (begin_ >= end_ && !Fill()) {
      if (state == kQuoted) {
        row_error_ = "unterminated quoted field starting on line " + std::to_string(quote_line) +
                     " (the file ends inside quotes)";
      }
      field_ends_.push_back(row_.size());
      break;
    }
    char c = buf_[begin_++];
    if (raw_.size() < kRawKeep) raw_ += c;
    // Delimiters count too: a row of nothing but delimiters must not grow field_ends_ forever.
    if (row_.size() + field_ends_.size() > options_.max_record_bytes) {
      too_long = true;
      row_.resize(0);
      field_ends_.clear();
    }
    if (state == kQuoted) {
      if (c == q) {
        state = kQuoteInQuoted;
      } else {
        if (c == '\n') ++line_;
        row_ += c;
      }
      continue;
    }
    if (state == kQuoteInQuoted) {
      if (c == q) {  // doubled quote: a literal quote
        row_ += c;
        state = kQuoted;
        continue;
      }
      state = kUnquoted;  // closing quote; fall through to handle c
    }
    if (c == d) {
      field_ends_.push_back(row_.size());
      state = kStart;
    } else if (c == '\n') {
      ++line_;
      field_ends_.push_back(row_.size());
      break;
    } else if (c == '\r') {
      // CR before LF (or a bare CR line end).
      if (begin_ >= end_) Fill();
      if (begin_ < end_ && buf_[begin_] == '\n') continue;
      ++line_;
      field_ends_.push_back(row_.size());
      break;
    } else if (q != 0 && c == q && state == kStart) {
      state = kQuoted;
      quote_line = line_;
    } else {
      // A quote inside an unquoted field, or text after a closing quote: kept as written.
      row_ += c;
      state = kUnquoted;
    }
  }
  if (too_long) {
    row_error_ =
        "record is longer than " + std::to_string(options_.max_record_bytes >> 20) + " MiB";
  }
  ++rows_;
  return true;
}

// Field by field: fields lie contiguous in row_ without their delimiters, so a sequence cut by a
// delimiter ("\xef\xbf" "," "\xbb") would look whole in the row.
std::pair<size_t, size_t> CsvReader::FindInvalidField() const {
  size_t start = 0;
  for (size_t field = 0; field < field_ends_.size(); start = field_ends_[field++]) {
    std::string_view value = std::string_view(row_).substr(start, field_ends_[field] - start);
    if (std::optional<size_t> at = text::FindInvalidUtf8(value)) return {field, *at};
  }
  return {field_ends_.size(), 0};
}

bool CsvReader::Next(RawRecord* out) {
  out->record.Clear();
  out->error.clear();
  out->excerpt.clear();
  out->raw = {};
  out->repaired = false;
  if (!ReadRow()) return false;
  out->number = rows_;
  out->line = row_line_;
  out->raw = raw_;
  if (!row_error_.empty()) {
    out->error = row_error_;
    out->excerpt = SafeExcerpt(raw_);
    return true;
  }
  auto [field, bad] = FindInvalidField();
  if (field < field_ends_.size()) {
    if (!options_.repair_utf8) {
      std::string column =
          options_.header && field < header_.size() ? header_[field] : std::to_string(field + 1);
      out->error = "invalid UTF-8 in column '" + column + "' at byte " + std::to_string(bad);
      out->excerpt = SafeExcerpt(raw_);
      return true;
    }
    // Repair field by field so the offsets stay consistent.
    std::string repaired;
    std::vector<size_t> ends;
    size_t start = 0;
    for (size_t end : field_ends_) {
      size_t n = 0;
      repaired += text::RepairUtf8(std::string_view(row_).substr(start, end - start), &n);
      ends.push_back(repaired.size());
      start = end;
    }
    row_ = std::move(repaired);
    field_ends_ = std::move(ends);
    out->repaired = true;
  }
  size_t columns = options_.header ? header_.size() : field_ends_.size();
  if (options_.header && field_ends_.size() != columns) {
    out->error = std::to_string(field_ends_.size()) + " fields, but the header has " +
                 std::to_string(columns) + " (ragged row)";
    out->excerpt = SafeExcerpt(raw_);
    return true;
  }
  size_t start = 0;
  for (size_t i = 0; i < field_ends_.size(); ++i) {
    std::string_view value = std::string_view(row_).substr(start, field_ends_[i] - start);
    start = field_ends_[i];
    std::string_view name =
        options_.header ? std::string_view(header_[i]) : out->record.Own(std::to_string(i + 1));
    FieldValue fv;
    fv.type = value.empty() ? FieldValue::Type::kNull : FieldValue::Type::kString;
    fv.text = value;
    out->record.fields.emplace_back(name, std::move(fv));
  }
  return true;
}

}  // namespace feedloop::ingest
