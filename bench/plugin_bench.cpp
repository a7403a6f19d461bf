// Per-plugin cost and output fingerprint of the built-in plugins, in one process and without
// Google Benchmark, so that it also runs under `valgrind --tool=callgrind` (instruction counts do
// not depend on the load of a shared machine).
//
//   feedloop-bench-plugins --jsonl bulk.jsonl [--items N] [--repeats R] [--only NAME]
//                          [--dump FILE] [--no-word-ids]
//
// It reads and validates the first N items (default 100,000), runs the default plan (sentiment,
// taxonomy, root cause) once over them in batches of 512 and then, per plugin (or only NAME),
// runs that plugin alone R times (default 3) over every batch with the others' outputs as its
// inputs, as the stage benchmark does. Printed per plugin: CPU time per item (the best of R runs,
// of this thread only), in all and without the engine's part of every call (tokenizing the batch
// and building the item views, measured by a call that runs no plugin).
//
// --dump FILE writes every output of every plugin for every item at full precision (scores with
// 17 significant digits, every sentence, turn, tag, span and root cause): two builds of the
// plugins give byte-identical dumps exactly when their results are the same. `stream` output
// rounds scores to 4 decimals and leaves out sentences, so it is a weaker check.
//
// --no-word-ids gives the plugins tokens without vocabulary ids (plugin ABI 1.2), as a host
// before 1.2 did: their own lookups, and the same dump.
//
// Under callgrind, the runs of one plugin are the only calls to RunPlugin and tokenization alone
// is RunTokenizer:
//   valgrind --tool=callgrind --toggle-collect='*RunPlugin*' feedloop-bench-plugins
//       --jsonl bulk.jsonl --items 5000 --repeats 1 --only taxonomy
#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "feedloop/ingest/read_items.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/plan.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/vocabulary.hpp"

namespace feedloop {
namespace {

constexpr size_t kBatch = 512;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<Item> ReadItems(const std::string& path, size_t limit) {
  ingest::ValidationOptions vo;
  vo.kind = Kind::kReview;
  vo.source = "bench";
  Result<std::vector<Item>> items = ingest::ReadJsonlItems(path, vo, limit);
  if (!items.ok()) {
    std::fprintf(stderr, "cannot read %s: %s\n", path.c_str(), items.status().message().c_str());
    std::exit(2);
  }
  return std::move(items).value();
}

// Kept out of line so that callgrind can count it alone (--toggle-collect='*RunPlugin*').
[[gnu::noinline]] void RunPlugin(
    pipeline::BatchAnalyzer& analyzer, const std::vector<std::vector<Item>>& batches,
    std::vector<std::vector<std::vector<pipeline::PluginOutput>>>& prior,
    const std::vector<std::vector<uint64_t>>& masks) {
  for (size_t b = 0; b < batches.size(); ++b) analyzer.Analyze(batches[b], &masks[b], &prior[b]);
}

// The same calls with every plugin masked out: the engine's part of each call alone.
[[gnu::noinline]] void RunEngine(
    pipeline::BatchAnalyzer& analyzer, const std::vector<std::vector<Item>>& batches,
    std::vector<std::vector<std::vector<pipeline::PluginOutput>>>& prior,
    const std::vector<std::vector<uint64_t>>& masks) {
  for (size_t b = 0; b < batches.size(); ++b) analyzer.Analyze(batches[b], &masks[b], &prior[b]);
}

// What the host does for every item before the plugins: tokenize, and give the tokens their word
// ids (as BatchAnalyzer does; `vocabulary` is null without them, and kept across runs as the
// analyzer's is).
[[gnu::noinline]] size_t RunTokenizer(const std::vector<std::vector<Item>>& batches,
                                      text::Vocabulary* vocabulary) {
  text::Tokenizer tokenizer;
  text::TokenBuffer buf;
  size_t tokens = 0;
  for (const auto& batch : batches) {
    for (const Item& item : batch) {
      tokenizer.Tokenize(item.text, &buf);
      if (vocabulary != nullptr) vocabulary->Assign(&buf);
      tokens += buf.size();
    }
  }
  return tokens;
}

// " begin-end" (appended piecewise: GCC 12 warns about "literal" + std::string).
void AppendSpan(std::string& out, feedloop_span s, char lead) {
  out += lead;
  out += std::to_string(s.begin);
  out += '-';
  out += std::to_string(s.end);
}

void AppendSpans(std::string& out, const std::vector<feedloop_span>& spans) {
  for (const feedloop_span& s : spans) AppendSpan(out, s, ' ');
}

void AppendNumber(std::string& out, double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), " %.17g", v);
  out += buf;
}

// One line per item and plugin: everything the plugin returned.
void Dump(std::FILE* f, const pipeline::AnalysisPlan& plan, const Item& item,
          const std::vector<pipeline::PluginOutput>& outputs) {
  std::string line;
  for (size_t p = 0; p < outputs.size(); ++p) {
    const pipeline::PluginOutput& o = outputs[p];
    line.clear();
    line += item.id;
    line += ' ';
    line += plan.plugins()[p].library->name();
    if (o.failed) {
      line += " FAILED ";
      line += o.error;
    }
    if (o.sentiment) {
      line += " s";
      AppendNumber(line, *o.sentiment);
    }
    for (const auto& [span, score] : o.sentences) {
      AppendSpan(line, span, '|');
      AppendNumber(line, score);
    }
    for (const auto& [turn, score] : o.turns) {
      line += " t";
      line += std::to_string(turn);
      AppendNumber(line, score);
    }
    for (const pipeline::Label& l : o.tags) {
      line += " tag ";
      line += l.label;
      AppendNumber(line, l.confidence);
      AppendSpans(line, l.spans);
    }
    if (o.root_cause) {
      line += " root ";
      line += o.root_cause->label;
      AppendNumber(line, o.root_cause->confidence);
      AppendSpans(line, o.root_cause->spans);
    }
    for (const auto& [name, l] : o.labels) {
      line += " label ";
      line += name;
      line += ' ';
      line += l.label;
      AppendNumber(line, l.confidence);
      AppendSpans(line, l.spans);
    }
    for (const auto& [name, j] : o.json) {
      line += " json ";
      line += name;
      line += ' ';
      line += j;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), f);
  }
}

