#include "feedloop/eval/evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "feedloop/text/utf8.hpp"

namespace feedloop::eval {
namespace {

double Ratio(int64_t a, int64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}
double F1(double p, double r) {
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

}  // namespace

const char* PolarityOf(double v) {
  if (v >= 0.05) return "positive";
  if (v <= -0.05) return "negative";
  return "neutral";
}

const char* ParsePolarity(std::string_view label) {
  label = text::TrimAsciiSpace(label);
  for (const char* name : {"positive", "neutral", "negative"}) {
    std::string_view n(name);
    if (text::EqualsIgnoringAsciiCase(label, name)) return name;
  }
  return nullptr;
}

void Confusion::Add(const std::string& gold, const std::string& predicted) {
  ++examples_;
  if (gold == predicted) ++correct_;
  ++cells_[{gold, predicted}];
}

double Confusion::Accuracy() const {
  return Ratio(correct_, examples_);
}

std::vector<std::string> Confusion::Labels() const {
  std::set<std::string> labels;
  for (const auto& [cell, n] : cells_) {
    labels.insert(cell.first);
    labels.insert(cell.second);
  }
  return {labels.begin(), labels.end()};
}

std::vector<ClassScore> Confusion::PerClass() const {
  std::map<std::string, ClassScore> by;
  for (const std::string& l : Labels()) by[l].label = l;
  for (const auto& [cell, n] : cells_) {
    by[cell.first].support += n;
    by[cell.second].predicted += n;
    if (cell.first == cell.second) by[cell.first].correct += n;
  }
  std::vector<ClassScore> out;
  for (auto& [label, s] : by) {
    s.precision = Ratio(s.correct, s.predicted);
    s.recall = Ratio(s.correct, s.support);
    s.f1 = F1(s.precision, s.recall);
    out.push_back(s);
  }
  return out;
}

double Confusion::MacroF1() const {
  std::vector<ClassScore> classes = PerClass();
  if (classes.empty()) return 0;
  double sum = 0;
  for (const ClassScore& c : classes) sum += c.f1;
  return sum / static_cast<double>(classes.size());
}

double Confusion::WeightedF1() const {
  double sum = 0;
  for (const ClassScore& c : PerClass()) sum += c.f1 * static_cast<double>(c.support);
  return examples_ == 0 ? 0 : sum / static_cast<double>(examples_);
}

std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> Confusion::TopConfusions(
    size_t n) const {
  std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> out;
  for (const auto& [cell, count] : cells_) {
    if (cell.first != cell.second) out.emplace_back(cell, count);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > n) out.resize(n);
  return out;
}

void MultiLabel::Add(const std::set<std::string>& gold, const std::set<std::string>& predicted) {
  ++examples_;
  if (gold == predicted) ++exact_;
  for (const std::string& g : gold) {
    if (predicted.count(g)) {
      ++counts_[g].tp;
    } else {
      ++counts_[g].fn;
    }
  }
  for (const std::string& p : predicted) {
    if (!gold.count(p)) ++counts_[p].fp;
  }
}

double MultiLabel::ExactMatch() const {
  return Ratio(exact_, examples_);
}

double MultiLabel::MicroF1() const {
  int64_t tp = 0, fp = 0, fn = 0;
  for (const auto& [label, c] : counts_) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return F1(Ratio(tp, tp + fp), Ratio(tp, tp + fn));
}

std::vector<ClassScore> MultiLabel::PerLabel() const {
  std::vector<ClassScore> out;
  for (const auto& [label, c] : counts_) {
    ClassScore s;
    s.label = label;
    s.support = c.tp + c.fn;
    s.predicted = c.tp + c.fp;
    s.correct = c.tp;
    s.precision = Ratio(c.tp, c.tp + c.fp);
    s.recall = Ratio(c.tp, c.tp + c.fn);
    s.f1 = F1(s.precision, s.recall);
    out.push_back(s);
  }
  return out;
}

double MultiLabel::MacroF1() const {
  std::vector<ClassScore> labels = PerLabel();
  if (labels.empty()) return 0;
  double sum = 0;
  for (const ClassScore& s : labels) sum += s.f1;
  return sum / static_cast<double>(labels.size());
}

void SentimentScore::Add(double gold, double predicted) {
  gold_.push_back(gold);
  predicted_.push_back(predicted);
  AddClass(PolarityOf(gold), predicted);
}

void SentimentScore::AddClass(const std::string& g, double predicted) {
  const std::string p = PolarityOf(predicted);
  classes_.Add(g, p);
  if (p != "neutral") ++polar_predicted_;
  if (g != "neutral") ++polar_gold_;
  if (p != "neutral" && p == g) ++polar_correct_;
}

double SentimentScore::PearsonR() const {
  const size_t n = gold_.size();
  if (n < 2) return 0;
  double mg = 0, mp = 0;
  for (size_t i = 0; i < n; ++i) {
    mg += gold_[i];
    mp += predicted_[i];
  }
  mg /= static_cast<double>(n);
  mp /= static_cast<double>(n);
  double sgp = 0, sgg = 0, spp = 0;
  for (size_t i = 0; i < n; ++i) {
    double dg = gold_[i] - mg, dp = predicted_[i] - mp;
    sgp += dg * dp;
    sgg += dg * dg;
    spp += dp * dp;
  }
  return sgg == 0 || spp == 0 ? 0 : sgp / std::sqrt(sgg * spp);
}

double SentimentScore::Precision() const {
  return Ratio(polar_correct_, polar_predicted_);
}
double SentimentScore::Recall() const {
  return Ratio(polar_correct_, polar_gold_);
}
double SentimentScore::F1() const {
  return eval::F1(Precision(), Recall());
}

}  // namespace feedloop::eval
