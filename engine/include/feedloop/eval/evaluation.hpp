// Measuring a plugin against labels (`feedloop eval`): single-label classification with a
// confusion matrix, multi-label tags, and sentiment against a numeric gold score.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace feedloop::eval {

struct ClassScore {
  std::string label;
  int64_t support = 0;  // gold count
  int64_t predicted = 0;
  int64_t correct = 0;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// Single-label classification: one gold and one predicted label per example ("none" for no
// label). Not thread-safe.
class Confusion {
 public:
  void Add(const std::string& gold, const std::string& predicted);

  int64_t examples() const { return examples_; }
  double Accuracy() const;
  double MacroF1() const;                    // mean F1 over labels that occur as gold or prediction
  double WeightedF1() const;                 // F1 weighted by gold support
  std::vector<ClassScore> PerClass() const;  // sorted by label
  // The most frequent (gold, predicted) pairs with gold != predicted.
  std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> TopConfusions(
      size_t n) const;
  const std::map<std::pair<std::string, std::string>, int64_t>& cells() const { return cells_; }
  std::vector<std::string> Labels() const;

 private:
  int64_t examples_ = 0;
  int64_t correct_ = 0;
  std::map<std::pair<std::string, std::string>, int64_t> cells_;  // (gold, predicted) -> count
};

// Multi-label (tags): sets of gold and predicted labels per example. Not thread-safe.
class MultiLabel {
 public:
  void Add(const std::set<std::string>& gold, const std::set<std::string>& predicted);
  int64_t examples() const { return examples_; }
  double ExactMatch() const;
  double MicroF1() const;
  double MacroF1() const;
  std::vector<ClassScore> PerLabel() const;

 private:
  struct Counts {
    int64_t tp = 0, fp = 0, fn = 0;
  };
  int64_t examples_ = 0;
  int64_t exact_ = 0;
  std::map<std::string, Counts> counts_;
};

// Sentiment against gold labels that are numeric scores (any scale centred on 0, e.g. -4..+4) or
// classes (positive, neutral, negative). The three-class figures follow the VADER paper: a value
// is positive if >= 0.05, negative if <= -0.05, else neutral, applied to a numeric gold and to
// the prediction; precision, recall and F1 are counted over the positive and negative classes
// only. Pearson r needs numbers, so it is computed over the numeric gold labels alone. Not
// thread-safe.
class SentimentScore {
 public:
  void Add(double gold, double predicted);
  // `gold` must be "positive", "neutral" or "negative" (see ParsePolarity).
  void AddClass(const std::string& gold, double predicted);
  int64_t examples() const { return classes_.examples(); }
  int64_t numeric_examples() const { return static_cast<int64_t>(gold_.size()); }
  // Over the numeric gold labels; 0 with fewer than two (see numeric_examples).
  double PearsonR() const;
  double Precision() const;
  double Recall() const;
  double F1() const;
  // Three-class accuracy and its confusion.
  const Confusion& classes() const { return classes_; }

 private:
  std::vector<double> gold_, predicted_;
  int64_t polar_predicted_ = 0, polar_gold_ = 0, polar_correct_ = 0;
  Confusion classes_;
};

const char* PolarityOf(double value);
// "positive", "neutral" or "negative" for those words in any case (surrounding blanks ignored);
// null for anything else.
const char* ParsePolarity(std::string_view label);

}  // namespace feedloop::eval
