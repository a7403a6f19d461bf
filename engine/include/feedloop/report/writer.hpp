// Writing a period's report from the store: choose the period, stream the store into an
// aggregate state, build the model and write the requested formats into a folder. Shared by
// `feedloop report` and the report stage of `feedloop run`.
#pragma once

#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/metrics/aggregate.hpp"
#include "feedloop/report/model.hpp"
#include "feedloop/store/database.hpp"

namespace feedloop::report {

struct WriteRequest {
  std::string database_label;        // shown in the report ("feedloop.db")
  std::string period = "last";       // 2026-W47, 2026-11, 2026-11-16 or last
  std::string compare = "previous";  // or a number of periods back
  std::string granularity = "week";  // for `last`; an explicit period implies its own
  std::string time_zone = "UTC";
  std::vector<std::string> segments = {"channel", "region", "source", "kind"};
  std::vector<std::string> formats = {"html", "md", "json", "csv"};
  std::string out_dir;  // empty: reports/<period>
  int min_n = 30;
  std::string taxonomy;     // owners/KPIs file; empty: the default taxonomy, else built-in
  std::string config_hash;  // recorded in the report; empty: the latest run's
  int64_t run_id = 0;       // the run writing the report (`feedloop run`): its provenance
  // Emerging-issue test and save-list settings (docs/report.md).
  int emerging_min_count = 5;
  double emerging_alpha = 0.001;
  int save_lookback = 4;
  int64_t save_candidates = metrics::AggregateOptions().save_candidates;  // per period
  int threads = 0;  // readers of the store (0: one per core, at most 8)
};

struct WrittenReport {
  std::string period;
  std::string out_dir;
  std::vector<std::string> files;
  Report report;
};

// Errors: a usage error (bad period, zone, format, segment) is Code::kUsage; an empty store is
// kNotFound; I/O failures kIoError.
Result<WrittenReport> WriteReport(store::Database& db, const WriteRequest& request);

// The same report from an aggregate state merged from `feedloop stream --partial` shards
// (`feedloop merge`): the state's options decide granularity, time zone and segments (the
// request's are not used; an explicit period must be of the state's granularity).
Result<WrittenReport> WriteReportFromState(const metrics::AggregateState& state,
                                           const WriteRequest& request);

// What produced the store's analysis: the run `run_id` when given (the `feedloop run` writing
// the report), else the run that wrote the newest analysis, and its plugins (sorted by name). A
// run still going whose analysis stage is over (it records that in its details) is described by
// that stage's final status and end time, not as "running".
Result<Provenance> ReadProvenance(store::Database& db, int64_t run_id = 0);

// Parses "--compare previous|N".
Result<int> ParseCompare(const std::string& text);

}  // namespace feedloop::report
