// Fuzz target: PII redaction (e-mail addresses, phone, card and IBAN numbers, street addresses,
// and a custom ICU pattern) on any text, valid UTF-8 or not, plus the Luhn and IBAN checks.
//
// Input: one option byte, then the text.
//   bit 0  redact the raw bytes as they are, without repairing invalid UTF-8
//
// Invariants: redacting valid UTF-8 gives valid UTF-8; a text in which nothing was counted comes
// back unchanged; every counted item left its placeholder; nothing grows without bound.
#include <cstdint>
#include <string>

#include "feedloop/text/pii.hpp"
#include "feedloop/text/utf8.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  static const std::shared_ptr<const text::Redactor> redactor = [] {
    text::PiiOptions options;
    options.patterns = {"ORD-[0-9]{6}", "(?i)member\\s*#\\s*\\d+"};
    Result<std::shared_ptr<const text::Redactor>> r = text::Redactor::Create(options);
    FUZZ_CHECK(r.ok(), r.status().message());
    return r.value();
  }();
  Input in(data, size);
  const uint8_t opts = in.Byte();
  std::string input(in.Rest());
  if ((opts & 1) == 0) {
    size_t replaced = 0;
    input = text::RepairUtf8(input, &replaced);
  }
  const bool valid = ValidUtf8(input);
  text::PiiCounts counts;
  const std::string out = redactor->Redact(input, &counts);
  for (int64_t n : counts.by_kind) FUZZ_CHECK(n >= 0, "negative count");
  if (counts.total() == 0) FUZZ_CHECK(out == input, "changed without a redaction: " + Show(out));
  if (valid)
    FUZZ_CHECK(ValidUtf8(out), "redaction broke UTF-8: " + Show(input) + " -> " + Show(out));
  // Each kind counted has its placeholder in the output ("[redacted]" for custom patterns).
  for (int k = 0; k < text::kPiiKindCount; ++k) {
    if (counts.by_kind[static_cast<size_t>(k)] == 0) continue;
    const char* placeholder = text::PiiPlaceholder(static_cast<text::PiiKind>(k));
    FUZZ_CHECK(out.find(placeholder) != std::string::npos,
               std::string(text::PiiKindName(static_cast<text::PiiKind>(k))) + " counted but " +
                   placeholder + " missing: " + Show(out));
  }
  FUZZ_CHECK(
      out.size() <= input.size() * 12 + 16,
      "output grew from " + std::to_string(input.size()) + " to " + std::to_string(out.size()));
  // The checksum helpers on whatever digits and letters the text holds.
  std::string digits, alnum;
  for (char c : input) {
    if (c >= '0' && c <= '9') digits += c;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) alnum += c;
  }
  (void)text::LuhnValid(digits);
  (void)text::IbanValid(alnum);
  return 0;
}
