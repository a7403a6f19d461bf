#include "feedloop/run/schedule.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "feedloop/core/hash.hpp"

namespace feedloop::run {
namespace fs = std::filesystem;
namespace {

constexpr std::array<const char*, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<const char*, 7> kSystemdDays = {"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};

// Quotes a path for a POSIX shell (cron runs the line with /bin/sh).
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Quotes a word for a systemd Exec line: double quotes (with C escapes inside), "%%" for a
// literal % (specifiers) and "$$" for a literal $ (environment variables).
std::string SystemdQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '%' || c == '$') out += c;
    out += c;
  }
  return out + "\"";
}

// A path as the value of a systemd setting that takes one path (WorkingDirectory=,
// StandardOutput=append:): systemd takes the rest of the line as it is, spaces included, and
// does not unquote it (quotes would become part of the path), but it expands % specifiers, so a
// literal % is "%%". Lines and leading or trailing blanks cannot be expressed (CheckSchedulable).
std::string SystemdPath(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += '%';
    out += c;
  }
  return out;
}

// Quotes a path for a crontab command: as ShellQuote, but each % outside the quotes as "\%".
// Cron turns an unescaped % into a newline (what follows goes to the command's stdin) and drops
// the backslash of "\%" before the shell sees the line; outside the quotes, a backslash of the
// path just before a % cannot change that.
std::string CronQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '%') {
      out += "'\\%'";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs a shell command, feeding `input` on stdin when given; returns its output and exit code.
int Shell(const std::string& command, const std::string* input, std::string* output) {
  FILE* p = ::popen(command.c_str(), input != nullptr ? "w" : "r");
  if (p == nullptr) return -1;
  if (input != nullptr) {
    std::fwrite(input->data(), 1, input->size(), p);
  } else {
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof(buf), p)) output->append(buf, n);
  }
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

Result<WeeklyTime> ParseWeeklyTime(const std::string& text) {
  std::istringstream in(text);
  std::string day, clock;
  in >> day >> clock;
  auto bad = [&] {
    return Status::Usage("--weekly '" + text + "' is not a day and a time, e.g. \"MON 07:00\"");
  };
  if (day.size() < 3 || clock.empty()) return bad();
  std::string d = day.substr(0, 3);
  for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  WeeklyTime t;
  t.weekday = -1;
  for (int i = 0; i < 7; ++i) {
    if (d == kDays[static_cast<size_t>(i)]) t.weekday = i;
  }
  if (t.weekday < 0) return bad();
  int h = -1, m = -1;
  char colon = 0;
  std::istringstream c(clock);
  c >> h >> colon >> m;
  if (colon != ':' || h < 0 || h > 23 || m < 0 || m > 59) return bad();
  t.hour = h;
  t.minute = m;
  return t;
}

std::string DescribeWeeklyTime(const WeeklyTime& when) {
  char text[32];
  std::snprintf(text, sizeof(text), "every %s at %02d:%02d",
                kSystemdDays[static_cast<size_t>(when.weekday)], when.hour, when.minute);
  return text;
}

std::string JobName(const ScheduledJob& job) {
  std::string base = fs::path(job.workspace).filename().string();
  std::string clean;
  for (char c : base)
    clean += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  if (clean.empty()) clean = "workspace";
  return "feedloop-" + clean + "-" + Hex64(Hash64(job.workspace)).substr(0, 8);
}

