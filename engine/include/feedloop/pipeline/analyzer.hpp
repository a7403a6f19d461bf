// The analysis core shared by `analyze` (from the store) and `stream` (from stdin): tokenizes
// each item once, runs the planned plugins in dependency order through the C ABI, collects what
// they return through a validating sink, and merges it into one view per item.
#pragma once

#include <feedloop/plugin.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/pipeline/isolation.hpp"
#include "feedloop/plugins/host.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/vocabulary.hpp"

namespace feedloop::pipeline {

struct Label {
  std::string label;
  double confidence = 0;
  std::vector<feedloop_span> spans;
};

// What one plugin produced for one item.
struct PluginOutput {
  bool ran = false;     // the plugin was run (or its stored result loaded) for this item
  bool failed = false;  // the plugin failed on this item; `error` says why
  std::string error;
  std::optional<double> sentiment;
  std::vector<std::pair<feedloop_span, double>> sentences;
  std::vector<std::pair<uint32_t, double>> turns;  // turn index -> sentiment
  std::vector<Label> tags;
  std::optional<Label> root_cause;
  std::vector<std::pair<std::string, Label>> labels;      // custom annotation -> label
  std::vector<std::pair<std::string, std::string>> json;  // custom annotation -> JSON value

  // Empties it for reuse, keeping the memory (the hot path analyzes millions of items).
  void Clear() {
    ran = failed = false;
    error.clear();
    sentiment.reset();
    sentences.clear();
    turns.clear();
    tags.clear();
    root_cause.reset();
    labels.clear();
    json.clear();
  }
};

// A plugin chosen for a run, with its configuration (a JSON object; empty for the default).
struct PlannedPlugin {
  std::shared_ptr<plugins::PluginLibrary> library;
  std::string config;
  // Set by AnalysisPlan::Create from the started instance (PluginInstance::Describe):
  // what it provides with this config, and the version its results are stored under — the
  // library's, plus "+cfg.HASH" when the config or the instance's fingerprint (the files it
  // read) differ from the defaults, so that a changed taxonomy or a retrained model analyses
  // stored items again, as a new version does.
  std::vector<std::string> provides = {};
  std::string version = {};
};

// The ordered plugins of a run. Immutable and shared by all workers.
class AnalysisPlan {
 public:
  // Orders the plugins by their requirements and checks that each starts with its config.
  // A plugin that cannot start is an error, or with `skip_failing` is left out and named in
  // `skipped` ("plugin x refused to start: ..."). The plugins start `start_threads` at a time;
  // the result does not depend on it.
  static Result<AnalysisPlan> Create(std::vector<PlannedPlugin> plugins, bool skip_failing,
                                     std::vector<std::string>* skipped, int start_threads = 1);

  const std::vector<PlannedPlugin>& plugins() const { return plugins_; }
  size_t size() const { return plugins_.size(); }
  // For plugin `i` and its `requirement`-th required annotation (the order of its `requires_`):
  // the plugins before it that provide it, in plan order (a plugin reads them all: tags of a
  // taxonomy and of a classifier, say). Computed once by Create: analyzers ask for every item.
  const std::vector<int>& ProvidersOf(size_t i, size_t requirement) const {
    return providers_[i][requirement];
  }
  // The index of the last plugin providing `name`, or -1.
  int LastProvider(const std::string& name) const;

  // With isolation enabled, every BatchAnalyzer of this plan runs the plugins in a worker process.
  void set_isolation(IsolationOptions options) { isolation_ = std::move(options); }
  const IsolationOptions& isolation() const { return isolation_; }

  // The instance of plugin `i` that Create started to check its config, once (null after, or
  // when there is none): the first analyzer uses it instead of starting the plugin again, which
  // for a taxonomy means compiling it again. Thread-safe.
  std::unique_ptr<plugins::PluginInstance> TakeStarted(size_t i) const;

 private:
  struct Started;
  std::vector<PlannedPlugin> plugins_;
  std::vector<std::vector<std::vector<int>>> providers_;  // see ProvidersOf
  IsolationOptions isolation_;
  std::shared_ptr<Started> started_;  // shared by copies of the plan
};

// One item's merged result: the last sentiment and root-cause providers decide; tags are the
// union of every tag provider's tags.
struct MergedAnalysis {
  std::optional<double> sentiment;
  std::vector<std::pair<uint32_t, double>> turns;
  std::vector<Label> tags;
  std::optional<Label> root_cause;
  std::vector<std::pair<std::string, Label>> labels;
  std::vector<std::pair<std::string, std::string>> json;
  std::vector<std::pair<std::string, std::string>> errors;  // plugin -> message
};
MergedAnalysis Merge(const AnalysisPlan& plan, const std::vector<PluginOutput>& outputs);

// "positive" if score >= 0.05, "negative" if <= -0.05, else "neutral".
const char* SentimentLabel(double score);

// Runs the plan on batches. Holds one instance of each plugin: one BatchAnalyzer per thread.
class BatchAnalyzer {
 public:
  static Result<std::unique_ptr<BatchAnalyzer>> Create(const AnalysisPlan& plan);
  ~BatchAnalyzer();

  // Analyzes `items`. `outputs[i][p]` is the result of plugin p for item i; entries of plugins
  // that are not to run for an item (its bit in `run_masks[i]` is clear) must be filled by the
  // caller beforehand (stored results), because later plugins may read them. `run_masks` may be
  // null: every plugin runs for every item.
  void Analyze(const std::vector<Item>& items, const std::vector<uint64_t>* run_masks,
               std::vector<std::vector<PluginOutput>>* outputs);

  // Whether the tokens carry word ids (plugin ABI 1.2; on, from a vocabulary of at most 65,535
  // words, by default). Off, every token's `word` is 0 and the plugins take their own lookups:
  // the same results, which a test checks, as it does with a vocabulary that runs out early.
  // Call it before the first Analyze: a plugin instance must see the ids of one vocabulary.
  void SetWordIds(bool on, uint32_t max_words = text::Vocabulary::kDefaultMaxWords) {
    word_ids_ = on;
    vocabulary_ = text::Vocabulary(max_words);
  }
  // How many words have an id so far.
  uint32_t WordsGiven() const { return vocabulary_.size(); }

 private:
  struct Scratch;  // the views and call lists of a batch, kept for their memory
  explicit BatchAnalyzer(const AnalysisPlan& plan);
  const AnalysisPlan& plan_;
  std::unique_ptr<Scratch> scratch_;
  std::unique_ptr<ChildAnalyzer> child_;  // set when the plan is isolated
  std::vector<std::unique_ptr<plugins::PluginInstance>> instances_;
  text::Tokenizer tokenizer_;
  std::vector<text::TokenBuffer> tokens_;
  text::Vocabulary vocabulary_;  // the word ids of this worker's tokens
  bool word_ids_ = true;
  std::vector<std::string> texts_;
};

// Analyzes a whole set of items on `threads` workers (0: all cores) and returns their merged
// results in order. For evaluation and tools; the store and stream pipelines batch themselves.
Result<std::vector<MergedAnalysis>> AnalyzeAll(const AnalysisPlan& plan,
                                               const std::vector<Item>& items, int threads);

}  // namespace feedloop::pipeline
