// The report model: every figure of the weekly improvement report as plain data, computed from an
// aggregate state and the report options. The renderers (render.hpp) only format it; the JSON
// renderer writes all of it (docs/report-schema.md). Definitions and choices: docs/report.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/metrics/aggregate.hpp"
#include "feedloop/metrics/stats.hpp"
#include "feedloop/report/owners.hpp"

namespace feedloop::report {

// What produced the data: the latest analyze run and the config it ran with.
struct Provenance {
  std::string database;
  int64_t analyze_run = 0;  // 0: the store was never analyzed
  std::string analyze_status;
  std::string analyze_finished;
  std::vector<std::pair<std::string, std::string>> plugins;  // name, version
  std::vector<std::string> skipped_plugins;
  std::string config_hash;
  int64_t items_in_store = 0;
  int64_t analyzed_items = 0;
  int64_t shards = 0;        // partial states merged into the report's state (feedloop merge), or 0
  int64_t pii_redacted = 0;  // PII items replaced in the text before it was stored or analysed
};

struct ReportOptions {
  metrics::AggregateOptions aggregate;  // granularity, time zone, segment fields
  Period period;
  std::string period_rule;      // how the period was chosen, for the record
  bool period_complete = true;  // the data reaches the period's end (see PeriodComplete)
  int compare_back = 1;         // the comparison period is `period` minus this
  int min_n = 30;
  int trend_periods = 12;
  int emerging_window = 6;        // trailing periods of the baseline
  int emerging_min_count = 5;     // fewer mentions are never emerging
  double emerging_alpha = 0.001;  // Poisson tail probability at or below which a count is flagged
  int rare_max = 1;       // a "rare" cause: at most this many mentions in every baseline period
  int rare_min = 3;       // ... that jumps to at least this many
  int save_lookback = 4;  // periods of complaints summed into a customer's risk
  int quotes_per_cause = 3;
  int max_actions = 5;
  OwnerTable owners = OwnerTable::Builtin();
  Provenance provenance;
};

// One figure with the n behind it, its comparison and its trend.
struct Metric {
  std::optional<double> value;
  int64_t n = 0;
  bool low_n = false;                   // n < min n: shown greyed, not ranked
  std::optional<metrics::Interval> ci;  // 95% CI, same unit as the value
  std::optional<double> previous;
  int64_t previous_n = 0;
  std::vector<std::optional<double>> trend;  // oldest first; the last is this period
  std::optional<double> Delta() const {
    if (!value || !previous) return std::nullopt;
    return *value - *previous;
  }
};

struct Count {
  std::string name;
  int64_t count = 0;
  int64_t previous = 0;
  std::vector<int64_t> trend;
};

struct Headline {
  Metric nps;
  int64_t promoters = 0, passives = 0, detractors = 0;
  Metric csat;                         // top-2-box %
  Metric csat_mean;                    // 1-5
  Metric ces;                          // mean 1-7
  Metric rating;                       // mean stars
  Metric sentiment;                    // mean -1..1
  Metric positive, neutral, negative;  // shares in %, n = items with a sentiment
  Count volume;
  std::vector<Count> by_kind;
  std::vector<Count> by_source;
  int64_t complaints = 0;
};

struct QuoteView {
  std::string text;  // redacted excerpt; escape before display
  std::vector<metrics::Span> evidence;
  std::string source;
  std::string id;
  std::string kind;
  std::string date;  // YYYY-MM-DD (UTC)
  std::optional<double> score;
};

// Where a cause is worst: the segment value whose complaints mention it most.
struct SegmentLift {
  std::string field;
  std::string value;
  double rate = 0;     // % of the value's complaints mentioning the cause
  double overall = 0;  // % of all complaints mentioning it
  int64_t mentions = 0;
  int64_t complaints = 0;  // the value's complaints
};

struct EffectView {
  double total = 0, volume = 0, score = 0;
};

struct CauseRow {
  std::string cause;
  std::string label, owner, kpi;
  int64_t mentions =
      0;  // items mentioning it (root cause, or a tag of its category on a complaint)
  int64_t root_count = 0;  // items whose root cause it is
  int64_t previous_mentions = 0;
  double share = 0;                       // % of all items
  std::optional<double> detractor_share;  // % of NPS detractors mentioning it
  Metric nps, csat, sentiment, rating;    // of the items mentioning it
  Metric nps_impact;  // points; n = NPS answers mentioning it, low_n = n < min n (not ranked)
  std::optional<double> csat_impact;
  std::optional<double> rating_impact;
  std::optional<EffectView> change;  // of the NPS impact vs the comparison period
  std::optional<double> growth;      // mentions / previous mentions
  bool low_n = false;                // mentions < min n: greyed, not ranked
  int impact_rank = 0;               // 1-based; 0: not ranked (no impact, or its n < min n)
  int volume_rank = 0;
  bool emerging = false;
  std::optional<SegmentLift> worst_segment;
  std::vector<int64_t> trend;  // mentions per period
  std::vector<QuoteView> quotes;
};

struct EmergingRow {
  std::string type;  // "cause" or "tag"
  std::string name;
  std::string label;
  int64_t count = 0;
  std::vector<int64_t> baseline;  // the trailing periods, oldest first
  double expected = 0;            // this period's volume x the baseline's share
  double z = 0;                   // (count - expected) / sqrt(expected)
  double p_value = 1;             // P(X >= count), X ~ Poisson(expected)
  std::string rule;               // "poisson" or "rare-jump"
  std::string owner;
};

struct SkuRow {
  std::string sku;
  int64_t items = 0;
  int64_t scored = 0;
  Metric low_share;  // % detractor-equivalent among scored items (the ranking figure)
  Metric nps;
  Metric negative_share;  // % of items with negative sentiment
  int64_t complaints = 0;
  std::vector<std::pair<std::string, int64_t>> top_causes;
  int rank = 0;  // 0: not ranked (n too small)
};

// A SKU where a cause is concentrated: its share of the SKU's feedback against its share of all.
struct Hotspot {
  std::string sku;
  std::string cause, label, owner;
  int64_t mentions = 0;  // of the cause, in the SKU's feedback
  int64_t items = 0;     // the SKU's feedback
  double rate = 0;       // % of the SKU's feedback mentioning the cause
  double overall = 0;    // % of all feedback mentioning it
  double excess = 0;     // mentions above what the overall rate predicts
};

struct SegmentRow {
  std::string value;
  int64_t items = 0;
  Metric nps;
  Metric low_share;
  Metric negative_share;
  std::optional<std::pair<std::string, int64_t>> top_cause;
  bool low_n = false;
};

struct SegmentTable {
  std::string field;
  std::vector<SegmentRow> rows;  // worst first by low share, small-n rows last
};

struct TranscriptView {
  int64_t conversations = 0, answered = 0, unanswered = 0;
  Metric first_response_median;  // minutes
  Metric first_response_p90;     // minutes
  bool p90_open_ended = false;
  Metric resolution;      // % resolved
  Metric post_chat_csat;  // % 4-5 of post-chat ratings
  Metric start_sentiment, end_sentiment;
  int64_t ended_better = 0, ended_worse = 0, ended_same = 0;
  std::vector<std::pair<std::string, int64_t>> causes;  // top causes of contact
  std::vector<int64_t> histogram;                       // first-response buckets of this period
};

struct SaveRow {
  std::string customer_id;
  double risk = 0;
  int64_t complaints = 0;         // in the look-back window
  int64_t complaints_period = 0;  // in the report period
  std::string reason;
  std::string cause, owner;
  std::string last_date;
  std::string last_source, last_id, last_kind;
  std::optional<double> last_score;
  std::string quote;  // redacted; escape before display; empty for a score without a comment
};

// What a save-list row shows for its last complaint: the quote, or a marker when there is no
// text ("(score only, no comment)", "(no comment)").
std::string SaveQuoteText(const SaveRow& row);

struct Action {
  std::string cause;
  std::string text;  // one line an ops lead can act on
  std::string owner, kpi;
};

struct HeatMap {
  std::vector<std::string> causes;           // rows
  std::vector<std::vector<int64_t>> counts;  // [cause][period] mentions
  std::vector<std::vector<double>> shares;   // [cause][period] % of the period's items
  std::vector<bool> has_data;                // [period] the period has any feedback
};

struct Report {
  std::string period;                    // "2026-W47"
  std::string compare;                   // "2026-W46"
  std::string period_start, period_end;  // local dates, inclusive
  std::string granularity, time_zone, period_rule;
  int min_n = 30;
  bool period_complete = true;
  std::vector<std::string> trend_labels;  // oldest first
  Headline headline;
  std::vector<CauseRow> causes;  // impact-ranked first, then by mentions; small mentions last
  std::vector<EmergingRow> emerging;
  std::vector<SkuRow> skus;       // ranked first (worst low share), then small n
  std::vector<Hotspot> hotspots;  // most excess mentions first
  std::vector<SegmentTable> segments;
  TranscriptView transcripts;
  std::vector<SaveRow> save_list;
  std::vector<Action> actions;
  HeatMap heat;
  std::vector<std::string> notes;  // caveats: empty period, missing analysis...
  Provenance provenance;
  std::string owners_source;
  ReportOptions options;
};

// Builds the report for `options.period`. Fails only on inconsistent options.
Result<Report> BuildReport(const metrics::AggregateState& state, const ReportOptions& options);

// The period `last` means: the latest period with data, preferring a complete one (the data
// reaches its last day; for days, its last six hours). `complete` tells which was chosen.
std::optional<Period> LatestPeriod(const metrics::AggregateState& state, const PeriodClock& clock,
                                   bool* complete);

// Whether the data reaches the end of `period` (see LatestPeriod).
bool PeriodComplete(const metrics::AggregateState& state, const PeriodClock& clock, Period period);

// "1 week", "12 weeks": a count and its noun, in the plural unless the count is one.
std::string Plural(int64_t n, const std::string& word);

// Formats a figure for people: "+12.3", "47%", "—" for none.
std::string FormatNumber(std::optional<double> v, int decimals);
std::string FormatSigned(std::optional<double> v, int decimals);
std::string FormatMinutes(std::optional<double> minutes);

}  // namespace feedloop::report
