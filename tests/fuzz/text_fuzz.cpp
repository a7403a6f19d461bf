// Fuzz target: UTF-8 validation and repair, text normalization, whitespace collapsing and
// excerpts, on any bytes.
//
// Input: the bytes.
//
// Invariants: FindInvalidUtf8 agrees with a plain RFC 3629 decoder, to the byte; RepairUtf8 gives
// valid UTF-8, leaves valid text alone and counts a replacement exactly when the text was invalid;
// NormalizeText gives valid UTF-8 without controls or carriage returns and is idempotent;
// CollapseSpaces leaves no leading, trailing or doubled blanks; excerpts stay within their byte
// limit and valid.
#include <cstdint>
#include <optional>
#include <string>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {
namespace {

// Offset of the first invalid sequence, decoding one code point at a time (the reference).
std::optional<size_t> ReferenceInvalid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return i;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : len == 4 ? 0x10000 : 0;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  const std::optional<size_t> bad = text::FindInvalidUtf8(raw);
  const std::optional<size_t> expected = ReferenceInvalid(raw);
  FUZZ_CHECK(bad == expected, "invalid at " + (bad ? std::to_string(*bad) : std::string("-")) +
                                  ", the reference says " +
                                  (expected ? std::to_string(*expected) : std::string("-")));
  size_t replaced = 0;
  const std::string repaired = text::RepairUtf8(raw, &replaced);
  FUZZ_CHECK(ValidUtf8(repaired), Show(repaired));
  FUZZ_CHECK((replaced == 0) == !bad.has_value(), std::to_string(replaced) + " replacements");
  if (!bad) FUZZ_CHECK(repaired == raw, "valid text changed by the repair");

  const std::string normalized = text::NormalizeText(repaired);
  FUZZ_CHECK(ValidUtf8(normalized), Show(normalized));
  for (unsigned char c : normalized) {
    FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n', "control character left: " + Show(normalized));
    FUZZ_CHECK(c != 0x7F, "DEL left: " + Show(normalized));
  }
  FUZZ_CHECK(text::NormalizeText(normalized) == normalized, "not idempotent: " + Show(normalized));
  // Invalid input is not the contract, but must not break anything.
  (void)text::NormalizeText(raw);

  const std::string collapsed = text::CollapseSpaces(normalized);
  FUZZ_CHECK(collapsed.empty() || (collapsed.front() != ' ' && collapsed.back() != ' '),
             Show(collapsed));
  FUZZ_CHECK(collapsed.find("  ") == std::string::npos, Show(collapsed));
  FUZZ_CHECK(ValidUtf8(collapsed), Show(collapsed));

  for (size_t limit : {3, 4, 5, 7, 16, 40, 200}) {
    const std::string excerpt = text::Excerpt(normalized, limit);
    FUZZ_CHECK(excerpt.size() <= limit && ValidUtf8(excerpt),
               std::to_string(limit) + ": " + Show(excerpt));
    const std::string display = text::DisplayExcerpt(raw, limit);
    FUZZ_CHECK(display.size() <= limit && ValidUtf8(display),
               std::to_string(limit) + ": " + Show(display));
  }
  return 0;
}
