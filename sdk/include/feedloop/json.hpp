// A small JSON reader for plugin configurations and data files (taxonomies, lexicon settings).
//
// Header-only and dependency-free so that a plugin needs nothing but the SDK. Every value records
// the line it starts on, so a plugin can report "line 42: ..." to the analyst who wrote the file.
// Not meant for bulk data: the engine reads items with simdjson.
#ifndef FEEDLOOP_JSON_HPP_
#define FEEDLOOP_JSON_HPP_

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace feedloop::json {

// Thrown by Parse and by the typed accessors; `line` is 1-based (0 when unknown).
class Error : public std::runtime_error {
 public:
  Error(int line, const std::string& message)
      : std::runtime_error(line > 0 ? "line " + std::to_string(line) + ": " + message : message),
        line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

// A parsed JSON value. Objects keep their members in document order (duplicates are refused at
// parse time). Values are immutable once parsed; copying is cheap enough for configs.
class Value {
 public:
  Value() = default;

  Type type() const { return type_; }
  int line() const { return line_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const {
    Expect(Type::kBool, "a boolean");
    return bool_;
  }
  double as_number() const {
    Expect(Type::kNumber, "a number");
    return number_;
  }
  const std::string& as_string() const {
    Expect(Type::kString, "a string");
    return string_;
  }
  const std::vector<Value>& as_array() const {
    Expect(Type::kArray, "an array");
    return items_;
  }
  const std::vector<std::pair<std::string, Value>>& as_object() const {
    Expect(Type::kObject, "an object");
    return members_;
  }

  // Object member lookup; nullptr when absent (or when this is not an object).
  const Value* find(std::string_view key) const {
    if (type_ != Type::kObject) return nullptr;
    for (const auto& [k, v] : members_) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  // Typed lookups with defaults; a member of the wrong type is an error naming its line.
  std::string get_string(std::string_view key, std::string fallback = {}) const {
    const Value* v = find(key);
    return v == nullptr || v->is_null() ? fallback : v->as_string();
  }
  double get_number(std::string_view key, double fallback) const {
    const Value* v = find(key);
    return v == nullptr || v->is_null() ? fallback : v->as_number();
  }
  bool get_bool(std::string_view key, bool fallback) const {
    const Value* v = find(key);
    return v == nullptr || v->is_null() ? fallback : v->as_bool();
  }

  static const char* TypeName(Type t) {
    switch (t) {
      case Type::kNull:
        return "null";
      case Type::kBool:
        return "a boolean";
      case Type::kNumber:
        return "a number";
      case Type::kString:
        return "a string";
      case Type::kArray:
        return "an array";
      case Type::kObject:
        return "an object";
    }
    return "?";
  }

 private:
  friend class Parser;
  void Expect(Type t, const char* what) const {
    if (type_ != t)
      throw Error(line_, std::string("expected ") + what + ", found " + TypeName(type_));
  }

  Type type_ = Type::kNull;
  int line_ = 0;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> members_;
};

// Recursive-descent parser (RFC 8259), depth-limited so hostile input cannot exhaust the stack.
class Parser {
 public:
  explicit Parser(std::string_view text, int max_depth = 64) : s_(text), max_depth_(max_depth) {}

  Value Parse() {
    SkipSpace();
    Value v = ParseValue(0);
    SkipSpace();
    if (pos_ != s_.size()) Fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void Fail(const std::string& message) const { throw Error(line_, message); }
  // A byte as a message shows it: 'x' when printable ASCII, else its code (0xC3): a lone byte of
  // a UTF-8 sequence or a control character would make the message itself unreadable.
  static std::string ShowByte(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
    char code[8];
    std::snprintf(code, sizeof(code), "0x%02X", u);
    return code;
  }

  void SkipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++line_;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  Value ParseValue(int depth) {
    if (depth > max_depth_) Fail("JSON nested too deeply");
    if (pos_ >= s_.size()) Fail("unexpected end of JSON");
    Value v;
    v.line_ = line_;
    char c = s_[pos_];
    if (c == '{') {
      v.type_ = Type::kObject;
      ParseObject(v, depth);
    } else if (c == '[') {
      v.type_ = Type::kArray;
      ParseArray(v, depth);
    } else if (c == '"') {
      v.type_ = Type::kString;
      v.string_ = ParseString();
    } else if (c == 't' || c == 'f' || c == 'n') {
      ParseLiteral(v);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.type_ = Type::kNumber;
      v.number_ = ParseNumber();
    } else {
      Fail("unexpected character " + ShowByte(c));
    }
    return v;
  }

  void ParseLiteral(Value& v) {
    auto take = [&](std::string_view word) {
      if (s_.substr(pos_, word.size()) != word) Fail("invalid literal");
      pos_ += word.size();
    };
    if (s_[pos_] == 't') {
      take("true");
      v.type_ = Type::kBool;
      v.bool_ = true;
    } else if (s_[pos_] == 'f') {
      take("false");
      v.type_ = Type::kBool;
    } else {
      take("null");
    }
  }

  double ParseNumber() {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    auto digits = [&] {
      size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == d) Fail("invalid number");
    };
    digits();
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      digits();
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      digits();
    }
    std::string copy(s_.substr(start, pos_ - start));
    return std::strtod(copy.c_str(), nullptr);
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  uint32_t ParseHex4() {
    if (pos_ + 4 > s_.size()) Fail("truncated \\u escape");
    uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        Fail("invalid \\u escape");
      }
    }
    return cp;
  }

  std::string ParseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) Fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) Fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) Fail("unterminated string");
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = ParseHex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") Fail("unpaired surrogate in \\u escape");
            pos_ += 2;
            uint32_t lo = ParseHex4();
            if (lo < 0xDC00 || lo > 0xDFFF) Fail("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            Fail("unpaired surrogate in \\u escape");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          Fail(ShowByte(e).size() == 3 ? std::string("invalid escape '\\") + e + "'"
                                       : "invalid escape: \\ before " + ShowByte(e));
      }
    }
  }

  void ParseArray(Value& v, int depth) {
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return;
    }
    while (true) {
      SkipSpace();
      v.items_.push_back(ParseValue(depth + 1));
      SkipSpace();
      if (pos_ >= s_.size()) Fail("unterminated array");
      char c = s_[pos_++];
      if (c == ']') return;
      if (c != ',') Fail("expected ',' or ']' in array");
    }
  }

  void ParseObject(Value& v, int depth) {
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return;
    }
    // Member names seen, for the duplicate check once an object outgrows a linear scan (a
    // record's attributes can number in the hundred thousands).
    constexpr size_t kLinearScan = 16;
    std::unordered_set<std::string> seen;
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') Fail("expected a quoted member name");
      int key_line = line_;
      std::string key = ParseString();
      bool duplicate = false;
      if (v.members_.size() < kLinearScan) {
        for (const auto& member : v.members_) duplicate = duplicate || member.first == key;
      } else {
        if (seen.empty()) {
          for (const auto& member : v.members_) seen.insert(member.first);
        }
        duplicate = !seen.insert(key).second;
      }
      if (duplicate) throw Error(key_line, "duplicate member \"" + key + "\"");
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') Fail("expected ':' after member name");
      ++pos_;
      SkipSpace();
      v.members_.emplace_back(std::move(key), ParseValue(depth + 1));
      SkipSpace();
      if (pos_ >= s_.size()) Fail("unterminated object");
      char c = s_[pos_++];
      if (c == '}') return;
      if (c != ',') Fail("expected ',' or '}' in object");
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  int line_ = 1;
  int max_depth_;
};

