// Scheduling the weekly run: a crontab line or a systemd user service + timer pair that runs
// `feedloop run` for a workspace, with its output appended to <workspace>/logs/feedloop-run.log.
#pragma once

#include <string>

#include "feedloop/core/status.hpp"

namespace feedloop::run {

struct WeeklyTime {
  int weekday = 1;  // 0 = Sunday ... 6 = Saturday (cron's numbering)
  int hour = 7;
  int minute = 0;
};

// "MON 07:00", "monday 7:30", "Sun 23:05".
Result<WeeklyTime> ParseWeeklyTime(const std::string& text);

// What to run, for a workspace (absolute paths).
struct ScheduledJob {
  std::string workspace;  // the folder holding feedloop.json
  std::string config;     // the config file
  std::string command;    // the feedloop executable
  std::string log;        // where the output goes
  WeeklyTime when;
};

// A stable name for the workspace's units and crontab entry ("feedloop-<folder>-<hash>").
std::string JobName(const ScheduledJob& job);
std::string CronLine(const ScheduledJob& job);
std::string SystemdService(const ScheduledJob& job);
std::string SystemdTimer(const ScheduledJob& job);

// Adds (or replaces) the job's line in the user's crontab through `crontab_command` ("crontab").
Status InstallCron(const ScheduledJob& job, const std::string& crontab_command);
// Writes the service and timer into `unit_dir` and, when `enable`, reloads and enables the timer
// with `systemctl --user`.
Status InstallSystemd(const ScheduledJob& job, const std::string& unit_dir, bool enable);

}  // namespace feedloop::run
