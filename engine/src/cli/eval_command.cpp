// `feedloop eval`: runs plugins (or a trained model) on labelled data and measures them.
#include <fmt/format.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include "common.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/eval/evaluation.hpp"
#include "feedloop/ingest/labelled.hpp"
#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"
#include "plugin_setup.hpp"

namespace feedloop::cli {
namespace {

struct EvalArgs {
  PluginArgs plugins;
  std::string input;
  std::string format;
  std::string text = "text";
  std::string label = "label";
  std::string model;
  std::string annotation = "root_cause";
  std::string map;
  std::string delimiter;
  std::string separator = "|";
  bool no_header = false;
  bool no_quotes = false;
  bool json = false;
  int threads = 0;
};

// Gold label name -> the plugin's name ("" means no label, shown as "none").
Result<std::map<std::string, std::string>> LoadLabelMap(const std::string& path) {
  std::map<std::string, std::string> out;
  if (path.empty()) return out;
  std::ifstream in(path);
  if (!in) return Status::Usage("cannot read label map " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    json::Value v = json::Parse(text);
    for (const auto& [from, to] : v.as_object()) out[from] = to.is_null() ? "" : to.as_string();
  } catch (const json::Error& e) {
    return Status::Usage(path + ": " + e.what() +
                         " (a label map is a JSON object {\"gold\": \"predicted\"})");
  }
  return out;
}

std::string Mapped(const std::map<std::string, std::string>& map, std::string label) {
  auto it = map.find(label);
  if (it != map.end()) label = it->second;
  return label.empty() ? "none" : label;
}

std::set<std::string> SplitSet(const std::string& s, char sep,
                               const std::map<std::string, std::string>& map) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(start, end - start);
    if (!part.empty()) {
      std::string m = Mapped(map, part);
      if (m != "none") out.insert(m);
    }
    start = end + 1;
  }
  return out;
}

