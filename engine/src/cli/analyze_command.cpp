// `feedloop analyze` and `feedloop stream`.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "common.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/metrics/aggregate.hpp"
#include "feedloop/metrics/stream_source.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/stream.hpp"
#include "plugin_setup.hpp"

namespace feedloop::cli {
namespace {

std::string PluginListJson(const pipeline::AnalysisPlan& plan,
                           const std::vector<std::string>& skipped) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("plugins").BeginArray();
  for (const pipeline::PlannedPlugin& p : plan.plugins()) {
    w.BeginObject().Field("name", p.library->name()).Field("version", p.version).EndObject();
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
  std::optional<pipeline::AnalysisPlan> plan =
      BuildPlan(a.plugins, cfg ? &*cfg : nullptr, &skipped, &exit_code, a.threads);
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
  Result<pipeline::AnalyzeCounts> counts =
      pipeline::AnalyzeStore(*db, *plan, options, run.value(), [&](int64_t done, int64_t total) {
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
    names += (names.empty() ? "" : ", ") + p.library->name() + " " + p.version;
  }
  std::printf(
      "analyze run %lld: %lld items analyzed (%lld plugin runs, %lld failed) in %.2f s with %s\n",
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
  // --partial: where the shard's aggregate state goes ("-": stdout, instead of the annotations),
  // and how it is cut (by default the config's period and report segments).
  std::string partial;
  std::vector<std::string> segments;
  std::string granularity;
  std::string time_zone;
  int64_t save_candidates = metrics::AggregateOptions().save_candidates;
  bool no_redact = false;
};

// The aggregate options of a partial state: the config's period and report segments, then the
// flags. Report and merge must see the same options, so they come from the same config.
Result<metrics::AggregateOptions> PartialOptions(const StreamArgs& a,
                                                 const config::WorkspaceConfig* cfg) {
  metrics::AggregateOptions o;
  std::string granularity = cfg ? cfg->period.granularity : "week";
  if (!a.granularity.empty()) granularity = a.granularity;
  Result<Granularity> g = ParseGranularity(granularity);
  if (!g.ok()) return Status::Usage(g.status().message());
  o.granularity = g.value();
  if (cfg) o.time_zone = cfg->period.time_zone;
  if (!a.time_zone.empty()) o.time_zone = a.time_zone;
  // As `feedloop report` does: --segment adds to the config's report segments (or the defaults).
  std::vector<std::string> segments = cfg ? cfg->report.segments : o.segment_fields;
  segments.insert(segments.end(), a.segments.begin(), a.segments.end());
  o.segment_fields.clear();
  for (const std::string& s : segments) {
    Status st = metrics::ValidateSegmentField(s);
    if (!st.ok()) return Status::Usage(st.message());
    if (std::find(o.segment_fields.begin(), o.segment_fields.end(), s) == o.segment_fields.end()) {
      o.segment_fields.push_back(s);
    }
  }
  if (a.save_candidates < 1) return Status::Usage("--save-candidates must be at least 1");
  o.save_candidates = a.save_candidates;
  return o;
}

int RunStreamCommand(const StreamArgs& a) {
  int exit_code = kExitOk;
  std::optional<config::WorkspaceConfig> cfg;
  if (!LoadConfigArg(a.plugins.config, &cfg, &exit_code)) return exit_code;
  std::vector<std::string> skipped;
  std::optional<pipeline::AnalysisPlan> plan =
      BuildPlan(a.plugins, cfg ? &*cfg : nullptr, &skipped, &exit_code, a.threads);
  if (!plan) return exit_code;
  pipeline::StreamOptions options;
  options.threads = a.threads;
  options.batch_lines = std::max(1, a.batch);
  options.default_source = a.source;

  // The reasons of the error lines can quote a value: they are redacted unless --no-redact,
  // with or without --partial.
  if (!a.no_redact) {
    Result<std::shared_ptr<const text::Redactor>> r =
        config::MakeRedactor(cfg ? cfg->pii : config::PiiSettings{});
    if (!r.ok()) {
      PrintError(r.status().message());
      return kExitUsage;
    }
    options.error_redactor = r.value();
  }

  // --partial: one aggregator per worker, merged at the end (exact, whatever batch each got).
  const bool partial = !a.partial.empty();
  std::vector<std::unique_ptr<metrics::Aggregator>> aggregators;
  std::vector<std::unique_ptr<metrics::StreamFacts>> facts;
  std::vector<int64_t> redactions;  // per worker
  pipeline::ItemCallback on_item;
  if (partial) {
    Result<metrics::AggregateOptions> ao = PartialOptions(a, cfg ? &*cfg : nullptr);
    if (!ao.ok()) {
      PrintError(ao.status().message());
      return kExitUsage;
    }
    // The items are redacted before analysis, as ingest does before storing them, so quotes and
    // figures are those of the store.
    if (!a.no_redact) {
      options.redactor = options.error_redactor;
      if (cfg) options.redacted_fields = cfg->pii.fields;
    }
    for (int w = 0; w < pipeline::ResolveThreads(a.threads); ++w) {
      Result<std::unique_ptr<metrics::Aggregator>> agg = metrics::Aggregator::Create(ao.value());
      if (!agg.ok()) {
        PrintError(agg.status().message());
        return kExitUsage;
      }
      aggregators.push_back(std::move(agg).value());
      facts.push_back(std::make_unique<metrics::StreamFacts>(ao->segment_fields));
    }
    redactions.assign(aggregators.size(), 0);
    on_item = [&](int w, const Item& item, const pipeline::MergedAnalysis& m) {
      aggregators[static_cast<size_t>(w)]->Add(facts[static_cast<size_t>(w)]->Of(item, m));
      redactions[static_cast<size_t>(w)] += item.redactions;
    };
    options.emit_annotations = a.partial != "-";
  }

  Result<pipeline::StreamCounts> counts =
      pipeline::RunStream(STDIN_FILENO, stdout, *plan, options, on_item);
  if (!counts.ok()) {
    PrintError(counts.status().message());
    return kExitFailed;
  }
  if (counts->output_closed) return kExitOk;  // the reader stopped listening: not our failure
  if (partial) {
    metrics::AggregateState state = aggregators[0]->Take();
    for (size_t w = 1; w < aggregators.size(); ++w) {
      Status st = metrics::MergeInto(state, aggregators[w]->Take());
      if (!st.ok()) {
        PrintError(st.message());
        return kExitFailed;
      }
    }
    for (const pipeline::PlannedPlugin& p : plan->plugins()) {
      state.producer.plugins.emplace_back(p.library->name(), p.version);
    }
    state.producer.shards = 1;
    state.producer.lines = counts->lines;
    state.producer.errors = counts->errors;
    for (int64_t r : redactions) state.producer.redactions += r;
    const std::string text = metrics::StateToJson(state);
    if (a.partial == "-") {
      if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
          std::fflush(stdout) != 0) {
        PrintError("stdout: cannot write the partial state");
        return kExitFailed;
      }
    } else {
      std::ofstream out(a.partial, std::ios::binary | std::ios::trunc);
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      out.close();
      if (!out) {
        PrintError("cannot write the partial state to " + a.partial);
        return kExitFailed;
      }
    }
    if (counts->errors > 0) {
      PrintWarning(std::to_string(counts->errors) + " of " + std::to_string(counts->lines) +
                   " line(s) were not items and are not in the partial state");
    }
  }
  if (a.plugins.strict && (counts->errors > 0 || !skipped.empty())) return kExitFailed;
  return kExitOk;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Run the plugins over every stored item not yet analyzed by their current version");
  AddPluginOptions(cmd, args->plugins);
  cmd->add_option("--threads", args->threads,
                  "Threads to use (default: all cores): the one that reads and writes the "
                  "store also runs plugins, beside N - 1 workers");
  cmd->add_option("--since", args->since, "Only items created at or after this date");
  cmd->callback([args, &global, &exit_code] { exit_code = RunAnalyze(*args, global); });
}

void AddStreamCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<StreamArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stream",
      "Analyze JSON Lines from stdin and write one annotated JSON object per line to stdout");
  AddPluginOptions(cmd, args->plugins);
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  cmd->add_option("--batch", args->batch,
                  "Most lines analysed together (fewer when no more input is ready, so a "
                  "producer writing a line at a time is answered at once); the output is the "
                  "same for any value")
      ->capture_default_str();
  cmd->add_option("--source", args->source, "Source name for lines without one")
      ->capture_default_str();
  cmd->add_option("--partial", args->partial,
                  "Also write the shard's mergeable aggregate state to FILE, for `feedloop merge`; "
                  "'-' writes it to stdout instead of the annotated lines");
  cmd->add_option("--segment", args->segments,
                  "With --partial: an extra segment field, as for report (added to the config's "
                  "report segments, else to channel, region, source, kind; repeatable)");
  cmd->add_option("--granularity", args->granularity,
                  "With --partial: week (default), day or month periods");
  cmd->add_option("--time-zone", args->time_zone,
                  "With --partial: IANA time zone periods are cut in (default UTC)");
  cmd->add_option("--save-candidates", args->save_candidates,
                  "With --partial: save-list candidates kept per period, the riskiest (as for "
                  "report; the same on every shard)")
      ->capture_default_str();
  cmd->add_flag("--no-redact", args->no_redact,
                "Keep PII in the error lines and, with --partial, in the quotes (the config's pii "
                "settings apply otherwise)");
  (void)global;
  cmd->callback([args, &exit_code] { exit_code = RunStreamCommand(*args); });
}

}  // namespace feedloop::cli
