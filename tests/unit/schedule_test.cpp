// The scheduled job's crontab line and systemd units: paths with spaces, quotes, % and $ must
// reach the shell and systemd unchanged.
#include "feedloop/run/schedule.hpp"

#include <gtest/gtest.h>

#include <string>

namespace feedloop::run {
namespace {

ScheduledJob Job(const std::string& folder) {
  ScheduledJob job;
  job.workspace = folder;
  job.config = folder + "/feedloop.json";
  job.command = "/opt/feed loop/bin/feedloop";
  job.log = folder + "/logs/feedloop-run.log";
  job.when = WeeklyTime{1, 7, 0};
  return job;
}

// What cron hands to /bin/sh: the command with "\%" made "%", cut at the first unescaped % (the
// rest would become its stdin), as vixie cron's do_command does.
std::string AsCronRunsIt(const std::string& command) {
  std::string out;
  bool escaped = false;
  for (char c : command) {
    if (escaped) {
      if (c != '%') out += '\\';
      out += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '%') {
      break;
    } else {
      out += c;
    }
  }
  return out;
}

// The value of `key=` in a unit.
std::string Setting(const std::string& unit, const std::string& key) {
  size_t at = unit.find("\n" + key + "=");
  if (at == std::string::npos) return "<missing>";
  at += key.size() + 2;
  return unit.substr(at, unit.find('\n', at) - at);
}

TEST(Schedule, CronLineEscapesEveryPercentSign) {
  ScheduledJob job = Job("/home/ana/CX 100% weekly");
  std::string line = CronLine(job);
  std::string command = line.substr(line.find(" cd ") + 1);
  command = command.substr(0, command.find("  # "));
  for (size_t i = command.find('%'); i != std::string::npos; i = command.find('%', i + 1)) {
    EXPECT_EQ(command[i - 1], '\\') << line;
  }
  EXPECT_EQ(AsCronRunsIt(command),
            "cd '/home/ana/CX 100'%' weekly' && '/opt/feed loop/bin/feedloop' run --config "
            "'/home/ana/CX 100'%' weekly/feedloop.json' --quiet >> '/home/ana/CX 100'%' "
            "weekly/logs/feedloop-run.log' 2>&1");
  EXPECT_EQ(line.rfind("0 7 * * 1 cd ", 0), 0u) << line;
}

TEST(Schedule, CronLineKeepsABackslashBeforeAPercentSign) {
  std::string line = CronLine(Job("/srv/a\\%b"));
  std::string command = line.substr(line.find(" cd ") + 1);
  command = command.substr(0, command.find("  # "));
  EXPECT_EQ(AsCronRunsIt(command).substr(0, 16), "cd '/srv/a\\'%'b'") << line;
}

TEST(Schedule, SystemdPathsAreEscapedBySystemdsRules) {
  ScheduledJob job = Job("/home/ana/CX 100% $weekly");
  std::string service = SystemdService(job);
  // WorkingDirectory= and StandardOutput=append: take the path as it is (systemd does not unquote
  // them), with % doubled for the specifier expansion.
  EXPECT_EQ(Setting(service, "WorkingDirectory"), "/home/ana/CX 100%% $weekly");
  EXPECT_EQ(Setting(service, "StandardOutput"),
            "append:/home/ana/CX 100%% $weekly/logs/feedloop-run.log");
  EXPECT_EQ(Setting(service, "StandardError"),
            "append:/home/ana/CX 100%% $weekly/logs/feedloop-run.log");
  // ExecStart= words are quoted; $ would expand a variable there.
  EXPECT_EQ(Setting(service, "ExecStart"),
            "\"/opt/feed loop/bin/feedloop\" run --config \"/home/ana/CX 100%% "
            "$$weekly/feedloop.json\" --quiet");
  EXPECT_EQ(Setting(service, "Description"), "feedloop weekly run for /home/ana/CX 100%% $weekly");
  EXPECT_EQ(Setting(SystemdTimer(job), "OnCalendar"), "Mon *-*-* 07:00:00");
}

TEST(Schedule, RefusesPathsAUnitOrCrontabCannotHold) {
  EXPECT_TRUE(CheckSchedulable(Job("/home/ana/CX 100% 'weekly' \"x\"")).ok());
  Status newline = CheckSchedulable(Job("/home/ana/two\nlines"));
  EXPECT_EQ(newline.code(), Status::Code::kUsage);
  EXPECT_NE(newline.message().find("control character"), std::string::npos) << newline.message();
  EXPECT_FALSE(CheckSchedulable(Job("/home/ana/trailing ")).ok());
}

TEST(Schedule, EnableCommandLinksUnitsOutsideTheSearchPath) {
  ScheduledJob job = Job("/srv/cx");
  std::string name = JobName(job);
  EXPECT_EQ(SystemdEnableCommand(job, "/home/ana/.config/systemd/user", true),
            "systemctl --user daemon-reload && systemctl --user enable --now " + name + ".timer");
  EXPECT_EQ(SystemdEnableCommand(job, "/tmp/my units", false),
            "systemctl --user link '/tmp/my units/" + name + ".service' '/tmp/my units/" + name +
                ".timer' && systemctl --user enable --now " + name + ".timer");
}

}  // namespace
}  // namespace feedloop::run
