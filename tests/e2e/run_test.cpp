// End-to-end: the weekly run of a workspace — init, incremental runs, crash safety, the lock.
#include <gtest/gtest.h>
#include <sys/file.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <random>
#include <regex>
#include <thread>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

const std::string kSamples = FEEDLOOP_SAMPLES_DIR;

// Copies the shipped samples into a fresh workspace's inboxes.
void FillInbox(const std::string& ws, const std::vector<std::string>& only = {}) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"reviews_trustpilot.csv", "reviews"},
      {"nps_delighted.csv", "nps"},
      {"csat_survey.jsonl", "csat"},
      {"ces_survey.csv", "ces"},
      {"app_reviews.jsonl", "app-reviews"},
      {"tickets_zendesk.json", "tickets"},
      {"chats.csv", "chats"}};
  for (const auto& [file, inbox] : files) {
    if (!only.empty() && std::find(only.begin(), only.end(), file) == only.end()) continue;
    fs::copy_file(kSamples + "/data/" + file, ws + "/inbox/" + inbox + "/" + file,
                  fs::copy_options::overwrite_existing);
  }
}

std::string InitWorkspace(const Scratch& scratch, const std::string& name = "ws") {
  std::string ws = scratch / name;
  Output init = Feedloop({"init", ws});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  return ws;
}

Output RunWorkspace(const std::string& ws, const std::vector<std::string>& env = {},
                    std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", "--config", ws + "/feedloop.json", "--json-log"};
  args.insert(args.end(), extra.begin(), extra.end());
  return Feedloop(args, ws, env);
}

TEST(Init, CreatesAWorkspaceAndRefusesToOverwriteIt) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  for (const char* p : {"feedloop.json", "feedloop.db", "inbox/nps", "inbox/tickets", "reports",
                        "plugins", "logs"}) {
    EXPECT_TRUE(fs::exists(ws + "/" + p)) << p;
  }
  EXPECT_EQ(fs::status(ws + "/feedloop.db").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  Output again = Feedloop({"init", ws});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds a feedloop workspace"), std::string::npos) << again.err;
}

TEST(WeeklyRun, SecondRunIsANoOpAndNewFilesBringOnlyTheirWork) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws, {"nps_delighted.csv", "csat_survey.jsonl"});
  Output first = RunWorkspace(ws);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string db = ws + "/feedloop.db";
  int64_t items = Count(db, "SELECT count(*) FROM items");
  EXPECT_GT(items, 1000);
  EXPECT_NE(first.err.find("\"stage\":\"ingest\""), std::string::npos) << first.err;

  auto t0 = std::chrono::steady_clock::now();
  Output second = RunWorkspace(ws);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("\"read\":0,\"stored\":0"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("\"items\":0"), std::string::npos) << second.err;
  EXPECT_EQ(Count(db, "SELECT count(*) FROM items"), items);
  EXPECT_LT(seconds, 5.0);  // generous: it is well under a second here; this only catches re-work

  // A renamed copy is recognised by content; a new file brings only its own items.
  fs::copy_file(ws + "/inbox/nps/nps_delighted.csv", ws + "/inbox/nps/copy-of-last-week.csv");
  FillInbox(ws, {"ces_survey.csv"});
  Output third = RunWorkspace(ws);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  int64_t ces = Count(db, "SELECT count(*) FROM items WHERE kind = 'ces'");
  EXPECT_GT(ces, 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM items"), items + ces);
  std::vector<std::string> runs = Query(db, "SELECT status FROM runs ORDER BY id");
  EXPECT_EQ(runs.size(), 3u);
  // The history reconciles every run.
  Output history = Feedloop({"history", "--config", ws + "/feedloop.json", "--json"});
  ASSERT_EQ(history.exit_code, 0);
  EXPECT_EQ(std::count(history.out.begin(), history.out.end(), '\n'), 3);
}

