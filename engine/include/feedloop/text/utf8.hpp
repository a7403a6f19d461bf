// UTF-8 checks and repair for customer text: exact byte offsets of the first bad sequence
// (overlong forms, surrogates, truncated sequences, code points above U+10FFFF all count).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace feedloop::text {

// Offset of the first byte that does not start a valid UTF-8 sequence, or nullopt if valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Replaces every invalid sequence with U+FFFD; `replaced` counts replacements.
std::string RepairUtf8(std::string_view s, size_t* replaced);

inline bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// A..Z as a..z, every other byte as it is (so UTF-8 stays valid): for names and keywords
// compared ignoring case, whatever the process's locale.
inline char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}
// `s` without the ASCII white space (space, \t, \n, \v, \f, \r) at either end.
inline std::string_view TrimAsciiSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}
inline bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

}  // namespace feedloop::text
