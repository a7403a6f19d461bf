// Feeds an Aggregator from `feedloop stream`: the facts of an item analysed in memory, built
// exactly as AggregateStore builds them from the stored row of the same item and analysis, so a
// partial state of a shard counts every item as `feedloop report` counts it from the store.
#pragma once

#include <string>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/metrics/facts.hpp"
#include "feedloop/pipeline/analyzer.hpp"

namespace feedloop::metrics {

// Not thread-safe: one per worker thread. The facts it returns point into the item, the
// analysis and this object, and are valid until the next call.
class StreamFacts {
 public:
  // `segment_fields`: the aggregate's segment fields; the attrs.NAME ones are read from the
  // item's attrs as the store reads them: the member NAME, else (no such member) the first in
  // byte order named NAME ignoring ASCII case; its value as json_extract gives it (strings as
  // they are, numbers as SQLite prints them, true/false as 1/0, null as absent).
  explicit StreamFacts(const std::vector<std::string>& segment_fields);

  const ItemFacts& Of(const Item& item, const pipeline::MergedAnalysis& analysis);

 private:
  std::vector<std::string> attrs_;   // attrs names used as segments
  std::vector<std::string> values_;  // their values for the current item
  ItemFacts facts_;
};

}  // namespace feedloop::metrics