Status CheckSchedulable(const ScheduledJob& job) {
  for (const std::string* path : {&job.workspace, &job.config, &job.command, &job.log}) {
    bool control = std::any_of(path->begin(), path->end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    bool blank_ends = !path->empty() && (std::isspace(static_cast<unsigned char>(path->front())) ||
                                         std::isspace(static_cast<unsigned char>(path->back())));
    if (control || blank_ends) {
      return Status::Usage("the path '" + *path +
                           "' has a control character or begins or ends with a blank, which a "
                           "crontab line or a systemd unit cannot hold; move the workspace");
    }
  }
  return Status::Ok();
}

std::string CronLine(const ScheduledJob& job) {
  char when[32];
  std::snprintf(when, sizeof(when), "%d %d * * %d", job.when.minute, job.when.hour,
                job.when.weekday);
  return std::string(when) + " cd " + CronQuote(job.workspace) + " && " + CronQuote(job.command) +
         " run --config " + CronQuote(job.config) + " --quiet >> " + CronQuote(job.log) +
         " 2>&1  # " + JobName(job);
}

std::string SystemdService(const ScheduledJob& job) {
  return "[Unit]\nDescription=feedloop weekly run for " + SystemdPath(job.workspace) +
         "\n\n[Service]\nType=oneshot\nWorkingDirectory=" + SystemdPath(job.workspace) +
         "\nExecStart=" + SystemdQuote(job.command) + " run --config " + SystemdQuote(job.config) +
         " --quiet\nStandardOutput=append:" + SystemdPath(job.log) +
         "\nStandardError=append:" + SystemdPath(job.log) + "\n";
}

std::string SystemdTimer(const ScheduledJob& job) {
  char when[64];
  std::snprintf(when, sizeof(when), "%s *-*-* %02d:%02d:00",
                kSystemdDays[static_cast<size_t>(job.when.weekday)], job.when.hour,
                job.when.minute);
  return "[Unit]\nDescription=feedloop weekly run for " + SystemdPath(job.workspace) +
         "\n\n[Timer]\nOnCalendar=" + when + "\nPersistent=true\nUnit=" + JobName(job) +
         ".service\n\n[Install]\nWantedBy=timers.target\n";
}

Status InstallCron(const ScheduledJob& job, const std::string& crontab_command) {
  std::string current;
  // `crontab -l` fails when the user has no crontab yet: that is an empty one.
  (void)Shell(crontab_command + " -l 2>/dev/null", nullptr, &current);
  std::string marker = "# " + JobName(job);
  std::istringstream lines(current);
  std::string line, next;
  while (std::getline(lines, line)) {
    if (line.size() >= marker.size() &&
        line.compare(line.size() - marker.size(), marker.size(), marker) == 0) {
      continue;  // our previous line for this workspace
    }
    next += line + "\n";
  }
  next += CronLine(job) + "\n";
  int rc = Shell(crontab_command + " -", &next, nullptr);
  if (rc != 0) {
    return Status::IoError("`" + crontab_command + " -` failed (exit " + std::to_string(rc) +
                           "); add this line with `crontab -e`:\n" + CronLine(job));
  }
  return Status::Ok();
}

std::string SystemdEnableCommand(const ScheduledJob& job, const std::string& unit_dir,
                                 bool in_search_path) {
  std::string name = JobName(job);
  if (in_search_path) {
    return "systemctl --user daemon-reload && systemctl --user enable --now " + name + ".timer";
  }
  fs::path dir(unit_dir);
  return "systemctl --user link " + ShellQuote(fs::absolute(dir / (name + ".service")).string()) +
         " " + ShellQuote(fs::absolute(dir / (name + ".timer")).string()) +
         " && systemctl --user enable --now " + name + ".timer";
}

std::optional<bool> UserLingers(const std::string& loginctl_command, const std::string& user) {
  std::string output;
  if (Shell(loginctl_command + " show-user " + ShellQuote(user) + " -p Linger 2>/dev/null", nullptr,
            &output) != 0) {
    return std::nullopt;
  }
  if (output.find("Linger=yes") != std::string::npos) return true;
  if (output.find("Linger=no") != std::string::npos) return false;
  return std::nullopt;
}

Status InstallSystemd(const ScheduledJob& job, const std::string& unit_dir, bool enable) {
  std::error_code ec;
  fs::create_directories(unit_dir, ec);
  if (ec) return Status::IoError("cannot create " + unit_dir + ": " + ec.message());
  std::string name = JobName(job);
  for (const auto& [file, text] : {std::pair{name + ".service", SystemdService(job)},
                                   std::pair{name + ".timer", SystemdTimer(job)}}) {
    std::ofstream out(fs::path(unit_dir) / file);
    out << text;
    if (!out) return Status::IoError("cannot write " + (fs::path(unit_dir) / file).string());
  }
  if (!enable) return Status::Ok();
  std::string output;
  if (Shell("systemctl --user daemon-reload 2>&1", nullptr, &output) != 0 ||
      Shell("systemctl --user enable --now " + name + ".timer 2>&1", nullptr, &output) != 0) {
    return Status::IoError("the units are in " + unit_dir +
                           " but systemctl --user could not enable them: " + output);
  }
  return Status::Ok();
}

}  // namespace feedloop::run