TEST(WeeklyRun, DryRunChangesNothing) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws, {"ces_survey.csv"});
  Output dry = Feedloop({"run", "--config", ws + "/feedloop.json", "--dry-run"}, ws);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would ingest"), std::string::npos) << dry.out;
  EXPECT_EQ(Count(ws + "/feedloop.db", "SELECT count(*) FROM items"), 0);
  EXPECT_EQ(Count(ws + "/feedloop.db", "SELECT count(*) FROM runs"), 0);
  EXPECT_FALSE(fs::exists(ws + "/reports/latest"));
}

// A dry run says what it can know: each new file's size and records, the period it would report
// (not "last"), the stored items left to analyze; and the real run then does just that.
TEST(WeeklyRun, DryRunSaysWhatTheRunWillDo) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws, {"ces_survey.csv", "nps_delighted.csv"});
  Output dry = Feedloop({"run", "--config", ws + "/feedloop.json", "--dry-run"}, ws);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dry.out, m,
                                std::regex("would ingest 2 file\\(s\\), [0-9.]+ KB: ([0-9]+) "
                                           "record\\(s\\), ([0-9]+) rejected")))
      << dry.out;
  const int64_t records = std::stoll(m[1]);
  const int64_t rejected = std::stoll(m[2]);
  EXPECT_GT(records, 0);
  ASSERT_TRUE(std::regex_search(dry.out, m, std::regex("report for (20[0-9]{2}-W[0-9]{2}) ")))
      << dry.out;
  const std::string period = m[1];
  EXPECT_EQ(dry.out.find("period last"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("reports/latest would point at " + period), std::string::npos) << dry.out;

  Output run = RunWorkspace(ws);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("\"read\":" + std::to_string(records) + ","), std::string::npos)
      << records << "\n"
      << run.err;
  EXPECT_EQ(Count(ws + "/feedloop.db", "SELECT rejected FROM runs"), rejected);
  EXPECT_EQ(fs::read_symlink(ws + "/reports/latest").string(), period);

  // Stored but not analyzed (a run killed after its ingest): the dry run counts them.
  std::string killed = InitWorkspace(scratch, "killed");
  FillInbox(killed, {"ces_survey.csv"});
  ASSERT_TRUE(RunWorkspace(killed, {"FEEDLOOP_CRASH_AT=ingest.file:1"}).killed);
  const int64_t stored = Count(killed + "/feedloop.db", "SELECT count(*) FROM items");
  ASSERT_GT(stored, 0);
  Output pending = Feedloop({"run", "--config", killed + "/feedloop.json", "--dry-run"}, killed);
  ASSERT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_NE(pending.out.find("would skip (already ingested)"), std::string::npos) << pending.out;
  EXPECT_NE(pending.out.find("would analyze " + std::to_string(stored) +
                             " stored item(s) not analyzed yet"),
            std::string::npos)
      << pending.out;
}

// --period is checked before anything is read, stored or recorded.
TEST(WeeklyRun, ABadPeriodIsRefusedBeforeAnyWork) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws, {"ces_survey.csv"});
  for (const char* bad : {"bogus", "2026-W60", "2026-13"}) {
    Output out = RunWorkspace(ws, {}, {"--period", bad});
    EXPECT_EQ(out.exit_code, 2) << bad << out.err;
    EXPECT_NE(out.err.find(std::string("--period '") + bad + "' is not a period"),
              std::string::npos)
        << out.err;
  }
  EXPECT_EQ(Count(ws + "/feedloop.db", "SELECT count(*) FROM items"), 0);
  EXPECT_EQ(Count(ws + "/feedloop.db", "SELECT count(*) FROM runs"), 0);
}

// reports/latest is the newest period's folder: reporting an older week again leaves it there.
TEST(WeeklyRun, AnOlderPeriodDoesNotMoveLatest) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws, {"nps_delighted.csv", "csat_survey.jsonl"});
  ASSERT_EQ(RunWorkspace(ws).exit_code, 0);
  const std::string newest = fs::read_symlink(ws + "/reports/latest").string();
  ASSERT_EQ(newest, "2026-W47");
  Output older = RunWorkspace(ws, {}, {"--period", "2026-W45"});
  ASSERT_EQ(older.exit_code, 0) << older.err;
  EXPECT_TRUE(fs::exists(ws + "/reports/2026-W45/report.html"));
  EXPECT_EQ(fs::read_symlink(ws + "/reports/latest").string(), newest);
  EXPECT_NE(older.out.find("reports/latest stays at 2026-W47"), std::string::npos) << older.out;
  // A lost link is put back on the newest folder, whichever period the run reports.
  fs::remove(ws + "/reports/latest");
  ASSERT_EQ(RunWorkspace(ws, {}, {"--period", "2026-W46"}).exit_code, 0);
  EXPECT_EQ(fs::read_symlink(ws + "/reports/latest").string(), newest);
}

