// The item: one piece of customer feedback in feedloop's canonical schema (see docs/schema.md).
// Every reader produces Items; the store keeps them; the pipeline hands views of them to plugins.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop {

enum class Kind { kReview = 0, kNps, kCsat, kCes, kTranscript };
inline constexpr int kKindCount = 5;

std::string_view KindName(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);

// The valid score range of a kind: stars 1-5, NPS 0-10, CSAT 1-5, CES 1-7 (transcripts carry an
// optional post-chat CSAT, 1-5).
struct ScoreRange {
  double low;
  double high;
};
ScoreRange ScoreRangeOf(Kind kind);

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// One message of a support conversation.
struct Turn {
  std::string role;      // "customer", "agent" or "bot"
  int64_t at = kNoTime;  // Unix seconds, UTC
  std::string text;
};

struct Item {
  std::string id;
  Kind kind = Kind::kReview;
  std::string source;
  int64_t created_at = kNoTime;  // Unix seconds, UTC
  std::optional<double> score;
  std::string text;
  std::string customer_id;
  std::string order_id;
  std::string sku;
  std::string channel;
  std::string region;
  std::string language;
  std::string attrs_json = "{}";  // a JSON object
  std::vector<Turn> turns;
  int32_t redactions = 0;  // PII items replaced in this item's text before it was stored

  // Makes it equal to Item() but keeps the strings' memory: readers map millions of records into
  // one reused Item. Every member must be reset here (the static_assert in item.cpp counts them).
  void Reset();
};

// The text plugins classify: the item's text, or for a transcript its customer turns joined by
// "\n" (agent and bot turns are context, not the complaint).
std::string AnalysisText(const Item& item);

// True for roles whose turns carry the customer's voice.
inline bool IsCustomerRole(std::string_view role) {
  return role == "customer" || role == "user";
}

}  // namespace feedloop
