#include "feedloop/core/fault.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace feedloop {
namespace {

struct Target {
  std::string point;
  long hits = 1;
  bool armed = false;
};

const Target& Configured() {
  static const Target target = [] {
    Target t;
    const char* spec = std::getenv("FEEDLOOP_CRASH_AT");
    if (spec == nullptr || *spec == '\0') return t;
    std::string s(spec);
    size_t colon = s.find(':');
    t.point = s.substr(0, colon);
    if (colon != std::string::npos) t.hits = std::max(1L, std::atol(s.c_str() + colon + 1));
    t.armed = true;
    return t;
  }();
  return target;
}

std::atomic<long> g_hits{0};

}  // namespace

void CrashPoint(const char* point) {
  const Target& t = Configured();
  if (!t.armed || t.point != point) return;
  if (g_hits.fetch_add(1) + 1 < t.hits) return;
  ::kill(::getpid(), SIGKILL);
}

}  // namespace feedloop
