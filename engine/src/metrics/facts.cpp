#include "feedloop/metrics/facts.hpp"

namespace feedloop::metrics {

TurnRole ParseTurnRole(std::string_view role) {
  if (IsCustomerRole(role)) return TurnRole::kCustomer;
  if (role == "agent") return TurnRole::kAgent;
  if (role == "bot") return TurnRole::kBot;
  return TurnRole::kOther;
}

void ItemFacts::Clear() {
  kind = Kind::kReview;
  score.reset();
  created_at = kNoTime;
  id = source = customer_id = sku = channel = region = language = text = root_cause = {};
  attrs.clear();
  sentiment.reset();
  root_confidence = 0;
  evidence.clear();
  tags.clear();
  first_turn_sentiment.reset();
  last_turn_sentiment.reset();
  turns.clear();
}

SentimentClass ClassifySentiment(double score) {
  if (score >= 0.05) return SentimentClass::kPositive;
  if (score <= -0.05) return SentimentClass::kNegative;
  return SentimentClass::kNeutral;
}

bool IsLowScore(Kind kind, double score) {
  switch (kind) {
    case Kind::kNps:
      return score <= 6;
    case Kind::kCes:
      return score <= 3;
    case Kind::kReview:
    case Kind::kCsat:
    case Kind::kTranscript:
      return score <= 2;
  }
  return false;
}

bool IsComplaint(const ItemFacts& facts) {
  if (!facts.root_cause.empty()) return true;
  if (facts.sentiment && ClassifySentiment(*facts.sentiment) == SentimentClass::kNegative)
    return true;
  return facts.score && IsLowScore(facts.kind, *facts.score);
}

std::string_view TagCategory(std::string_view label) {
  size_t cut = label.find_first_of("./:");
  return cut == std::string_view::npos ? label : label.substr(0, cut);
}

}  // namespace feedloop::metrics
