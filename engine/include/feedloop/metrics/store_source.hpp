// Feeds an Aggregator from the store: one streaming pass over a single SELECT joining items,
// their merged analysis, their tags and (for transcripts) their turn times. Nothing is loaded
// into Item objects, so memory stays bounded by the aggregate state whatever the store's size.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/metrics/aggregate.hpp"
#include "feedloop/store/database.hpp"

namespace feedloop::metrics {

struct StoreReadOptions {
  int64_t since = kNoTime;      // only items created at or after (kNoTime: no bound)
  int64_t until = kNoTime;      // only items created before (kNoTime: no bound)
  bool include_undated = true;  // items without a date (counted in no period)
  // Only items whose row id is in [first_row, last_row]; a range reads the table in row order.
  int64_t first_row = std::numeric_limits<int64_t>::min();
  int64_t last_row = std::numeric_limits<int64_t>::max();
};

// Adds every selected item to `aggregator`; returns how many were added.
Result<int64_t> AggregateStore(store::Database& db, Aggregator& aggregator,
                               const StoreReadOptions& options = {});

// The same pass split over `threads` row ranges, each read by its own read-only connection on its
// own thread, the partial states merged (exactly: see MergeInto). Falls back to one pass on `db`
// when the window is a small part of the store, it spans fewer than `min_rows` rows, or no second
// connection can be opened. Connections read their own snapshots: items committed during the read
// may be seen by some ranges only.
Result<AggregateState> AggregateStoreParallel(store::Database& db,
                                              const AggregateOptions& aggregate,
                                              const StoreReadOptions& options, int threads,
                                              int64_t min_rows = 100000);

// The latest item time in the store, or kNoTime when it holds no dated item.
Result<int64_t> LatestItemTime(store::Database& db);

// Parses the evidence column ("[[b,e],...]"); malformed input yields no spans.
void ParseSpans(std::string_view json, std::vector<Span>* out);

// The labels of the analysis "tags" column ([{"label": ..., "confidence": ..., "spans": ...}]):
// views into `json`, or into `decoded` for labels with escapes. Malformed input yields the labels
// read before the damage.
void ParseTagLabels(std::string_view json, std::vector<std::string_view>* out,
                    std::deque<std::string>* decoded);

}  // namespace feedloop::metrics
