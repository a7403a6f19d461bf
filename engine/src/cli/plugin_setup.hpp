// Plugin selection shared by the commands that analyze: which folders, which plugins, which
// configs, and what to do when one cannot start.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "feedloop/config/config.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/plan.hpp"
#include "feedloop/plugins/registry.hpp"

namespace feedloop::cli {

struct PluginArgs {
  std::string plugins;  // comma-separated names
  std::vector<std::string> plugin_paths;
  std::string config;  // workspace config file
  bool strict = false;
  bool isolate = false;
  double plugin_timeout = 60;
};

void AddPluginOptions(CLI::App* cmd, PluginArgs& args, bool with_config = true);

// Loads the config named by --config (if any); prints the error and sets `exit_code` on failure.
bool LoadConfigArg(const std::string& path, std::optional<config::WorkspaceConfig>* out,
                   int* exit_code);

// The registry over --plugin-path folders, the config's plugin_paths and the default folders.
std::unique_ptr<plugins::PluginRegistry> MakeRegistry(const PluginArgs& args,
                                                      const config::WorkspaceConfig* cfg);

// Builds the run's plan. A plugin that cannot load or start is named on stderr and left out
// (recorded in `skipped`), unless --strict. Returns nullopt after printing the error.
// `threads`: the command's --threads (0: all cores); the plugins start that many at a time.
std::optional<pipeline::AnalysisPlan> BuildPlan(const PluginArgs& args,
                                                const config::WorkspaceConfig* cfg,
                                                std::vector<std::string>* skipped, int* exit_code,
                                                int threads = 1);

void AddAnalyzeCommand(CLI::App& app, struct GlobalOptions& global, int& exit_code);
void AddStreamCommand(CLI::App& app, struct GlobalOptions& global, int& exit_code);
void AddPluginsCommand(CLI::App& app, struct GlobalOptions& global, int& exit_code);
void AddEvalCommand(CLI::App& app, struct GlobalOptions& global, int& exit_code);

}  // namespace feedloop::cli