inline Value Parse(std::string_view text) {
  return Parser(text).Parse();
}

// Appends `s` to `out` as a JSON string literal (quotes included). Runs of bytes that need no
// escaping are copied whole: this is the engine's output hot path too.
inline void AppendQuoted(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  size_t first = 0;  // the first byte that needs escaping
  while (first < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[first]);
    if (c < 0x20 || c == '"' || c == '\\') break;
    ++first;
  }
  if (first == s.size()) {
    // Nothing to escape (keys, labels, most texts): one resize and one copy.
    const size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = &out[at];
    p[0] = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out += '"';
  out.append(s.data(), first);
  size_t run = first;  // start of the current run of bytes that need no escaping
  for (size_t i = first; i < s.size(); ++i) {
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
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// Serializes a value back to compact JSON (object members in document order).
inline void Dump(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::kNull:
      out += "null";
      break;
    case Type::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Type::kNumber: {
      double d = v.as_number();
      char buf[32];
      if (d == static_cast<double>(static_cast<long long>(d)) && d > -1e15 && d < 1e15) {
        std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(d));
        out += buf;
      } else {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
        // The shortest text that reads back as the same double: 0.1 stays "0.1", and a value
        // written by the engine's JSON writer dumps as it was written.
        auto res = std::to_chars(buf, buf + sizeof(buf), d);
        out.append(buf, res.ptr);
#else
        std::snprintf(buf, sizeof(buf), "%.17g", d);
        out += buf;
#endif
      }
      break;
    }
    case Type::kString:
      AppendQuoted(out, v.as_string());
      break;
    case Type::kArray: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!first) out += ',';
        first = false;
        Dump(item, out);
      }
      out += ']';
      break;
    }
    case Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        AppendQuoted(out, key);
        out += ':';
        Dump(item, out);
      }
      out += '}';
      break;
    }
  }
}

inline std::string Dump(const Value& v) {
  std::string out;
  Dump(v, out);
  return out;
}

}  // namespace feedloop::json

#endif  // FEEDLOOP_JSON_HPP_
