// JsonReader: streams records out of JSON Lines files, JSON arrays, and JSON objects that wrap
// an array of records ({"tickets": [...]}), with simdjson On-Demand. Memory is bounded by the
// largest record, never by the file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/ingest/input.hpp"
#include "feedloop/ingest/record.hpp"

namespace feedloop::ingest {

enum class JsonLayout { kLines, kArray, kWrapped, kEmpty };

struct JsonReaderOptions {
  // For a wrapping object: the member holding the records ("tickets"); empty means the first
  // member whose value is an array of objects. Every member of that name is read (a repeated
  // key is not silently dropped); other arrays (sideloaded "users") are not records.
  std::string records_member;
  // The file is JSON Lines (a .jsonl file, --format jsonl): a first line that looks like a
  // wrapping object is still one record. Otherwise a single object on one line that holds an
  // array of records, and no record fields of its own, is read as a wrapper (minified exports).
  bool lines = false;
  size_t max_record_bytes = 16u << 20;
  bool repair_utf8 = false;
  int max_depth = 32;
};

// Not thread-safe. Records handed out by Next are valid until the next call.
class JsonReader {
 public:
  static Result<std::unique_ptr<JsonReader>> Open(std::unique_ptr<InputFile> input,
                                                  JsonReaderOptions options = {});
  ~JsonReader();

  JsonLayout layout() const { return layout_; }
  // Fills `out` with the next record (or a malformed-record error); false at the end.
  bool Next(RawRecord* out);
  // An I/O error that ended the reading early.
  const Status& status() const { return input_->status(); }
  // A problem with the file as a whole that cost no record (e.g. a missing closing bracket).
  const std::string& warning() const { return warning_; }

  // Parses one JSON object (a JSONL line) into `out`; returns an error message or "".
  // `data` must be followed by at least 64 readable bytes (simdjson padding) within `capacity`.
  std::string ParseObject(const char* data, size_t size, size_t capacity, FlatRecord* out);

 private:
  JsonReader(std::unique_ptr<InputFile> input, JsonReaderOptions options);
  // Walks the wrapping object's members to the next array of records. True when `out` holds a
  // record to hand out (an error); otherwise the array is entered or the object is done.
  bool SeekRecordsArray(RawRecord* out);
  class Impl;
  std::unique_ptr<InputFile> input_;
  JsonReaderOptions options_;
  JsonLayout layout_ = JsonLayout::kLines;
  std::string warning_;
  std::unique_ptr<Impl> impl_;
};

// Parses a single JSON object given as text (for `stream` and tests).
class JsonObjectParser {
 public:
  JsonObjectParser();
  ~JsonObjectParser();
  // Returns "" on success or the reason the text is not a usable object.
  std::string Parse(std::string_view text, FlatRecord* out, int max_depth = 32);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedloop::ingest
