#include "plugin_setup.hpp"

#include "common.hpp"
#include "feedloop/pipeline/analyze.hpp"

namespace feedloop::cli {

void AddPluginOptions(CLI::App* cmd, PluginArgs& args, bool with_config) {
  cmd->add_option("--plugins", args.plugins,
                  "Plugins to run, comma-separated (default: the config's, else "
                  "sentiment,taxonomy,root-cause)");
  cmd->add_option("--plugin-path", args.plugin_paths,
                  "Extra folder to load plugins from (repeatable)");
  if (with_config) cmd->add_option("--config", args.config, "Workspace config (feedloop.json)");
  cmd->add_flag("--strict", args.strict,
                "Fail when a plugin cannot load or start, or something is rejected");
  cmd->add_flag(
      "--isolate-plugins", args.isolate,
      "Run plugins in a worker process: a crashing or hanging plugin fails its item, not the run");
  cmd->add_option("--plugin-timeout", args.plugin_timeout,
                  "With --isolate-plugins: seconds a batch may take before its plugins are stopped")
      ->capture_default_str();
}

bool LoadConfigArg(const std::string& path, std::optional<config::WorkspaceConfig>* out,
                   int* exit_code) {
  if (path.empty()) return true;
  Result<config::WorkspaceConfig> c = config::LoadConfig(path);
  if (!c.ok()) {
    PrintError(c.status().message());
    *exit_code = kExitUsage;
    return false;
  }
  *out = std::move(c).value();
  return true;
}

std::unique_ptr<plugins::PluginRegistry> MakeRegistry(const PluginArgs& args,
                                                      const config::WorkspaceConfig* cfg) {
  pipeline::PlanRequest request;
  request.extra_folders = args.plugin_paths;
  request.config = cfg;
  auto registry = std::make_unique<plugins::PluginRegistry>(pipeline::PluginFolders(request));
  registry->Discover();
  return registry;
}

std::optional<pipeline::AnalysisPlan> BuildPlan(const PluginArgs& args,
                                                const config::WorkspaceConfig* cfg,
                                                std::vector<std::string>* skipped, int* exit_code,
                                                int threads) {
  pipeline::PlanRequest request;
  request.start_threads = pipeline::ResolveThreads(threads);
  std::stringstream names(args.plugins);
  std::string name;
  while (std::getline(names, name, ',')) {
    if (!name.empty()) request.names.push_back(name);
  }
  request.extra_folders = args.plugin_paths;
  request.config = cfg;
  request.strict = args.strict;
  size_t before = skipped->size();
  Result<pipeline::AnalysisPlan> plan = pipeline::PlanFor(request, skipped);
  for (size_t i = before; i < skipped->size(); ++i)
    PrintWarning((*skipped)[i] + "; running without it");
  if (!plan.ok()) {
    PrintError(plan.status().message());
    *exit_code = plan.status().code() == Status::Code::kUsage ? kExitUsage : kExitFailed;
    return std::nullopt;
  }
  if (plan->size() == 0 && skipped->size() > before) {
    // Every plugin asked for was left out (a misspelt --plugins, say): nothing would run.
    PrintError("none of the plugins asked for can run (see the warnings above)");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (args.isolate) {
    pipeline::IsolationOptions isolation;
    isolation.enabled = true;
    isolation.timeout_seconds = args.plugin_timeout > 0 ? args.plugin_timeout : 60;
    plan->set_isolation(isolation);
  }
  return std::move(plan).value();
}

}  // namespace feedloop::cli
