// A trained linear text classifier: label names, feature options and one weight row per hash
// bucket seen in training; plus its binary file format (.flm) and prediction.
//
// Single-label models are multinomial logistic regressions (softmax, optionally
// temperature-scaled); multi-label models are one sigmoid per label with a threshold each.
// See docs/learned.md for the file layout.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/learn/features.hpp"

namespace feedloop::learn {

enum class LabelMode : uint8_t { kSingle = 0, kMulti = 1 };

// One predicted label: its index in Model::labels() and its probability.
struct Prediction {
  uint32_t label;
  float probability;
};

// The version of the model file format this build writes and reads.
inline constexpr uint32_t kModelFormatVersion = 1;

// Immutable once built or loaded, so one model can serve every thread (all const methods are
// thread-safe). Weights are 8-bit integers with one scale per row, the same numbers in memory as
// in the file (set_temperature / set_thresholds are for the trainer, before sharing): a model
// predicts the same after a save and a load.
class Model {
 public:
  Model() = default;

  // Builds a model from float weights (`rows.size()` rows of `labels.size()` weights each, row r
  // belonging to bucket rows[r]; `rows` strictly increasing). Quantizes the weights.
  Model(LabelMode mode, const FeatureOptions& features, std::vector<std::string> labels,
        std::vector<uint32_t> rows, std::span<const float> weights, std::vector<float> bias);

  // Reads a model file. Every failure (missing, truncated, corrupt, newer format) is a Status
  // whose message names the path and says what is wrong.
  static Result<Model> Load(const std::string& path);
  // Parses the bytes of a model file; `name` is used in messages.
  static Result<Model> Parse(std::string_view bytes, std::string_view name);
  // The model file's bytes. Deterministic: the same model gives the same bytes.
  std::string Serialize() const;
  // Writes the file atomically (a temporary file renamed over `path`).
  Status Save(const std::string& path) const;

  LabelMode mode() const { return mode_; }
  const FeatureOptions& feature_options() const { return features_; }
  const std::vector<std::string>& labels() const { return labels_; }
  size_t label_count() const { return labels_.size(); }
  size_t row_count() const { return rows_.size(); }
  // Softmax temperature (single-label); 1 unless calibrated on held-out data.
  float temperature() const { return temperature_; }
  void set_temperature(float t) { temperature_ = t; }
  // Per-label decision thresholds (multi-label); 0.5 unless tuned on held-out data.
  const std::vector<float>& thresholds() const { return thresholds_; }
  void set_thresholds(std::vector<float> t) { thresholds_ = std::move(t); }
  // A short JSON object describing how the model was trained (options, counts), for people.
  const std::string& info() const { return info_; }
  void set_info(std::string info) { info_ = std::move(info); }
  // The checksum of the file the model was read from (Parse, Load), verified there: any byte of
  // the file changes it, so it names the model's content (a retrained model has another). 0 for a
  // model built in memory.
  uint64_t file_checksum() const { return file_checksum_; }

  // Raw scores (logits), one per label, into `scores` (label_count() floats).
  void Scores(std::span<const Feature> features, float* scores) const;
  // Turns scores into probabilities in place: softmax(scores / T), or a sigmoid per label.
  void ScoresToProbabilities(float* scores) const;

 private:
  // The row of `bucket`, probing from `slot`; nullptr when training never saw the bucket.
  const uint8_t* FindRow(uint32_t bucket, uint32_t slot) const;
  uint32_t SlotOf(uint32_t bucket) const;
  void BuildIndex();
  // The layout of packed_ for label_count() labels.
  void ResizeRows(size_t rows);
  float RowScale(size_t row) const;
  const int8_t* RowWeights(size_t row) const;

  LabelMode mode_ = LabelMode::kSingle;
  FeatureOptions features_;
  std::vector<std::string> labels_;
  float temperature_ = 1.0f;
  std::vector<float> thresholds_;
  std::string info_;
  uint64_t file_checksum_ = 0;
  std::vector<float> bias_;
  std::vector<uint32_t> rows_;  // bucket of each row, strictly increasing
  // Row r at packed_[r * stride_]: its float scale, then its label_count() int8 weights. Keeping
  // the scale beside the weights makes a row one or two cache lines, fetched together.
  std::vector<uint8_t> packed_;
  size_t stride_ = 0;
  // Open-addressing table from bucket to row: pairs (bucket, row), empty slots hold kEmpty.
  std::vector<uint32_t> index_;
  uint32_t index_mask_ = 0;
  uint32_t index_bits_ = 0;
};

// Predicts with a shared model. Owns the reusable buffers, so predicting allocates nothing once
// warmed up. Not thread-safe: one per thread (the model itself can be shared).
class Classifier {
 public:
  explicit Classifier(std::shared_ptr<const Model> model);

  const Model& model() const { return *model_; }

  // The labels of `tokens`, most probable first, keeping those whose probability is at least
  // `min_probability` (and, in a multi-label model, at least the label's threshold); at most `k`
  // of them (0: no limit). Empty when the text has no features (an empty text).
  const std::vector<Prediction>& Predict(std::span<const feedloop_token> tokens, size_t k,
                                         float min_probability = 0.0f);
  // The same from features already extracted.
  const std::vector<Prediction>& PredictFeatures(std::span<const Feature> features, size_t k,
                                                 float min_probability = 0.0f);

 private:
  std::shared_ptr<const Model> model_;
  FeatureExtractor extractor_;
  std::vector<Feature> features_;
  std::vector<float> probabilities_;
  std::vector<Prediction> predictions_;
};

}  // namespace feedloop::learn
