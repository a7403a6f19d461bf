// `feedloop train`: fits a learned classifier on a labelled CSV or JSONL file and writes the
// model the `learned` plugin loads; with --predict, measures a model on a (labelled) file.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common.hpp"
#include "feedloop/ingest/labelled.hpp"
#include "feedloop/learn/metrics.hpp"
#include "feedloop/learn/model.hpp"
#include "feedloop/learn/trainer.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::cli {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct TrainArgs {
  std::string input;
  std::string format;
  std::string text_field = "text";
  std::string label_field = "label";
  std::string out;
  bool multi_label = false;
  std::string label_separator = ",";
  std::string validation;
  double holdout = 0;
  uint32_t epochs = learn::TrainOptions{}.epochs;
  double lr = learn::TrainOptions{}.learning_rate;
  double l2 = learn::TrainOptions{}.l2;
  uint32_t buckets = learn::FeatureOptions{}.buckets;
  uint32_t word_ngrams = learn::FeatureOptions{}.word_ngrams;
  std::string char_ngrams = fmt::format("{}-{}", learn::FeatureOptions{}.char_ngram_min,
                                        learn::FeatureOptions{}.char_ngram_max);
  std::string class_weights = "none";
  uint32_t threads = 0;
  uint64_t seed = 1;
  // --predict mode.
  std::string predict;
  std::string predictions;
  size_t top_k = 1;
  // --from-db: train on the items of the store that carry a human label.
  bool from_db = false;
  std::string label_attr;
};

// Reads `text_field` and `label_field` of every record of a CSV or JSON/JSONL file with the
// engine's streaming readers, printing what could not be read.
//
// Its sibling for `--from-db` is ingest::ReadLabelledFromStore, which returns the same vector
// from the items of the store.
Result<std::vector<ingest::LabelledText>> ReadExamples(const std::string& path, const TrainArgs& a,
                                                       char separator,
                                                       ingest::LabelledReadCounts* counts) {
  ingest::LabelledReadOptions o;
  o.format = a.format;
  o.text_field = a.text_field;
  o.label_field = a.label_field;
  o.list_separator = separator;  // a JSON list of labels becomes "a<sep>b"
  std::vector<std::string> warnings;
  Result<std::vector<ingest::LabelledText>> rows = ingest::ReadLabelled(path, o, counts, &warnings);
  for (const std::string& w : warnings) PrintWarning(w);
  return rows;
}

// The labels of one row: the whole (trimmed) value, or its parts split on `separator`.
void SplitLabels(std::string_view value, bool multi, char separator,
                 std::vector<std::string_view>* out) {
  out->clear();
  auto trim = text::TrimAsciiSpace;
  if (!multi) {
    if (std::string_view t = trim(value); !t.empty()) out->push_back(t);
    return;
  }
  while (true) {
    size_t cut = value.find(separator);
    std::string_view part = trim(value.substr(0, cut));
    if (!part.empty() && std::find(out->begin(), out->end(), part) == out->end())
      out->push_back(part);
    if (cut == std::string_view::npos) break;
    value.remove_prefix(cut + 1);
  }
}

size_t ThreadCount(uint32_t requested) {
  return requested > 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
}

