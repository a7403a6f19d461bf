// Progress of a long command: a bar per stage with items/s and ETA on a terminal, one log line
// per stage otherwise, JSON lines with --json-log, nothing with --quiet. Writes to stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace feedloop::run {

class Progress {
 public:
  enum class Mode { kAuto, kQuiet, kLines, kBar, kJson };
  explicit Progress(Mode mode);

  // Starts a stage; `total` may be 0 when unknown.
  void Begin(std::string_view stage, int64_t total);
  // Items done so far in the current stage (throttled redraw).
  void Update(int64_t done, int64_t total = -1);
  // Ends the stage with a one-line summary; `json_fields` are extra members for --json-log
  // (already serialized, e.g. "\"read\":10,\"stored\":9").
  void End(std::string_view summary, std::string_view json_fields = {});
  // A message outside any stage (warnings, notes).
  void Note(std::string_view message);

  Mode mode() const { return mode_; }

 private:
  void Draw(bool final);
  Mode mode_;
  std::string stage_;
  int64_t done_ = 0;
  int64_t total_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace feedloop::run
