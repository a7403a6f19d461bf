// Scheduling the weekly run: a crontab line or a systemd user service + timer pair that runs
// `feedloop run` for a workspace, with its output appended to <workspace>/logs/feedloop-run.log.
#pragma once

#include <optional>
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
// "every Mon at 07:00".
std::string DescribeWeeklyTime(const WeeklyTime& when);

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
// A usage error when a path cannot be written into a crontab line or a unit file (a control
// character such as a newline, or a blank at either end). Spaces, quotes, % and $ are fine.
Status CheckSchedulable(const ScheduledJob& job);
// The crontab line: paths quoted for /bin/sh, every % escaped for cron.
std::string CronLine(const ScheduledJob& job);
// The units: paths escaped by systemd's rules (quoted words on ExecStart=; plain paths with %%
// for WorkingDirectory= and StandardOutput=append:, which systemd does not unquote).
std::string SystemdService(const ScheduledJob& job);
std::string SystemdTimer(const ScheduledJob& job);
// The shell command that enables units written into `unit_dir` (`in_search_path`: a folder
// systemd --user reads, such as ~/.config/systemd/user; else they are linked from there first).
std::string SystemdEnableCommand(const ScheduledJob& job, const std::string& unit_dir,
                                 bool in_search_path);
// Whether systemd keeps `user`'s services running while they are logged out (`loginctl
// show-user USER -p Linger` through `loginctl_command`); nullopt when it cannot tell. Without it,
// a user timer fires only while the user has a session.
std::optional<bool> UserLingers(const std::string& loginctl_command, const std::string& user);

// Adds (or replaces) the job's line in the user's crontab through `crontab_command` ("crontab").
Status InstallCron(const ScheduledJob& job, const std::string& crontab_command);
// Writes the service and timer into `unit_dir` and, when `enable`, reloads and enables the timer
// with `systemctl --user`.
Status InstallSystemd(const ScheduledJob& job, const std::string& unit_dir, bool enable);

}  // namespace feedloop::run
