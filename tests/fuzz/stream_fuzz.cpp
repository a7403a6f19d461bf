// Fuzz target: `feedloop stream`, the whole per-line path: parse, validate, tokenize, analyze and
// serialize. Two modes:
//
//  - line by line (most inputs): each line goes through what stream.cpp does with it (JSON object
//    parser, the mapper with stream's options, a BatchAnalyzer of the built-in plugins, Merge,
//    AppendAnnotatedLine). The analyzer is made once, so the plugins run thousands of times a
//    second instead of being started for every input.
//  - whole (option bit 3): pipeline::RunStream on the input as its stdin, with its reader thread,
//    batching, worker and ordered writer. Starting the built-in plugins for every input would be
//    too slow, so this mode's plan holds only the in-memory plugin.
//
// The built-in plugins (sentiment, taxonomy, root-cause) are loaded from the build with the same
// sanitizers, beside an in-memory plugin that sends the host hostile results (labels cut inside
// a character, spans past the text, confidences out of range, the text as JSON).
//
// Input: one option byte, then the lines.
//   bit 0  batches of one line instead of 512 (whole mode)
//   bit 1  day-first slashed dates
//   bit 2  max_line_bytes 256 (reaches the too-long path)
//   bit 3  whole mode
//
// Invariants: exactly one output line per input line, in order; every output line is valid
// UTF-8 and a JSON object, either an annotated item ({"id": ...}) or an error naming its line
// ({"line": N, "error": ...}); the counts reconcile (lines = items + errors).
#include <feedloop/sdk.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/stream.hpp"
#include "fuzz_util.hpp"

namespace {

// Sends back what a careless or hostile plugin might: the host must keep its output valid.
class HostilePlugin : public feedloop::sdk::Plugin {
 public:
  void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
    const std::string_view text = item.text();
    const size_t cut = text.empty() ? 0 : static_cast<unsigned char>(text[0]) % 48;
    const uint32_t size = static_cast<uint32_t>(text.size());
    std::vector<feedloop_span> spans = {{0, size}, {size, size + 7}, {5, 2}, {0, 0xFFFFFFFFu}};
    out.AddLabel("hostile", text.substr(0, cut), 1.5, spans);
    out.AddTag(text.substr(0, cut / 2), -0.25, spans);
    out.AddTag("late_delivery", 0.5, spans);
    out.SetJson("hostile", text);
    out.SetJson("hostile", "{\"ok\": [1, 2.5e308, \"\\u00e9\"]}");
    if (cut == 13) out.Fail(text.substr(0, cut));
  }
};

}  // namespace

FEEDLOOP_PLUGIN(HostilePlugin, "hostile", "1.0.0", "Sends hostile results", "MIT", "hostile", "")

