// The figures of `feedloop eval` for sentiment: class labels and numeric labels.
#include <gtest/gtest.h>

#include <cstring>

#include "feedloop/eval/evaluation.hpp"

namespace feedloop::eval {
namespace {

TEST(Evaluation, ParsePolarityTakesTheThreeClassesInAnyCase) {
  EXPECT_STREQ(ParsePolarity("positive"), "positive");
  EXPECT_STREQ(ParsePolarity("NEGATIVE"), "negative");
  EXPECT_STREQ(ParsePolarity(" Neutral\t"), "neutral");
  EXPECT_EQ(ParsePolarity("pos"), nullptr);
  EXPECT_EQ(ParsePolarity("positively"), nullptr);
  EXPECT_EQ(ParsePolarity(""), nullptr);
  EXPECT_EQ(ParsePolarity("0.5"), nullptr);
}

TEST(Evaluation, SentimentClassLabelsCountInTheClassFiguresOnly) {
  SentimentScore s;
  s.AddClass("positive", 0.6);   // right
  s.AddClass("negative", -0.4);  // right
  s.AddClass("neutral", 0.0);    // right
  s.AddClass("negative", 0.3);   // wrong
  EXPECT_EQ(s.examples(), 4);
  EXPECT_EQ(s.numeric_examples(), 0);
  EXPECT_DOUBLE_EQ(s.PearsonR(), 0);
  EXPECT_DOUBLE_EQ(s.classes().Accuracy(), 0.75);
  // Over the polar classes: 3 predicted positive or negative, 2 of them right; 3 gold polar.
  EXPECT_DOUBLE_EQ(s.Precision(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.Recall(), 2.0 / 3.0);
}

TEST(Evaluation, SentimentPearsonUsesTheNumericLabelsAlone) {
  SentimentScore s;
  s.Add(-2, -0.5);
  s.Add(0, 0);
  s.Add(2, 0.5);
  s.AddClass("positive", -0.9);  // would break the correlation if it counted
  EXPECT_EQ(s.examples(), 4);
  EXPECT_EQ(s.numeric_examples(), 3);
  EXPECT_NEAR(s.PearsonR(), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.classes().Accuracy(), 0.75);
}

}  // namespace
}  // namespace feedloop::eval
