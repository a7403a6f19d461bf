#include "feedloop/run/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/core/time.hpp"

namespace feedloop::run {
namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string Clock(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

Progress::Progress(Mode mode) : mode_(mode) {
  if (mode_ == Mode::kAuto) mode_ = ::isatty(STDERR_FILENO) ? Mode::kBar : Mode::kLines;
}

void Progress::Begin(std::string_view stage, int64_t total) {
  stage_ = std::string(stage);
  done_ = 0;
  total_ = total;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  if (mode_ == Mode::kBar) Draw(false);
}

void Progress::Update(int64_t done, int64_t total) {
  done_ = done;
  if (total >= 0) total_ = total;
  if (mode_ != Mode::kBar) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(false);
}

void Progress::Draw(bool final) {
  double elapsed = Seconds(std::chrono::steady_clock::now() - start_);
  double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  std::string bar;
  if (total_ > 0) {
    int filled = static_cast<int>(30.0 * static_cast<double>(done_) / static_cast<double>(total_));
    filled = std::max(0, std::min(30, filled));
    bar += '[';
    bar.append(static_cast<size_t>(filled), '#').append(static_cast<size_t>(30 - filled), '-');
    bar += "] ";
  }
  std::string eta;
  if (!final && total_ > 0 && rate > 0 && done_ < total_) {
    eta = "  ETA " + Clock(static_cast<double>(total_ - done_) / rate);
  }
  std::string of;
  if (total_ > 0) of.append(1, '/').append(std::to_string(total_));
  std::fprintf(stderr, "\r\033[K%-8s %s%lld%s  %.0f items/s%s", stage_.c_str(), bar.c_str(),
               static_cast<long long>(done_), of.c_str(), rate, eta.c_str());
  std::fflush(stderr);
}

void Progress::End(std::string_view summary, std::string_view json_fields) {
  double elapsed = Seconds(std::chrono::steady_clock::now() - start_);
  switch (mode_) {
    case Mode::kQuiet:
      break;
    case Mode::kBar:
      Draw(true);
      std::fprintf(stderr, "\r\033[K%-8s %.*s (%.2f s)\n", stage_.c_str(),
                   static_cast<int>(summary.size()), summary.data(), elapsed);
      break;
    case Mode::kLines:
    case Mode::kAuto:
      std::fprintf(stderr, "%s: %.*s (%.2f s)\n", stage_.c_str(), static_cast<int>(summary.size()),
                   summary.data(), elapsed);
      break;
    case Mode::kJson: {
      std::string line;
      JsonWriter w(line);
      w.BeginObject().Field("time", FormatIsoUtc(static_cast<int64_t>(std::time(nullptr))));
      w.Field("stage", stage_).Field("event", "end").Key("seconds").Fixed(elapsed, 3);
      w.Field("summary", summary);
      if (!json_fields.empty()) {
        line += ',';
        line += json_fields;
      }
      w.EndObject();
      std::fprintf(stderr, "%s\n", line.c_str());
      break;
    }
  }
  std::fflush(stderr);
}

void Progress::Note(std::string_view message) {
  if (mode_ == Mode::kQuiet) return;
  if (mode_ == Mode::kJson) {
    std::string line;
    JsonWriter w(line);
    w.BeginObject().Field("time", FormatIsoUtc(static_cast<int64_t>(std::time(nullptr))));
    w.Field("event", "note").Field("message", message).EndObject();
    std::fprintf(stderr, "%s\n", line.c_str());
    return;
  }
  std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
}

}  // namespace feedloop::run
