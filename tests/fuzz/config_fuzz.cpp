// Fuzz target: config::LoadConfig on a workspace configuration file (feedloop.json).
//
// Input: the file.
//
// Invariants: a refused config has a message naming the file; an accepted one has named sources
// with at least one path each, known report formats and granularity, plugin names, plugin configs
// that are JSON objects, and a redactor for every source when redaction is on. Matching a file
// against the sources' globs never fails.
#include <cstdint>
#include <string>

#include "feedloop/config/config.hpp"
#include "feedloop/core/time.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  MemFile file(std::string_view(reinterpret_cast<const char*>(data), size));
  Result<config::WorkspaceConfig> loaded = config::LoadConfig(file.path());
  if (!loaded.ok()) {
    const std::string& message = loaded.status().message();
    FUZZ_CHECK(message.rfind(file.path() + ": ", 0) == 0, Show(message));
    FUZZ_CHECK(loaded.status().code() == Status::Code::kUsage, Show(message));
    return 0;
  }
  const config::WorkspaceConfig& cfg = loaded.value();
  FUZZ_CHECK(ParseGranularity(cfg.period.granularity).ok(), Show(cfg.period.granularity));
  for (const std::string& f : cfg.report.formats) {
    FUZZ_CHECK(f == "html" || f == "md" || f == "json" || f == "csv", Show(f));
  }
  for (const config::Source& s : cfg.sources) {
    FUZZ_CHECK(!s.name.empty() && !s.paths.empty(), "source " + Show(s.name));
    FUZZ_CHECK(s.options.source == s.name, Show(s.options.source));
    FUZZ_CHECK(!cfg.pii.redact || s.options.redactor != nullptr, "source without its redactor");
    if (!s.options.preset.empty())
      FUZZ_CHECK(ingest::FindPreset(s.options.preset), Show(s.options.preset));
  }
  for (const config::PluginConfig& p : cfg.plugins) {
    FUZZ_CHECK(!p.name.empty(), "a plugin without a name");
    if (p.config_json.empty()) continue;
    json::Value v;
    std::string why;
    FUZZ_CHECK(ParsesAsJson(p.config_json, &v, &why) && v.is_object(),
               why + ": " + Show(p.config_json));
  }
  // Glob matching over whatever patterns the file gave.
  (void)cfg.SourceFor("/proc/self/fd/data/export.csv");
  (void)cfg.SourceFor("relative/reviews.jsonl");
  (void)cfg.Resolve("x.csv");
  return 0;
}
