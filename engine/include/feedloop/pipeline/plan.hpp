// Choosing a run's plugins: which folders to search, which plugins (the caller's list, else the
// config's, else the built-in default set), with which configs, and what happens when one cannot
// load or start.
#pragma once

#include <string>
#include <vector>

#include "feedloop/config/config.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/plugins/registry.hpp"

namespace feedloop::pipeline {

// The plugins that run when neither the caller nor the config names any.
const std::vector<std::string>& DefaultPluginNames();

struct PlanRequest {
  std::vector<std::string> names;          // empty: the config's plugins, else the defaults
  std::vector<std::string> extra_folders;  // searched before the config's and the default folders
  const config::WorkspaceConfig* config = nullptr;
  bool strict = false;    // a plugin that cannot load or start is an error, not a skip
  int start_threads = 1;  // how many plugins start at once (AnalysisPlan::Create)
};

// The folders a request searches, in order.
std::vector<std::string> PluginFolders(const PlanRequest& request);

// Builds the plan. Without `strict`, a plugin that cannot load or start is left out and named in
// `skipped` with the reason.
Result<AnalysisPlan> PlanFor(const PlanRequest& request, std::vector<std::string>* skipped);

}  // namespace feedloop::pipeline
