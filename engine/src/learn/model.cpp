#include "feedloop/learn/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace feedloop::learn {
namespace {

constexpr uint32_t kEmpty = 0xFFFFFFFFu;  // a bucket is < buckets <= 2^32 - 1, never this
constexpr size_t kCacheLine = 64;
constexpr size_t kLanes = 16;

size_t PaddedLabels(size_t k) {
  return (k + kLanes - 1) / kLanes * kLanes;
}

// acc[0, padded) += sum over rows of values[i] * scale(row) * weights(row). The hot loop of every
// prediction: built for AVX2 too, picked at load time on CPUs that have it.
__attribute__((target_clones("avx2", "default"))) void AccumulateRows(const uint8_t* const* rows,
                                                                      const float* values, size_t n,
                                                                      size_t padded, float* acc) {
  for (size_t i = 0; i < n; ++i) {
    float scale;
    std::memcpy(&scale, rows[i], sizeof(scale));
    const float s = values[i] * scale;
    const int8_t* q = reinterpret_cast<const int8_t*>(rows[i] + sizeof(float));
    for (size_t j = 0; j < padded; j += kLanes) {
      for (size_t l = 0; l < kLanes; ++l) acc[j + l] += s * static_cast<float>(q[j + l]);
    }
  }
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
  ResizeRows(rows_.size());
  for (size_t r = 0; r < rows_.size(); ++r) {
    const float* w = weights.data() + r * k;
    float largest = 0;
    for (size_t j = 0; j < k; ++j) largest = std::max(largest, std::fabs(w[j]));
    const float scale = largest / 127.0f;
    uint8_t* row = packed_.data() + r * stride_;
    std::memcpy(row, &scale, sizeof(scale));
    int8_t* q = reinterpret_cast<int8_t*>(row + sizeof(float));
    for (size_t j = 0; j < k; ++j) {
      q[j] = scale == 0 ? 0 : static_cast<int8_t>(std::lround(w[j] / scale));
    }
  }
  BuildIndex();
}

void Model::ResizeRows(size_t rows) {
  // Weights padded with zeros to a multiple of 16 labels: the scoring loop then runs whole
  // vectors with no scalar tail.
  stride_ = sizeof(float) + PaddedLabels(labels_.size());
  packed_.assign(rows * stride_, 0);
}

float Model::RowScale(size_t row) const {
  float scale;
  std::memcpy(&scale, packed_.data() + row * stride_, sizeof(scale));
  return scale;
}

const int8_t* Model::RowWeights(size_t row) const {
  return reinterpret_cast<const int8_t*>(packed_.data() + row * stride_ + sizeof(float));
}

// Fibonacci hashing: the top `bits` bits of the product spread any set of buckets evenly.
uint32_t Model::SlotOf(uint32_t bucket) const {
  return static_cast<uint32_t>((bucket * 0x9E3779B97F4A7C15ULL) >> (64 - index_bits_));
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
    uint32_t slot = SlotOf(rows_[r]);
    while (index_[slot * 2] != kEmpty) slot = (slot + 1) & index_mask_;
    index_[slot * 2] = rows_[r];
    index_[slot * 2 + 1] = static_cast<uint32_t>(r);
  }
}

const uint8_t* Model::FindRow(uint32_t bucket, uint32_t slot) const {
  while (true) {
    const uint32_t key = index_[slot * 2];
    if (key == bucket) return packed_.data() + static_cast<size_t>(index_[slot * 2 + 1]) * stride_;
    if (key == kEmpty) return nullptr;
    slot = (slot + 1) & index_mask_;
  }
}

void Model::Scores(std::span<const Feature> features, float* scores) const {
  const size_t k = labels_.size();
  const size_t padded = PaddedLabels(k);
  // Sums go to a padded buffer: on the stack for the usual few hundred labels.
  constexpr size_t kStackLabels = 512;
  float stack[kStackLabels];
  std::vector<float> heap;
  float* acc = stack;
  if (padded > kStackLabels) {
    heap.resize(padded);
    acc = heap.data();
  }
  std::fill(acc, acc + padded, 0.0f);
  // Each feature costs a probe of the index and a fetch of its row, both usually cache misses.
  // Done one feature at a time they wait in line; in three passes over a batch (prefetch the
  // index slots, find the rows and prefetch them, then add them up) the misses overlap.
  constexpr size_t kBatch = 64;
  uint32_t slots[kBatch];
  const uint8_t* rows[kBatch];
  float values[kBatch];
  for (size_t begin = 0; begin < features.size() && !rows_.empty(); begin += kBatch) {
    const size_t n = std::min(kBatch, features.size() - begin);
    const Feature* f = features.data() + begin;
    for (size_t i = 0; i < n; ++i) {
      slots[i] = SlotOf(f[i].bucket);
      __builtin_prefetch(&index_[slots[i] * 2]);
    }
    size_t found = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint8_t* row = FindRow(f[i].bucket, slots[i]);
      if (row == nullptr) continue;
      for (size_t offset = 0; offset < stride_; offset += kCacheLine)
        __builtin_prefetch(row + offset);
      __builtin_prefetch(row + stride_ - 1);
      rows[found] = row;
      values[found] = f[i].value;
      ++found;
    }
    AccumulateRows(rows, values, found, padded, acc);
  }
  for (size_t j = 0; j < k; ++j) scores[j] = bias_[j] + acc[j];
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
