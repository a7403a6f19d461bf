// FlatRecord: one raw record of any input format (a JSON object, a CSV row), as named fields
// before mapping. Nested JSON objects are flattened into dotted names ("via.channel"); arrays of
// objects (transcript messages) stay nested as child records.
//
// Text values are views into the reader's buffers and are valid only until the reader's next
// call; the mapper copies what it keeps.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feedloop::ingest {

struct FlatRecord;

struct FieldValue {
  enum class Type : unsigned char { kNull, kBool, kNumber, kString, kArray };
  Type type = Type::kNull;
  std::string_view text;                  // string content, a number's literal, "true"/"false"
  std::vector<FlatRecord> items;          // kArray of objects
  std::vector<std::string_view> scalars;  // kArray of scalars (as text)
};

struct FlatRecord {
  // The destructor is defined below the class: FieldValue holds FlatRecords and FlatRecord holds
  // FieldValues, and an implicit destructor makes clang (C++20, libstdc++) instantiate that cycle
  // before either type is complete.
  FlatRecord() = default;
  FlatRecord(const FlatRecord&) = default;
  FlatRecord(FlatRecord&&) = default;
  FlatRecord& operator=(const FlatRecord&) = default;
  FlatRecord& operator=(FlatRecord&&) = default;
  ~FlatRecord();

  std::vector<std::pair<std::string_view, FieldValue>> fields;
  // Storage for synthesized names (dotted paths) and unescaped text that must outlive a view.
  std::deque<std::string> owned;

  const FieldValue* Find(std::string_view name) const {
    for (const auto& [key, value] : fields) {
      if (key == name) return &value;
    }
    return nullptr;
  }
  void Clear() {
    fields.clear();
    owned.clear();
  }
  std::string_view Own(std::string s) { return owned.emplace_back(std::move(s)); }
};

inline FlatRecord::~FlatRecord() = default;

// A record as read, or the reason it could not be read.
struct RawRecord {
  int64_t number = 0;  // 1-based record number within the file
  int64_t line = 0;    // 1-based line where the record starts
  FlatRecord record;
  std::string error;      // non-empty: the record is malformed; `excerpt` shows it
  std::string excerpt;    // the first bytes of the raw record, for rejects
  std::string_view raw;   // the record's bytes as read (CSV: the first 256), valid until Next
  bool repaired = false;  // invalid UTF-8 was replaced
};

}  // namespace feedloop::ingest
