#include "output.hpp"

#include <cerrno>
#include <cstring>

namespace feedloop::samples {

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path == "-") {
    file_ = stdout;
  } else {
    file_ = std::fopen(path.c_str(), "wb");
    owned_ = true;
    failed_ = file_ == nullptr;
  }
  buffer_.reserve(kFlushBytes + (64 << 10));
}

OutputFile::~OutputFile() {
  Close();
}

void OutputFile::Flush() {
  if (file_ == nullptr) return;
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    failed_ = true;
  }
  buffer_.clear();
}

bool OutputFile::Close() {
  if (file_ == nullptr) return !failed_;
  Flush();
  if (std::fflush(file_) != 0) failed_ = true;
  if (owned_ && std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  return !failed_;
}

void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

bool Finish(OutputFile& out) {
  if (out.Close()) return true;
  std::fprintf(stderr, "feedloop-samples: cannot write %s: %s\n", out.path().c_str(),
               std::strerror(errno));
  return false;
}

void JsonWriter::NewLine() {
  out_ += '\n';
  out_.append(static_cast<size_t>(depth_) * 2, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;
  if (!empty_[depth_]) out_ += pretty_ ? "," : ", ";
  empty_[depth_] = false;
  if (pretty_) NewLine();
}

void JsonWriter::Open(char c) {
  BeforeValue();
  out_ += c;
  if (depth_ + 1 < kMaxDepth) ++depth_;
  empty_[depth_] = true;
}

void JsonWriter::Close(char c) {
  bool empty = empty_[depth_];
  if (depth_ > 0) --depth_;
  if (pretty_ && !empty) NewLine();
  out_ += c;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
}

void JsonWriter::Int(int64_t v) {
  BeforeValue();
  AppendInt(out_, v);
}

void JsonWriter::Time(int64_t unix_seconds) {
  BeforeValue();
  out_ += '"';
  AppendIsoUtc(out_, unix_seconds);
  out_ += '"';
}

void AppendCsvField(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out += '-';
  while (n > 0) out += buf[--n];
}

void AppendPadded(std::string& out, int64_t v, int width) {
  char buf[24];
  int n = 0;
  uint64_t u = static_cast<uint64_t>(v < 0 ? -v : v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out += '-';
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

// Howard Hinnant's civil-date algorithms.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

void AppendIsoUtc(std::string& out, int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  AppendPadded(out, y, 4);
  out += '-';
  AppendPadded(out, m, 2);
  out += '-';
  AppendPadded(out, d, 2);
  out += 'T';
  AppendPadded(out, secs / 3600, 2);
  out += ':';
  AppendPadded(out, secs / 60 % 60, 2);
  out += ':';
  AppendPadded(out, secs % 60, 2);
  out += 'Z';
}

std::string IsoUtc(int64_t t) {
  std::string s;
  AppendIsoUtc(s, t);
  return s;
}

std::string IsoWeekLabel(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  // 1970-01-01 was a Thursday; weekday 0 = Monday.
  int64_t weekday = ((days + 3) % 7 + 7) % 7;
  int64_t thursday = days - weekday + 3;  // the week belongs to its Thursday's year
  int64_t y;
  unsigned m, d;
  CivilFromDays(thursday, &y, &m, &d);
  int64_t week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
  std::string s;
  AppendInt(s, y);
  s += "-W";
  AppendPadded(s, week, 2);
  return s;
}

}  // namespace feedloop::samples
