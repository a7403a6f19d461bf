// Training of the learned classifiers: a labelled example set, the options, and Train(), which
// fits a softmax (single-label) or one-vs-rest sigmoid (multi-label) linear model with SGD and a
// linearly decaying step, and calibrates it on held-out examples when there are some.
//
// Deterministic: the same examples, options and seed give a byte-identical model file whatever
// the number of threads (threads only featurize and evaluate; the SGD pass itself is sequential).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/learn/features.hpp"
#include "feedloop/learn/model.hpp"

namespace feedloop::learn {

// Labelled examples as features, in insertion order. Labels are kept as names until training.
// Not thread-safe; build one per thread and Append them in order for a parallel build.
class ExampleSet {
 public:
  // Adds one example. Single-label training uses the first label, and skips an example without
  // one (it counts as a miss when evaluating); in multi-label training, an example without
  // labels is a negative for every label.
  void Add(std::span<const Feature> features, std::span<const std::string_view> labels);
  void Add(std::span<const Feature> features, std::string_view label) {
    Add(features, std::span<const std::string_view>(&label, 1));
  }
  // Appends every example of `other` after this set's own.
  void Append(const ExampleSet& other);

  size_t size() const { return feature_end_.size(); }
  bool empty() const { return feature_end_.empty(); }
  std::span<const Feature> features(size_t i) const;
  std::span<const uint32_t> label_ids(size_t i) const;  // indices into label_names()
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Splits off a held-out part: about `fraction` of each label's examples (by first label),
  // chosen with a seeded shuffle, keeping at least one example of every label for training.
  void Split(double fraction, uint64_t seed, ExampleSet* train, ExampleSet* holdout) const;

 private:
  uint32_t Intern(std::string_view label);

  std::vector<Feature> features_;
  std::vector<uint64_t> feature_end_;
  std::vector<uint32_t> labels_;
  std::vector<uint64_t> label_end_;
  std::vector<std::string> label_names_;
  std::unordered_map<std::string, uint32_t> label_index_;
};

enum class ClassWeights : uint8_t { kNone = 0, kBalanced = 1 };

struct EpochReport {
  uint32_t epoch = 0;  // 1-based
  uint32_t epochs = 0;
  double train_loss = 0;  // mean weighted log loss over the epoch
  bool has_validation = false;
  double validation_accuracy = 0;  // single-label: accuracy; multi-label: exact-set accuracy
};

struct TrainOptions {
  FeatureOptions features;  // must match how the examples were featurized; stored in the model
  LabelMode mode = LabelMode::kSingle;
  uint32_t epochs = 10;
  // Initial SGD step; decays linearly to zero over the run. Features are L2-normalised, so one
  // step size suits short and long texts alike.
  float learning_rate = 2.0f;
  // L2 penalty, applied to the rows an example touches ("lazy" L2).
  float l2 = 1e-4f;
  ClassWeights class_weights = ClassWeights::kNone;
  uint64_t seed = 1;
  // Worker threads for evaluating validation examples; 0 means one per core. Does not change
  // the result.
  uint32_t threads = 1;
  // With validation examples: fit the softmax temperature (single-label) or the per-label
  // thresholds (multi-label) on them.
  bool calibrate = true;
  // Called after every epoch (with validation accuracy when there are validation examples).
  std::function<void(const EpochReport&)> on_epoch;
};

// Returns "" when the options are usable, else what is wrong.
std::string ValidateTrainOptions(const TrainOptions& options);

struct TrainSummary {
  size_t examples = 0;              // trained on
  size_t skipped = 0;               // without features, or (single-label) without a label
  size_t rows = 0;                  // distinct hash buckets seen (rows stored in the model)
  double validation_accuracy = -1;  // of the final (quantized, calibrated) model; -1 if none
  double validation_log_loss = -1;
};

// Trains a model on `train`; `validation` (may be null or empty) is used for the per-epoch report
// and for calibration. Fails on an empty training set or fewer than two labels (single-label).
Result<Model> Train(const ExampleSet& train, const ExampleSet* validation,
                    const TrainOptions& options, TrainSummary* summary = nullptr);

}  // namespace feedloop::learn
