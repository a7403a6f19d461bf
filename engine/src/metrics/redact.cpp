#include "feedloop/metrics/redact.hpp"

#include <algorithm>
#include <memory>

#include "feedloop/text/pii.hpp"

namespace feedloop::metrics {
namespace {

// The engine's redactor with every built-in detector on (the ingest's may be configured off).
const text::Redactor& QuoteRedactor() {
  static const std::shared_ptr<const text::Redactor> redactor = [] {
    Result<std::shared_ptr<const text::Redactor>> r = text::Redactor::Create(text::PiiOptions{});
    return r.ok() ? r.value() : nullptr;  // no custom pattern: creation cannot fail
  }();
  return *redactor;
}

}  // namespace

std::string RedactPii(std::string_view text, std::vector<Span>* spans) {
  std::string out = QuoteRedactor().Redact(text, nullptr);
  if (spans == nullptr || spans->empty() || out == text) return out;
  // Spans before the first change keep their offsets; later ones are found again by their text,
  // in order, after the previous one. A span whose text held PII is no longer there: dropped.
  size_t first_change = 0;
  while (first_change < out.size() && first_change < text.size() &&
         out[first_change] == text[first_change]) {
    ++first_change;
  }
  std::sort(spans->begin(), spans->end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> moved;
  size_t cursor = first_change;
  for (const Span& s : *spans) {
    if (s.begin >= s.end || s.end > text.size()) continue;
    if (s.end <= first_change) {
      moved.push_back(s);
      continue;
    }
    std::string_view phrase = text.substr(s.begin, s.end - s.begin);
    size_t at = out.find(phrase, std::max<size_t>(cursor, std::min<size_t>(s.begin, first_change)));
    if (at == std::string::npos) continue;
    moved.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(at + phrase.size())});
    cursor = at + phrase.size();
  }
  *spans = std::move(moved);
  return out;
}

}  // namespace feedloop::metrics
