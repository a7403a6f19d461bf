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

// A new member changes the size: add it to Reset, then update the size here.
static_assert(sizeof(void*) != 8 || sizeof(Item) == 384, "Item changed: reset the new member");

void Item::Reset() {
  id.clear();
  kind = Kind::kReview;
  source.clear();
  created_at = kNoTime;
  score.reset();
  text.clear();
  customer_id.clear();
  order_id.clear();
  sku.clear();
  channel.clear();
  region.clear();
  language.clear();
  attrs_json.assign("{}");
  turns.clear();
  redactions = 0;
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
