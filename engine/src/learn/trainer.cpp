#include "feedloop/learn/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <thread>

namespace feedloop::learn {
namespace {

constexpr uint32_t kNoLabel = 0xFFFFFFFFu;

// splitmix64: tiny, fast, and the same sequence on every platform and standard library (unlike
// std::shuffle, whose algorithm is unspecified), which byte-identical models need.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

 private:
  uint64_t state_;
};

template <class T>
void Shuffle(std::vector<T>* v, Rng* rng) {
  for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[rng->Below(i)]);
}

// Runs fn(begin, end) over [0, n) in `threads` contiguous chunks and waits for them. Callers
// combine per-chunk results in chunk order, so the outcome never depends on scheduling.
template <class Fn>
void ParallelChunks(size_t n, size_t threads, Fn&& fn) {
  threads = std::max<size_t>(1, std::min(threads, n / 256 + 1));
  if (threads == 1) {
    fn(size_t{0}, n, size_t{0});
    return;
  }
  std::vector<std::thread> pool;
  const size_t chunk = (n + threads - 1) / threads;
  for (size_t t = 0; t < threads; ++t) {
    const size_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
    pool.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
  for (std::thread& th : pool) th.join();
}

// Maps the hash buckets seen in training to dense row numbers, in bucket order.
class RowMap {
 public:
  // Collects the buckets of every feature of `set`.
  explicit RowMap(const ExampleSet& set) {
    Grow(1024);
    for (size_t i = 0; i < set.size(); ++i) {
      for (const Feature& f : set.features(i)) Insert(f.bucket);
    }
    std::sort(buckets_.begin(), buckets_.end());
    // Re-insert with final row numbers (bucket order).
    Grow(slots_.size() / 2);
    for (size_t r = 0; r < buckets_.size(); ++r) Put(buckets_[r], static_cast<uint32_t>(r));
  }
  const std::vector<uint32_t>& buckets() const { return buckets_; }
  uint32_t Find(uint32_t bucket) const {
    for (size_t s = Slot(bucket);; s = (s + 1) & mask_) {
      if (slots_[s].row == kNoLabel) return kNoLabel;
      if (slots_[s].bucket == bucket) return slots_[s].row;
    }
  }

 private:
  struct Entry {
    uint32_t bucket;
    uint32_t row;
  };
  size_t Slot(uint32_t bucket) const {
    return static_cast<size_t>((bucket * 0x9E3779B97F4A7C15ULL) >> shift_) & mask_;
  }
  void Grow(size_t capacity) {
    size_t bits = 4;
    while ((size_t{1} << bits) < capacity * 2) ++bits;
    slots_.assign(size_t{1} << bits, Entry{0, kNoLabel});
    mask_ = (size_t{1} << bits) - 1;
    shift_ = static_cast<int>(64 - bits);
  }
  void Put(uint32_t bucket, uint32_t row) {
    size_t s = Slot(bucket);
    while (slots_[s].row != kNoLabel && slots_[s].bucket != bucket) s = (s + 1) & mask_;
    slots_[s] = Entry{bucket, row};
  }
  void Insert(uint32_t bucket) {
    size_t s = Slot(bucket);
    while (slots_[s].row != kNoLabel) {
      if (slots_[s].bucket == bucket) return;
      s = (s + 1) & mask_;
    }
    slots_[s] = Entry{bucket, 0};
    buckets_.push_back(bucket);
    if (buckets_.size() * 2 > slots_.size()) {
      Grow(buckets_.size() * 2);
      for (uint32_t b : buckets_) Put(b, 0);
    }
  }

  std::vector<Entry> slots_;
  size_t mask_ = 0;
  int shift_ = 60;
  std::vector<uint32_t> buckets_;
};

// Examples in the model's terms: dense rows and model label ids, in compressed rows.
struct Matrix {
  std::vector<uint64_t> feature_end;
  std::vector<uint32_t> rows;
  std::vector<float> values;
  std::vector<uint64_t> label_end;
  std::vector<uint32_t> labels;  // model label ids; kNoLabel for a label the model lacks

  size_t size() const { return feature_end.size(); }
  size_t FeatureBegin(size_t i) const { return i == 0 ? 0 : feature_end[i - 1]; }
  size_t LabelBegin(size_t i) const { return i == 0 ? 0 : label_end[i - 1]; }
};

Matrix ToMatrix(const ExampleSet& set, const RowMap& rows,
                const std::vector<uint32_t>& label_of_name, bool first_label_only) {
  Matrix m;
  m.feature_end.reserve(set.size());
  m.label_end.reserve(set.size());
  for (size_t i = 0; i < set.size(); ++i) {
    for (const Feature& f : set.features(i)) {
      uint32_t row = rows.Find(f.bucket);
      if (row == kNoLabel) continue;  // never seen in training: its weight would be zero
      m.rows.push_back(row);
      m.values.push_back(f.value);
    }
    m.feature_end.push_back(m.rows.size());
    std::span<const uint32_t> ids = set.label_ids(i);
    if (first_label_only && ids.size() > 1) ids = ids.first(1);
    for (uint32_t id : ids) m.labels.push_back(label_of_name[id]);
    m.label_end.push_back(m.labels.size());
  }
  return m;
}

std::string FormatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

// The weights during training: rows x k, plus one bias per label.
struct Weights {
  size_t k = 0;
  std::vector<float> w;
  std::vector<float> bias;
  uint64_t steps = 0;

  Weights(size_t rows, size_t labels) : k(labels), w(rows * labels), bias(labels) {}

  void Scores(const Matrix& m, size_t i, float* z) const {
    std::copy(bias.begin(), bias.end(), z);
    for (size_t f = m.FeatureBegin(i); f < m.feature_end[i]; ++f) {
      const float* row = w.data() + static_cast<size_t>(m.rows[f]) * k;
      const float v = m.values[f];
      for (size_t j = 0; j < k; ++j) z[j] += v * row[j];
    }
  }
};

void Softmax(float* z, size_t k) {
  float top = *std::max_element(z, z + k);
  float total = 0;
  for (size_t j = 0; j < k; ++j) {
    z[j] = std::exp(z[j] - top);
    total += z[j];
  }
  for (size_t j = 0; j < k; ++j) z[j] /= total;
}

bool SameSet(std::span<const uint32_t> gold, const std::vector<uint32_t>& predicted) {
  if (gold.size() != predicted.size()) return false;
  for (uint32_t g : gold) {
    if (std::find(predicted.begin(), predicted.end(), g) == predicted.end()) return false;
  }
  return true;
}

// Share of `m`'s examples whose decision from `scores_of(i, z)` is right: argmax for one label,
// every score above `thresholds` (as probabilities) for several.
template <class ScoresFn>
double Accuracy(const Matrix& m, size_t k, LabelMode mode, const std::vector<float>& thresholds,
                size_t threads, ScoresFn&& scores_of) {
  if (m.size() == 0) return 0;
  std::vector<size_t> correct(std::max<size_t>(threads, 1), 0);
  ParallelChunks(m.size(), threads, [&](size_t begin, size_t end, size_t t) {
    std::vector<float> z(k);
    std::vector<uint32_t> predicted;
    for (size_t i = begin; i < end; ++i) {
      std::span<const uint32_t> gold(m.labels.data() + m.LabelBegin(i),
                                     m.label_end[i] - m.LabelBegin(i));
      scores_of(i, z.data());
      predicted.clear();
      if (mode == LabelMode::kSingle) {
        predicted.push_back(
            static_cast<uint32_t>(std::max_element(z.begin(), z.end()) - z.begin()));
      } else {
        for (size_t j = 0; j < k; ++j) {
          if (1.0f / (1.0f + std::exp(-z[j])) >= thresholds[j])
            predicted.push_back(static_cast<uint32_t>(j));
        }
      }
      if (SameSet(gold, predicted)) ++correct[t];
    }
  });
  return static_cast<double>(std::accumulate(correct.begin(), correct.end(), size_t{0})) /
         static_cast<double>(m.size());
}

// Per-example loss weights for each label: 1, or inversely proportional to label frequency.
struct LabelWeights {
  std::vector<float> positive;  // weight of an example having label j (single-label: its class)
  std::vector<float> negative;  // multi-label: weight of an example lacking label j
};

LabelWeights MakeLabelWeights(const Matrix& m, const std::vector<size_t>& order, size_t k,
                              LabelMode mode, ClassWeights kind) {
  LabelWeights lw{std::vector<float>(k, 1.0f), std::vector<float>(k, 1.0f)};
  if (kind == ClassWeights::kNone || order.empty()) return lw;
  std::vector<double> count(k, 0);
  for (size_t i : order) {
    for (size_t l = m.LabelBegin(i); l < m.label_end[i]; ++l) count[m.labels[l]] += 1;
  }
  const double n = static_cast<double>(order.size());
  size_t present = 0;
  for (double c : count) present += c > 0;
  for (size_t j = 0; j < k; ++j) {
    if (count[j] == 0) continue;
    if (mode == LabelMode::kSingle) {
      lw.positive[j] = static_cast<float>(n / (static_cast<double>(present) * count[j]));
    } else {
      // Each label's positives and negatives weigh half of the total each, like scikit-learn's
      // "balanced" on that label's binary problem.
      lw.positive[j] = static_cast<float>(n / (2 * count[j]));
      lw.negative[j] = count[j] < n ? static_cast<float>(n / (2 * (n - count[j]))) : 1.0f;
    }
  }
  return lw;
}

// One pass of SGD over `order`; returns the mean weighted log loss.
double Epoch(const Matrix& m, const std::vector<size_t>& order, const TrainOptions& o,
             const LabelWeights& lw, uint64_t total_steps, Weights* wt) {
  const size_t k = wt->k;
  std::vector<float> z(k), g(k);
  std::vector<uint8_t> is_gold(k, 0);
  double loss = 0, weight_total = 0;
  const float l2 = o.l2;
  for (size_t i : order) {
    const uint64_t step = ++wt->steps;
    // Linear decay to zero, as fastText does: large early steps, a settled end.
    const float lr =
        o.learning_rate *
        static_cast<float>(1.0 - static_cast<double>(step - 1) / static_cast<double>(total_steps));
    const size_t fb = m.FeatureBegin(i), fe = m.feature_end[i];
    const size_t lb = m.LabelBegin(i), le = m.label_end[i];

    wt->Scores(m, i, z.data());

    float weight = 1.0f;
    if (o.mode == LabelMode::kSingle) {
      const uint32_t y = m.labels[lb];
      weight = lw.positive[y];
      Softmax(z.data(), k);
      loss += -weight * std::log(std::max(z[y], 1e-30f));
      for (size_t j = 0; j < k; ++j) g[j] = weight * z[j];
      g[y] -= weight;
    } else {
      for (size_t l = lb; l < le; ++l) is_gold[m.labels[l]] = 1;
      for (size_t j = 0; j < k; ++j) {
        const float p = 1.0f / (1.0f + std::exp(-z[j]));
        const float cw = is_gold[j] ? lw.positive[j] : lw.negative[j];
        loss += -cw * std::log(std::max(is_gold[j] ? p : 1.0f - p, 1e-30f));
        g[j] = cw * (p - static_cast<float>(is_gold[j]));
      }
      for (size_t l = lb; l < le; ++l) is_gold[m.labels[l]] = 0;
    }
    weight_total += weight;

    // Lazy L2: only the rows this example touches shrink, so a step costs what the example
    // has features, not what the model has rows.
    const float shrink = 1.0f - lr * l2;
    for (size_t f = fb; f < fe; ++f) {
      float* row = wt->w.data() + static_cast<size_t>(m.rows[f]) * k;
      const float step_size = lr * m.values[f];
      for (size_t j = 0; j < k; ++j) row[j] = shrink * row[j] - step_size * g[j];
    }
    for (size_t j = 0; j < k; ++j) wt->bias[j] -= lr * g[j];
  }
  return weight_total > 0 ? loss / weight_total : 0;
}

// Mean negative log-likelihood of the gold labels under softmax(z / t).
double LogLoss(const std::vector<float>& scores, const std::vector<uint32_t>& gold, size_t k,
               double t) {
  double total = 0;
  size_t n = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] == kNoLabel) continue;
    const float* z = scores.data() + i * k;
    double top = *std::max_element(z, z + k);
    double sum = 0;
    for (size_t j = 0; j < k; ++j) sum += std::exp((z[j] - top) / t);
    total += -((z[gold[i]] - top) / t - std::log(sum));
    ++n;
  }
  return n == 0 ? 0 : total / static_cast<double>(n);
}