// The report names the run that wrote it, whose analysis is over (not "running"); re-running over
// the same inputs gives the same report.json but for the fields that name the run.
TEST(WeeklyRun, TheReportNamesItsRunAndARerunGivesTheSameReport) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  FillInbox(ws);
  std::vector<std::string> reports;
  for (int run = 1; run <= 2; ++run) {
    ASSERT_EQ(RunWorkspace(ws).exit_code, 0);
    std::string json = ReadFile(ws + "/reports/latest/report.json");
    EXPECT_NE(json.find("\"analyze_run\":" + std::to_string(run) + ","), std::string::npos)
        << json.substr(json.rfind("\"provenance\""));
    EXPECT_NE(json.find("\"analyze_status\":\"ok\""), std::string::npos)
        << json.substr(json.rfind("\"provenance\""));
    EXPECT_TRUE(std::regex_search(json, std::regex("\"analyze_finished\":\"20[0-9-]+T")))
        << json.substr(json.rfind("\"provenance\""));
    EXPECT_NE(json.find("\"plugins\":[{\"name\":\"root-cause\",\"version\":\"1.0.0\"},{\"name\":"
                        "\"sentiment\",\"version\":\"1.0.0\"},{\"name\":\"taxonomy\""),
              std::string::npos)
        << json.substr(json.rfind("\"provenance\""));
    EXPECT_EQ(ReadFile(ws + "/reports/latest/report.md").find("(running)"), std::string::npos);
    EXPECT_EQ(ReadFile(ws + "/reports/latest/report.html").find("(running"), std::string::npos);
    // What identifies the run: its id and when its analysis ended.
    json = std::regex_replace(json, std::regex("\"analyze_run\":[0-9]+"), "\"analyze_run\":N");
    json = std::regex_replace(json, std::regex("\"analyze_finished\":\"[^\"]*\""),
                              "\"analyze_finished\":T");
    reports.push_back(json);
  }
  EXPECT_EQ(reports[0], reports[1]);
}

TEST(WeeklyRun, TheLockRefusesASecondRun) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  int fd = ::open((ws + "/.feedloop.lock").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  std::string pid = std::to_string(::getpid());
  ASSERT_EQ(::pwrite(fd, pid.data(), pid.size(), 0), static_cast<ssize_t>(pid.size()));
  Output refused = RunWorkspace(ws);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("another feedloop run (pid " + pid + ")"), std::string::npos)
      << refused.err;
  ::close(fd);  // a holder that dies releases the lock with it
  Output after = RunWorkspace(ws);
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