// Columns on a terminal: code points, not bytes (class names can be in any script).
size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// `s` left-aligned in a column of `width`.
std::string PadRight(const std::string& s, size_t width) {
  size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

void PrintClasses(const std::vector<eval::ClassScore>& classes) {
  size_t width = DisplayWidth("class");
  for (const eval::ClassScore& c : classes) width = std::max(width, DisplayWidth(c.label));
  std::printf("  %s %9s %9s %9s %8s\n", PadRight("class", width).c_str(), "precision", "recall",
              "F1", "support");
  for (const eval::ClassScore& c : classes) {
    std::printf("  %s %9.3f %9.3f %9.3f %8lld\n", PadRight(c.label, width).c_str(), c.precision,
                c.recall, c.f1, static_cast<long long>(c.support));
  }
}

void PrintConfusion(const eval::Confusion& m) {
  std::vector<std::string> labels = m.Labels();
  if (labels.size() <= 12) {
    // Rows carry the whole gold name; columns, eight characters of the predicted one.
    size_t width = 0;
    for (const std::string& l : labels) width = std::max(width, DisplayWidth(l));
    std::printf("\nconfusion matrix (rows: gold, columns: predicted)\n  %s",
                std::string(width, ' ').c_str());
    for (const std::string& l : labels) std::printf(" %8.8s", l.c_str());
    std::printf("\n");
    for (const std::string& g : labels) {
      std::printf("  %s", PadRight(g, width).c_str());
      for (const std::string& p : labels) {
        auto it = m.cells().find({g, p});
        std::printf(" %8lld", static_cast<long long>(it == m.cells().end() ? 0 : it->second));
      }
      std::printf("\n");
    }
    return;
  }
  std::printf("\ntop confusions (gold -> predicted)\n");
  for (const auto& [cell, n] : m.TopConfusions(15)) {
    std::printf("  %6lld  %s -> %s\n", static_cast<long long>(n), cell.first.c_str(),
                cell.second.c_str());
  }
}

void JsonClasses(JsonWriter& w, const std::vector<eval::ClassScore>& classes) {
  w.Key("per_class").BeginArray();
  for (const eval::ClassScore& c : classes) {
    w.BeginObject().Field("label", c.label).Key("precision").Fixed(c.precision, 4);
    w.Key("recall")
        .Fixed(c.recall, 4)
        .Key("f1")
        .Fixed(c.f1, 4)
        .Field("support", c.support)
        .EndObject();
  }
  w.EndArray();
}

// Names the --map keys that matched nothing (`seen`: the gold labels of the data and the labels
// the plugins gave): a misspelt key would otherwise leave its label unmapped without a word.
void WarnUnusedMapKeys(const std::map<std::string, std::string>& map,
                       const std::set<std::string>& seen, const std::string& input) {
  std::string unused;
  size_t n = 0;
  for (const auto& [key, value] : map) {
    if (seen.count(key) != 0) continue;
    unused += (n++ == 0 ? "'" : ", '") + key + "'";
  }
  if (n == 0) return;
  PrintWarning(fmt::format(
      "--map: {} {} neither a label of {} nor one the plugins gave, so {} not used: {}", n,
      n == 1 ? "key is" : "keys are", input, n == 1 ? "it was" : "they were", unused));
}

// A gold sentiment label: a number (any scale centred on 0), or after --map renames it, one of
// positive, neutral, negative in any case. Null `polarity` and no `value`: not usable.
struct SentimentGold {
  std::optional<double> value;
  const char* polarity = nullptr;
};

SentimentGold ParseSentimentGold(const std::string& label,
                                 const std::map<std::string, std::string>& map) {
  std::string name(text::TrimAsciiSpace(label));
  if (auto it = map.find(label); it != map.end()) {
    name = it->second;
  } else if (auto trimmed = map.find(name); trimmed != map.end()) {
    name = trimmed->second;
  }
  SentimentGold g;
  if (!name.empty()) {
    char* end = nullptr;
    double v = std::strtod(name.c_str(), &end);
    if (end == name.c_str() + name.size() && std::isfinite(v)) {
      g.value = v;
      return g;
    }
  }
  g.polarity = eval::ParsePolarity(name);
  return g;
}

int RunEval(const EvalArgs& a) {
  int exit_code = kExitOk;
  std::optional<config::WorkspaceConfig> cfg;
  if (!LoadConfigArg(a.plugins.config, &cfg, &exit_code)) return exit_code;
  Result<std::map<std::string, std::string>> map = LoadLabelMap(a.map);
  if (!map.ok()) {
    PrintError(map.status().message());
    return kExitUsage;
  }
  ingest::LabelledReadOptions ro;
  ro.format = a.format == "tsv" ? "csv" : a.format;
  ro.text_field = a.text;
  ro.label_field = a.label;
  ro.list_separator = a.separator.empty() ? '|' : a.separator[0];
  if (a.format == "tsv" || a.delimiter == "tab" || a.delimiter == "\\t")
    ro.csv.delimiter = '\t';
  else if (!a.delimiter.empty())
    ro.csv.delimiter = a.delimiter[0];
  ro.csv.header = !a.no_header;
  if (a.no_quotes) ro.csv.quote = 0;
  ingest::LabelledReadCounts counts;
  std::vector<std::string> warnings;
  Result<std::vector<ingest::LabelledText>> rows =
      ingest::ReadLabelled(a.input, ro, &counts, &warnings);
  for (const std::string& w : warnings) PrintWarning(w);
  if (!rows.ok()) {
    PrintError(rows.status().message());
    return ExitCodeFor(rows.status()) == kExitOk ? kExitFailed : ExitCodeFor(rows.status());
  }
  if (!counts.has_labels) {
    PrintError(a.input + ": no field named '" + a.label + "' (see --label)");
    return kExitUsage;
  }

  // The plan: the given plugins, or the learned plugin with the model.
  PluginArgs plugin_args = a.plugins;
  std::optional<config::WorkspaceConfig> model_cfg;
  if (!a.model.empty()) {
    config::WorkspaceConfig c;
    std::string model_config;
    JsonWriter w(model_config);
    w.BeginObject().Field("model", a.model).Field("provides", a.annotation).EndObject();
    c.plugins.push_back({"learned", model_config, 0});
    plugin_args.plugins = "learned";
    plugin_args.strict = true;
    model_cfg = std::move(c);
  }
  std::vector<std::string> skipped;
  std::optional<pipeline::AnalysisPlan> plan = BuildPlan(
      plugin_args, model_cfg ? &*model_cfg : (cfg ? &*cfg : nullptr), &skipped, &exit_code);
  if (!plan) return exit_code;

  std::vector<Item> items;
  std::vector<std::string> gold;
  for (const ingest::LabelledText& r : rows.value()) {
    Item item;
    item.id = std::to_string(r.line);
    item.kind = Kind::kReview;
    size_t repaired = 0;
    item.text = text::NormalizeText(
        text::FindInvalidUtf8(r.text) ? text::RepairUtf8(r.text, &repaired) : r.text);
    items.push_back(std::move(item));
    gold.push_back(r.label);
  }
  // Sentiment labels are read before the plugins run: a file without one is refused at once.
  std::vector<SentimentGold> sentiment_gold;
  size_t skipped_gold = 0;
  std::string first_skipped;  // "'pos' (line 2)"
  if (a.annotation == "sentiment") {
    for (size_t i = 0; i < gold.size(); ++i) {
      sentiment_gold.push_back(ParseSentimentGold(gold[i], map.value()));
      if (sentiment_gold.back().value || sentiment_gold.back().polarity) continue;
      if (skipped_gold++ == 0) first_skipped = "'" + gold[i] + "' (line " + items[i].id + ")";
    }
    if (skipped_gold == gold.size()) {
      PrintError(fmt::format(
          "{}: no row has a usable sentiment label in '{}': expected a number (a score centred "
          "on 0, e.g. -4..4) or positive, neutral or negative (in any case; --map renames other "
          "names){}",
          a.input, a.label, first_skipped.empty() ? "" : "; the first row has " + first_skipped));
      return kExitUsage;
    }
  }
  auto start = std::chrono::steady_clock::now();
  Result<std::vector<pipeline::MergedAnalysis>> results =
      pipeline::AnalyzeAll(*plan, items, a.threads);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!results.ok()) {
    PrintError(results.status().message());
    return kExitFailed;
  }

  std::string out;
  JsonWriter w(out);
  w.BeginObject().Field("input", a.input).Field("annotation", a.annotation);
  w.Field("examples", static_cast<int64_t>(items.size())).Key("seconds").Fixed(seconds, 3);
  if (!a.json) {
    std::printf("%s: %zu examples, annotation %s, %.2f s (%.0f items/s)\n", a.input.c_str(),
                items.size(), a.annotation.c_str(), seconds,
                seconds > 0 ? static_cast<double>(items.size()) / seconds : 0.0);
  }
  // Every gold label and every label the plugins gave, to name the --map keys that matched none.
  std::set<std::string> seen(gold.begin(), gold.end());
  if (a.annotation == "sentiment") {
    eval::SentimentScore score;
    for (size_t i = 0; i < items.size(); ++i) {
      const double predicted = results.value()[i].sentiment.value_or(0);
      seen.insert(eval::PolarityOf(predicted));
      const SentimentGold& g = sentiment_gold[i];
      if (g.value) {
        score.Add(*g.value, predicted);
      } else if (g.polarity) {
        score.AddClass(g.polarity, predicted);
      }
    }
    const bool has_r = score.numeric_examples() >= 2;
    w.Key("pearson_r");
    if (has_r) {
      w.Fixed(score.PearsonR(), 4);
    } else {
      w.Null();
    }
    w.Field("numeric_labels", score.numeric_examples());
    w.Field("class_labels", score.examples() - score.numeric_examples());
    w.Field("skipped", static_cast<int64_t>(skipped_gold));
    w.Key("precision").Fixed(score.Precision(), 4);
    w.Key("recall").Fixed(score.Recall(), 4).Key("f1").Fixed(score.F1(), 4);
    w.Key("three_class_accuracy").Fixed(score.classes().Accuracy(), 4);
    w.Key("macro_f1").Fixed(score.classes().MacroF1(), 4);
    JsonClasses(w, score.classes().PerClass());
    if (!a.json) {
      if (has_r) {
        std::printf("Pearson r: %.3f (over %lld numeric labels)\n", score.PearsonR(),
                    static_cast<long long>(score.numeric_examples()));
      } else {
        std::printf("Pearson r: not computed (it needs numeric labels; these are classes)\n");
      }
      std::printf("positive/negative (VADER paper method): precision %.3f, recall %.3f, F1 %.3f\n",
                  score.Precision(), score.Recall(), score.F1());
      std::printf("three classes: accuracy %.3f, macro-F1 %.3f (%lld examples)\n",
                  score.classes().Accuracy(), score.classes().MacroF1(),
                  static_cast<long long>(score.examples()));
      PrintClasses(score.classes().PerClass());
      PrintConfusion(score.classes());
      if (skipped_gold > 0) {
        std::printf(
            "(%zu %s without a usable label skipped, the first: %s; a label is a number or "
            "positive, neutral, negative)\n",
            skipped_gold, skipped_gold == 1 ? "row" : "rows", first_skipped.c_str());
      }
    }
  } else if (a.annotation == "tags") {
    eval::MultiLabel score;
    for (size_t i = 0; i < items.size(); ++i) {
      std::set<std::string> predicted;
      for (const pipeline::Label& t : results.value()[i].tags) {
        seen.insert(t.label);
        std::string m = Mapped(map.value(), t.label);
        if (m != "none") predicted.insert(m);
      }
      for (const std::string& part : SplitSet(gold[i], ro.list_separator, {})) seen.insert(part);
      score.Add(SplitSet(gold[i], ro.list_separator, map.value()), predicted);
    }
    w.Key("exact_match").Fixed(score.ExactMatch(), 4).Key("micro_f1").Fixed(score.MicroF1(), 4);
    w.Key("macro_f1").Fixed(score.MacroF1(), 4);
    JsonClasses(w, score.PerLabel());
    if (!a.json) {
      std::printf("exact match %.3f, micro-F1 %.3f, macro-F1 %.3f\n", score.ExactMatch(),
                  score.MicroF1(), score.MacroF1());
      PrintClasses(score.PerLabel());
    }
  } else {
    eval::Confusion m;
    for (size_t i = 0; i < items.size(); ++i) {
      const pipeline::MergedAnalysis& r = results.value()[i];
      std::string predicted;
      if (a.annotation == "root_cause") {
        predicted = r.root_cause ? r.root_cause->label : "";
      } else {
        for (const auto& [name, l] : r.labels) {
          if (name == a.annotation) {
            predicted = l.label;
            break;
          }
        }
      }
      seen.insert(predicted);
      m.Add(Mapped(map.value(), gold[i]), predicted.empty() ? "none" : predicted);
    }
    w.Key("accuracy").Fixed(m.Accuracy(), 4).Key("macro_f1").Fixed(m.MacroF1(), 4);
    w.Key("weighted_f1").Fixed(m.WeightedF1(), 4);
    JsonClasses(w, m.PerClass());
    w.Key("top_confusions").BeginArray();
    for (const auto& [cell, n] : m.TopConfusions(20)) {
      w.BeginObject()
          .Field("gold", cell.first)
          .Field("predicted", cell.second)
          .Field("count", n)
          .EndObject();
    }
    w.EndArray();
    if (!a.json) {
      std::printf("accuracy %.3f, macro-F1 %.3f, weighted-F1 %.3f\n", m.Accuracy(), m.MacroF1(),
                  m.WeightedF1());
      PrintClasses(m.PerClass());
      PrintConfusion(m);
    }
  }
  w.EndObject();
  WarnUnusedMapKeys(map.value(), seen, a.input);
  if (a.json) std::printf("%s\n", out.c_str());
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  (void)global;
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd =
      app.add_subcommand("eval", "Measure plugins or a trained model against labelled data");
  cmd->add_option("--input", args->input, "Labelled CSV, TSV or JSONL file")->required();
  cmd->add_option("--format", args->format,
                  "csv, tsv, json or jsonl (default: from the extension)");
  cmd->add_option("--text", args->text, "Text field or column")->capture_default_str();
  cmd->add_option("--label", args->label,
                  "Label field or column (for sentiment: a number centred on 0, or positive, "
                  "neutral, negative)")
      ->capture_default_str();
  cmd->add_option("--model", args->model,
                  "Evaluate a model trained with `feedloop train` (learned plugin)");
  cmd->add_option("--annotation", args->annotation,
                  "root_cause, tags, sentiment or a custom annotation name")
      ->capture_default_str();
  cmd->add_option("--map", args->map,
                  "JSON object mapping gold label names to the plugin's names (for sentiment: "
                  "to positive, neutral, negative, or a number)");
  cmd->add_option("--delimiter", args->delimiter, "CSV delimiter ('tab' for TSV)");
  cmd->add_option("--separator", args->separator, "Separator of several labels in one field (tags)")
      ->capture_default_str();
  cmd->add_flag("--no-header", args->no_header,
                "The CSV has no header: fields are named 1, 2, ...");
  cmd->add_flag("--no-quotes", args->no_quotes, "The CSV does not use quoting (plain TSV)");
  cmd->add_flag("--json", args->json, "Print the figures as one JSON object");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
  AddPluginOptions(cmd, args->plugins);
  cmd->callback([args, &exit_code] { exit_code = RunEval(*args); });
}

}  // namespace feedloop::cli
