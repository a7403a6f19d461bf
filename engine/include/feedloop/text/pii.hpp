// PII redaction: e-mail addresses, phone numbers (international forms), payment card numbers
// (Luhn-checked), IBANs (mod-97-checked), street addresses where a house number and a street word
// make them detectable, and patterns a workspace adds (ICU regular expressions). Applied to
// customer text before it is stored, so no report or export can show it. Customer ids can be
// replaced by a keyed hash.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/core/status.hpp"

namespace feedloop::text {

enum class PiiKind { kEmail = 0, kPhone, kCard, kIban, kAddress, kCustom };
inline constexpr int kPiiKindCount = 6;

const char* PiiKindName(PiiKind kind);     // "email", "phone", ...
const char* PiiPlaceholder(PiiKind kind);  // "[email]", "[phone]", ...

struct PiiOptions {
  bool email = true;
  bool phone = true;
  bool card = true;
  bool iban = true;
  bool address = true;
  std::vector<std::string> patterns;  // ICU regular expressions, replaced by "[redacted]"
  // Non-empty: customer ids are pseudonymized with a keyed hash (HMAC-SHA-256 with this secret),
  // so one customer's items still group, and only who holds the secret can tell who it is.
  std::string customer_id_secret;
};

// Counts of what was replaced.
struct PiiCounts {
  std::array<int64_t, kPiiKindCount> by_kind{};
  int64_t total() const {
    int64_t t = 0;
    for (int64_t n : by_kind) t += n;
    return t;
  }
  PiiCounts& operator+=(const PiiCounts& o) {
    for (int i = 0; i < kPiiKindCount; ++i)
      by_kind[static_cast<size_t>(i)] += o.by_kind[static_cast<size_t>(i)];
    return *this;
  }
};

// Immutable after Create; Redact is thread-safe.
class Redactor {
 public:
  // Fails when a custom pattern is not a valid regular expression.
  static Result<std::shared_ptr<const Redactor>> Create(const PiiOptions& options);
  ~Redactor();

  // Returns `text` with every detected item replaced by its placeholder; `counts` (may be null)
  // accumulates what was replaced. Text without candidates is returned unchanged at the cost of
  // one scan.
  std::string Redact(std::string_view text, PiiCounts* counts) const;
  // Redact(*text) in place: `text` is left as it is (no copy) when nothing is found. Returns
  // whether anything was replaced.
  bool RedactInPlace(std::string* text, PiiCounts* counts) const;

  // Redacts an excerpt of raw input (text::DisplayExcerpt, "..." where it was cut). A number, an
  // e-mail address or an IBAN cut in two is not recognised, yet its head can still tell who it is
  // ("4111 1111 1111 11", "jane.doe@exa"): a cut excerpt first loses the word the cut went
  // through, then the digits and separators before it. Never longer than `excerpt`.
  std::string RedactExcerpt(std::string_view excerpt, PiiCounts* counts) const;

  // The pseudonym of a customer id ("h-" and 20 hex digits of its HMAC-SHA-256), or the id
  // itself when no secret is set. Deterministic: the same id and secret give the same pseudonym.
  std::string PseudonymizeId(std::string_view id) const;
  bool pseudonymizes_ids() const { return !options_.customer_id_secret.empty(); }

 private:
  Redactor() = default;
  // The redacted `s` into `out`, or false (and `out` unspecified) when nothing is to be replaced.
  bool RedactTo(std::string_view s, PiiCounts* counts, std::string* out) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  PiiOptions options_;
};

// Passes the Luhn check (payment card numbers); `digits` holds digits only.
bool LuhnValid(std::string_view digits);
// Passes the IBAN mod-97 check; `iban` holds letters and digits only.
bool IbanValid(std::string_view iban);

}  // namespace feedloop::text