namespace feedloop::fuzz {
namespace {

struct State {
  pipeline::AnalysisPlan full;   // built-in plugins + the hostile one
  pipeline::AnalysisPlan light;  // the hostile one alone, for whole runs
  std::unique_ptr<pipeline::BatchAnalyzer> analyzer;
};

State& Shared() {
  static State state;
  return state;
}

// Checks the output of `expected` input lines; returns the number of item lines.
int64_t CheckOutput(const std::string& out, size_t expected) {
  FUZZ_CHECK(ValidUtf8(out), "output is not UTF-8: " + Show(out));
  size_t produced = 0, start = 0;
  int64_t items = 0;
  while (start < out.size()) {
    const size_t nl = out.find('\n', start);
    FUZZ_CHECK(nl != std::string::npos, "an output line without its newline");
    const std::string_view line(out.data() + start, nl - start);
    start = nl + 1;
    ++produced;
    json::Value v;
    std::string why;
    FUZZ_CHECK(ParsesAsJson(line, &v, &why) && v.is_object(), why + ": " + Show(line));
    if (const json::Value* id = v.find("id")) {
      FUZZ_CHECK(id->is_string() && !id->as_string().empty(), Show(line));
      ++items;
      continue;
    }
    const json::Value* n = v.find("line");
    const json::Value* error = v.find("error");
    FUZZ_CHECK(n != nullptr && n->is_number() && n->as_number() == static_cast<double>(produced),
               "error line " + Show(line) + " at output line " + std::to_string(produced));
    FUZZ_CHECK(error != nullptr && error->is_string() && !error->as_string().empty(), Show(line));
  }
  FUZZ_CHECK(produced == expected, std::to_string(produced) + " output lines for " +
                                       std::to_string(expected) + " input lines");
  return items;
}

// What stream.cpp does with one batch of lines, with the shared analyzer.
std::string ProcessLines(const std::vector<std::string_view>& lines,
                         const pipeline::StreamOptions& options) {
  static ingest::JsonObjectParser parser;
  ingest::ValidationOptions validation;
  validation.kind = Kind::kReview;
  validation.source = options.default_source;
  validation.dates = options.dates;
  validation.max_text_bytes = options.max_text_bytes;
  const ingest::Mapper mapper(ingest::Mapping(), validation);
  std::vector<std::string> errors(lines.size());
  std::vector<int> slot(lines.size(), -1);
  std::vector<Item> items;
  ingest::FlatRecord record;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view view = lines[i];
    std::string& err = errors[i];
    while (!view.empty() && (view.back() == '\r' || view.back() == ' ' || view.back() == '\t')) {
      view.remove_suffix(1);
    }
    Item item;
    if (lines[i].size() > options.max_line_bytes) {
      err = "line too long";
    } else if (view.empty()) {
      err = "empty line";
    } else if (!ValidUtf8(view)) {
      err = "invalid UTF-8";
    } else if (err = parser.Parse(view, &record); err.empty()) {
      err = mapper.Map(record, &item, std::to_string(i + 1));
    }
    if (!err.empty()) {
      FUZZ_CHECK(ValidUtf8(err), "reason is not UTF-8: " + Show(err));
      continue;
    }
    slot[i] = static_cast<int>(items.size());
    items.push_back(std::move(item));
  }
  std::vector<std::vector<pipeline::PluginOutput>> outputs;
  Shared().analyzer->Analyze(items, nullptr, &outputs);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (slot[i] < 0) {
      out += "{\"line\": " + std::to_string(i + 1) + ", \"error\": ";
      json::AppendQuoted(out, errors[i]);
      out += "}\n";
      continue;
    }
    const size_t s = static_cast<size_t>(slot[i]);
    pipeline::MergedAnalysis merged = pipeline::Merge(Shared().full, outputs[s]);
    for (const pipeline::Label& tag : merged.tags) {
      for (const feedloop_span& span : tag.spans) {
        FUZZ_CHECK(span.begin <= span.end && span.end <= items[s].text.size(),
                   "span kept past the text");
      }
    }
    // Every member, the analysed text included (escaped like any string).
    pipeline::AnnotatedLineMembers members = pipeline::AnnotatedLineMembers::Of(Shared().full);
    members.text = true;
    pipeline::AppendAnnotatedLine(out, items[s], merged, members);
    out += '\n';
  }
  return out;
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace feedloop;
  using feedloop::fuzz::Shared;
  plugins::SetPluginLogSink([](const std::string&, feedloop_log_level, const std::string&) {});
  std::vector<pipeline::PlannedPlugin> full;
  for (const char* name : {"sentiment", "taxonomy", "root-cause"}) {
    const std::string path = std::string(FEEDLOOP_FUZZ_PLUGIN_DIR) + "/feedloop-" + name + ".so";
    Result<std::shared_ptr<plugins::PluginLibrary>> lib = plugins::PluginLibrary::Load(path);
    if (!lib.ok()) {
      std::fprintf(stderr, "stream fuzz: without %s: %s\n", name, lib.status().message().c_str());
      continue;
    }
    full.push_back({lib.value(), ""});
  }
  Result<std::shared_ptr<plugins::PluginLibrary>> hostile = plugins::PluginLibrary::FromEntryPoints(
      &feedloop_plugin_abi, &feedloop_plugin_get_descriptor, "<memory>");
  FUZZ_CHECK(hostile.ok(), hostile.status().message());
  full.push_back({hostile.value(), ""});
  std::vector<std::string> skipped;
  Result<pipeline::AnalysisPlan> plan = pipeline::AnalysisPlan::Create(full, false, &skipped);
  FUZZ_CHECK(plan.ok(), plan.status().message());
  Shared().full = plan.value();
  Result<pipeline::AnalysisPlan> light =
      pipeline::AnalysisPlan::Create({{hostile.value(), ""}}, false, &skipped);
  FUZZ_CHECK(light.ok(), light.status().message());
  Shared().light = light.value();
  Result<std::unique_ptr<pipeline::BatchAnalyzer>> analyzer =
      pipeline::BatchAnalyzer::Create(Shared().full);
  FUZZ_CHECK(analyzer.ok(), analyzer.status().message());
  Shared().analyzer = std::move(analyzer).value();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  Input in(data, size);
  const uint8_t opts = in.Byte();
  const std::string_view text = in.Rest();
  pipeline::StreamOptions options;
  options.threads = 1;
  if (opts & 1) options.batch_lines = 1;
  if (opts & 2) options.dates.slashed = DateOrder::kDayFirst;
  if (opts & 4) options.max_line_bytes = 256;

  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    start = nl == std::string_view::npos ? text.size() : nl + 1;
  }

  if ((opts & 8) == 0) {
    CheckOutput(ProcessLines(lines, options), lines.size());
    return 0;
  }
  MemFile input(text);
  char* buffer = nullptr;
  size_t buffer_size = 0;
  std::FILE* output = ::open_memstream(&buffer, &buffer_size);
  FUZZ_CHECK(output != nullptr, "open_memstream");
  Result<pipeline::StreamCounts> counts =
      pipeline::RunStream(input.fd(), output, Shared().light, options);
  std::fclose(output);
  const std::string out(buffer, buffer_size);
  std::free(buffer);
  FUZZ_CHECK(counts.ok(), counts.status().message());
  FUZZ_CHECK(counts.value().lines == static_cast<int64_t>(lines.size()),
             std::to_string(counts.value().lines) + " lines counted, " +
                 std::to_string(lines.size()) + " given");
  FUZZ_CHECK(counts.value().lines == counts.value().items + counts.value().errors, "counts");
  FUZZ_CHECK(CheckOutput(out, lines.size()) == counts.value().items, "item lines");
  return 0;
}
