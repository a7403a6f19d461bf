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

// Bytes in the unit that suits `scale` (the stage's total): "0.5" with unit "MB".
std::string BytesIn(int64_t bytes, int64_t scale, const char** unit) {
  double div = 1024.0 * 1024.0;
  *unit = "MB";
  if (scale < 1024 * 1024) {
    div = 1024.0;
    *unit = "KB";
  } else if (scale >= int64_t{10} * 1024 * 1024 * 1024) {
    div = 1024.0 * 1024.0 * 1024.0;
    *unit = "GB";
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", static_cast<double>(bytes) / div);
  return buf;
}

}  // namespace

Progress::Progress(Mode mode, std::FILE* out) : mode_(mode), out_(out) {
  if (mode_ == Mode::kAuto) mode_ = ::isatty(::fileno(out_)) ? Mode::kBar : Mode::kLines;
}

void Progress::Begin(std::string_view stage, int64_t total, Unit unit) {
  stage_ = std::string(stage);
  unit_ = unit;
  done_ = 0;
  total_ = total;
  detail_.clear();
  start_ = last_draw_ = std::chrono::steady_clock::now();
  if (mode_ == Mode::kBar) Draw(false);
}

void Progress::Update(int64_t done, int64_t total, std::string_view detail) {
  done_ = done;
  if (total >= 0) total_ = total;
  detail_ = std::string(detail);
  if (mode_ != Mode::kBar) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(false);
}

void Progress::Draw(bool final) {
  double elapsed = Seconds(std::chrono::steady_clock::now() - start_);
  if (unit_ == Unit::kNone) {
    // Nothing to count: the stage and how long it has taken, no made-up rate.
    std::fprintf(out_, "\r\033[K%-8s %s", stage_.c_str(), Clock(elapsed).c_str());
    std::fflush(out_);
    return;
  }
  double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  std::string bar;
  if (total_ > 0) {
    int filled = static_cast<int>(30.0 * static_cast<double>(done_) / static_cast<double>(total_));
    filled = std::max(0, std::min(30, filled));
    bar += '[';
    bar.append(static_cast<size_t>(filled), '#').append(static_cast<size_t>(30 - filled), '-');
    bar += "] ";
  }
  std::string amount, speed;
  if (unit_ == Unit::kBytes) {
    const char* unit = "MB";
    amount = BytesIn(done_, std::max(total_, done_), &unit);
    if (total_ > 0) amount.append(1, '/').append(BytesIn(total_, total_, &unit));
    amount.append(1, ' ').append(unit);
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f MB/s", rate / (1024.0 * 1024.0));
    speed = buf;
  } else {
    amount = std::to_string(done_);
    if (total_ > 0) amount.append(1, '/').append(std::to_string(total_));
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.0f items/s", rate);
    speed = buf;
  }
  if (!detail_.empty()) speed.append("  ").append(detail_);
  std::string eta;
  if (!final && total_ > 0 && rate > 0 && done_ < total_) {
    eta = "  ETA " + Clock(static_cast<double>(total_ - done_) / rate);
  }
  std::fprintf(out_, "\r\033[K%-8s %s%s  %s%s", stage_.c_str(), bar.c_str(), amount.c_str(),
               speed.c_str(), eta.c_str());
  std::fflush(out_);
}

void Progress::End(std::string_view summary, std::string_view json_fields) {
  double elapsed = Seconds(std::chrono::steady_clock::now() - start_);
  switch (mode_) {
    case Mode::kQuiet:
      break;
    case Mode::kBar:
      Draw(true);
      std::fprintf(out_, "\r\033[K%-8s %.*s (%.2f s)\n", stage_.c_str(),
                   static_cast<int>(summary.size()), summary.data(), elapsed);
      break;
    case Mode::kLines:
    case Mode::kAuto:
      std::fprintf(out_, "%s: %.*s (%.2f s)\n", stage_.c_str(), static_cast<int>(summary.size()),
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
      std::fprintf(out_, "%s\n", line.c_str());
      break;
    }
  }
  std::fflush(out_);
}

void Progress::Note(std::string_view message) {
  if (mode_ == Mode::kQuiet) return;
  if (mode_ == Mode::kJson) {
    std::string line;
    JsonWriter w(line);
    w.BeginObject().Field("time", FormatIsoUtc(static_cast<int64_t>(std::time(nullptr))));
    w.Field("event", "note").Field("message", message).EndObject();
    std::fprintf(out_, "%s\n", line.c_str());
    return;
  }
  std::fprintf(out_, "%.*s\n", static_cast<int>(message.size()), message.data());
}

}  // namespace feedloop::run
