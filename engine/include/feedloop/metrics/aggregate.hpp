// The aggregate state behind every report: counts and sums per period, cause, tag, SKU, segment
// value and transcript timing, plus bounded deterministic samples (quote candidates, save-list
// candidates). Built one item at a time by an Aggregator, merged exactly, serialized as the
// versioned "feedloop-aggregate" JSON (docs/report-schema.md). `feedloop report` builds it from
// the store; `feedloop stream --partial` and `feedloop merge` build and combine it elsewhere.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/metrics/facts.hpp"

namespace feedloop::metrics {

// Scores and sentiments are summed in fixed point (1/10000), so sums are integers and merging
// is exact and independent of order. Stored scores have at most 4 decimals anyway.
inline constexpr int64_t kFixedScale = 10000;
int64_t ToFixed(double v);
inline double FromFixed(int64_t v) {
  return static_cast<double>(v) / kFixedScale;
}

// How the figures of a set of items are scored. Every member is a count or a fixed-point sum.
struct Scores {
  int64_t items = 0;
  std::array<int64_t, kKindCount> by_kind{};
  int64_t nps_promoters = 0;                        // 9-10
  int64_t nps_passives = 0;                         // 7-8
  int64_t nps_detractors = 0;                       // 0-6
  int64_t csat_n = 0, csat_top2 = 0, csat_sum = 0;  // CSAT answers, of them 4-5, sum of scores
  int64_t ces_n = 0, ces_sum = 0;
  int64_t rating_n = 0, rating_sum = 0;  // review stars
  int64_t sentiment_n = 0, sentiment_sum = 0;
  int64_t positive = 0, neutral = 0, negative = 0;
  int64_t scored = 0, low_scored = 0;  // items with a score, and of them IsLowScore
  int64_t complaints = 0;

  int64_t nps_n() const { return nps_promoters + nps_passives + nps_detractors; }
  void Add(const ItemFacts& facts, bool complaint);
  void Merge(const Scores& other);
  // Subtracts a subset (the items of one cause from all items).
  Scores Minus(const Scores& subset) const;
  bool operator==(const Scores&) const = default;
};

// Maps keyed by text (causes, tags, SKUs, customers...): hash maps with lookups by string_view.
// Their iteration order is unspecified; everything that is written or shown sorts the keys.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// First-response time histogram: upper bounds in minutes of each bucket; the last bucket is
// open-ended. Fixed, so histograms merge by adding and medians are reproducible.
inline constexpr std::array<int64_t, 22> kResponseBucketBounds = {
    5,   10,  15,  30,   45,   60,   90,   120,  180,  240,  360,
    480, 720, 960, 1200, 1440, 1800, 2160, 2880, 4320, 7200, 10080};
inline constexpr size_t kResponseBuckets = kResponseBucketBounds.size() + 1;
size_t ResponseBucket(int64_t minutes);

struct TranscriptStats {
  int64_t conversations = 0;
  int64_t answered = 0;  // an agent replied after the first customer message
  std::array<int64_t, kResponseBuckets> first_response{};  // answered, by minutes to reply
  int64_t resolved = 0;
  int64_t rated = 0, rated_top2 = 0, rated_sum = 0;  // post-chat ratings (1-5)
  int64_t sentiment_pairs = 0, start_sum = 0, end_sum = 0;
  int64_t ended_better = 0, ended_worse = 0;  // end - start >= 0.05 / <= -0.05
  StringMap<int64_t> causes;                  // root causes of contact

  void Merge(const TranscriptStats& other);
  bool operator==(const TranscriptStats&) const = default;
};

// A quote candidate: an item's text (redacted, at most ~400 bytes around the evidence) with the
// evidence spans rebased onto it.
struct Quote {
  int64_t typicality = 0;  // fixed point, 0..1
  uint64_t hash = 0;       // Hash64 of source + '\0' + id: the tie-break
  std::string source;
  std::string id;
  std::string customer_id;
  Kind kind = Kind::kReview;
  int64_t created_at = kNoTime;
  std::optional<double> score;
  std::string text;
  std::vector<Span> evidence;
  bool operator==(const Quote&) const = default;
};
// The sample order: most typical first, then by hash, source and id (a strict total order).
bool QuoteBefore(const Quote& a, const Quote& b);

// Why a customer is at risk (bit flags).
enum RiskReason : uint32_t {
  kRiskDetractor = 1,      // an NPS answer 0-6
  kRiskNegativeCause = 2,  // negative sentiment with an operational root cause
  kRiskUnresolved = 4,     // a support conversation that was not resolved
  kRiskLowScore = 8,       // a CSAT, star or post-chat rating 1-2, or CES 1-3
};

// A save-list candidate: one customer's complaints in one period.
struct CustomerRisk {
  int64_t complaints = 0;
  int64_t risk = 0;  // fixed point, the sum of the complaints' weights
  uint32_t reasons = 0;
  int64_t worst_nps = -1;  // lowest NPS answer among the complaints, -1: none
  // Complaints by root cause, sorted by cause (a few entries: a vector, not a map).
  std::vector<std::pair<std::string, int64_t>> causes;
  // The latest complaint (by time, then hash).
  int64_t last_at = kNoTime;
  uint64_t last_hash = 0;
  std::string last_source;
  std::string last_id;
  std::string last_cause;
  Kind last_kind = Kind::kReview;
  std::optional<double> last_score;
  std::string last_text;  // redacted excerpt