int Main(int argc, char** argv) {
  std::string jsonl, dump, only;
  size_t items = 100000;
  int repeats = 3;
  bool word_ids = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--jsonl") {
      jsonl = value();
    } else if (a == "--items") {
      items = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--repeats") {
      repeats = std::atoi(value().c_str());
    } else if (a == "--only") {
      only = value();
    } else if (a == "--dump") {
      dump = value();
    } else if (a == "--no-word-ids") {
      word_ids = false;
    } else {
      std::fprintf(stderr,
                   "usage: %s --jsonl FILE [--items N] [--repeats R] [--only NAME] [--dump FILE] "
                   "[--no-word-ids]\n",
                   argv[0]);
      return 2;
    }
  }
  if (jsonl.empty()) {
    std::fprintf(stderr, "--jsonl FILE is required\n");
    return 2;
  }
  std::vector<Item> all = ReadItems(jsonl, items);
  std::vector<std::vector<Item>> batches;
  for (size_t s = 0; s < all.size(); s += kBatch) {
    batches.emplace_back(all.begin() + static_cast<long>(s),
                         all.begin() + static_cast<long>(std::min(all.size(), s + kBatch)));
  }
  size_t text_bytes = 0;
  for (const Item& i : all) text_bytes += i.text.size();

  std::vector<std::string> skipped;
  pipeline::PlanRequest request;
  request.strict = true;
  Result<pipeline::AnalysisPlan> plan = pipeline::PlanFor(request, &skipped);
  if (!plan.ok()) {
    std::fprintf(stderr, "%s\n", plan.status().message().c_str());
    return 1;
  }
  auto analyzer = std::move(pipeline::BatchAnalyzer::Create(plan.value())).value();
  analyzer->SetWordIds(word_ids);

  // Every plugin once: the outputs later plugins read, and the dump.
  std::vector<std::vector<std::vector<pipeline::PluginOutput>>> prior(batches.size());
  for (size_t b = 0; b < batches.size(); ++b) analyzer->Analyze(batches[b], nullptr, &prior[b]);
  if (!dump.empty()) {
    std::FILE* f = std::fopen(dump.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "cannot write %s\n", dump.c_str());
      return 1;
    }
    for (size_t b = 0; b < batches.size(); ++b) {
      for (size_t i = 0; i < batches[b].size(); ++i) Dump(f, *plan, batches[b][i], prior[b][i]);
    }
    std::fclose(f);
  }
  if (repeats <= 0) return 0;

  const double n = static_cast<double>(all.size());
  double tokenize = 1e30;
  size_t tokens = 0;
  text::Vocabulary vocabulary;
  for (int r = 0; r < repeats; ++r) {
    double start = ThreadCpuSeconds();
    tokens = RunTokenizer(batches, word_ids ? &vocabulary : nullptr);
    tokenize = std::min(tokenize, ThreadCpuSeconds() - start);
  }
  std::printf("items %zu, text %.1f MB, %.1f tokens/item; CPU time of this thread, best of %d\n",
              all.size(), static_cast<double>(text_bytes) / 1e6, static_cast<double>(tokens) / n,
              repeats);
  std::printf("%-12s %10.3f us/item\n", "tokenize", tokenize / n * 1e6);
  // The engine's own work per call with no plugin to run: tokenizing the batch and building the
  // item views. Every plugin figure below includes it once; "own" subtracts it.
  double engine = 1e30;
  {
    std::vector<std::vector<uint64_t>> none;
    for (const auto& batch : batches) none.emplace_back(batch.size(), 0);
    for (int r = 0; r < repeats; ++r) {
      double start = ThreadCpuSeconds();
      RunEngine(*analyzer, batches, prior, none);
      engine = std::min(engine, ThreadCpuSeconds() - start);
    }
  }
  std::printf("%-12s %10.3f us/item (tokenize + item views, no plugin)\n", "engine",
              engine / n * 1e6);
  for (size_t p = 0; p < plan->size(); ++p) {
    const std::string& name = plan->plugins()[p].library->name();
    if (!only.empty() && name != only) continue;
    std::vector<std::vector<uint64_t>> masks;
    for (const auto& batch : batches) masks.emplace_back(batch.size(), uint64_t{1} << p);
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
      double start = ThreadCpuSeconds();
      RunPlugin(*analyzer, batches, prior, masks);
      best = std::min(best, ThreadCpuSeconds() - start);
    }
    std::printf("%-12s %10.3f us/item in all, %.3f us/item own (without the engine's part)\n",
                name.c_str(), best / n * 1e6, (best - engine) / n * 1e6);
  }
  return 0;
}

}  // namespace
}  // namespace feedloop

int main(int argc, char** argv) {
  return feedloop::Main(argc, argv);
}
