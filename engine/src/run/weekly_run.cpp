#include "feedloop/run/weekly_run.hpp"

#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>

#include "feedloop/core/fault.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/core/time.hpp"
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
  w.EndArray();
  if (!s.analyze_finished_at.empty()) {
    // The analysis is over: a report written before the run closes says so (ReadProvenance).
    w.Key("analyze")
        .BeginObject()
        .Field("status", s.analyze_status)
        .Field("finished_at", s.analyze_finished_at)
        .EndObject();
  }
  w.Key("stages").BeginObject();
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

// The key that orders periods by recency: the day after the last, then the first (so of a month
// and its last week, the month is newer; of a week and its last day, the day).
std::pair<int64_t, int64_t> Recency(const Period& p) {
  return {PeriodStartDay(p.Plus(1)), PeriodStartDay(p)};
}

// The newest period among the report folders in `reports` and `also` (when not empty), or "".
std::string NewestPeriod(const fs::path& reports, const std::string& also = "") {
  std::string newest;
  std::pair<int64_t, int64_t> best{};
  auto consider = [&](const std::string& name) {
    Result<Period> p = ParsePeriod(name);
    if (!p.ok()) return;
    if (newest.empty() || Recency(p.value()) > best) {
      newest = name;
      best = Recency(p.value());
    }
  };
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(reports, ec)) {
    if (e.is_directory(ec) && !e.is_symlink(ec)) consider(e.path().filename().string());
  }
  if (!also.empty()) consider(also);
  return newest;
}

// Moves the freshly written report folder into place and points reports/latest at the newest
// period's folder: the new one, unless a newer period's report is there (reporting an older
// period again with --period does not move latest back). Each step is a rename, so a crash
// leaves either the old or the new report, never half of one. Returns the period latest names.
Result<std::string> Publish(const fs::path& reports, const fs::path& fresh,
                            const std::string& period, std::vector<std::string>* files) {
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
  for (std::string& f : *files) {
    fs::path p(f);
    f = (target / p.filename()).string();
  }
  std::string latest = NewestPeriod(reports, period);
  if (fs::read_symlink(reports / "latest", ec) == fs::path(latest)) return latest;
  fs::path link_tmp = reports / (".latest-" + std::to_string(::getpid()));
  fs::remove(link_tmp, ec);
  fs::create_directory_symlink(latest, link_tmp, ec);
  if (ec) return Status::IoError("cannot link reports/latest: " + ec.message());
  fs::rename(link_tmp, reports / "latest", ec);
  if (ec) return Status::IoError("cannot link reports/latest: " + ec.message());
  return latest;
}

// The newest item time in the store, and the newest before `before` (kNoTime: none).
int64_t NewestItemTime(store::Database& db, int64_t before = kNoTime) {
  Result<store::Statement> q =
      db.Prepare("SELECT max(created_at) FROM items WHERE ?1 IS NULL OR created_at < ?1");
  if (!q.ok()) return kNoTime;
  if (before == kNoTime) {
    q->BindNull(1);
  } else {
    q->Bind(1, before);
  }
  Result<bool> row = q->Step();
  if (!row.ok() || !row.value() || q->IsNull(0)) return kNoTime;
  return q->Int(0);
}

// The UTC instant of the local midnight starting `day` (days since the epoch, local).
int64_t LocalMidnight(const PeriodClock& clock, int64_t day) {
  int64_t guess = day * 86400;
  int64_t t = guess - clock.OffsetAt(guess);
  return guess - clock.OffsetAt(t);
}

// The period `run` would report from the items of `stores` (the store and a dry run's scratch
// reading of the new files), by the rule of report::LatestPeriod: the latest period with data
// when the data reaches its last day, else the period with data before it. "" when no item is
// dated.
std::string PeriodToReport(const std::vector<store::Database*>& stores, const PeriodClock& clock,
                           std::string* rule) {
  auto newest = [&](int64_t before) {
    int64_t t = kNoTime;
    for (store::Database* db : stores) {
      int64_t u = NewestItemTime(*db, before);
      if (u != kNoTime && (t == kNoTime || u > t)) t = u;
    }
    return t;
  };
  int64_t latest = newest(kNoTime);
  if (latest == kNoTime) return "";
  Period p = clock.PeriodOf(latest);
  if (clock.Completes(p, latest)) {
    *rule = "the latest complete period with data";
    return FormatPeriod(p);
  }
  int64_t before = newest(LocalMidnight(clock, PeriodStartDay(p)));
  if (before == kNoTime) {
    *rule = "the latest period with data (not complete)";
    return FormatPeriod(p);
  }
  *rule = "the latest complete period with data; the data of " + FormatPeriod(p) +
          " ends before its last day";
  return FormatPeriod(clock.PeriodOf(before));
}

