// JsonWriter: appends JSON to a string without building a tree. Used on hot paths (stream output,
// reports), so it does no allocation beyond the output buffer. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop {

// Appends `s` as a JSON string literal (with quotes). Invalid UTF-8 is passed through unchanged;
// callers hand it validated text.
void AppendJsonString(std::string& out, std::string_view s);
// `v` in decimal.
void AppendJsonInt(std::string& out, int64_t v);
// Shortest round-trip form of `v`; non-finite values become null.
void AppendJsonNumber(std::string& out, double v);
// `v` rounded to `decimals` places (for human-facing figures).
void AppendJsonFixed(std::string& out, double v, int decimals);

// Appends `open`, then each item written by `each` with commas between them, then `close`: a
// JSON array or object of a known shape, without a writer tracking the nesting.
template <typename Items, typename Each>
void AppendJsonList(std::string& out, char open, const Items& items, Each each, char close) {
  out += open;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ',';
    first = false;
    each(item);
  }
  out += close;
}

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Number(double v);
  JsonWriter& Fixed(double v, int decimals);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Inserts already-serialized JSON as a value.
  JsonWriter& Raw(std::string_view json);

  // Shorthands for a key followed by a value.
  JsonWriter& Field(std::string_view key, std::string_view s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, const char* s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, double v) { return Key(key).Number(v); }
  JsonWriter& Field(std::string_view key, int64_t v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, int v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, bool v) { return Key(key).Bool(v); }

 private:
  void Separate();
  std::string& out_;
  // One byte per open container: 1 once it holds a value. A string keeps the usual shallow
  // nesting in its inline buffer: no allocation per writer on the hot path.
  std::string has_value_;
  bool after_key_ = false;
};

}  // namespace feedloop