// Kills the run at each stage, then runs again: the result equals an uninterrupted run's.
TEST(WeeklyRun, KilledAtAnyStageThenRerunGivesTheSameResult) {
  Scratch scratch;
  std::string clean = InitWorkspace(scratch, "clean");
  FillInbox(clean);
  ASSERT_EQ(RunWorkspace(clean).exit_code, 0);
  const std::string expected = ContentDigest(clean + "/feedloop.db");

  const std::string expected_report =
      ReportFigures(ReadFile(clean + "/reports/latest/report.json"));
  const std::vector<std::string> points = {"ingest.batch:1",  "ingest.batch:2",  "ingest.file:3",
                                           "analyze.round:1", "analyze.round:3", "report.write",
                                           "run.finish"};
  for (const std::string& point : points) {
    std::string ws = InitWorkspace(scratch, "crash-" + point.substr(0, point.find(':')) + "-" +
                                                std::to_string(&point - points.data()));
    FillInbox(ws);
    // Batches of 500 records, so that each sample file commits several times before its end.
    Output killed = RunWorkspace(ws, {"FEEDLOOP_CRASH_AT=" + point, "FEEDLOOP_INGEST_BATCH=500"});
    ASSERT_TRUE(killed.killed) << point << ": the crash point was not reached\n" << killed.err;
    // The killed run's row says what it committed, as the database holds it.
    const std::string db = ws + "/feedloop.db";
    std::vector<std::string> row =
        Query(db, "SELECT read, stored, duplicates, rejected, analyzed FROM runs WHERE id = 1");
    ASSERT_EQ(row.size(), 1u) << point;
    int64_t read = 0, stored = 0, duplicates = 0, rejected = 0, analyzed = 0;
    ASSERT_EQ(std::sscanf(row[0].c_str(), "%ld|%ld|%ld|%ld|%ld", &read, &stored, &duplicates,
                          &rejected, &analyzed),
              5)
        << row[0];
    EXPECT_GT(read, 0) << point;
    EXPECT_EQ(read, stored + duplicates + rejected) << point;
    EXPECT_EQ(stored, Count(db, "SELECT count(*) FROM items WHERE run_id = 1")) << point;
    EXPECT_EQ(rejected, Count(db, "SELECT count(*) FROM rejects WHERE run_id = 1")) << point;
    EXPECT_EQ(analyzed, Count(db, "SELECT count(*) FROM analysis WHERE run_id = 1")) << point;
    if (point.rfind("analyze", 0) == 0) {
      EXPECT_GT(analyzed, 0) << point;
    }
    Output history = Feedloop({"history", "--config", ws + "/feedloop.json", "--json"});
    EXPECT_NE(history.out.find("\"status\":\"interrupted\",\"config_hash\""), std::string::npos)
        << history.out;
    EXPECT_NE(history.out.find("\"read\":" + std::to_string(read) + ","), std::string::npos)
        << point << "\n"
        << history.out;
    Output rerun = RunWorkspace(ws);
    ASSERT_EQ(rerun.exit_code, 0) << point << "\n" << rerun.err;
    EXPECT_EQ(ContentDigest(ws + "/feedloop.db"), expected) << point;
    EXPECT_EQ(ReportFigures(ReadFile(ws + "/reports/latest/report.json")), expected_report)
        << point;
    std::vector<std::string> statuses =
        Query(ws + "/feedloop.db", "SELECT status FROM runs ORDER BY id");
    ASSERT_EQ(statuses.size(), 2u) << point;
    EXPECT_EQ(statuses[0], "interrupted") << point;
    // A third run has nothing left to do.
    Output third = RunWorkspace(ws);
    EXPECT_NE(third.err.find("\"read\":0,\"stored\":0"), std::string::npos) << point << third.err;
  }
}

