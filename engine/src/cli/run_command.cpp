// `feedloop init`, `run`, `schedule` and `history`: the weekly job of a workspace.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "common.hpp"
#include "feedloop/config/config.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/run/schedule.hpp"
#include "feedloop/run/weekly_run.hpp"
#include "feedloop/run/workspace.hpp"
#include "run_command.hpp"

namespace feedloop::cli {
namespace fs = std::filesystem;
namespace {

std::string Abs(const std::string& p) {
  return fs::absolute(p).lexically_normal().string();
}

// The config to use: --config, else ./feedloop.json.
std::string ConfigPath(const std::string& given) {
  return given.empty() ? "feedloop.json" : given;
}

int RunInit(const std::string& dir) {
  Status st = run::InitWorkspace(dir);
  if (!st.ok()) {
    PrintError(st.message());
    return ExitCodeFor(st);
  }
  std::string abs = Abs(dir);
  std::printf("workspace created in %s\n", abs.c_str());
  std::printf(
      "  feedloop.json   sources, plugins, periods and report settings (docs/configuration.md)\n");
  std::printf(
      "  inbox/<source>/ drop each week's exports here (reviews, nps, csat, ces, app-reviews, "
      "tickets, chats)\n");
  std::printf("  reports/        one folder per period, and reports/latest\n");
  std::printf(
      "next: copy exports into the inbox, then `feedloop run --config %s/feedloop.json`,\n"
      "      and `feedloop schedule --config %s/feedloop.json --install` for every Monday\n",
      abs.c_str(), abs.c_str());
  return kExitOk;
}

struct RunArgs {
  std::string config;
  std::string period;
  bool dry_run = false;
  bool json_log = false;
  bool isolate = false;
  int threads = 0;
};

// "412.3 KB", "1.2 MB".
std::string HumanBytes(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KB", static_cast<double>(bytes) / 1024.0);
  if (bytes < int64_t{1024} * 1024 * 1024)
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return fmt::format("{:.2f} GB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

// What a dry run found: only what it can know without storing anything.
void PrintDryRun(const run::RunSummary& s, const std::string& reports) {
  std::printf("dry run: nothing was changed\n");
  int64_t new_files = 0, new_bytes = 0;
  for (const run::FileResult& f : s.files) {
    std::string what = HumanBytes(f.bytes);
    if (f.action == "would ingest") {
      ++new_files;
      new_bytes += f.bytes;
      what += fmt::format(", {} record(s), {} rejected", f.counts.read, f.counts.rejected);
    }
    if (!f.error.empty()) what += ": " + f.error;
    std::printf("  %-30s %s (%s): %s\n", f.action.c_str(), f.path.c_str(), f.source.c_str(),
                what.c_str());
  }
  if (s.files.empty()) std::printf("  no files in the inboxes\n");
  if (new_files > 0) {
    std::printf(
        "  would ingest %lld file(s), %s: %lld record(s), %lld rejected, %lld new item(s) at most "
        "(those already stored will count as duplicates)\n",
        static_cast<long long>(new_files), HumanBytes(new_bytes).c_str(),
        static_cast<long long>(s.ingest.read), static_cast<long long>(s.ingest.rejected),
        static_cast<long long>(s.ingest.stored));
  }
  std::string plugins;
  for (const std::string& p : s.plugins) plugins += (plugins.empty() ? "" : ", ") + p;
  std::printf("  would analyze %s%lld stored item(s) not analyzed yet, with %s\n",
              s.ingest.stored > 0 ? "the new items and " : "",
              static_cast<long long>(s.pending_analysis),
              plugins.empty() ? "no plugins" : plugins.c_str());
  if (s.period.empty()) {
    std::printf("  would write no report: no dated feedback yet\n");
    return;
  }
  std::printf("  would write the report for %s (%s) into %s/%s\n", s.period.c_str(),
              s.period_rule.c_str(), reports.c_str(), s.period.c_str());
  if (s.latest == s.period) {
    std::printf("  reports/latest would point at %s\n", s.period.c_str());
  } else {
    std::printf("  reports/latest would stay at %s, a newer period\n", s.latest.c_str());
  }
}

int RunRun(const RunArgs& a, const GlobalOptions& g) {
  Result<config::WorkspaceConfig> cfg = config::LoadConfig(ConfigPath(a.config));
  if (!cfg.ok()) {
    PrintError(cfg.status().message());
    return kExitUsage;
  }
  run::Progress progress(g.quiet      ? run::Progress::Mode::kQuiet
                         : a.json_log ? run::Progress::Mode::kJson
                                      : run::Progress::Mode::kAuto);
  run::RunOptions options;
  options.period = a.period;
  options.dry_run = a.dry_run;
  options.threads = a.threads;
  options.isolate_plugins = a.isolate;
  options.progress = &progress;
  options.write_report = ReportStage();
  Result<run::RunSummary> r = run::RunWeekly(cfg.value(), options);
  if (!r.ok()) {
    PrintError(r.status().message());
    return ExitCodeFor(r.status()) == kExitUsage ? kExitUsage : kExitFailed;
  }
  const run::RunSummary& s = r.value();
  if (a.dry_run) {
    PrintDryRun(s, cfg->Resolve(cfg->report.out));
    return kExitOk;
  }
  std::printf("run %lld %s in %.2f s\n", static_cast<long long>(s.run_id), s.status.c_str(),
              s.seconds);
  std::printf("  ingest:  %s\n",
              fmt::format("read {} = stored {} + duplicates {} + rejected {}", s.ingest.read,
                          s.ingest.stored, s.ingest.duplicates, s.ingest.rejected)
                  .c_str());
  std::printf("  analyze: %lld item(s), %lld plugin failure(s)\n",
              static_cast<long long>(s.analyze.items), static_cast<long long>(s.analyze.failed));
  for (const std::string& f : s.report_files) {
    if (f.ends_with(".html")) std::printf("  report:  %s\n", f.c_str());
  }
  if (!s.period.empty() && !s.latest.empty() && s.latest != s.period) {
    std::printf("  latest:  reports/latest stays at %s, a newer period than %s\n", s.latest.c_str(),
                s.period.c_str());
  }
  if (s.ingest.rejected > 0) {
    std::printf("  rejects: feedloop --db %s rejects --run %lld\n",
                cfg->Resolve(cfg->database).c_str(), static_cast<long long>(s.run_id));
  }
  if (s.status == "failed") return kExitFailed;
  return kExitOk;
}

struct ScheduleArgs {
  std::string config;
  std::string weekly = "MON 07:00";
  bool install = false;
  bool cron = false;
  bool systemd = false;
  std::string unit_dir;
};

// The user the units run as ($USER, else the password database's name for this uid).
std::string CurrentUser() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr) return pw->pw_name;
  return "$USER";
}

// A systemd user timer fires while its user is logged out only when the user "lingers".
void PrintLingerHint() {
  const char* loginctl = std::getenv("FEEDLOOP_LOGINCTL");
  std::string user = CurrentUser();
  std::optional<bool> lingers = run::UserLingers(loginctl ? loginctl : "loginctl", user);
  if (lingers == true) return;
  if (lingers == false) {
    std::printf(
        "note: lingering is off for %s, so the timer fires only while you are logged in; to run "
        "it while you are logged out:\n  loginctl enable-linger %s\n",
        user.c_str(), user.c_str());
    return;
  }
  std::printf(
      "note: could not check whether %s lingers; for the timer to fire while you are logged "
      "out:\n  loginctl enable-linger %s\n",
      user.c_str(), user.c_str());
}

int RunSchedule(const ScheduleArgs& a) {
  std::string config_path = Abs(ConfigPath(a.config));
  Result<config::WorkspaceConfig> cfg = config::LoadConfig(config_path);
  if (!cfg.ok()) {
    PrintError(cfg.status().message());
    return kExitUsage;
  }
  Result<run::WeeklyTime> when = run::ParseWeeklyTime(a.weekly);
  if (!when.ok()) {
    PrintError(when.status().message());
    return kExitUsage;
  }
  run::ScheduledJob job;
  job.workspace = Abs(cfg->dir.empty() ? "." : cfg->dir);
  job.config = config_path;
  std::error_code ec;
  job.command = fs::read_symlink("/proc/self/exe", ec).string();
  job.log = (fs::path(job.workspace) / "logs" / "feedloop-run.log").string();
  job.when = when.value();
  Status schedulable = run::CheckSchedulable(job);
  if (!schedulable.ok()) {
    PrintError(schedulable.message());
    return kExitUsage;
  }
  const char* home = std::getenv("HOME");
  const std::string user_unit_dir = std::string(home ? home : ".") + "/.config/systemd/user";
  const std::string unit_dir = a.unit_dir.empty() ? user_unit_dir : a.unit_dir;
  const std::string name = run::JobName(job);
  if (!a.install) {
    std::printf("# cron (crontab -e), output in %s:\n%s\n\n", job.log.c_str(),
                run::CronLine(job).c_str());
    std::printf("# or systemd: %s/%s.service\n%s\n# %s/%s.timer\n%s\n", unit_dir.c_str(),
                name.c_str(), run::SystemdService(job).c_str(), unit_dir.c_str(), name.c_str(),
                run::SystemdTimer(job).c_str());
    std::printf(
        "# a systemd user timer fires while you are logged out only with lingering on: "
        "loginctl enable-linger %s\n",
        CurrentUser().c_str());
    std::printf("# `feedloop schedule --install` installs one of them for the current user\n");
    return kExitOk;
  }
  fs::create_directories(fs::path(job.log).parent_path(), ec);
  std::string crontab =
      std::getenv("FEEDLOOP_CRONTAB") ? std::getenv("FEEDLOOP_CRONTAB") : "crontab";
  bool use_systemd =
      a.systemd ||
      (!a.cron && std::system("systemctl --user show-environment >/dev/null 2>&1") == 0);
  if (use_systemd) {
    // With --unit-dir the units are written there and nothing else is done.
    const bool enable = a.unit_dir.empty();
    Status st = run::InstallSystemd(job, unit_dir, enable);
    if (!st.ok()) {
      PrintError(st.message());
      return kExitFailed;
    }
    if (enable) {
      std::printf(
          "installed and enabled %s.timer (%s) in %s; logs: %s and `journalctl --user -u %s`\n",
          name.c_str(), run::DescribeWeeklyTime(job.when).c_str(), unit_dir.c_str(),
          job.log.c_str(), name.c_str());
    } else {
      bool in_search_path =
          fs::weakly_canonical(unit_dir, ec) == fs::weakly_canonical(user_unit_dir, ec);
      std::printf(
          "wrote %s/%s.service and %s.timer (%s); they are NOT enabled: nothing will run until "
          "you enable them with\n  %s\nlogs will go to %s\n",
          unit_dir.c_str(), name.c_str(), name.c_str(), run::DescribeWeeklyTime(job.when).c_str(),
          run::SystemdEnableCommand(job, unit_dir, in_search_path).c_str(), job.log.c_str());
    }
    PrintLingerHint();
    return kExitOk;
  }
  if (!a.cron && std::system(("command -v " + crontab + " >/dev/null 2>&1").c_str()) != 0) {
    PrintError(
        "neither a systemd user session nor crontab is available; install cron, or add this line "
        "to your "
        "scheduler by hand: " +
        run::CronLine(job));
    return kExitFailed;
  }
  Status st = run::InstallCron(job, crontab);
  if (!st.ok()) {
    PrintError(st.message());
    return kExitFailed;
  }
  std::printf("installed in the crontab of %s: %s\nlogs: %s\n", CurrentUser().c_str(),
              run::CronLine(job).c_str(), job.log.c_str());
  return kExitOk;
}

int RunHistory(int limit, bool as_json, const GlobalOptions& g, const std::string& config) {
  std::string db_path = g.db;
  if (!config.empty() || (g.db == "feedloop.db" && fs::exists("feedloop.json"))) {
    Result<config::WorkspaceConfig> cfg = config::LoadConfig(ConfigPath(config));
    if (cfg.ok()) db_path = cfg->Resolve(cfg->database);
  }
  int exit_code = kExitOk;
  std::unique_ptr<store::Store> db = OpenStore(db_path, false, &exit_code);
  if (!db) return exit_code;
  (void)db->RecoverInterruptedRuns();
  Result<std::vector<store::RunRow>> runs = db->ListRuns(limit);
  if (!runs.ok()) {
    PrintError(runs.status().message());
    return kExitFailed;
  }
  if (!as_json) {
    std::printf("%5s  %-8s %-20s %-11s %8s %8s %6s %8s %8s %6s\n", "RUN", "COMMAND", "STARTED",
                "STATUS", "READ", "STORED", "DUPS", "REJECTED", "ANALYZED", "FAILED");
  }
  for (const store::RunRow& r : runs.value()) {
    if (as_json) {
      std::string line;
      JsonWriter w(line);
      w.BeginObject()
          .Field("run", r.id)
          .Field("command", r.command)
          .Field("started_at", r.started_at);
      w.Field("finished_at", r.finished_at)
          .Field("status", r.status)
          .Field("config_hash", r.config_hash);
      w.Field("read", r.counts.read)
          .Field("stored", r.counts.stored)
          .Field("duplicates", r.counts.duplicates);
      w.Field("rejected", r.counts.rejected)
          .Field("analyzed", r.analyzed)
          .Field("failed", r.failed);
      w.Key("details").Raw(r.details_json.empty() ? "{}" : r.details_json).EndObject();
      std::printf("%s\n", line.c_str());
      continue;
    }
    std::printf(
        "%5lld  %-8s %-20s %-11s %8lld %8lld %6lld %8lld %8lld %6lld\n",
        static_cast<long long>(r.id), r.command.c_str(), r.started_at.c_str(), r.status.c_str(),
        static_cast<long long>(r.counts.read), static_cast<long long>(r.counts.stored),
        static_cast<long long>(r.counts.duplicates), static_cast<long long>(r.counts.rejected),
        static_cast<long long>(r.analyzed), static_cast<long long>(r.failed));
  }
  return kExitOk;
}

}  // namespace

run::ReportWriter ReportStage() {
  return [](const run::ReportRequest& r) -> Result<run::ReportResult> {
    report::WriteRequest req = ReportRequestFor(*r.config);
    req.period = r.period.empty() ? "last" : r.period;
    req.out_dir = r.out_dir;
    // The report names the run that writes it, and the database wherever the run started from.
    req.run_id = r.run_id;
    req.database_label = Abs(req.database_label);
    Result<report::WrittenReport> written = report::WriteReport(r.store->db(), req);
    if (!written.ok() && written.status().code() == Status::Code::kNotFound) {
      return run::ReportResult{"", {}, written.status().message()};
    }
    if (!written.ok()) return written.status();
    return run::ReportResult{written->period, written->files, ""};
  };
}

void AddRunCommands(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  CLI::App* init =
      app.add_subcommand("init", "Create a workspace: feedloop.json, inboxes, reports/, database");
  init->add_option("dir", *dir, "Folder of the workspace (created if missing)")
      ->capture_default_str();
  init->callback([dir, &exit_code] { exit_code = RunInit(*dir); });

  auto run = std::make_shared<RunArgs>();
  CLI::App* r =
      app.add_subcommand("run", "The weekly job: ingest new exports, analyze, write the reports");
  r->add_option("--config", run->config, "Workspace config (default: ./feedloop.json)");
  r->add_option("--period", run->period,
                "Period to report: 2026-W47, 2026-11, 2026-11-16 or last (default)");
  r->add_flag("--dry-run", run->dry_run, "Say what would be done, change nothing");
  r->add_flag("--json-log", run->json_log, "Progress as JSON lines on stderr");
  r->add_option("--threads", run->threads,
                "Threads to use (default: all cores): the one that reads and writes the "
                "store also runs plugins, beside N - 1 workers");
  r->add_flag("--isolate-plugins", run->isolate,
              "Run plugins in a worker process (also \"isolate_plugins\": true in the config, "
              "where \"plugin_timeout\" sets the seconds a batch may take, default 60)");
  r->callback([run, &global, &exit_code] { exit_code = RunRun(*run, global); });

  auto sched = std::make_shared<ScheduleArgs>();
  CLI::App* s = app.add_subcommand(
      "schedule", "Print or install a weekly cron line or systemd timer for `run`");
  s->add_option("--config", sched->config, "Workspace config (default: ./feedloop.json)");
  s->add_option("--weekly", sched->weekly, "Day and time, e.g. \"MON 07:00\"")
      ->capture_default_str();
  s->add_flag("--install", sched->install,
              "Install it for the current user (systemd user timer, else cron)");
  s->add_flag("--cron", sched->cron, "Install in the crontab even when systemd is available");
  s->add_flag("--systemd", sched->systemd, "Install systemd user units");
  s->add_option("--unit-dir", sched->unit_dir,
                "Write the systemd units here (and do not enable them)");
  s->callback([sched, &exit_code] { exit_code = RunSchedule(*sched); });

  struct HistoryArgs {
    int limit = 20;
    bool json = false;
    std::string config;
  };
  auto hist = std::make_shared<HistoryArgs>();
  CLI::App* h = app.add_subcommand("history", "Past runs with their status and counts");
  h->add_option("--limit", hist->limit, "At most this many runs")->capture_default_str();
  h->add_option("--config", hist->config, "Workspace config whose database to read");
  h->add_flag("--json", hist->json, "One JSON object per run, with its details");
  h->callback([hist, &global, &exit_code] {
    exit_code = RunHistory(hist->limit, hist->json, global, hist->config);
  });
}

}  // namespace feedloop::cli
