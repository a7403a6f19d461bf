// ItemFacts: what one analyzed item contributes to the report's aggregates. Built by the store
// reader (one row of a single streaming SELECT) and, later, by `feedloop stream`; the Aggregator
// consumes it, so both paths share every counting rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "feedloop/core/item.hpp"

namespace feedloop::metrics {

// A byte range [begin, end) of an item's text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

enum class TurnRole : uint8_t { kCustomer, kAgent, kBot, kOther };
TurnRole ParseTurnRole(std::string_view role);

struct TurnFact {
  TurnRole role = TurnRole::kOther;
  int64_t at = kNoTime;  // Unix seconds, UTC
};

// A view of one item: every string_view points into memory the caller owns and keeps alive for
// the duration of Aggregator::Add. The aggregator copies only what enters a bounded sample
// (a quote, a save-list entry). Reuse one ItemFacts across items: Clear keeps the capacity.
struct ItemFacts {
  Kind kind = Kind::kReview;
  std::optional<double> score;
  int64_t created_at = kNoTime;
  std::string_view id;  // the record's id in its source
  std::string_view source;
  std::string_view customer_id;
  std::string_view sku;
  std::string_view channel;
  std::string_view region;
  std::string_view language;
  // attrs values by name; the producer includes at least the ones used as segments.
  std::vector<std::pair<std::string_view, std::string_view>> attrs;
  std::string_view text;  // the analysed text (a transcript's customer turns joined by "\n")

  std::optional<double> sentiment;
  std::string_view root_cause;  // empty: none
  double root_confidence = 0;
  std::vector<Span> evidence;  // spans of `text` supporting the root cause
  std::vector<std::string_view> tags;
  std::optional<double> first_turn_sentiment;
  std::optional<double> last_turn_sentiment;
  std::vector<TurnFact> turns;  // transcripts, in conversation order

  void Clear();
};

// Sentiment labels at +-0.05, as everywhere in feedloop.
enum class SentimentClass { kNegative, kNeutral, kPositive };
SentimentClass ClassifySentiment(double score);

// A score on the unhappy end of its scale: NPS 0-6 (a detractor), CES 1-3, star ratings,
// CSAT and post-chat ratings 1-2. The "detractor-equivalent" used for SKUs and segments.
bool IsLowScore(Kind kind, double score);

// A complaint: an item with a root cause, a negative sentiment or a low score.
bool IsComplaint(const ItemFacts& facts);

// The category of a tag label: the part before the first '.', '/' or ':' ("delivery.late" ->
// "delivery"); the label itself when it has none.
std::string_view TagCategory(std::string_view label);

}  // namespace feedloop::metrics