// kill -9 at 20 moments spread over a run, chosen by a seeded generator: whatever the run was
// doing, the next run leaves the same database and report as a run never interrupted, every
// earlier run is on record as interrupted, and a further run has nothing to do.
TEST(WeeklyRun, KilledAtTwentyRandomMomentsThenRerunGivesTheSameResult) {
  Scratch scratch;
  std::string clean = InitWorkspace(scratch, "clean");
  FillInbox(clean);
  auto timed_run = [](const std::string& ws) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(RunWorkspace(ws).exit_code, 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // The kill moments are drawn within the run's length: the fastest of three runs, so that a
  // reference slowed by other tests on the machine does not put the moments after the end.
  double seconds = timed_run(clean);
  for (int r = 0; r < 2; ++r) {
    std::string ws = InitWorkspace(scratch, "timing-" + std::to_string(r));
    FillInbox(ws);
    seconds = std::min(seconds, timed_run(ws));
    fs::remove_all(ws);
  }
  const std::string expected = ContentDigest(clean + "/feedloop.db");
  const std::string expected_report =
      ReportFigures(ReadFile(clean + "/reports/latest/report.json"));

  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> moment(0.0, seconds * 0.95);
  int killed_runs = 0;
  for (int k = 0; k < 20; ++k) {
    const double at = moment(rng);
    std::string ws = InitWorkspace(scratch, "kill-" + std::to_string(k));
    FillInbox(ws);
    pid_t pid = Spawn({"run", "--config", ws + "/feedloop.json", "--quiet"}, "/dev/null",
                      ws + "/out.txt", ws, {"FEEDLOOP_INGEST_BATCH=500"});
    std::this_thread::sleep_for(std::chrono::duration<double>(at));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    killed_runs += WIFSIGNALED(status);
    Output rerun = RunWorkspace(ws);
    ASSERT_EQ(rerun.exit_code, 0) << "killed after " << at << " s\n" << rerun.err;
    EXPECT_EQ(ContentDigest(ws + "/feedloop.db"), expected) << "killed after " << at << " s";
    EXPECT_EQ(ReportFigures(ReadFile(ws + "/reports/latest/report.json")), expected_report)
        << "killed after " << at << " s";
    std::vector<std::string> statuses =
        Query(ws + "/feedloop.db", "SELECT status FROM runs ORDER BY id");
    ASSERT_FALSE(statuses.empty());
    EXPECT_EQ(statuses.back(), "ok");
    // The killed run is on record as interrupted (or as ok when it had finished its work), never
    // as still running; one killed before it recorded anything has no row.
    for (size_t i = 0; i + 1 < statuses.size(); ++i) {
      EXPECT_TRUE(statuses[i] == "interrupted" || statuses[i] == "ok")
          << statuses[i] << ", killed after " << at << " s";
    }
    Output third = RunWorkspace(ws);
    EXPECT_NE(third.err.find("\"read\":0,\"stored\":0"), std::string::npos) << third.err;
    fs::remove_all(ws);
  }
  // Most moments fall inside the run (a kill that comes after a fast run's end proves less).
  EXPECT_GE(killed_runs, 15);
}

TEST(Schedule, PrintsACronLineAndSystemdUnits) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch);
  Output out = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--weekly", "TUE 06:30"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("30 6 * * 2 cd '" + ws + "'"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("OnCalendar=Tue *-*-* 06:30:00"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("logs/feedloop-run.log"), std::string::npos);
  Output bad = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--weekly", "someday"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(out.out.find("loginctl enable-linger"), std::string::npos) << out.out;
  // Installing into a given unit folder writes the two units, and says that is all it did. A
  // stand-in loginctl says whether the user lingers.
  std::string loginctl = scratch / "loginctl.sh";
  std::ofstream(loginctl) << "#!/bin/sh\necho Linger=$LINGER\n";
  fs::permissions(loginctl, fs::perms::owner_all);
  Output units = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--install", "--systemd",
                           "--unit-dir", scratch / "units"},
                          ".", {"FEEDLOOP_LOGINCTL=" + loginctl, "LINGER=no"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  int unit_files = 0;
  for (const auto& e : fs::directory_iterator(scratch / "units")) {
    unit_files += e.path().extension() == ".timer" || e.path().extension() == ".service";
  }
  EXPECT_EQ(unit_files, 2);
  EXPECT_EQ(units.out.find("installed"), std::string::npos) << units.out;
  EXPECT_NE(units.out.find("NOT enabled"), std::string::npos) << units.out;
  EXPECT_NE(units.out.find("systemctl --user link '" + scratch / "units/"), std::string::npos)
      << units.out;
  EXPECT_NE(units.out.find("lingering is off"), std::string::npos) << units.out;
  EXPECT_NE(units.out.find("loginctl enable-linger"), std::string::npos) << units.out;
  Output lingering = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--install",
                               "--systemd", "--unit-dir", scratch / "units"},
                              ".", {"FEEDLOOP_LOGINCTL=" + loginctl, "LINGER=yes"});
  ASSERT_EQ(lingering.exit_code, 0) << lingering.err;
  EXPECT_EQ(lingering.out.find("enable-linger"), std::string::npos) << lingering.out;
  // Cron through a stand-in crontab: the line is added once, and replaced on a second install.
  std::string crontab = scratch / "crontab.sh";
  std::ofstream(crontab) << "#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then cat " << scratch / "tab"
                         << " 2>/dev/null; "
                         << "else cat > " << scratch / "tab"
                         << "; fi\n";
  fs::permissions(crontab, fs::perms::owner_all);
  std::ofstream(scratch / "tab") << "15 3 * * * backup\n";
  for (int i = 0; i < 2; ++i) {
    Output cron = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--install", "--cron"},
                           ".", {"FEEDLOOP_CRONTAB=" + crontab});
    ASSERT_EQ(cron.exit_code, 0) << cron.err;
  }
  std::string tab = ReadFile(scratch / "tab");
  EXPECT_NE(tab.find("15 3 * * * backup"), std::string::npos);
  EXPECT_EQ(std::count(tab.begin(), tab.end(), '\n'), 2) << tab;
}

