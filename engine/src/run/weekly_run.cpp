#include "feedloop/run/weekly_run.hpp"

#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "feedloop/core/fault.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/ingest/ingester.hpp"
#include "feedloop/ingest/input.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/plan.hpp"
#include "feedloop/run/workspace.hpp"

namespace feedloop::run {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string CountsText(const store::IngestCounts& c) {
  return "read " + std::to_string(c.read) + " = stored " + std::to_string(c.stored) +
         " + duplicates " + std::to_string(c.duplicates) + " + rejected " +
         std::to_string(c.rejected);
}

std::string DetailsJson(const RunSummary& s,
                        const std::vector<std::pair<std::string, double>>& stages) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("files").BeginArray();
  for (const FileResult& f : s.files) {
    w.BeginObject().Field("path", f.path).Field("source", f.source).Field("action", f.action);
    w.Field("read", f.counts.read)
        .Field("stored", f.counts.stored)
        .Field("duplicates", f.counts.duplicates);
    w.Field("rejected", f.counts.rejected);
    if (!f.error.empty()) w.Field("error", f.error);
    w.EndObject();
  }
  w.EndArray().Key("plugins").BeginArray();
  for (const std::string& p : s.plugins) {
    size_t space = p.find(' ');
    w.BeginObject()
        .Field("name", p.substr(0, space))
        .Field("version", p.substr(space + 1))
        .EndObject();
  }
  w.EndArray().Key("skipped").BeginArray();
  for (const std::string& p : s.skipped_plugins) w.String(p);
  w.EndArray().Key("stages").BeginObject();
  for (const auto& [name, seconds] : stages) w.Key(name).Fixed(seconds, 3);
  w.EndObject();
  if (!s.period.empty()) w.Field("period", s.period);
  w.Key("report").BeginArray();
  for (const std::string& f : s.report_files) w.String(f);
  w.EndArray().Key("errors").BeginArray();
  for (const std::string& e : s.errors) w.String(e);
  w.EndArray().EndObject();
  return out;
}

