// Fixtures for the report tests: items described in a line of code, owned strings behind the
// ItemFacts views, and states built from them.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feedloop/core/time.hpp"
#include "feedloop/metrics/aggregate.hpp"

namespace feedloop::testing {

// Monday 2026-11-16 00:00 UTC: the start of 2026-W47.
inline constexpr int64_t kW47 = 1794787200;
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kWeek = 7 * kDay;

// One item with owned strings; Facts() returns a view valid while this object lives.
struct TestItem {
  Kind kind = Kind::kReview;
  std::optional<double> score;
  int64_t at = kW47 + 3600;
  std::string id;
  std::string source = "test";
  std::string customer;
  std::string sku;
  std::string channel;
  std::string region;
  std::string text = "text";
  std::optional<double> sentiment;
  std::string cause;
  double confidence = 0.8;
  std::vector<metrics::Span> evidence;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<metrics::TurnFact> turns;
  std::optional<double> first_turn, last_turn;

  metrics::ItemFacts Facts() const {
    metrics::ItemFacts f;
    f.kind = kind;
    f.score = score;
    f.created_at = at;
    f.id = id;
    f.source = source;
    f.customer_id = customer;
    f.sku = sku;
    f.channel = channel;
    f.region = region;
    f.text = text;
    f.sentiment = sentiment;
    f.root_cause = cause;
    f.root_confidence = confidence;
    f.evidence = evidence;
    for (const std::string& t : tags) f.tags.push_back(t);
    for (const auto& [k, v] : attrs) f.attrs.emplace_back(k, v);
    f.turns = turns;
    f.first_turn_sentiment = first_turn;
    f.last_turn_sentiment = last_turn;
    return f;
  }
};

// Builders for the common kinds.
inline TestItem Nps(double score, int64_t at = kW47 + 3600, std::string cause = "") {
  TestItem t;
  t.kind = Kind::kNps;
  t.score = score;
  t.at = at;
  t.cause = std::move(cause);
  return t;
}

inline TestItem Csat(double score, int64_t at = kW47 + 3600) {
  TestItem t;
  t.kind = Kind::kCsat;
  t.score = score;
  t.at = at;
  return t;
}

// 100 NPS answers and 30 reviews in W47, for a cause whose impact rests on few answers. Returns:
// 10 detractors and 30 one-star reviews (40 mentions, but its impact rests on 10 answers).
// Delivery: 15 promoters, 20 passives, 5 detractors. The rest: 35 promoters, 15 passives.
// NPS(all) = (50 - 15) / 100 = 35.
inline std::vector<TestItem> SmallImpactItems() {
  std::vector<TestItem> items;
  for (int i = 0; i < 10; ++i) items.push_back(Nps(0, kW47 + 3600, "returns"));
  for (int i = 0; i < 30; ++i) {
    TestItem review;
    review.score = 1;
    review.cause = "returns";
    items.push_back(review);
  }
  for (int i = 0; i < 40; ++i)
    items.push_back(Nps(i < 15 ? 9 : (i < 35 ? 7 : 5), kW47 + 3600, "delivery"));
  for (int i = 0; i < 50; ++i) items.push_back(Nps(i < 35 ? 10 : 8));
  return items;
}

// Gives every item a distinct id (the hash tie-break and dedupe need them).
inline void NumberItems(std::vector<TestItem>& items, const std::string& prefix = "i") {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id.empty()) items[i].id = prefix + std::to_string(i);
  }
}

inline metrics::AggregateState BuildState(const std::vector<TestItem>& items,
                                          const metrics::AggregateOptions& options = {}) {
  auto agg = metrics::Aggregator::Create(options);
  for (const TestItem& t : items) (*agg)->Add(t.Facts());
  return (*agg)->Take();
}

inline Period WeekOf(int64_t t) {
  return Period{Granularity::kWeek, (t / kDay + 3) / 7};
}

}  // namespace feedloop::testing
