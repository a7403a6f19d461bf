// Golden cases for plugin authors (`feedloop plugins test`): each line of a JSONL file is an item
// plus the annotations a plugin must produce for it; the harness runs the plugin and prints a
// readable diff for every case that does not match. Format in docs/plugins.md.
#pragma once

#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/pipeline/analyzer.hpp"

namespace feedloop::plugins {

struct CaseResult {
  int64_t line = 0;
  std::string name;
  bool passed = false;
  std::vector<std::string> differences;  // "tags: expected delivery/late, missing"
};

// Runs every case of `cases_path` through `plan` and compares what the plugin named `tested`
// produced (the other plugins of the plan feed it what it requires). Returns an error only when
// the file cannot be read or a case is malformed.
Result<std::vector<CaseResult>> RunGoldenCases(const pipeline::AnalysisPlan& plan,
                                               const std::string& tested,
                                               const std::string& cases_path);

}  // namespace feedloop::plugins
