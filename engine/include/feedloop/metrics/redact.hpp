// PII masking for customer text that leaves the store in a report, with the engine's redactor
// (text/pii.hpp: e-mail addresses, phone numbers, payment-card and IBAN numbers, street
// addresses, each replaced by "[email]", "[phone]", ...). The store may hold raw text (redaction
// at ingest can be turned off), so every quote is masked again when it enters a sample.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "feedloop/metrics/facts.hpp"

namespace feedloop::metrics {

// Returns `text` with PII masked. Spans in `spans` (byte offsets into `text`) are moved onto the
// result: unchanged before the first masked item, found again by their text after it, dropped
// when their text held PII. Thread-safe.
std::string RedactPii(std::string_view text, std::vector<Span>* spans = nullptr);

}  // namespace feedloop::metrics