  void Merge(const CustomerRisk& other);
  bool operator==(const CustomerRisk&) const = default;
};

// Save-list candidates by customer id, sorted by id: a flat list, because a period can hold
// hundreds of thousands of them and a map would cost an allocation each.
using CustomerList = std::vector<std::pair<std::string, CustomerRisk>>;
// The customer's entry, or nullptr.
const CustomerRisk* FindCustomer(const CustomerList& list, std::string_view id);

// Keeps the `keep` riskiest candidates of `list` (risk, then the latest complaint, then the id),
// sorted by id as before.
void KeepRiskiest(CustomerList* list, int64_t keep);

// A complaint's weight in the risk score (fixed point); see docs/report.md.
int64_t ComplaintWeight(const ItemFacts& facts, bool unresolved);

// Everything one period holds. Maps are unordered (see StringMap).
struct PeriodState {
  Scores all;
  int64_t latest = kNoTime;  // the latest item time in the period
  StringMap<int64_t> sources;
  StringMap<Scores> causes;        // items mentioning the cause (root cause or tag category)
  StringMap<int64_t> root_causes;  // items whose root cause it is
  StringMap<int64_t> tags;         // items carrying the tag
  StringMap<Scores> skus;
  StringMap<StringMap<int64_t>> sku_causes;  // sku -> cause -> mentions
  // Per configured segment field (same order as AggregateOptions::segment_fields).
  std::vector<StringMap<Scores>> segments;
  std::vector<StringMap<StringMap<int64_t>>> segment_causes;  // value -> cause -> mentions
  TranscriptStats transcripts;
  StringMap<std::vector<Quote>> quotes;  // per root cause, the top quotes_per_cause
  CustomerList customers;                // complaining customers, sorted by id

  bool operator==(const PeriodState&) const = default;
};

struct AggregateOptions {
  Granularity granularity = Granularity::kWeek;
  std::string time_zone = "UTC";
  // channel, region, source, kind, language, sku, or attrs.NAME.
  std::vector<std::string> segment_fields = {"channel", "region", "source", "kind"};
  int quotes_per_cause = 24;
  // Periods before this index keep their counts but no samples (quotes, save-list candidates):
  // a report reads twelve periods of trends but samples only from its last few. Default: all.
  int64_t samples_from = std::numeric_limits<int64_t>::min();
  // Save-list candidates kept per period: the riskiest (risk, then the latest complaint, then the
  // id), so that a state stays bounded however many customers complain. A state, a merge and a
  // report keep the same ones when each customer's items of a period are in one shard.
  int64_t save_candidates = 20000;
  bool operator==(const AggregateOptions&) const = default;
};

// Checks a segment field name; the message names the valid forms.
Status ValidateSegmentField(std::string_view field);

// What produced a state outside the store (`feedloop stream --partial`): the analysing plugins
// and the input lines of the shards merged into it. Empty (no shards) for a state read from the
// store, whose runs table says what produced it.
struct Producer {
  std::vector<std::pair<std::string, std::string>> plugins;  // name, version, in plan order
  int64_t shards = 0;
  int64_t lines = 0;       // input lines read
  int64_t errors = 0;      // of them, lines that were not an item (answered with an error)
  int64_t redactions = 0;  // PII items redacted in the items' text before analysis
  bool operator==(const Producer&) const = default;
};

// The whole state. Plain data: copyable, comparable, not thread-safe.
struct AggregateState {
  AggregateOptions options;
  Producer producer;
  int64_t items = 0;                       // every item added, dated or not
  int64_t undated = 0;                     // items without a date (in no period)
  std::map<int64_t, PeriodState> periods;  // by Period::index

  bool operator==(const AggregateState&) const = default;
  // The latest item time over all periods, or kNoTime.
  int64_t Latest() const;
};

// Adds `other` into `into`. Counts and sums add; samples are re-selected deterministically, so
// the result does not depend on how items were split or in which order states are merged.
// Fails when the two states were built with different options, or produced by different
// plugins or plugin versions.
Status MergeInto(AggregateState& into, const AggregateState& other);

// The versioned JSON form ("format": "feedloop-aggregate", "version": 1). Canonical: maps in
// key order, so equal states serialize identically.
std::string StateToJson(const AggregateState& state);
Result<AggregateState> StateFromJson(std::string_view json);

// Builds a state one item at a time. Internally it counts by interned ids (each distinct cause,
// tag, SKU, segment value and customer becomes a small integer once), so an item costs a few
// hash lookups whatever the number of tables it lands in; the state is assembled on Take or
// Snapshot. Not thread-safe: one Aggregator per thread, then merge the states.
class Aggregator {
 public:
  static Result<std::unique_ptr<Aggregator>> Create(const AggregateOptions& options);
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  void Add(const ItemFacts& facts);
  const AggregateOptions& options() const;
  // The state of the items added so far; Take leaves the aggregator empty.
  AggregateState Snapshot() const;
  AggregateState Take();

 private:
  struct Impl;
  explicit Aggregator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The redacted, bounded excerpt of a text that enters a sample, with its spans rebased.
std::string SampleExcerpt(std::string_view text, std::vector<Span>* spans, size_t max_bytes = 400);

}  // namespace feedloop::metrics