// A workspace whose path has a space, a quote and a % (which cron would cut the line at): the
// crontab line, run as cron runs it, does the weekly run there and logs where it says.
TEST(Schedule, TheCronLineRunsInAWorkspaceWithAnAwkwardPath) {
  Scratch scratch;
  std::string ws = InitWorkspace(scratch, "CX 100% Ana's");
  FillInbox(ws, {"ces_survey.csv"});
  std::string crontab = scratch / "crontab.sh";
  std::ofstream(crontab) << "#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then cat '" << scratch / "tab"
                         << "' 2>/dev/null; else cat > '" << scratch / "tab"
                         << "'; fi\n";
  fs::permissions(crontab, fs::perms::owner_all);
  Output cron = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--install", "--cron"},
                         ".", {"FEEDLOOP_CRONTAB=" + crontab});
  ASSERT_EQ(cron.exit_code, 0) << cron.err;
  std::string line = ReadFile(scratch / "tab");
  ASSERT_EQ(line.rfind("0 7 * * 1 ", 0), 0u) << line;
  // Cron's own processing (vixie cron's do_command): "\%" becomes "%", a bare % ends the command.
  std::string command;
  bool escaped = false;
  for (char c : line.substr(10, line.find('\n') - 10)) {
    if (escaped) {
      if (c != '%') command += '\\';
      command += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '%') {
      FAIL() << "an unescaped % in " << line;
    } else {
      command += c;
    }
  }
  std::string script = scratch / "cron-job.sh";
  std::ofstream(script) << command << "\n";
  ASSERT_EQ(std::system(("/bin/sh '" + script + "'").c_str()), 0) << command;
  EXPECT_GT(Count(ws + "/feedloop.db", "SELECT count(*) FROM items"), 0);
  EXPECT_EQ(Query(ws + "/feedloop.db", "SELECT status FROM runs"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(fs::exists(ws + "/logs/feedloop-run.log"));
  EXPECT_TRUE(fs::exists(ws + "/reports/latest/report.html"));
}

// systemd itself accepts the units of a workspace whose path has a space and a % (when
// systemd-analyze is there to ask).
TEST(Schedule, SystemdAcceptsTheUnitsOfAnAwkwardPath) {
  if (std::system("systemd-analyze --version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "no systemd-analyze";
  }
  Scratch scratch;
  std::string ws = InitWorkspace(scratch, "CX 100% weekly");
  Output units = Feedloop({"schedule", "--config", ws + "/feedloop.json", "--install", "--systemd",
                           "--unit-dir", scratch / "units"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  std::string service;
  for (const auto& e : fs::directory_iterator(scratch / "units")) {
    if (e.path().extension() == ".service") service = e.path().string();
  }
  ASSERT_FALSE(service.empty());
  EXPECT_NE(ReadFile(service).find("\nWorkingDirectory=" + ws.substr(0, ws.find('%')) + "%%"),
            std::string::npos)
      << ReadFile(service);
  int rc = std::system(
      ("systemd-analyze verify '" + service + "' > '" + scratch / "verify.txt" + "' 2>&1").c_str());
  EXPECT_EQ(rc, 0) << ReadFile(scratch / "verify.txt");
}

}  // namespace
}  // namespace feedloop::e2e