// Moves the freshly written report folder into place and points reports/latest at it. Each step
// is a rename, so a crash leaves either the old or the new report, never half of one.
Status Publish(const fs::path& reports, const fs::path& fresh, const std::string& period,
               std::vector<std::string>* files) {
  std::error_code ec;
  fs::path target = reports / period;
  fs::path old = reports / (".old-" + period + "-" + std::to_string(::getpid()));
  if (fs::exists(target, ec)) {
    fs::rename(target, old, ec);
    if (ec) return Status::IoError("cannot replace " + target.string() + ": " + ec.message());
  }
  fs::rename(fresh, target, ec);
  if (ec) return Status::IoError("cannot publish " + target.string() + ": " + ec.message());
  fs::remove_all(old, ec);
  fs::path link_tmp = reports / (".latest-" + std::to_string(::getpid()));
  fs::remove(link_tmp, ec);
  fs::create_directory_symlink(period, link_tmp, ec);
  if (ec) return Status::IoError("cannot link reports/latest: " + ec.message());
  fs::rename(link_tmp, reports / "latest", ec);
  if (ec) return Status::IoError("cannot link reports/latest: " + ec.message());
  for (std::string& f : *files) {
    fs::path p(f);
    f = (target / p.filename()).string();
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::pair<std::string, const config::Source*>> InboxFiles(
    const config::WorkspaceConfig& config) {
  std::vector<std::pair<std::string, const config::Source*>> out;
  std::set<std::string> seen;
  for (const config::Source& source : config.sources) {
    for (const std::string& pattern : source.paths) {
      std::string resolved = config.Resolve(pattern);
      glob_t g{};
      if (::glob(resolved.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
        std::vector<std::string> matches(g.gl_pathv, g.gl_pathv + g.gl_pathc);
        std::sort(matches.begin(), matches.end());
        for (const std::string& m : matches) {
          std::error_code ec;
          if (!fs::is_regular_file(m, ec)) continue;
          std::string key = fs::weakly_canonical(m, ec).string();
          if (!seen.insert(key).second) continue;  // the first source that names a file owns it
          out.emplace_back(m, &source);
        }
      }
      ::globfree(&g);
    }
  }
  return out;
}

Result<RunSummary> RunWeekly(const config::WorkspaceConfig& config, const RunOptions& options) {
  Progress quiet(Progress::Mode::kQuiet);
  Progress& progress = options.progress != nullptr ? *options.progress : quiet;
  auto start = Clock::now();
  std::string dir = config.dir.empty() ? "." : config.dir;
  Result<std::unique_ptr<WorkspaceLock>> lock = WorkspaceLock::Acquire(dir);
  if (!lock.ok()) return lock.status();

  store::OpenOptions open;
  open.create_if_missing = true;
  Result<std::unique_ptr<store::Store>> opened =
      store::Store::Open(config.Resolve(config.database), open);
  if (!opened.ok()) return opened.status();
  store::Store& db = *opened.value();
  Result<int> interrupted = db.RecoverInterruptedRuns();
  if (interrupted.ok() && interrupted.value() > 0) {
    progress.Note("note: " + std::to_string(interrupted.value()) +
                  " earlier run(s) were interrupted; this run finishes their work");
  }

  RunSummary summary;
  std::vector<std::pair<std::string, double>> stages;

  // Plan first: a configuration error should stop the run before it touches anything.
  pipeline::PlanRequest request;
  request.config = &config;
  request.start_threads = pipeline::ResolveThreads(options.threads);
  Result<pipeline::AnalysisPlan> plan = pipeline::PlanFor(request, &summary.skipped_plugins);
  if (!plan.ok()) return plan.status();
  if (options.isolate_plugins || config.isolate_plugins) {
    pipeline::IsolationOptions isolation;
    isolation.enabled = true;
    isolation.timeout_seconds = config.plugin_timeout > 0 ? config.plugin_timeout : 60;
    plan->set_isolation(isolation);
  }
  for (const pipeline::PlannedPlugin& p : plan->plugins()) {
    summary.plugins.push_back(p.library->name() + " " + p.library->info().version);
  }
  for (const std::string& s : summary.skipped_plugins)
    progress.Note("warning: " + s + "; running without it");

  std::vector<std::pair<std::string, const config::Source*>> files = InboxFiles(config);

  if (options.dry_run) {
    for (const auto& [path, source] : files) {
      FileResult f{path, source->name, "would ingest", {}, ""};
      int64_t size = 0;
      Result<std::string> hash = ingest::HashFile(path, &size);
      if (!hash.ok()) {
        f.action = "unreadable";
        f.error = hash.status().message();
      } else if (auto found = db.FindFile(hash.value());
                 found.ok() && found.value() && found.value()->completed) {
        f.action = "would skip (already ingested)";
      }
      summary.files.push_back(std::move(f));
    }
    Result<int64_t> pending = pipeline::CountPendingItems(db, plan.value());
    if (pending.ok()) summary.pending_analysis = pending.value();
    summary.period = options.period.empty() ? "last" : options.period;
    summary.status = "dry-run";
    summary.seconds = Since(start);
    return summary;
  }

  Result<int64_t> run_id = db.StartRun("run", config.text_hash);
  if (!run_id.ok()) return run_id.status();
  summary.run_id = run_id.value();
  auto fail = [&](const Status& st) -> Result<RunSummary> {
    summary.errors.push_back(st.message());
    (void)db.FinishRun(summary.run_id, "failed", summary.ingest, summary.analyze.items,
                       summary.analyze.failed, DetailsJson(summary, stages));
    return st;
  };

  // 1. Ingest the new files.
  auto t = Clock::now();
  progress.Begin("ingest", static_cast<int64_t>(files.size()));
  ingest::Ingester ingester(db, summary.run_id);
  int64_t files_done = 0;
  for (const auto& [path, source] : files) {
    ingest::IngestOptions o = source->options;
    o.skip_ingested_files = true;
    Result<ingest::FileOutcome> r = ingester.IngestFile(path, o);
    FileResult f{path, source->name, "ingested", {}, ""};
    if (!r.ok()) {
      if (r.status().code() == Status::Code::kStorage)
        return fail(r.status());  // the store failed: stop
      f.action = "failed";
      f.error = r.status().message();
      summary.errors.push_back(path + ": " + f.error);
      progress.Note("error: " + f.error);
    } else if (r->skipped) {
      f.action = "skipped";
    } else {
      f.counts = r->counts;
      summary.ingest += r->counts;
    }
    summary.files.push_back(std::move(f));
    progress.Update(++files_done);
  }
  int64_t skipped_files = std::count_if(summary.files.begin(), summary.files.end(),
                                        [](const FileResult& f) { return f.action == "skipped"; });
  progress.End(std::to_string(files.size() - static_cast<size_t>(skipped_files)) +
                   " new file(s), " + std::to_string(skipped_files) + " already ingested; " +
                   CountsText(summary.ingest),
               "\"read\":" + std::to_string(summary.ingest.read) +
                   ",\"stored\":" + std::to_string(summary.ingest.stored) +
                   ",\"duplicates\":" + std::to_string(summary.ingest.duplicates) +
                   ",\"rejected\":" + std::to_string(summary.ingest.rejected));
  stages.emplace_back("ingest", Since(t));

  // 2. Analyze what is new.
  t = Clock::now();
  pipeline::AnalyzeOptions ao;
  ao.threads = options.threads;
  Result<int64_t> pending = pipeline::CountPendingItems(db, plan.value());
  progress.Begin("analyze", pending.ok() ? pending.value() : 0);
  Result<pipeline::AnalyzeCounts> analyzed =
      pipeline::AnalyzeStore(db, plan.value(), ao, summary.run_id,
                             [&](int64_t done, int64_t total) { progress.Update(done, total); });
  if (!analyzed.ok()) return fail(analyzed.status());
  summary.analyze = analyzed.value();
  progress.End(std::to_string(summary.analyze.items) + " item(s) analyzed, " +
                   std::to_string(summary.analyze.failed) + " plugin failure(s)",
               "\"items\":" + std::to_string(summary.analyze.items) +
                   ",\"failed\":" + std::to_string(summary.analyze.failed));
  stages.emplace_back("analyze", Since(t));

  // 3. The report, written aside and published with renames.
  if (options.write_report) {
    t = Clock::now();
    progress.Begin("report", 0);
    fs::path reports = config.Resolve(config.report.out);
    std::error_code ec;
    fs::create_directories(reports, ec);
    // Leftovers of a run killed while publishing: half-written folders and links.
    for (const fs::directory_entry& e : fs::directory_iterator(reports, ec)) {
      std::string name = e.path().filename().string();
      if (name.rfind(".tmp-run-", 0) == 0 || name.rfind(".old-", 0) == 0 ||
          name.rfind(".latest-", 0) == 0) {
        fs::remove_all(e.path(), ec);
      }
    }
    fs::path fresh = reports / (".tmp-run-" + std::to_string(summary.run_id));
    fs::remove_all(fresh, ec);
    fs::create_directories(fresh, ec);
    if (ec) return fail(Status::IoError("cannot create " + fresh.string() + ": " + ec.message()));
    ReportRequest req{&db, &config, summary.run_id, options.period, fresh.string()};
    Result<ReportResult> written = options.write_report(req);
    if (!written.ok()) {
      fs::remove_all(fresh, ec);
      return fail(written.status());
    }
    CrashPoint("report.write");
    if (written->files.empty()) {
      // Nothing to report yet (a first run before any export): not a failure of the run.
      fs::remove_all(fresh, ec);
      progress.End("no report: " + written->note);
      stages.emplace_back("report", Since(t));
    } else {
      summary.period = written->period;
      summary.report_files = written->files;
      Status published = Publish(reports, fresh, written->period, &summary.report_files);
      if (!published.ok()) return fail(published);
      progress.End("period " + summary.period + " written to " +
                   (reports / summary.period).string());
      stages.emplace_back("report", Since(t));
    }
  }

  CrashPoint("run.finish");
  bool problems = summary.ingest.rejected > 0 || summary.analyze.failed > 0 ||
                  !summary.skipped_plugins.empty() || !summary.errors.empty();
  summary.status = problems ? "partial" : "ok";
  summary.seconds = Since(start);
  stages.emplace_back("total", summary.seconds);
  Status st = db.FinishRun(summary.run_id, summary.status, summary.ingest, summary.analyze.items,
                           summary.analyze.failed, DetailsJson(summary, stages));
  if (!st.ok()) return st;
  return summary;
}

}  // namespace feedloop::run
