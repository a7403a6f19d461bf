#include "plugin_setup.hpp"

#include "common.hpp"

namespace feedloop::cli {

const std::vector<std::string>& DefaultPluginNames() {
  static const std::vector<std::string> kNames = {"sentiment", "taxonomy", "root-cause"};
  return kNames;
}

void AddPluginOptions(CLI::App* cmd, PluginArgs& args, bool with_config) {
  cmd->add_option("--plugins", args.plugins,
                  "Plugins to run, comma-separated (default: the config's, else sentiment,taxonomy,root-cause)");
  cmd->add_option("--plugin-path", args.plugin_paths, "Extra folder to load plugins from (repeatable)");
  if (with_config) cmd->add_option("--config", args.config, "Workspace config (feedloop.json)");
  cmd->add_flag("--strict", args.strict, "Fail when a plugin cannot load or start, or something is rejected");
}

bool LoadConfigArg(const std::string& path, std::optional<config::WorkspaceConfig>* out, int* exit_code) {
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
  std::vector<std::string> folders = args.plugin_paths;
  if (cfg != nullptr) folders.insert(folders.end(), cfg->plugin_paths.begin(), cfg->plugin_paths.end());
  for (const std::string& f : plugins::PluginRegistry::DefaultFolders()) folders.push_back(f);
  auto registry = std::make_unique<plugins::PluginRegistry>(folders);
  registry->Discover();
  return registry;
}

std::optional<pipeline::AnalysisPlan> BuildPlan(const PluginArgs& args,
                                                const config::WorkspaceConfig* cfg,
                                                std::vector<std::string>* skipped, int* exit_code) {
  std::unique_ptr<plugins::PluginRegistry> registry = MakeRegistry(args, cfg);
  // Which plugins, with which configs.
  std::vector<config::PluginConfig> wanted;
  if (!args.plugins.empty()) {
    std::stringstream names(args.plugins);
    std::string name;
    while (std::getline(names, name, ',')) {
      if (name.empty()) continue;
      config::PluginConfig pc;
      pc.name = name;
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
  std::vector<pipeline::PlannedPlugin> planned;
  for (const config::PluginConfig& pc : wanted) {
    Result<std::shared_ptr<plugins::PluginLibrary>> lib = registry->Find(pc.name);
    if (!lib.ok()) {
      if (args.strict) {
        PrintError(lib.status().message());
        *exit_code = kExitFailed;
        return std::nullopt;
      }
      PrintWarning(lib.status().message() + "; running without it");
      skipped->push_back(lib.status().message());
      continue;
    }
    planned.push_back({lib.value(), pc.config_json});
  }
  std::vector<std::string> not_started;
  Result<pipeline::AnalysisPlan> plan = pipeline::AnalysisPlan::Create(planned, !args.strict, &not_started);
  for (const std::string& s : not_started) {
    PrintWarning(s + "; running without it");
    skipped->push_back(s);
  }
  if (!plan.ok()) {
    PrintError(plan.status().message());
    *exit_code = plan.status().code() == Status::Code::kUsage ? kExitUsage : kExitFailed;
    return std::nullopt;
  }
  return std::move(plan).value();
}

}  // namespace feedloop::cli
