#include "feedloop/learn/metrics.hpp"

#include <algorithm>

namespace feedloop::learn {
namespace {

double F1(int64_t tp, int64_t fp, int64_t fn) {
  const int64_t denominator = 2 * tp + fp + fn;
  return denominator == 0 ? 0.0 : 2.0 * static_cast<double>(tp) / static_cast<double>(denominator);
}

bool Contains(std::span<const std::string_view> set, std::string_view label) {
  return std::find(set.begin(), set.end(), label) != set.end();
}

}  // namespace

void Scoreboard::Add(std::span<const std::string_view> gold,
                     std::span<const std::string_view> predicted) {
  ++examples_;
  bool exact = true;
  for (std::string_view g : gold) {
    auto it = counts_.find(g);
    if (it == counts_.end()) it = counts_.emplace(std::string(g), Counts{}).first;
    if (Contains(predicted, g)) {
      ++it->second.tp;
    } else {
      ++it->second.fn;
      exact = false;
    }
  }
  for (std::string_view p : predicted) {
    if (Contains(gold, p)) continue;
    auto it = counts_.find(p);
    if (it == counts_.end()) it = counts_.emplace(std::string(p), Counts{}).first;
    ++it->second.fp;
    exact = false;
  }
  if (exact) ++exact_;
}

double Scoreboard::Accuracy() const {
  return examples_ == 0 ? 0.0 : static_cast<double>(exact_) / static_cast<double>(examples_);
}

double Scoreboard::MacroF1() const {
  if (counts_.empty()) return 0.0;
  double sum = 0;
  for (const auto& [label, c] : counts_) sum += F1(c.tp, c.fp, c.fn);
  return sum / static_cast<double>(counts_.size());
}

double Scoreboard::MicroF1() const {
  int64_t tp = 0, fp = 0, fn = 0;
  for (const auto& [label, c] : counts_) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return F1(tp, fp, fn);
}

std::vector<Scoreboard::LabelScore> Scoreboard::PerLabel() const {
  std::vector<LabelScore> out;
  out.reserve(counts_.size());
  for (const auto& [label, c] : counts_) {
    LabelScore s;
    s.label = label;
    s.support = c.tp + c.fn;
    s.precision =
        c.tp + c.fp == 0 ? 0.0 : static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fp);
    s.recall = s.support == 0 ? 0.0 : static_cast<double>(c.tp) / static_cast<double>(s.support);
    s.f1 = F1(c.tp, c.fp, c.fn);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace feedloop::learn
