// `feedloop taxonomy check FILE` and `feedloop taxonomy explain --text "..."`: help for analysts
// who write taxonomy files. Both load the `taxonomy` plugin through the plugin host, so they
// validate and match exactly as a run does; nothing of the taxonomy format is known here.
#include <feedloop/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "plugin_setup.hpp"

namespace feedloop::cli {
namespace {

struct TaxonomyArgs {
  PluginArgs plugins;
  std::string file;  // check: the file; explain: --taxonomy (empty: the built-in default)
  std::string text;
  std::string kind = "review";
  std::optional<double> score;
  bool json = false;
};

// The plugin's config: {"taxonomy": FILE, "explain": true}.
std::string ExplainConfig(const std::string& file) {
  std::string config = "{\"explain\":true";
  if (!file.empty()) {
    config += ",\"taxonomy\":";
    json::AppendQuoted(config, file);
  }
  return config + "}";
}

// The plugin's message without the host's "plugin taxonomy refused to start: " prefix.
std::string PluginMessage(const std::string& message) {
  const std::string prefix = "refused to start: ";
  size_t at = message.find(prefix);
  return at == std::string::npos ? message : message.substr(at + prefix.size());
}

struct Explained {
  pipeline::PluginOutput output;
  json::Value explain;  // the taxonomy_explain annotation
};

// Loads the taxonomy plugin with `file` and analyzes one item. On failure prints why and sets
// `exit_code`: 2 when the taxonomy (or the plugin's config) is refused, 1 otherwise.
std::optional<Explained> RunOne(const TaxonomyArgs& a, const std::string& file, int* exit_code) {
  std::unique_ptr<plugins::PluginRegistry> registry = MakeRegistry(a.plugins, nullptr);
  Result<std::shared_ptr<plugins::PluginLibrary>> lib = registry->Find("taxonomy");
  if (!lib.ok()) {
    PrintError(lib.status().message() + " (build it, or give its folder with --plugin-path)");
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  std::string config = ExplainConfig(file);
  Result<std::unique_ptr<plugins::PluginInstance>> probe = lib.value()->CreateInstance(config);
  if (!probe.ok()) {
    std::string message = PluginMessage(probe.status().message());
    size_t errors = 0, start = 0;
    while (start < message.size()) {
      size_t end = message.find('\n', start);
      if (end == std::string::npos) end = message.size();
      std::string line = message.substr(start, end - start);
      std::fprintf(stderr, "%s\n", line.c_str());
      // The plugin lists the first errors and then "... and N more errors".
      size_t more = line.find(": ... and ");
      errors += more == std::string::npos ? 1 : std::strtoul(line.c_str() + more + 10, nullptr, 10);
      start = end + 1;
    }
    std::fprintf(stderr, "feedloop: %s refused: %zu error%s\n",
                 file.empty() ? "the default taxonomy" : file.c_str(), errors,
                 errors == 1 ? "" : "s");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  probe.value().reset();
  Result<pipeline::AnalysisPlan> plan =
      pipeline::AnalysisPlan::Create({{lib.value(), config}}, false, nullptr);
  if (!plan.ok()) {
    PrintError(plan.status().message());
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  Result<std::unique_ptr<pipeline::BatchAnalyzer>> analyzer =
      pipeline::BatchAnalyzer::Create(plan.value());
  if (!analyzer.ok()) {
    PrintError(analyzer.status().message());
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  Item item;
  item.id = "explain";
  std::optional<Kind> kind = ParseKind(a.kind);
  if (!kind) {
    PrintError("unknown --kind " + a.kind + " (review, nps, csat, ces or transcript)");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  item.kind = *kind;
  item.score = a.score;
  item.text = a.text;
  std::vector<std::vector<pipeline::PluginOutput>> outputs;
  (*analyzer)->Analyze({item}, nullptr, &outputs);
  Explained out;
  out.output = outputs.at(0).at(0);
  if (out.output.failed) {
    PrintError("the taxonomy plugin failed: " + out.output.error);
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  for (const auto& [name, value] : out.output.json) {
    if (name == "taxonomy_explain") out.explain = json::Parse(value);
  }
  if (!out.explain.is_object()) {
    PrintError("the taxonomy plugin gave no taxonomy_explain annotation (is it older than 1.0.0?)");
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  return out;
}

int RunCheck(const TaxonomyArgs& a) {
  int exit_code = kExitOk;
  std::optional<Explained> r = RunOne(a, a.file, &exit_code);
  if (!r) return exit_code;
  const json::Value* t = r->explain.find("taxonomy");
  auto count = [&](const char* key) { return static_cast<long long>(t->get_number(key, 0)); };
  std::printf("OK: %lld categories, %lld sub-categories, %lld phrases\n", count("categories"),
              count("subcategories"), count("phrases"));
  std::printf("    %lld proximity rules, %lld exclusions; stemming: %s\n", count("proximity_rules"),
              count("exclusions"), t->get_string("language").c_str());
  return kExitOk;
}

std::string SpanText(const json::Value& entry, const char* span_key, const char* text_key) {
  const json::Value* span = entry.find(span_key);
  std::string out;
  if (span != nullptr && span->is_array() && span->as_array().size() == 2) {
    out = "[" + std::to_string(static_cast<long long>(span->as_array()[0].as_number())) + ", " +
          std::to_string(static_cast<long long>(span->as_array()[1].as_number())) + "] ";
  }
  std::string text;
  json::AppendQuoted(text, entry.get_string(text_key));
  return out + text;
}

// A rule quoted for a terminal; long lists of alternatives are shortened.
std::string QuotedRule(std::string text) {
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  std::string out;
  json::AppendQuoted(out, text);
  return out;
}

// "proximity box|parcel ... crushed (line 120)"
std::string RuleText(const json::Value& m) {
  std::string rule = QuotedRule(m.get_string("rule"));
  return m.get_string("type") + " " + rule + " (line " +
         std::to_string(static_cast<long long>(m.get_number("line", 0))) + ")";
}

int RunExplain(const TaxonomyArgs& a) {
  int exit_code = kExitOk;
  std::optional<Explained> r = RunOne(a, a.file, &exit_code);
  if (!r) return exit_code;
  if (a.json) {
    std::printf("%s\n", json::Dump(r->explain).c_str());
    return kExitOk;
  }
  const json::Value* t = r->explain.find("taxonomy");
  std::printf("taxonomy %s (%s), stemming: %s\n", t->get_string("name").c_str(),
              t->get_string("source").c_str(), t->get_string("language").c_str());

  const json::Value* tags = r->explain.find("tags");
  std::printf("\ntags:\n");
  if (tags->as_array().empty()) std::printf("  (none)\n");
  for (const json::Value& tag : tags->as_array()) {
    std::printf("  %-32s confidence %.2f   owner: %s, KPI: %s\n", tag.get_string("tag").c_str(),
                tag.get_number("confidence", 0), tag.get_string("owner").c_str(),
                tag.get_string("kpi").c_str());
    for (const json::Value& span : tag.find("spans")->as_array()) {
      size_t begin = static_cast<size_t>(span.as_array()[0].as_number());
      size_t end = static_cast<size_t>(span.as_array()[1].as_number());
      std::string quoted;
      json::AppendQuoted(quoted, a.text.substr(begin, end - begin));
      std::printf("      evidence [%zu, %zu] %s\n", begin, end, quoted.c_str());
    }
  }

  std::printf("\nmatched:\n");
  const json::Value* matches = r->explain.find("matches");
  if (matches->as_array().empty()) std::printf("  (nothing)\n");
  for (const json::Value& m : matches->as_array()) {
    std::printf("  %-32s %s  %s, %s\n", m.get_string("tag").c_str(),
                SpanText(m, "span", "text").c_str(), RuleText(m).c_str(),
                m.get_string("match").c_str());
  }

  std::printf("\nsuppressed:\n");
  const json::Value* suppressed = r->explain.find("suppressed");
  if (suppressed->as_array().empty()) std::printf("  (nothing)\n");
  for (const json::Value& m : suppressed->as_array()) {
    std::string reason = m.get_string("reason");
    std::string by = QuotedRule(m.get_string("by"));
    std::string why;
    if (reason == "negated") {
      why = "negated by " + SpanText(m, "by_span", "by");
    } else if (reason == "excluded") {
      why = "excluded by " + by + " (line " +
            std::to_string(static_cast<long long>(m.get_number("by_line", 0))) + ")";
    } else {
      why = "inside the longer match " + by + " of " + m.get_string("by_tag");
    }
    std::printf("  %-32s %s  %s: %s\n", m.get_string("tag").c_str(),
                SpanText(m, "span", "text").c_str(), RuleText(m).c_str(), why.c_str());
  }
  if (r->explain.get_number("left_out", 0) > 0) {
    std::printf("\n(%lld more matches not listed)\n",
                static_cast<long long>(r->explain.get_number("left_out", 0)));
  }
  return kExitOk;
}

}  // namespace

void AddTaxonomyCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  (void)global;
  CLI::App* cmd =
      app.add_subcommand("taxonomy", "Check a taxonomy file, or explain how a text is tagged");
  cmd->require_subcommand(1);
  auto args = std::make_shared<TaxonomyArgs>();
  cmd->add_option("--plugin-path", args->plugins.plugin_paths,
                  "Extra folder to load the taxonomy plugin from (repeatable)");

  CLI::App* check = cmd->add_subcommand(
      "check", "Validate a taxonomy file: prints its size, or every error with its line (exit 2)");
  check->add_option("file", args->file, "Taxonomy file (JSON)")->required();
  check->add_option("--plugin-path", args->plugins.plugin_paths,
                    "Extra folder to load the taxonomy plugin from (repeatable)");
  check->callback([args, &exit_code] { exit_code = RunCheck(*args); });

  CLI::App* explain = cmd->add_subcommand(
      "explain", "Tag one text and show which phrases matched, and which were negated or excluded");
  explain->add_option("--text", args->text, "The feedback text")->required();
  explain->add_option("--taxonomy", args->file, "Taxonomy file (default: the built-in taxonomy)");
  explain->add_option("--kind", args->kind, "Item kind: review, nps, csat, ces, transcript")
      ->capture_default_str();
  explain->add_option("--score", args->score, "The item's score");
  explain->add_flag("--json", args->json, "Print the taxonomy_explain annotation as JSON");
  explain->add_option("--plugin-path", args->plugins.plugin_paths,
                      "Extra folder to load the taxonomy plugin from (repeatable)");
  explain->callback([args, &exit_code] { exit_code = RunExplain(*args); });
}

}  // namespace feedloop::cli
