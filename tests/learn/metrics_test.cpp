#include "feedloop/learn/metrics.hpp"

#include <gtest/gtest.h>

namespace feedloop::learn {
namespace {

TEST(LearnMetrics, AccuracyAndMacroF1) {
  Scoreboard b;
  b.Add("delivery", "delivery");
  b.Add("delivery", "damage");
  b.Add("damage", "damage");
  b.Add("refund", "");  // no prediction: a miss
  EXPECT_EQ(b.examples(), 4);
  EXPECT_DOUBLE_EQ(b.Accuracy(), 0.5);
  // delivery: tp 1 fn 1 -> F1 2/3; damage: tp 1 fp 1 -> 2/3; refund: fn 1 -> 0.
  EXPECT_NEAR(b.MacroF1(), (2.0 / 3 + 2.0 / 3 + 0) / 3, 1e-12);
  std::vector<Scoreboard::LabelScore> per = b.PerLabel();
  ASSERT_EQ(per.size(), 3u);
  EXPECT_EQ(per[0].label, "damage");
  EXPECT_DOUBLE_EQ(per[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(per[0].recall, 1.0);
  EXPECT_EQ(per[1].support, 2);
}

TEST(LearnMetrics, LabelSets) {
  Scoreboard b;
  std::vector<std::string_view> gold = {"delivery", "damage"}, predicted = {"damage", "delivery"};
  b.Add(gold, predicted);  // order does not matter
  std::vector<std::string_view> partial = {"delivery"};
  b.Add(gold, partial);
  EXPECT_DOUBLE_EQ(b.Accuracy(), 0.5);
  // micro: tp 3, fn 1 -> 6 / 7.
  EXPECT_NEAR(b.MicroF1(), 6.0 / 7.0, 1e-12);
}

TEST(LearnMetrics, Empty) {
  Scoreboard b;
  EXPECT_EQ(b.Accuracy(), 0.0);
  EXPECT_EQ(b.MacroF1(), 0.0);
}

}  // namespace
}  // namespace feedloop::learn
