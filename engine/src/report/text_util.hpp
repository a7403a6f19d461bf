// Helpers shared by the HTML and Markdown renderers (private to engine/src/report).
#pragma once

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/metrics/facts.hpp"
#include "feedloop/report/model.hpp"

namespace feedloop::report::detail {

// Sorted, merged spans moved onto UTF-8 character boundaries and clipped to the text.
inline std::vector<metrics::Span> CleanSpans(std::string_view text,
                                             std::vector<metrics::Span> spans) {
  auto continuation = [&](size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  std::vector<metrics::Span> out;
  for (metrics::Span s : spans) {
    size_t b = std::min<size_t>(s.begin, text.size()), e = std::min<size_t>(s.end, text.size());
    while (b > 0 && continuation(b)) --b;
    while (e < text.size() && continuation(e)) ++e;
    if (b < e) out.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
  }
  std::sort(out.begin(), out.end(),
            [](const metrics::Span& a, const metrics::Span& b) { return a.begin < b.begin; });
  std::vector<metrics::Span> merged;
  for (const metrics::Span& s : out) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// Calls plain(text) and marked(text) over the pieces of `text` outside and inside the spans.
template <class Plain, class Marked>
void ForEachPiece(std::string_view text, const std::vector<metrics::Span>& spans, Plain&& plain,
                  Marked&& marked) {
  size_t pos = 0;
  for (const metrics::Span& s : CleanSpans(text, spans)) {
    if (s.begin > pos) plain(text.substr(pos, s.begin - pos));
    marked(text.substr(s.begin, s.end - s.begin));
    pos = s.end;
  }
  if (pos < text.size()) plain(text.substr(pos));
}

inline std::string Fmt(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

// "-2.1 to 27.1": a confidence interval for people.
inline std::string CiText(const metrics::Interval& ci, int decimals) {
  return FormatNumber(ci.low, decimals) + " to " + FormatNumber(ci.high, decimals);
}

// A cause's NPS impact with its interval and n: "-5.9 (-9.8 to -2.1; n 40)"; below min n the
// interval gives way to "n too small": "-5.9 (n 6, n too small)"; without answers "— (n 0)".
inline std::string ImpactText(const Metric& impact) {
  if (impact.n <= 0) return "\xE2\x80\x94 (n 0)";
  std::string n = "n " + std::to_string(impact.n);
  std::string v = FormatSigned(impact.value, 1);
  if (impact.low_n) return v + " (" + n + ", n too small)";
  if (impact.value && impact.ci) return v + " (" + CiText(*impact.ci, 1) + "; " + n + ")";
  return v + " (" + n + ")";
}

// "W47" for weeks, "11-16" for days, "2026-11" for months: short axis labels.
inline std::string ShortLabel(const std::string& period) {
  size_t w = period.find("-W");
  if (w != std::string::npos) return period.substr(w + 1);
  if (period.size() == 10) return period.substr(5);
  return period;
}

// Whether a higher value of a figure is good news (for colouring changes).
enum class Better { kHigher, kLower, kNeutral };

}  // namespace feedloop::report::detail
