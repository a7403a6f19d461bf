#include "feedloop/learn/model.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace feedloop::learn {
namespace {

constexpr uint32_t kEmpty = 0xFFFFFFFFu;  // a bucket is < buckets <= 2^32 - 1, never this

// Fibonacci hashing: the top `bits` bits of the product spread any set of buckets evenly.
uint32_t SlotOf(uint32_t bucket, uint32_t bits) {
  return static_cast<uint32_t>((bucket * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

}  // namespace

Model::Model(LabelMode mode, const FeatureOptions& features, std::vector<std::string> labels,
             std::vector<uint32_t> rows, std::span<const float> weights, std::vector<float> bias)
    : mode_(mode),
      features_(features),
      labels_(std::move(labels)),
      thresholds_(labels_.size(), 0.5f),
      bias_(std::move(bias)),
      rows_(std::move(rows)) {
  // 8-bit weights with one scale per row: a quarter of the size of floats, so the file loads and
  // the rows stay in cache four times faster, for an error of at most 1/254 of a row's largest
  // weight, far below what moves a prediction.
  const size_t k = labels_.size();
  scales_.resize(rows_.size());
  weights_.resize(rows_.size() * k);
  for (size_t r = 0; r < rows_.size(); ++r) {
    const float* w = weights.data() + r * k;
    float largest = 0;
    for (size_t j = 0; j < k; ++j) largest = std::max(largest, std::fabs(w[j]));
    float scale = largest / 127.0f;
    scales_[r] = scale;
    int8_t* q = weights_.data() + r * k;
    for (size_t j = 0; j < k; ++j) {
      q[j] = scale == 0 ? 0 : static_cast<int8_t>(std::lround(w[j] / scale));
    }
  }
  BuildIndex();
}

void Model::BuildIndex() {
  // At most half full, so probes stay short.
  uint32_t bits = 4;
  while ((size_t{1} << bits) < rows_.size() * 2) ++bits;
  const size_t capacity = size_t{1} << bits;
  index_.assign(capacity * 2, kEmpty);
  index_bits_ = bits;
  index_mask_ = static_cast<uint32_t>(capacity - 1);
  for (size_t r = 0; r < rows_.size(); ++r) {
    uint32_t slot = SlotOf(rows_[r], index_bits_);
    while (index_[slot * 2] != kEmpty) slot = (slot + 1) & index_mask_;
    index_[slot * 2] = rows_[r];
    index_[slot * 2 + 1] = static_cast<uint32_t>(r);
  }
}

const uint32_t* Model::FindRow(uint32_t bucket) const {
  uint32_t slot = SlotOf(bucket, index_bits_);
  while (true) {
    const uint32_t key = index_[slot * 2];
    if (key == bucket) return &index_[slot * 2 + 1];
    if (key == kEmpty) return nullptr;
    slot = (slot + 1) & index_mask_;
  }
}

void Model::Scores(std::span<const Feature> features, float* scores) const {
  const size_t k = labels_.size();
  std::copy(bias_.begin(), bias_.end(), scores);
  if (rows_.empty()) return;
  for (const Feature& f : features) {
    const uint32_t* row = FindRow(f.bucket);
    if (row == nullptr) continue;
    const float s = f.value * scales_[*row];
    const int8_t* q = weights_.data() + static_cast<size_t>(*row) * k;
    for (size_t j = 0; j < k; ++j) scores[j] += s * static_cast<float>(q[j]);
  }
}

void Model::ScoresToProbabilities(float* scores) const {
  const size_t k = labels_.size();
  if (mode_ == LabelMode::kMulti) {
    for (size_t j = 0; j < k; ++j) scores[j] = 1.0f / (1.0f + std::exp(-scores[j]));
    return;
  }
  const float inv_t = 1.0f / temperature_;
  float top = scores[0];
  for (size_t j = 1; j < k; ++j) top = std::max(top, scores[j]);
  float sum = 0;
  for (size_t j = 0; j < k; ++j) {
    scores[j] = std::exp((scores[j] - top) * inv_t);
    sum += scores[j];
  }
  for (size_t j = 0; j < k; ++j) scores[j] /= sum;
}

Classifier::Classifier(std::shared_ptr<const Model> model)
    : model_(std::move(model)), extractor_(model_->feature_options()) {
  probabilities_.resize(model_->label_count());
}

const std::vector<Prediction>& Classifier::Predict(std::span<const feedloop_token> tokens, size_t k,
                                                   float min_probability) {
  extractor_.Extract(tokens, &features_);
  return PredictFeatures(features_, k, min_probability);
}

const std::vector<Prediction>& Classifier::PredictFeatures(std::span<const Feature> features,
                                                           size_t k, float min_probability) {
  predictions_.clear();
  if (features.empty() || model_->label_count() == 0) return predictions_;
  float* p = probabilities_.data();
  model_->Scores(features, p);
  model_->ScoresToProbabilities(p);
  const bool multi = model_->mode() == LabelMode::kMulti;
  const std::vector<float>& thresholds = model_->thresholds();
  for (size_t j = 0; j < model_->label_count(); ++j) {
    float floor = multi ? std::max(min_probability, thresholds[j]) : min_probability;
    if (p[j] >= floor) predictions_.push_back({static_cast<uint32_t>(j), p[j]});
  }
  // Most probable first; ties by label index, so the order never depends on the sort.
  auto better = [](const Prediction& a, const Prediction& b) {
    return a.probability != b.probability ? a.probability > b.probability : a.label < b.label;
  };
  if (k > 0 && k < predictions_.size()) {
    std::partial_sort(predictions_.begin(), predictions_.begin() + static_cast<ptrdiff_t>(k),
                      predictions_.end(), better);
    predictions_.resize(k);
  } else {
    std::sort(predictions_.begin(), predictions_.end(), better);
  }
  return predictions_;
}

}  // namespace feedloop::learn
