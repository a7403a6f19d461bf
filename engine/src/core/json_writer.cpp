#include "feedloop/core/json_writer.hpp"

#include <feedloop/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace feedloop {

void AppendJsonString(std::string& out, std::string_view s) {
  json::AppendQuoted(out, s);
}

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

void AppendJsonInt(std::string& out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

void AppendJsonFixed(std::string& out, double v, int decimals) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // Powers of ten up to 10^22 are exact doubles, as std::pow returns them: a table is the same.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  double scale = decimals >= 0 && decimals < 16 ? kPow10[decimals] : std::pow(10.0, decimals);
  const double scaled = std::round(v * scale);
  double r = scaled / scale;
  if (r == 0) r = 0;  // no "-0"
  // Scores, confidences and shares (a few decimals, small magnitudes) skip std::to_chars's
  // exact expansion: r is the double nearest scaled / 10^decimals, and below 1e6 with at most 6
  // decimals the doubles are far denser than 10^-decimals, so the digits of the integer `scaled`
  // are the ones to_chars would print.
  if (decimals >= 0 && decimals <= 6 && std::fabs(r) < 1e6) {
    static constexpr uint64_t kIntPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    const int64_t n = static_cast<int64_t>(scaled);
    const uint64_t m = n < 0 ? static_cast<uint64_t>(-n) : static_cast<uint64_t>(n);
    if (n < 0) out += '-';
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof(buf), m / kIntPow10[decimals]);
    out.append(buf, res.ptr);
    uint64_t frac = m % kIntPow10[decimals];
    if (frac == 0) return;
    int digits = decimals;
    while (frac % 10 == 0) {  // trailing zeros: 0.5, not 0.500
      frac /= 10;
      --digits;
    }
    char* end = buf + digits;
    for (char* q = end; q > buf; frac /= 10) *--q = static_cast<char>('0' + frac % 10);
    out += '.';
    out.append(buf, end);
    return;
  }
  char buf[48];
  auto res = std::to_chars(buf, buf + sizeof(buf), r, std::chars_format::fixed, decimals);
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  // Trim trailing zeros so figures read 0.5, not 0.500.
  if (text.find('.') != std::string_view::npos) {
    while (!text.empty() && text.back() == '0') text.remove_suffix(1);
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  }
  out += text;
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_value_.empty()) {
    if (has_value_.back() != 0) out_ += ',';
    has_value_.back() = 1;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_ += '{';
  has_value_.push_back(0);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  has_value_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_ += '[';
  has_value_.push_back(0);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  has_value_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Number(double v) {
  Separate();
  AppendJsonNumber(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Fixed(double v, int decimals) {
  Separate();
  AppendJsonFixed(out_, v, decimals);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  AppendJsonInt(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

}  // namespace feedloop
