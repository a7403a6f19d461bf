// `feedloop analyze`: runs the plan over every stored item that lacks an annotation from the
// current version of each planned plugin, on all cores, with one SQLite writer. Re-running does
// nothing new; bumping a plugin's version re-analyzes that plugin (and the plugins that read its
// output) only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/store/store.hpp"

namespace feedloop::pipeline {

struct AnalyzeCounts {
  int64_t items = 0;        // items analyzed (at least one plugin ran)
  int64_t plugin_runs = 0;  // (item, plugin) pairs run
  int64_t failed = 0;       // (item, plugin) pairs that failed
};

struct AnalyzeOptions {
  int threads = 0;          // 0: all cores
  int batch_size = 256;     // items per worker task
  int64_t since = kNoTime;  // only items created at or after this instant
  // Called inside every write transaction, just before it commits, with the counts so far: what
  // it writes commits with the results (a weekly run keeps its row's counts there). An error
  // rolls the write back and ends the analysis with that error.
  std::function<Status(const AnalyzeCounts&)> before_commit;
};

// Runs the analysis; `progress` (optional) is called from the calling thread after each write
// with the items done so far and the total to do.
Result<AnalyzeCounts> AnalyzeStore(store::Store& store, const AnalysisPlan& plan,
                                   const AnalyzeOptions& options, int64_t run_id,
                                   const std::function<void(int64_t, int64_t)>& progress = {});

// How many stored items the plan would analyze (for dry runs and progress).
Result<int64_t> CountPendingItems(store::Store& store, const AnalysisPlan& plan,
                                  int64_t since = kNoTime);

// Serializes what a plugin produced into the `output` of its entry in the item's `results` row
// (the `detail` column of the `annotations` view), and back.
std::string OutputToJson(const PluginOutput& output);
void AppendOutputJson(std::string& out, const PluginOutput& output);  // the same, appended
PluginOutput OutputFromJson(std::string_view json);
// Evidence spans as JSON, [[begin,end],...] (byte offsets), as the rows and `stream` hold them.
void AppendSpansJson(std::string& out, const std::vector<feedloop_span>& spans);
// {<quoted_key>label,"confidence":c,"spans":[[b,e],...]}, `quoted_key` being "\"label\":" or
// the like: c at full precision (the stored results), or with `decimals` digits (`stream`).
void AppendLabelJson(std::string& out, std::string_view quoted_key, const Label& l,
                     int decimals = -1);

// How many worker threads a request means (0: all cores, never more than 64).
int ResolveThreads(int requested);

}  // namespace feedloop::pipeline
