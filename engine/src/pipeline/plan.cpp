#include "feedloop/pipeline/plan.hpp"

#include <algorithm>

namespace feedloop::pipeline {

const std::vector<std::string>& DefaultPluginNames() {
  static const std::vector<std::string> kNames = {"sentiment", "taxonomy", "root-cause"};
  return kNames;
}

std::vector<std::string> PluginFolders(const PlanRequest& request) {
  std::vector<std::string> folders = request.extra_folders;
  if (request.config != nullptr) {
    folders.insert(folders.end(), request.config->plugin_paths.begin(),
                   request.config->plugin_paths.end());
  }
  for (const std::string& f : plugins::PluginRegistry::DefaultFolders()) folders.push_back(f);
  // Each folder once, in first-seen order.
  std::vector<std::string> unique;
  for (const std::string& f : folders) {
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
  }
  return unique;
}

Result<AnalysisPlan> PlanFor(const PlanRequest& request, std::vector<std::string>* skipped) {
  plugins::PluginRegistry registry(PluginFolders(request));
  registry.Discover();
  const config::WorkspaceConfig* cfg = request.config;
  std::vector<config::PluginConfig> wanted;
  if (!request.names.empty()) {
    for (const std::string& name : request.names) {
      config::PluginConfig pc{name, "", 0};
      if (cfg != nullptr) {
        for (const config::PluginConfig& c : cfg->plugins) {
          if (c.name == name) pc = c;
        }
      }
      wanted.push_back(pc);
    }
  } else if (cfg != nullptr && !cfg->plugins.empty()) {
    wanted = cfg->plugins;
  } else {
    for (const std::string& n : DefaultPluginNames()) wanted.push_back({n, "", 0});
  }
  std::vector<PlannedPlugin> planned;
  for (const config::PluginConfig& pc : wanted) {
    Result<std::shared_ptr<plugins::PluginLibrary>> lib = registry.Find(pc.name);
    if (!lib.ok()) {
      if (request.strict) return lib.status();
      skipped->push_back(lib.status().message());
      continue;
    }
    planned.push_back({lib.value(), pc.config_json});
  }
  return AnalysisPlan::Create(std::move(planned), !request.strict, skipped, request.start_threads);
}

}  // namespace feedloop::pipeline
