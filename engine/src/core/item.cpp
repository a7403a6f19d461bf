#include "feedloop/core/item.hpp"

namespace feedloop {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kReview:
      return "review";
    case Kind::kNps:
      return "nps";
    case Kind::kCsat:
      return "csat";
    case Kind::kCes:
      return "ces";
    case Kind::kTranscript:
      return "transcript";
  }
  return "review";
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (int k = 0; k < kKindCount; ++k) {
    if (KindName(static_cast<Kind>(k)) == name) return static_cast<Kind>(k);
  }
  return std::nullopt;
}

ScoreRange ScoreRangeOf(Kind kind) {
  switch (kind) {
    case Kind::kNps:
      return {0, 10};
    case Kind::kCes:
      return {1, 7};
    case Kind::kReview:
    case Kind::kCsat:
    case Kind::kTranscript:
      return {1, 5};
  }
  return {1, 5};
}

std::string AnalysisText(const Item& item) {
  if (item.kind != Kind::kTranscript || item.turns.empty()) return item.text;
  std::string text;
  for (const Turn& turn : item.turns) {
    if (!IsCustomerRole(turn.role)) continue;
    if (!text.empty()) text += '\n';
    text += turn.text;
  }
  return text;
}

}  // namespace feedloop
