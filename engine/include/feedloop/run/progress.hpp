// Progress of a long command: a bar per stage with its rate and ETA on a terminal, one log line
// per stage otherwise, JSON lines with --json-log, nothing with --quiet. Writes to stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace feedloop::run {

// Not thread-safe: one thread reports a command's progress.
class Progress {
 public:
  enum class Mode { kAuto, kQuiet, kLines, kBar, kJson };
  // What a stage counts: items (items/s), bytes (MB of the total, MB/s), or nothing measurable
  // (the bar shows the stage and its elapsed time only).
  enum class Unit { kItems, kBytes, kNone };
  // `out`: where to write (stderr; a test passes a file). kAuto is a bar when `out` is a
  // terminal, else lines.
  explicit Progress(Mode mode, std::FILE* out = stderr);

  // Starts a stage; `total` may be 0 when unknown.
  void Begin(std::string_view stage, int64_t total, Unit unit = Unit::kItems);
  // Work done so far in the current stage (throttled redraw); `detail` is shown after the rate
  // ("12,000 records").
  void Update(int64_t done, int64_t total = -1, std::string_view detail = {});
  // Ends the stage with a one-line summary; `json_fields` are extra members for --json-log
  // (already serialized, e.g. "\"read\":10,\"stored\":9").
  void End(std::string_view summary, std::string_view json_fields = {});
  // A message outside any stage (warnings, notes).
  void Note(std::string_view message);

  Mode mode() const { return mode_; }

 private:
  void Draw(bool final);
  Mode mode_;
  std::FILE* out_;
  std::string stage_;
  Unit unit_ = Unit::kItems;
  int64_t done_ = 0;
  int64_t total_ = 0;
  std::string detail_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace feedloop::run
