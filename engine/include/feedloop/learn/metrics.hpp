// Classification metrics for the learned classifiers: accuracy, per-label precision / recall /
// F1 and their macro average, counted over label names so that gold labels a model never saw
// count as misses.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop::learn {

// Accumulates gold and predicted label sets. Not thread-safe.
class Scoreboard {
 public:
  struct LabelScore {
    std::string label;
    int64_t support = 0;  // gold count
    double precision = 0, recall = 0, f1 = 0;
  };

  // One example: its gold labels and the predicted ones (either may be empty).
  void Add(std::span<const std::string_view> gold, std::span<const std::string_view> predicted);
  void Add(std::string_view gold, std::string_view predicted) {
    Add(std::span<const std::string_view>(&gold, 1),
        std::span<const std::string_view>(&predicted, predicted.empty() ? 0 : 1));
  }

  int64_t examples() const { return examples_; }
  // Share of examples whose predicted set equals the gold set (single-label: accuracy).
  double Accuracy() const;
  // Mean F1 over every label that occurs as gold or as a prediction (scikit-learn's "macro").
  double MacroF1() const;
  // Micro-averaged F1 over all (example, label) decisions.
  double MicroF1() const;
  // Per-label scores, by label name.
  std::vector<LabelScore> PerLabel() const;

 private:
  struct Counts {
    int64_t tp = 0, fp = 0, fn = 0;
  };
  int64_t examples_ = 0;
  int64_t exact_ = 0;
  std::map<std::string, Counts, std::less<>> counts_;
};

}  // namespace feedloop::learn
