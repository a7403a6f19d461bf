#include "feedloop/text/utf8.hpp"

#include <simdjson.h>

namespace feedloop::text {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF).
size_t ValidSequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = s.size() - i;
  auto cont = [&](size_t k) { return k < n && (byte(i + k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  if (simdjson::validate_utf8(s.data(), s.size())) return std::nullopt;
  for (size_t i = 0; i < s.size();) {
    size_t len = ValidSequenceLength(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::nullopt;
}

std::string RepairUtf8(std::string_view s, size_t* replaced) {
  std::string out;
  out.reserve(s.size());
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = ValidSequenceLength(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++count;
      ++i;
      // A truncated multi-byte sequence is one error, not one per continuation byte.
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    out.append(s.data() + i, len);
    i += len;
  }
  if (replaced != nullptr) *replaced = count;
  return out;
}

}  // namespace feedloop::text