// A scratch folder removed when it goes out of scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string p = (fs::temp_directory_path() / "feedloop-dry-run-XXXXXX").string();
    if (::mkdtemp(p.data()) != nullptr) path_ = p;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What `run` would do, changing nothing: the files it would read (each read into a scratch
// database to count its records), the stored items it would analyze, the period it would report.
Result<RunSummary> DryRun(store::Store& db, const config::WorkspaceConfig& config,
                          const RunOptions& options, const pipeline::AnalysisPlan& plan,
                          const std::vector<std::pair<std::string, const config::Source*>>& files,
                          RunSummary summary) {
  ScratchDir dir;
  if (dir.path().empty()) return Status::IoError("cannot create a scratch folder for --dry-run");
  store::OpenOptions open;
  open.create_if_missing = true;
  Result<std::unique_ptr<store::Store>> scratch =
      store::Store::Open(dir.path() + "/dry-run.db", open);
  if (!scratch.ok()) return scratch.status();
  Result<int64_t> scratch_run = scratch.value()->StartRun("dry-run", config.text_hash);
  if (!scratch_run.ok()) return scratch_run.status();
  ingest::Ingester reader(*scratch.value(), scratch_run.value());
  for (const auto& [path, source] : files) {
    FileResult f{path, source->name, "would ingest", {}, 0, ""};
    Result<std::string> hash = ingest::HashFile(path, &f.bytes);
    if (!hash.ok()) {
      f.action = "unreadable";
      f.error = hash.status().message();
    } else if (auto found = db.FindFile(hash.value());
               found.ok() && found.value() && found.value()->completed) {
      f.action = "would skip (already ingested)";
    } else {
      ingest::IngestOptions o = source->options;
      o.skip_ingested_files = true;
      Result<ingest::FileOutcome> r = reader.IngestFile(path, o);
      if (r.ok() && r->skipped) {
        f.action = "would skip (same content as a file above)";
      } else if (r.ok()) {
        f.counts = r->counts;
        summary.ingest += r->counts;
      } else {
        f.action = "unreadable";
        f.error = r.status().message();
      }
    }
    summary.files.push_back(std::move(f));
  }
  Result<int64_t> pending = pipeline::CountPendingItems(db, plan);
  if (pending.ok()) summary.pending_analysis = pending.value();
  if (!options.period.empty() && options.period != "last") {
    summary.period = options.period;
    summary.period_rule = "--period " + options.period;
  } else {
    Result<Granularity> g = ParseGranularity(config.period.granularity);
    if (!g.ok()) return g.status();
    Result<std::shared_ptr<PeriodClock>> clock =
        PeriodClock::Create(config.period.time_zone, g.value());
    if (!clock.ok()) return clock.status();
    summary.period =
        PeriodToReport({&db.db(), &scratch.value()->db()}, *clock.value(), &summary.period_rule);
  }
  summary.latest = NewestPeriod(config.Resolve(config.report.out), summary.period);
  summary.status = "dry-run";
  return summary;
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
  // A bad --period is a usage error before anything is touched: no lock, no run row, no work.
  if (!options.period.empty() && options.period != "last") {
    Result<Period> period = ParsePeriod(options.period);
    if (!period.ok()) {
      return Status::Usage("--period '" + options.period +
                           "' is not a period: give a week (2026-W47), a month (2026-11), a day "
                           "(2026-11-16) or last");
    }
  }
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
    summary.plugins.push_back(p.library->name() + " " + p.version);
  }
  for (const std::string& s : summary.skipped_plugins)
    progress.Note("warning: " + s + "; running without it");

  std::vector<std::pair<std::string, const config::Source*>> files = InboxFiles(config);

  if (options.dry_run) {
    Result<RunSummary> dry = DryRun(db, config, options, plan.value(), files, std::move(summary));
    if (dry.ok()) dry->seconds = Since(start);
    return dry;
  }

  Result<int> interrupted = db.RecoverInterruptedRuns();
  if (interrupted.ok() && interrupted.value() > 0) {
    progress.Note("note: " + std::to_string(interrupted.value()) +
                  " earlier run(s) were interrupted; this run finishes their work");
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

  // 1. Ingest the new files. The run's row gets its counts in each batch's transaction, and the
  // files done so far after each file.
  auto t = Clock::now();
  std::vector<int64_t> sizes;  // each file's bytes (0 when it cannot be read)
  int64_t total_bytes = 0;
  for (const auto& [path, source] : files) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    sizes.push_back(ec ? 0 : static_cast<int64_t>(size));
    total_bytes += sizes.back();
  }
  progress.Begin("ingest", total_bytes, Progress::Unit::kBytes);
  ingest::Ingester ingester(db, summary.run_id);
  std::atomic<int64_t> bytes_read{0};
  int64_t bytes_done = 0;  // of the files finished
  int64_t records_done = 0;
  ingester.bytes_read = &bytes_read;
  ingester.before_commit = [&](const store::IngestCounts& file) {
    store::IngestCounts so_far = summary.ingest;
    so_far += file;
    return db.RecordRunProgress(summary.run_id, so_far, 0, 0);
  };
  ingester.on_progress = [&](const store::IngestCounts& file) {
    progress.Update(std::min(bytes_done + bytes_read.load(), total_bytes), -1,
                    std::to_string(records_done + file.read) + " records");
  };
  for (size_t k = 0; k < files.size(); ++k) {
    const auto& [path, source] = files[k];
    ingest::IngestOptions o = source->options;
    o.skip_ingested_files = true;
    bytes_read = 0;
    Result<ingest::FileOutcome> r = ingester.IngestFile(path, o);
    FileResult f{path, source->name, "ingested", {}, sizes[k], ""};
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
      records_done += r->counts.read;
    }
    summary.files.push_back(std::move(f));
    bytes_done += summary.files.back().bytes;
    progress.Update(std::min(bytes_done, total_bytes), -1,
                    std::to_string(records_done) + " records");
    Status recorded =
        db.RecordRunProgress(summary.run_id, summary.ingest, 0, 0, DetailsJson(summary, stages));
    if (!recorded.ok()) return fail(recorded);
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

  // 2. Analyze what is new; each write transaction carries the run's counts.
  t = Clock::now();
  pipeline::AnalyzeOptions ao;
  ao.threads = options.threads;
  ao.before_commit = [&](const pipeline::AnalyzeCounts& c) {
    return db.RecordRunProgress(summary.run_id, summary.ingest, c.items, c.failed);
  };
  Result<int64_t> pending = pipeline::CountPendingItems(db, plan.value());
  progress.Begin("analyze", pending.ok() ? pending.value() : 0);
  Result<pipeline::AnalyzeCounts> analyzed =
      pipeline::AnalyzeStore(db, plan.value(), ao, summary.run_id,
                             [&](int64_t done, int64_t total) { progress.Update(done, total); });
  if (!analyzed.ok()) return fail(analyzed.status());
  summary.analyze = analyzed.value();
  summary.analyze_status =
      summary.analyze.failed > 0 || !summary.skipped_plugins.empty() ? "partial" : "ok";
  summary.analyze_finished_at = FormatIsoUtc(static_cast<int64_t>(std::time(nullptr)));
  progress.End(std::to_string(summary.analyze.items) + " item(s) analyzed, " +
                   std::to_string(summary.analyze.failed) + " plugin failure(s)",
               "\"items\":" + std::to_string(summary.analyze.items) +
                   ",\"failed\":" + std::to_string(summary.analyze.failed));
  stages.emplace_back("analyze", Since(t));
  // The report reads the run's row for its provenance: the analysis it reports on is over.
  Status recorded = db.RecordRunProgress(summary.run_id, summary.ingest, summary.analyze.items,
                                         summary.analyze.failed, DetailsJson(summary, stages));
  if (!recorded.ok()) return fail(recorded);

  // 3. The report, written aside and published with renames.
  if (options.write_report) {
    t = Clock::now();
    progress.Begin("report", 0, Progress::Unit::kNone);
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
      summary.latest = NewestPeriod(reports);
      progress.End("no report: " + written->note);
      stages.emplace_back("report", Since(t));
    } else {
      summary.period = written->period;
      summary.report_files = written->files;
      Result<std::string> latest = Publish(reports, fresh, written->period, &summary.report_files);
      if (!latest.ok()) return fail(latest.status());
      summary.latest = latest.value();
      std::string where =
          "period " + summary.period + " written to " + (reports / summary.period).string();
      if (summary.latest != summary.period) {
        where += "; reports/latest stays at the newer " + summary.latest;
      }
      progress.End(where);
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
