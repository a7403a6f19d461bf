// The weekly job (`feedloop run`): ingest every new file of the workspace's inboxes, analyze what
// is new, write the period's reports, and record the run. Incremental (files already ingested are
// recognised by content; items already analyzed by the current plugin versions are left alone)
// and crash-safe (every stage commits in transactions; a run killed anywhere is finished by the
// next one, with nothing counted twice).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "feedloop/config/config.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/run/progress.hpp"
#include "feedloop/store/store.hpp"

namespace feedloop::run {

// One inbox file and what the run did with it.
struct FileResult {
  std::string path;
  std::string source;
  std::string action;  // "ingested", "skipped" (same content already ingested), "failed"
  store::IngestCounts counts;
  std::string error;
};

struct RunSummary {
  int64_t run_id = 0;
  std::string status;  // ok, partial, failed
  std::vector<FileResult> files;
  store::IngestCounts ingest;
  pipeline::AnalyzeCounts analyze;
  int64_t pending_analysis = 0;              // dry run: items that would be analyzed
  std::vector<std::string> plugins;          // "name version"
  std::vector<std::string> skipped_plugins;  // with the reason
  std::string period;
  std::vector<std::string> report_files;
  std::vector<std::string> errors;
  double seconds = 0;
};

// What the report stage receives: the open store, the run, the period asked for ("" = the
// config's choice), and where to write.
struct ReportRequest {
  store::Store* store = nullptr;
  const config::WorkspaceConfig* config = nullptr;
  int64_t run_id = 0;
  std::string period;
  std::string out_dir;  // the workspace's report folder
};
struct ReportResult {
  std::string period;              // the period written, e.g. 2026-W47
  std::vector<std::string> files;  // the files written; none when there is nothing to report
  std::string note;                // why nothing was written ("no dated feedback yet")
};
using ReportWriter = std::function<Result<ReportResult>(const ReportRequest&)>;

struct RunOptions {
  std::string period;  // "" or "last": the latest period with data
  bool dry_run = false;
  int threads = 0;
  bool isolate_plugins = false;  // also when the config says so
  Progress* progress = nullptr;
  ReportWriter write_report;  // the report stage; none: the run stops after analysis
};

// Runs the job for the workspace of `config` (its folder is the working folder). Takes the
// workspace lock. Errors that end the run early are returned; per-file and per-plugin problems
// are in the summary.
Result<RunSummary> RunWeekly(const config::WorkspaceConfig& config, const RunOptions& options);

// Every inbox file of the config's sources, in a stable order, each with its source.
std::vector<std::pair<std::string, const config::Source*>> InboxFiles(
    const config::WorkspaceConfig& config);

}  // namespace feedloop::run