// The temperature minimising the held-out log loss (golden-section search on log t, which is
// unimodal in practice); the softmax stays an argmax-preserving map, so accuracy is unchanged.
// Bounded to [0.25, 4]: a held-out set with no errors pushes the fit towards 0 (certainty),
// which no real stream of complaints deserves.
float FitTemperature(const std::vector<float>& scores, const std::vector<uint32_t>& gold,
                     size_t k) {
  double a = std::log(0.25), b = std::log(4.0);
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double c = b - phi * (b - a), d = a + phi * (b - a);
  double fc = LogLoss(scores, gold, k, std::exp(c)), fd = LogLoss(scores, gold, k, std::exp(d));
  for (int i = 0; i < 40; ++i) {
    if (fc < fd) {
      b = d, d = c, fd = fc;
      c = b - phi * (b - a);
      fc = LogLoss(scores, gold, k, std::exp(c));
    } else {
      a = c, c = d, fc = fd;
      d = a + phi * (b - a);
      fd = LogLoss(scores, gold, k, std::exp(d));
    }
  }
  return static_cast<float>(std::exp((a + b) / 2));
}

// Per label, the probability threshold in 0.05..0.95 with the best held-out F1 (ties: the one
// closest to 0.5); 0.5 for a label without held-out positives.
std::vector<float> FitThresholds(const std::vector<float>& scores, const Matrix& m, size_t k) {
  std::vector<float> thresholds(k, 0.5f);
  const size_t n = m.size();
  std::vector<uint8_t> gold(n * k, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t l = m.LabelBegin(i); l < m.label_end[i]; ++l) {
      if (m.labels[l] != kNoLabel) gold[i * k + m.labels[l]] = 1;
    }
  }
  for (size_t j = 0; j < k; ++j) {
    double best_f1 = -1, best_gap = 1;
    for (int step = 1; step <= 19; ++step) {
      const float t = 0.05f * static_cast<float>(step);
      size_t tp = 0, fp = 0, fn = 0;
      for (size_t i = 0; i < n; ++i) {
        const bool predicted = 1.0f / (1.0f + std::exp(-scores[i * k + j])) >= t;
        const bool truth = gold[i * k + j] != 0;
        tp += predicted && truth;
        fp += predicted && !truth;
        fn += !predicted && truth;
      }
      if (tp + fn == 0) break;
      const double f1 = 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
      const double gap = std::fabs(t - 0.5);
      if (f1 > best_f1 + 1e-12 || (std::fabs(f1 - best_f1) <= 1e-12 && gap < best_gap)) {
        best_f1 = f1;
        best_gap = gap;
        thresholds[j] = t;
      }
    }
  }
  return thresholds;
}

}  // namespace

