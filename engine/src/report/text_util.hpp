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
