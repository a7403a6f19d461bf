// `feedloop analyze` and `feedloop stream`.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "common.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/stream.hpp"
#include "plugin_setup.hpp"

namespace feedloop::cli {
namespace {

std::string PluginListJson(const pipeline::AnalysisPlan& plan, const std::vector<std::string>& skipped) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("plugins").BeginArray();
  for (const pipeline::PlannedPlugin& p : plan.plugins()) {
    w.BeginObject().Field("name", p.library->name()).Field("version", p.library->info().version).EndObject();
  }
  w.EndArray().Key("skipped").BeginArray();
  for (const std::string& s : skipped) w.String(s);
  w.EndArray().EndObject();
  return out;
}

struct AnalyzeArgs {
  PluginArgs plugins;
  int threads = 0;
  std::string since;
};

int RunAnalyze(const AnalyzeArgs& a, const GlobalOptions& g) {
  int exit_code = kExitOk;
  std::optional<config::WorkspaceConfig> cfg;
  if (!LoadConfigArg(a.plugins.config, &cfg, &exit_code)) return exit_code;
  pipeline::AnalyzeOptions options;
  options.threads = a.threads;
  if (!a.since.empty()) {
    Result<int64_t> since = ParseDate(a.since);
    if (!since.ok()) {
      PrintError("--since: " + since.status().message());
      return kExitUsage;
    }
    options.since = since.value();
  }
  std::vector<std::string> skipped;
  std::optional<pipeline::AnalysisPlan> plan = BuildPlan(a.plugins, cfg ? &*cfg : nullptr, &skipped, &exit_code);
  if (!plan) return exit_code;
  std::unique_ptr<store::Store> db = OpenStore(g.db, false, &exit_code);
  if (!db) return exit_code;
  (void)db->RecoverInterruptedRuns();
  Result<int64_t> run = db->StartRun("analyze", cfg ? cfg->text_hash : "");
  if (!run.ok()) {
    PrintError(run.status().message());
    return kExitFailed;
  }
  auto start = std::chrono::steady_clock::now();
  Result<pipeline::AnalyzeCounts> counts = pipeline::AnalyzeStore(
      *db, *plan, options, run.value(), [&](int64_t done, int64_t total) {
        if (!g.quiet && ::isatty(STDERR_FILENO)) {
          std::fprintf(stderr, "\ranalyze: %lld / %lld items", static_cast<long long>(done),
                       static_cast<long long>(total));
        }
      });
  if (!g.quiet && ::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string details = PluginListJson(*plan, skipped);
  if (!counts.ok()) {
    PrintError(counts.status().message());
    (void)db->FinishRun(run.value(), "failed", {}, 0, 0, details);
    return kExitFailed;
  }
  const pipeline::AnalyzeCounts& c = counts.value();
  std::string status = c.failed > 0 || !skipped.empty() ? "partial" : "ok";
  (void)db->FinishRun(run.value(), status, {}, c.items, c.failed, details);
  std::string names;
  for (const pipeline::PlannedPlugin& p : plan->plugins()) {
    names += (names.empty() ? "" : ", ") + p.library->name() + " " + p.library->info().version;
  }
  std::printf("analyze run %lld: %lld items analyzed (%lld plugin runs, %lld failed) in %.2f s with %s\n",
              static_cast<long long>(run.value()), static_cast<long long>(c.items),
              static_cast<long long>(c.plugin_runs), static_cast<long long>(c.failed), seconds,
              names.empty() ? "no plugins" : names.c_str());
  if (a.plugins.strict && (c.failed > 0 || !skipped.empty())) return kExitFailed;
  return kExitOk;
}

struct StreamArgs {
  PluginArgs plugins;
  int threads = 0;
  int batch = 512;
  std::string source = "stream";
};

int RunStreamCommand(const StreamArgs& a) {
  int exit_code = kExitOk;
  std::optional<config::WorkspaceConfig> cfg;
  if (!LoadConfigArg(a.plugins.config, &cfg, &exit_code)) return exit_code;
  std::vector<std::string> skipped;
  std::optional<pipeline::AnalysisPlan> plan = BuildPlan(a.plugins, cfg ? &*cfg : nullptr, &skipped, &exit_code);
  if (!plan) return exit_code;
  pipeline::StreamOptions options;
  options.threads = a.threads;
  options.batch_lines = std::max(1, a.batch);
  options.default_source = a.source;
  Result<pipeline::StreamCounts> counts = pipeline::RunStream(STDIN_FILENO, stdout, *plan, options);
  if (!counts.ok()) {
    PrintError(counts.status().message());
    return kExitFailed;
  }
  if (counts->output_closed) return kExitOk;  // the reader stopped listening: not our failure
  if (a.plugins.strict && (counts->errors > 0 || !skipped.empty())) return kExitFailed;
  return kExitOk;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Run the plugins over every stored item not yet analyzed by their current version");
  AddPluginOptions(cmd, args->plugins);
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  cmd->add_option("--since", args->since, "Only items created at or after this date");
  cmd->callback([args, &global, &exit_code] { exit_code = RunAnalyze(*args, global); });
}

void AddStreamCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<StreamArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stream", "Analyze JSON Lines from stdin and write one annotated JSON object per line to stdout");
  AddPluginOptions(cmd, args->plugins);
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  cmd->add_option("--batch", args->batch, "Lines per batch")->capture_default_str();
  cmd->add_option("--source", args->source, "Source name for lines without one")->capture_default_str();
  (void)global;
  cmd->callback([args, &exit_code] { exit_code = RunStreamCommand(*args); });
}

}  // namespace feedloop::cli