// ---- ExampleSet ----------------------------------------------------------------------------

uint32_t ExampleSet::Intern(std::string_view label) {
  auto it = label_index_.find(std::string(label));
  if (it != label_index_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(label_names_.size());
  label_names_.emplace_back(label);
  label_index_.emplace(std::string(label), id);
  return id;
}

void ExampleSet::Add(std::span<const Feature> features, std::span<const std::string_view> labels) {
  features_.insert(features_.end(), features.begin(), features.end());
  feature_end_.push_back(features_.size());
  for (std::string_view label : labels) labels_.push_back(Intern(label));
  label_end_.push_back(labels_.size());
}

void ExampleSet::Append(const ExampleSet& other) {
  std::vector<std::string_view> names;
  for (size_t i = 0; i < other.size(); ++i) {
    names.clear();
    for (uint32_t id : other.label_ids(i)) names.push_back(other.label_names_[id]);
    Add(other.features(i), names);
  }
}

std::span<const Feature> ExampleSet::features(size_t i) const {
  const size_t begin = i == 0 ? 0 : feature_end_[i - 1];
  return std::span<const Feature>(features_.data() + begin, feature_end_[i] - begin);
}

std::span<const uint32_t> ExampleSet::label_ids(size_t i) const {
  const size_t begin = i == 0 ? 0 : label_end_[i - 1];
  return std::span<const uint32_t>(labels_.data() + begin, label_end_[i] - begin);
}

void ExampleSet::Split(double fraction, uint64_t seed, ExampleSet* train,
                       ExampleSet* holdout) const {
  // Group examples by first label (examples without labels form their own group), then take the
  // first `fraction` of each group's seeded shuffle, in label-name order so that the split does
  // not depend on the order labels first appeared in.
  std::vector<uint32_t> order(label_names_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return label_names_[a] < label_names_[b]; });
  std::vector<std::vector<size_t>> groups(label_names_.size() + 1);
  for (size_t i = 0; i < size(); ++i) {
    std::span<const uint32_t> ids = label_ids(i);
    groups[ids.empty() ? label_names_.size() : ids[0]].push_back(i);
  }
  std::vector<uint8_t> held(size(), 0);
  Rng rng(seed);
  auto take = [&](std::vector<size_t>& group, bool keep_one) {
    Shuffle(&group, &rng);
    size_t n = static_cast<size_t>(std::llround(fraction * static_cast<double>(group.size())));
    if (keep_one && n >= group.size()) n = group.empty() ? 0 : group.size() - 1;
    for (size_t j = 0; j < n; ++j) held[group[j]] = 1;
  };
  for (uint32_t label : order) take(groups[label], true);
  take(groups.back(), false);
  std::vector<std::string_view> names;
  for (size_t i = 0; i < size(); ++i) {
    names.clear();
    for (uint32_t id : label_ids(i)) names.push_back(label_names_[id]);
    (held[i] ? holdout : train)->Add(features(i), names);
  }
}

