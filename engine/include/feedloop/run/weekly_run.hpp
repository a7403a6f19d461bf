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
  // "ingested", "skipped" (same content already ingested), "failed"; in a dry run "would
  // ingest", "would skip (already ingested)", "unreadable".
  std::string action;
  store::IngestCounts counts;  // a dry run: what reading the file gave (nothing was stored)
  int64_t bytes = 0;
  std::string error;
};

struct RunSummary {
  int64_t run_id = 0;
  std::string status;  // ok, partial, failed; dry-run
  std::vector<FileResult> files;
  store::IngestCounts ingest;
  pipeline::AnalyzeCounts analyze;
  std::string analyze_status;       // ok or partial, once the analysis stage is over
  std::string analyze_finished_at;  // ISO 8601 UTC, once the analysis stage is over
  // Dry run: stored items the plan has not analyzed yet (an interrupted run's, or a new plugin
  // version's); the new files' valid records come on top (at most ingest.stored of them: some
  // may turn out to be duplicates of stored items).
  int64_t pending_analysis = 0;
  std::vector<std::string> plugins;          // "name version"
  std::vector<std::string> skipped_plugins;  // with the reason
  std::string period;       // the period reported (a dry run: the one it would report), or ""
  std::string period_rule;  // how a dry run chose it
  std::string latest;       // the period reports/latest points at after the run, or ""
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
  // "" or "last": the latest period with data; else a period (2026-W47, 2026-11, 2026-11-16),
  // checked before anything is touched. reports/latest moves to the period written only when
  // no newer period's report is there (it always names the newest period).
  std::string period;
  bool dry_run = false;
  int threads = 0;
  bool isolate_plugins = false;  // also when the config says so
  Progress* progress = nullptr;
  ReportWriter write_report;  // the report stage; none: the run stops after analysis
};

// Runs the job for the workspace of `config` (its folder is the working folder). Takes the
// workspace lock. Errors that end the run early are returned (a bad --period is a usage error,
// before anything is touched); per-file and per-plugin problems are in the summary. The run's
// row holds its counts as the work commits, so an interrupted run's history says what it did.
// A dry run reads the new files into a scratch database (deleted after) to count their records,
// and changes nothing in the workspace.
Result<RunSummary> RunWeekly(const config::WorkspaceConfig& config, const RunOptions& options);

// Every inbox file of the config's sources, in a stable order, each with its source.
std::vector<std::pair<std::string, const config::Source*>> InboxFiles(
    const config::WorkspaceConfig& config);

}  // namespace feedloop::run
