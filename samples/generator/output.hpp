// Output helpers for the sample generator: a buffered file writer, JSON string escaping, RFC 4180
// CSV fields, and UTC calendar arithmetic. All of it is locale-independent.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace feedloop::samples {

// Writes a file through a large buffer. Owns the FILE*. Not thread-safe.
class OutputFile {
 public:
  // Opens `path` for writing ("-" is stdout); check ok() before use.
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  bool ok() const { return file_ != nullptr && !failed_; }
  const std::string& path() const { return path_; }

  // The buffer callers append to; Flush() when it is large.
  std::string& buffer() { return buffer_; }
  void Write(std::string_view s) {
    buffer_.append(s);
    MaybeFlush();
  }
  void MaybeFlush() {
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  void Flush();
  // Flushes and closes; false (with errno set) when anything failed.
  bool Close();

 private:
  static constexpr size_t kFlushBytes = 1 << 20;
  std::string path_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  bool failed_ = false;
  std::string buffer_;
};

// Closes `out`; on failure says why on stderr ("feedloop-samples: cannot write PATH: ...").
bool Finish(OutputFile& out);

// Appends `s` as a JSON string literal (with the quotes). UTF-8 is kept as is; quotes,
// backslashes and control characters are escaped.
void AppendJsonString(std::string& out, std::string_view s);

// Writes JSON into a caller's string: compact on one line ({"id": "x", "score": 2}), or
// indented like `jq .` output. Tracks commas itself; the caller keeps keys and values paired.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Time(int64_t unix_seconds);  // as an ISO 8601 UTC string

  // Shorthands for a member.
  void Member(std::string_view key, std::string_view s) {
    Key(key);
    String(s);
  }
  void MemberInt(std::string_view key, int64_t v) {
    Key(key);
    Int(v);
  }

 private:
  static constexpr int kMaxDepth = 16;
  void BeforeValue();
  void Open(char c);
  void Close(char c);
  void NewLine();

  std::string& out_;
  bool pretty_;
  int depth_ = 0;
  bool empty_[kMaxDepth] = {};  // the container at each depth has no element yet
  bool after_key_ = false;
};

// Appends `s` as one CSV field: quoted when it holds the delimiter, a quote, CR or LF, with
// quotes doubled inside (RFC 4180).
void AppendCsvField(std::string& out, std::string_view s);

void AppendInt(std::string& out, int64_t v);
// Appends v with at least `width` digits (zero-padded).
void AppendPadded(std::string& out, int64_t v, int width);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d);

// Appends Unix seconds as ISO 8601 UTC: 2026-11-16T09:12:00Z.
void AppendIsoUtc(std::string& out, int64_t t);
std::string IsoUtc(int64_t t);

// The ISO week label ("2026-W45") of Unix seconds (UTC).
std::string IsoWeekLabel(int64_t t);

}  // namespace feedloop::samples