// ---- Train ----------------------------------------------------------------------------------

std::string ValidateTrainOptions(const TrainOptions& o) {
  if (std::string bad = ValidateFeatureOptions(o.features); !bad.empty()) return bad;
  if (o.epochs == 0 || o.epochs > 10000) return "epochs must be between 1 and 10000";
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) {
    return "the learning rate must be a positive number";
  }
  if (!(o.l2 >= 0) || !std::isfinite(o.l2)) return "l2 must be zero or a positive number";
  return "";
}

Result<Model> Train(const ExampleSet& train, const ExampleSet* validation, const TrainOptions& o,
                    TrainSummary* summary) {
  if (std::string bad = ValidateTrainOptions(o); !bad.empty()) return Status::Usage(bad);
  const bool single = o.mode == LabelMode::kSingle;
  const size_t threads =
      o.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.threads;

  // The model's labels: every label used for training, in name order, so that the model does
  // not depend on the order of the input file's rows.
  std::vector<uint8_t> used(train.label_names().size(), 0);
  for (size_t i = 0; i < train.size(); ++i) {
    std::span<const uint32_t> ids = train.label_ids(i);
    if (train.features(i).empty() || ids.empty()) continue;
    for (size_t l = 0; l < (single ? 1 : ids.size()); ++l) used[ids[l]] = 1;
  }
  std::vector<std::string> labels;
  for (size_t id = 0; id < used.size(); ++id) {
    if (used[id]) labels.push_back(train.label_names()[id]);
  }
  std::sort(labels.begin(), labels.end());
  if (labels.empty()) return Status::InvalidInput("no training example has both text and a label");
  if (single && labels.size() < 2) {
    return Status::InvalidInput("only one label (" + labels[0] +
                                ") in the training data: a classifier needs at least two");
  }
  auto label_map = [&labels](const ExampleSet& set) {
    std::vector<uint32_t> map(set.label_names().size(), kNoLabel);
    for (size_t id = 0; id < map.size(); ++id) {
      auto it = std::lower_bound(labels.begin(), labels.end(), set.label_names()[id]);
      if (it != labels.end() && *it == set.label_names()[id]) {
        map[id] = static_cast<uint32_t>(it - labels.begin());
      }
    }
    return map;
  };

  const RowMap rows(train);
  const Matrix m = ToMatrix(train, rows, label_map(train), single);
  std::vector<size_t> order;
  order.reserve(m.size());
  // Single-label training needs the label; in multi-label mode an example without labels is a
  // negative for every label, and teaches as much as any other.
  for (size_t i = 0; i < m.size(); ++i) {
    const bool has_label = m.label_end[i] > m.LabelBegin(i);
    if (m.feature_end[i] > m.FeatureBegin(i) && (has_label || !single)) order.push_back(i);
  }
  Matrix held;
  const bool has_validation = validation != nullptr && !validation->empty();
  if (has_validation) held = ToMatrix(*validation, rows, label_map(*validation), single);

  const size_t k = labels.size();
  Weights wt(rows.buckets().size(), k);
  const LabelWeights lw = MakeLabelWeights(m, order, k, o.mode, o.class_weights);
  const std::vector<float> half(k, 0.5f);
  const uint64_t total_steps = static_cast<uint64_t>(order.size()) * o.epochs;
  Rng rng(o.seed);
  for (uint32_t epoch = 1; epoch <= o.epochs; ++epoch) {
    Shuffle(&order, &rng);
    EpochReport report;
    report.epoch = epoch;
    report.epochs = o.epochs;
    report.train_loss = Epoch(m, order, o, lw, total_steps, &wt);
    if (has_validation) {
      report.has_validation = true;
      report.validation_accuracy = Accuracy(held, k, o.mode, half, threads,
                                            [&](size_t i, float* z) { wt.Scores(held, i, z); });
    }
    if (o.on_epoch) o.on_epoch(report);
  }

  Model model(o.mode, o.features, labels, rows.buckets(), wt.w, wt.bias);
  TrainSummary s;
  s.examples = order.size();
  s.skipped = m.size() - order.size();
  s.rows = rows.buckets().size();
  if (has_validation) {
    // Calibrate and measure the model as saved (quantized), not the float weights.
    std::vector<float> scores(held.size() * k);
    ParallelChunks(held.size(), threads, [&](size_t begin, size_t end, size_t) {
      std::vector<Feature> x;
      for (size_t i = begin; i < end; ++i) {
        x.clear();
        for (size_t f = held.FeatureBegin(i); f < held.feature_end[i]; ++f) {
          x.push_back({rows.buckets()[held.rows[f]], held.values[f]});
        }
        model.Scores(x, scores.data() + i * k);
      }
    });
    std::vector<uint32_t> gold(held.size(), kNoLabel);
    for (size_t i = 0; i < held.size(); ++i) {
      if (held.label_end[i] > held.LabelBegin(i)) gold[i] = held.labels[held.LabelBegin(i)];
    }
    if (o.calibrate && single) model.set_temperature(FitTemperature(scores, gold, k));
    if (o.calibrate && !single) model.set_thresholds(FitThresholds(scores, held, k));
    s.validation_accuracy =
        Accuracy(held, k, o.mode, model.thresholds(), 1, [&](size_t i, float* z) {
          std::copy(scores.begin() + static_cast<ptrdiff_t>(i * k),
                    scores.begin() + static_cast<ptrdiff_t>((i + 1) * k), z);
        });
    if (single) s.validation_log_loss = LogLoss(scores, gold, k, model.temperature());
  }

  std::string info = "{\"mode\": \"" + std::string(single ? "single-label" : "multi-label") + "\"";
  info += ", \"examples\": " + std::to_string(s.examples);
  info += ", \"epochs\": " + std::to_string(o.epochs);
  info += ", \"learning_rate\": " + FormatDouble(o.learning_rate);
  info += ", \"l2\": " + FormatDouble(o.l2);
  info += ", \"class_weights\": \"" +
          std::string(o.class_weights == ClassWeights::kBalanced ? "balanced" : "none") + "\"";
  info += ", \"seed\": " + std::to_string(o.seed);
  if (has_validation) {
    info += ", \"validation_examples\": " + std::to_string(held.size());
    info += ", \"validation_accuracy\": " + FormatDouble(s.validation_accuracy);
  }
  info += "}";
  model.set_info(std::move(info));
  if (summary != nullptr) *summary = s;
  return model;
}

}  // namespace feedloop::learn