// Tokenizes and featurizes `rows` on `threads` workers, each on a contiguous chunk; the chunks
// are appended in order, so the set is the same whatever the thread count.
learn::ExampleSet Featurize(const std::vector<ingest::LabelledText>& rows,
                            const learn::FeatureOptions& options, bool multi, char separator,
                            size_t threads) {
  threads = std::max<size_t>(1, std::min(threads, rows.size() / 1024 + 1));
  std::vector<learn::ExampleSet> parts(threads);
  const size_t chunk = (rows.size() + threads - 1) / threads;
  auto work = [&](size_t t) {
    const text::Tokenizer tokenizer;
    text::TokenBuffer tokens;
    learn::FeatureExtractor extractor(options);
    std::vector<learn::Feature> features;
    std::vector<std::string_view> labels;
    const size_t end = std::min(rows.size(), (t + 1) * chunk);
    for (size_t i = t * chunk; i < end; ++i) {
      tokenizer.Tokenize(rows[i].text, &tokens);
      extractor.Extract(tokens.tokens(), &features);
      SplitLabels(rows[i].label, multi, separator, &labels);
      parts[t].Add(features, labels);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  for (size_t t = 1; t < threads; ++t) parts[0].Append(parts[t]);
  return std::move(parts[0]);
}

Status ParseCharNgrams(const std::string& spec, learn::FeatureOptions* o) {
  unsigned lo = 0, hi = 0;
  char tail = 0;
  if (spec == "0" || spec == "none") {
    o->char_ngram_min = o->char_ngram_max = 0;
    return Status::Ok();
  }
  int n = std::sscanf(spec.c_str(), "%u-%u%c", &lo, &hi, &tail);
  if (n == 1) hi = lo;
  if ((n != 1 && n != 2) || lo > hi) {
    return Status::Usage("--char-ngrams '" + spec +
                         "' is not MIN-MAX (e.g. 3-5), N, or 0 to disable");
  }
  o->char_ngram_min = lo;
  o->char_ngram_max = hi;
  return Status::Ok();
}

Result<learn::TrainOptions> OptionsFrom(const TrainArgs& a) {
  learn::TrainOptions o;
  o.features.buckets = a.buckets;
  o.features.word_ngrams = a.word_ngrams;
  FEEDLOOP_RETURN_IF_ERROR(ParseCharNgrams(a.char_ngrams, &o.features));
  o.mode = a.multi_label ? learn::LabelMode::kMulti : learn::LabelMode::kSingle;
  o.epochs = a.epochs;
  o.learning_rate = static_cast<float>(a.lr);
  o.l2 = static_cast<float>(a.l2);
  if (a.class_weights == "balanced") {
    o.class_weights = learn::ClassWeights::kBalanced;
  } else if (a.class_weights != "none") {
    return Status::Usage("--class-weights must be balanced or none");
  }
  o.seed = a.seed;
  o.threads = a.threads;
  if (a.label_separator.size() != 1)
    return Status::Usage("--label-separator must be one character");
  if (!(a.holdout >= 0 && a.holdout < 1)) return Status::Usage("--holdout must be in [0, 1)");
  if (a.holdout > 0 && !a.validation.empty()) {
    return Status::Usage("give --validation or --holdout, not both");
  }
  if (std::string bad = learn::ValidateTrainOptions(o); !bad.empty()) return Status::Usage(bad);
  return o;
}

Status NoLabelField(const std::string& path, const std::string& field) {
  return Status::Usage(path + ": no field named '" + field + "' (see --label)");
}

int Fail(const Status& s) {
  PrintError(s.message());
  return ExitCodeFor(s);
}

std::string ReadSummary(const std::string& path, const ingest::LabelledReadCounts& c) {
  std::string line = fmt::format("{}: {} records", path, c.read);
  if (c.malformed > 0) line += fmt::format(", {} malformed (skipped)", c.malformed);
  if (c.without_text > 0) line += fmt::format(", {} without text", c.without_text);
  return line;
}

int RunTrain(const TrainArgs& a, const GlobalOptions& g) {
  const Clock::time_point start = Clock::now();
  Result<learn::TrainOptions> opts = OptionsFrom(a);
  if (!opts.ok()) return Fail(opts.status());
  learn::TrainOptions& o = opts.value();
  if (a.out.empty()) return Fail(Status::Usage("--out MODEL is required"));
  // Fail before the work, not after it, when the model cannot be written.
  const std::filesystem::path out_dir = std::filesystem::path(a.out).parent_path();
  if (std::error_code ec; !out_dir.empty() && !std::filesystem::is_directory(out_dir, ec)) {
    return Fail(
        Status::Usage("--out " + a.out + ": the folder " + out_dir.string() + " does not exist"));
  }
  const char sep = a.label_separator[0];
  const size_t threads = ThreadCount(a.threads);

  ingest::LabelledReadCounts counts;
  Result<std::vector<ingest::LabelledText>> rows = std::vector<ingest::LabelledText>();
  std::string origin = a.input;
  if (a.from_db) {
    if (a.label_attr.empty()) return Fail(Status::Usage("--from-db needs --label-field NAME"));
    int code = kExitOk;
    std::unique_ptr<store::Store> db = OpenStore(g.db, false, &code);
    if (!db) return code;
    origin = g.db;
    rows = ingest::ReadLabelledFromStore(*db, a.label_attr, sep, &counts);
    if (!rows.ok()) return Fail(rows.status());
    if (!counts.has_labels) {
      return Fail(Status::Usage(g.db + ": no stored item has an attr or annotation named '" +
                                a.label_attr + "'"));
    }
  } else {
    if (a.input.empty()) return Fail(Status::Usage("give --input FILE (or --from-db)"));
    rows = ReadExamples(a.input, a, sep, &counts);
    if (!rows.ok()) return Fail(rows.status());
    if (!counts.has_labels) return Fail(NoLabelField(a.input, a.label_field));
  }
  if (!g.quiet) std::printf("%s\n", ReadSummary(origin, counts).c_str());
  learn::ExampleSet all = Featurize(rows.value(), o.features, a.multi_label, sep, threads);
  rows.value().clear();

  learn::ExampleSet train, validation;
  if (a.holdout > 0) {
    all.Split(a.holdout, a.seed, &train, &validation);
    if (!g.quiet) {
      std::printf("holdout: %zu of %zu examples (%.0f%%, stratified by label, seed %llu)\n",
                  validation.size(), all.size(), a.holdout * 100,
                  static_cast<unsigned long long>(a.seed));
    }
  } else {
    train = std::move(all);
  }
  if (!a.validation.empty()) {
    ingest::LabelledReadCounts vc;
    Result<std::vector<ingest::LabelledText>> vrows = ReadExamples(a.validation, a, sep, &vc);
    if (!vrows.ok()) return Fail(vrows.status());
    if (!vc.has_labels) return Fail(NoLabelField(a.validation, a.label_field));
    if (!g.quiet) std::printf("validation %s\n", ReadSummary(a.validation, vc).c_str());
    validation = Featurize(vrows.value(), o.features, a.multi_label, sep, threads);
  }

  const Clock::time_point fit_start = Clock::now();
  if (!g.quiet) {
    o.on_epoch = [](const learn::EpochReport& r) {
      std::printf("epoch %2u/%u  loss %.4f", r.epoch, r.epochs, r.train_loss);
      if (r.has_validation) std::printf("  held-out accuracy %.4f", r.validation_accuracy);
      std::printf("\n");
      std::fflush(stdout);
    };
  }
  learn::TrainSummary summary;
  Result<learn::Model> model = learn::Train(train, &validation, o, &summary);
  if (!model.ok()) return Fail(model.status());
  const double fit_seconds = SecondsSince(fit_start);
  if (Status s = model.value().Save(a.out); !s.ok()) return Fail(s);

  const learn::Model& m = model.value();
  std::printf(
      "trained on %zu examples (%zu skipped: no text or no label), %zu labels, %zu features "
      "in %.2f s (%.2f s in all)\n",
      summary.examples, summary.skipped, m.label_count(), summary.rows, fit_seconds,
      SecondsSince(start));
  if (summary.validation_accuracy >= 0) {
    std::printf("held-out accuracy %.4f (%zu examples)", summary.validation_accuracy,
                validation.size());
    if (o.mode == learn::LabelMode::kSingle) {
      std::printf(", log loss %.4f, temperature %.3f", summary.validation_log_loss,
                  m.temperature());
    }
    std::printf("\n");
  }
  std::printf("wrote %s (%.1f MB)\n", a.out.c_str(),
              static_cast<double>(m.Serialize().size()) / (1024.0 * 1024.0));
  return kExitOk;
}

// --predict: loads a model, predicts every row of --input, and scores the predictions when the
// file has labels. The timing includes loading the model, as a one-off batch job would see it.
int RunPredict(const TrainArgs& a, const GlobalOptions& g) {
  if (a.input.empty()) return Fail(Status::Usage("--predict needs --input FILE"));
  const Clock::time_point start = Clock::now();
  Result<learn::Model> loaded = learn::Model::Load(a.predict);
  if (!loaded.ok()) return Fail(loaded.status());
  const double load_ms = SecondsSince(start) * 1000;
  auto model = std::make_shared<const learn::Model>(std::move(loaded).value());
  if (a.label_separator.size() != 1)
    return Fail(Status::Usage("--label-separator must be one character"));
  const char sep = a.label_separator[0];

  ingest::LabelledReadCounts counts;
  Result<std::vector<ingest::LabelledText>> rows = ReadExamples(a.input, a, sep, &counts);
  if (!rows.ok()) return Fail(rows.status());

  std::FILE* out = nullptr;
  if (!a.predictions.empty()) {
    out = a.predictions == "-" ? stdout : std::fopen(a.predictions.c_str(), "w");
    if (out == nullptr) return Fail(Status::IoError("cannot write " + a.predictions));
  }
  const bool multi = model->mode() == learn::LabelMode::kMulti;
  const text::Tokenizer tokenizer;
  text::TokenBuffer tokens;
  learn::Classifier classifier(model);
  learn::Scoreboard board;
  std::vector<std::string_view> gold, predicted;
  const size_t k = multi ? 0 : a.top_k;
  for (const ingest::LabelledText& row : rows.value()) {
    tokenizer.Tokenize(row.text, &tokens);
    const std::vector<learn::Prediction>& p = classifier.Predict(tokens.tokens(), k);
    predicted.clear();
    for (size_t i = 0; i < p.size() && (multi || i < 1); ++i) {
      predicted.push_back(model->labels()[p[i].label]);
    }
    if (counts.has_labels) {
      SplitLabels(row.label, multi, sep, &gold);
      board.Add(gold, predicted);
    }
    if (out != nullptr) {
      for (size_t i = 0; i < p.size(); ++i) {
        std::fprintf(out, "%s%s\t%.4f", i > 0 ? "\t" : "", model->labels()[p[i].label].c_str(),
                     p[i].probability);
      }
      std::fputc('\n', out);
    }
  }
  if (out != nullptr && out != stdout && std::fclose(out) != 0) {
    return Fail(Status::IoError("cannot write " + a.predictions));
  }
  const double seconds = SecondsSince(start);
  std::FILE* report = out == stdout ? stderr : stdout;
  if (!g.quiet || out != stdout) {
    std::fprintf(report, "%zu predictions in %.3f s including a %.1f ms model load (%.0f/s)\n",
                 rows.value().size(), seconds, load_ms,
                 static_cast<double>(rows.value().size()) / seconds);
  }
  if (board.examples() > 0) {
    std::fprintf(report, "accuracy %.4f  macro-F1 %.4f", board.Accuracy(), board.MacroF1());
    if (multi) std::fprintf(report, "  micro-F1 %.4f", board.MicroF1());
    std::fprintf(report, "  (%lld examples)\n", static_cast<long long>(board.examples()));
  }
  return kExitOk;
}

}  // namespace

void AddTrainCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a classifier (for the `learned` plugin) on a labelled CSV or JSONL file");
  cmd->add_option("--input", a->input, "Labelled examples (CSV or JSONL)");
  cmd->add_flag("--from-db", a->from_db,
                "Train on the stored items that carry a human label (see --label-field)");
  cmd->add_option("--label-field", a->label_attr,
                  "With --from-db: the attr (or custom annotation) holding each item's label");
  cmd->add_option("--format", a->format, "csv or jsonl (default: from the extension)");
  cmd->add_option("--text", a->text_field, "Field or column holding the text")
      ->capture_default_str();
  cmd->add_option("--label", a->label_field, "Field or column holding the label(s)")
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Model file to write (.flm)");
  cmd->add_flag("--multi-label", a->multi_label,
                "Each example may have several labels (one sigmoid per label)");
  cmd->add_option("--label-separator", a->label_separator,
                  "Separates the labels of one example in --multi-label mode")
      ->capture_default_str();
  auto* validation = cmd->add_option("--validation", a->validation,
                                     "Labelled file to report accuracy on and calibrate with");
  cmd->add_option("--holdout", a->holdout,
                  "Hold out this share of --input (stratified) for validation, e.g. 0.1")
      ->excludes(validation);
  cmd->add_option("--epochs", a->epochs, "Passes over the data")->capture_default_str();
  cmd->add_option("--lr", a->lr, "Initial learning rate (decays linearly to 0)")
      ->capture_default_str();
  cmd->add_option("--l2", a->l2, "L2 regularization")->capture_default_str();
  cmd->add_option("--buckets", a->buckets, "Hash buckets for the features")->capture_default_str();
  cmd->add_option("--word-ngrams", a->word_ngrams, "Longest word n-gram (0: none)")
      ->capture_default_str();
  cmd->add_option("--char-ngrams", a->char_ngrams, "Character n-gram lengths MIN-MAX (0: none)")
      ->capture_default_str();
  cmd->add_option("--class-weights", a->class_weights,
                  "balanced: weigh rare labels up; none: every example counts once")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads,
                  "Worker threads (0: one per core); the model is the "
                  "same for any value")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Shuffling seed")->capture_default_str();
  cmd->add_option("--predict", a->predict,
                  "Instead of training: predict --input with this model and, when --label is "
                  "present in the file, print accuracy and macro-F1");
  cmd->add_option(
      "--predictions", a->predictions,
      "With --predict: write 'label<TAB>probability' per input row here (- for stdout)");
  cmd->add_option("--top-k", a->top_k, "With --predict: labels per row in --predictions")
      ->capture_default_str();
  cmd->callback([a, &global, &exit_code] {
    exit_code = a->predict.empty() ? RunTrain(*a, global) : RunPredict(*a, global);
  });
}

}  // namespace feedloop::cli
