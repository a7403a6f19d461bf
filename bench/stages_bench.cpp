// Stage benchmarks: each stage of the pipeline alone, on one core, over the same corpus —
// JSONL and CSV parsing, text normalization, tokenization, and each built-in plugin.
//
//   FEEDLOOP_BENCH_JSONL=bulk.jsonl FEEDLOOP_BENCH_CSV=bulk.csv feedloop-bench-stages
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Items/s are reported as items_per_second, bytes as bytes_per_second (Google Benchmark).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "feedloop/ingest/csv_reader.hpp"
#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/ingest/read_items.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/plan.hpp"
#include "feedloop/text/normalize.hpp"
#include "feedloop/text/tokenizer.hpp"

namespace feedloop {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The first `limit` items of the JSONL corpus, parsed and validated once.
const std::vector<Item>& Corpus() {
  static const std::vector<Item> items = [] {
    ingest::ValidationOptions vo;
    vo.kind = Kind::kReview;
    vo.source = "bench";
    size_t limit = static_cast<size_t>(std::atol(
        Env("FEEDLOOP_BENCH_ITEMS").empty() ? "100000" : Env("FEEDLOOP_BENCH_ITEMS").c_str()));
    Result<std::vector<Item>> read = ingest::ReadJsonlItems(Env("FEEDLOOP_BENCH_JSONL"), vo, limit);
    return read.ok() ? std::move(read).value() : std::vector<Item>();
  }();
  return items;
}

int64_t TextBytes(const std::vector<Item>& items) {
  int64_t n = 0;
  for (const Item& i : items) n += static_cast<int64_t>(i.text.size());
  return n;
}

// Reads every record of the file named by `env` with `Reader`, as ingest does.
template <typename Reader>
void ParseFile(benchmark::State& state, const char* env) {
  std::string path = Env(env);
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path));
  int64_t records = 0;
  for (auto _ : state) {
    auto reader = Reader::Open(std::move(ingest::InputFile::Open(path)).value());
    ingest::RawRecord r;
    records = 0;
    while ((*reader)->Next(&r)) ++records;
    benchmark::DoNotOptimize(records);
  }
  state.SetItemsProcessed(state.iterations() * records);
  state.SetBytesProcessed(state.iterations() * size);
}

void BM_ParseJsonl(benchmark::State& state) {
  ParseFile<ingest::JsonReader>(state, "FEEDLOOP_BENCH_JSONL");
}

void BM_ParseCsv(benchmark::State& state) {
  ParseFile<ingest::CsvReader>(state, "FEEDLOOP_BENCH_CSV");
}

void BM_Normalize(benchmark::State& state) {
  const std::vector<Item>& items = Corpus();
  for (auto _ : state) {
    for (const Item& i : items) benchmark::DoNotOptimize(text::NormalizeText(i.text));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(items.size()));
  state.SetBytesProcessed(state.iterations() * TextBytes(items));
}

void BM_Tokenize(benchmark::State& state) {
  const std::vector<Item>& items = Corpus();
  text::Tokenizer tokenizer;
  text::TokenBuffer buf;
  for (auto _ : state) {
    for (const Item& i : items) {
      tokenizer.Tokenize(i.text, &buf);
      benchmark::DoNotOptimize(buf.size());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(items.size()));
  state.SetBytesProcessed(state.iterations() * TextBytes(items));
}

// One plugin of the built-in plan; the plugins before it have already run (their outputs are
// the inputs it reads), so the figure is its own cost plus tokenization.
void BM_Plugin(benchmark::State& state, const std::string& name) {
  const std::vector<Item>& items = Corpus();
  std::vector<std::string> skipped;
  pipeline::PlanRequest request;
  Result<pipeline::AnalysisPlan> plan = pipeline::PlanFor(request, &skipped);
  if (!plan.ok()) {
    state.SkipWithError(plan.status().message().c_str());
    return;
  }
  int index = -1;
  for (size_t p = 0; p < plan->size(); ++p) {
    if (plan->plugins()[p].library->name() == name) index = static_cast<int>(p);
  }
  if (index < 0) {
    state.SkipWithError(("plugin " + name + " not found").c_str());
    return;
  }
  auto analyzer = std::move(pipeline::BatchAnalyzer::Create(plan.value())).value();
  constexpr size_t kBatch = 512;
  // Precompute every plugin's output once; then only `index` runs.
  std::vector<std::vector<std::vector<pipeline::PluginOutput>>> prior;
  std::vector<std::vector<Item>> batches;
  for (size_t s = 0; s < items.size(); s += kBatch) {
    batches.emplace_back(items.begin() + static_cast<long>(s),
                         items.begin() + static_cast<long>(std::min(items.size(), s + kBatch)));
    prior.emplace_back();
    analyzer->Analyze(batches.back(), nullptr, &prior.back());
  }
  for (auto _ : state) {
    for (size_t b = 0; b < batches.size(); ++b) {
      std::vector<uint64_t> masks(batches[b].size(), uint64_t{1} << index);
      analyzer->Analyze(batches[b], &masks, &prior[b]);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(items.size()));
  state.SetBytesProcessed(state.iterations() * TextBytes(items));
}

BENCHMARK(BM_ParseJsonl)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Plugin, sentiment, std::string("sentiment"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Plugin, taxonomy, std::string("taxonomy"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Plugin, root_cause, std::string("root-cause"))->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace feedloop

BENCHMARK_MAIN();
