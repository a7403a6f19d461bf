// The figures against hand-computed values (docs/report.md), and PII redaction.
#include <gtest/gtest.h>

#include <random>

#include "feedloop/metrics/redact.hpp"
#include "feedloop/metrics/stats.hpp"
#include "report_test_util.hpp"

namespace feedloop::metrics {
namespace {

using testing::TestItem;

Scores ScoresOf(const std::vector<TestItem>& items) {
  Scores s;
  for (const TestItem& t : items) {
    ItemFacts f = t.Facts();
    s.Add(f, IsComplaint(f));
  }
  return s;
}

std::vector<TestItem> NpsAnswers(std::initializer_list<double> scores) {
  std::vector<TestItem> out;
  for (double s : scores) out.push_back(testing::Nps(s));
  return out;
}

TEST(Nps, PromotersMinusDetractors) {
  // 3 promoters, 2 passives, 5 detractors: 30% - 50% = -20.
  Scores s = ScoresOf(NpsAnswers({9, 10, 9, 7, 8, 0, 3, 5, 6, 6}));
  EXPECT_EQ(s.nps_promoters, 3);
  EXPECT_EQ(s.nps_passives, 2);
  EXPECT_EQ(s.nps_detractors, 5);
  EXPECT_EQ(s.nps_n(), 10);
  EXPECT_DOUBLE_EQ(*Nps(s), -20.0);
  // Adjusted Wald: n + 3 = 13, ~p = 3.75 / 13, ~d = 5.75 / 13, ~NPS = -15.385,
  // ~var = 0.73077 - 0.02367 = 0.70710; 1.96 * sqrt(0.70710 / 13) * 100 = 45.711.
  std::optional<Interval> ci = NpsInterval(3, 2, 5);
  ASSERT_TRUE(ci);
  EXPECT_NEAR(ci->low, -61.0952, 1e-3);
  EXPECT_NEAR(ci->high, 30.3260, 1e-3);
}

TEST(Nps, EdgeCases) {
  EXPECT_FALSE(Nps(Scores{}).has_value());                       // no answers
  EXPECT_DOUBLE_EQ(*Nps(ScoresOf(NpsAnswers({7, 8, 7}))), 0.0);  // all passives
  EXPECT_DOUBLE_EQ(*Nps(ScoresOf(NpsAnswers({10}))), 100.0);     // one answer
  EXPECT_DOUBLE_EQ(*Nps(ScoresOf(NpsAnswers({6}))), -100.0);
  EXPECT_FALSE(NpsInterval(0, 0, 0).has_value());
  // Answers all in one group have no spread, yet three passives do not pin NPS at 0: the
  // adjusted interval keeps a width (Wald's would be 0..0).
  std::optional<Interval> passives = NpsInterval(0, 3, 0);
  ASSERT_TRUE(passives);
  EXPECT_NEAR(passives->low, -40.0076, 1e-3);
  EXPECT_NEAR(passives->high, 40.0076, 1e-3);
  // Six detractors: ~NPS = -66.7 +- 40.7, clipped at -100.
  std::optional<Interval> detractors = NpsInterval(0, 0, 6);
  ASSERT_TRUE(detractors);
  EXPECT_DOUBLE_EQ(detractors->low, -100.0);
  EXPECT_NEAR(detractors->high, -25.9249, 1e-3);
  // One promoter: the adjusted interval (-48.5..98.5) is widened to hold the observed 100.
  std::optional<Interval> one = NpsInterval(1, 0, 0);
  ASSERT_TRUE(one);
  EXPECT_NEAR(one->low, -48.4986, 1e-3);
  EXPECT_DOUBLE_EQ(one->high, 100.0);
  // The boundaries: 6 is a detractor, 7 a passive, 9 a promoter.
  Scores b = ScoresOf(NpsAnswers({6, 7, 8, 9}));
  EXPECT_EQ(b.nps_detractors, 1);
  EXPECT_EQ(b.nps_passives, 2);
  EXPECT_EQ(b.nps_promoters, 1);
}

TEST(Csat, TopTwoBoxAndMean) {
  std::vector<TestItem> items;
  for (double s : {5, 4, 3, 2, 1}) items.push_back(testing::Csat(s));
  Scores s = ScoresOf(items);
  EXPECT_DOUBLE_EQ(*CsatTop2(s), 40.0);
  EXPECT_DOUBLE_EQ(*CsatMean(s), 3.0);
  EXPECT_FALSE(CsatTop2(Scores{}).has_value());
}

// Wilson score intervals (95%), checked against published values (e.g. 2 of 5: 11.8%..76.9%).
TEST(ProportionInterval, IsTheWilsonScoreIntervalAndNeverCollapses) {
  std::optional<Interval> two_of_five = ProportionInterval(2, 5);
  ASSERT_TRUE(two_of_five.has_value());
  EXPECT_NEAR(two_of_five->low, 11.76, 0.01);
  EXPECT_NEAR(two_of_five->high, 76.93, 0.01);
  std::optional<Interval> none = ProportionInterval(0, 10), all = ProportionInterval(10, 10);
  ASSERT_TRUE(none.has_value() && all.has_value());
  EXPECT_EQ(none->low, 0.0);
  EXPECT_NEAR(none->high, 27.75, 0.01);  // Wald: 0..0
  EXPECT_NEAR(all->low, 72.25, 0.01);
  EXPECT_EQ(all->high, 100.0);
  std::optional<Interval> large = ProportionInterval(450, 1000);  // close to Wald at large n
  ASSERT_TRUE(large.has_value());
  EXPECT_NEAR(large->low, 41.94, 0.01);
  EXPECT_NEAR(large->high, 48.10, 0.01);
  EXPECT_FALSE(ProportionInterval(0, 0).has_value());
}

TEST(Scores, CesRatingSentimentAndKinds) {
  std::vector<TestItem> items(6);
  items[0].kind = Kind::kCes;
  items[0].score = 7;
  items[1].kind = Kind::kCes;
  items[1].score = 2;
  items[2].score = 4.5;  // a review: fractional stars
  items[3].score = 1;
  items[4].sentiment = 0.05;   // positive at the boundary
  items[5].sentiment = -0.05;  // negative at the boundary
  items[0].sentiment = 0.049;  // neutral
  Scores s = ScoresOf(items);
  EXPECT_DOUBLE_EQ(*CesMean(s), 4.5);
  EXPECT_DOUBLE_EQ(*RatingMean(s), 2.75);
  EXPECT_EQ(s.positive, 1);
  EXPECT_EQ(s.negative, 1);
  EXPECT_EQ(s.neutral, 1);
  EXPECT_NEAR(*SentimentMean(s), 0.049 / 3, 1e-12);
  EXPECT_EQ(s.by_kind[static_cast<size_t>(Kind::kCes)], 2);
  EXPECT_EQ(s.by_kind[static_cast<size_t>(Kind::kReview)], 4);
  EXPECT_EQ(s.items, 6);
  // Low scores: CES 2 (<= 3), stars 1 (<= 2); complaints add the negative sentiment.
  EXPECT_EQ(s.scored, 4);
  EXPECT_EQ(s.low_scored, 2);
  EXPECT_EQ(s.complaints, 3);
  EXPECT_FALSE(CesMean(Scores{}).has_value());
  EXPECT_FALSE(RatingMean(Scores{}).has_value());
}

TEST(Impact, NpsWithoutTheCause) {
  // 10 answers; the cause is mentioned by 4 detractors. NPS(all) = (3 - 5) / 10 = -20;
  // NPS(rest) = (3 - 1) / 6 = 33.33; impact = -53.33 = s * gap = 0.4 * (-100 - 33.33).
  std::vector<TestItem> all = NpsAnswers({9, 10, 9, 7, 8, 2, 0, 3, 5, 6});
  std::vector<TestItem> cause = NpsAnswers({0, 3, 5, 6});
  NpsImpact i = ImpactOnNps(ScoresOf(all), ScoresOf(cause));
  ASSERT_TRUE(i.impact && i.share && i.gap);
  EXPECT_NEAR(*i.impact, -20.0 - 100.0 / 3, 1e-9);
  EXPECT_NEAR(*i.share, 0.4, 1e-12);
  EXPECT_NEAR(*i.gap, -100.0 - 100.0 / 3, 1e-9);
  EXPECT_NEAR(*i.share * *i.gap, *i.impact, 1e-9);
  // Adjusted groups: C (0 P, 0 N, 4 D) -> ~n 7, ~NPS -0.5714, ~var 0.4592; R (3, 2, 1) -> ~n 9,
  // ~NPS 0.2222, ~var 0.5617. Centre 0.4 * (-0.7937) * 100 = -31.746, half-width
  // 1.96 * 0.4 * sqrt(0.4592 / 7 + 0.5617 / 9) * 100 = 28.050.
  ASSERT_TRUE(i.ci);
  EXPECT_NEAR(i.ci->low, -59.7961, 1e-3);
  EXPECT_NEAR(i.ci->high, -3.6960, 1e-3);
}

TEST(Impact, IntervalStaysHonestWhenEveryAnswerOfTheCauseIsADetractor) {
  // 100 answers: 50 promoters, 30 passives, 20 detractors; the cause is on 6 detractors and
  // nothing else. NPS(all) = 30, NPS(rest) = 36 / 94 -> impact -8.30.
  Scores all, cause;
  all.nps_promoters = 50;
  all.nps_passives = 30;
  all.nps_detractors = 20;
  cause.nps_detractors = 6;
  NpsImpact i = ImpactOnNps(all, cause);
  ASSERT_TRUE(i.impact && i.ci);
  EXPECT_NEAR(*i.impact, 30.0 - 3600.0 / 94, 1e-9);
  // The plain Wald variance of the cause's group is 0, which gave +-0.9 from six answers. The
  // adjusted groups: C -> ~n 9, ~NPS -0.6667, ~var 0.3889; R (50, 30, 14) -> ~n 97,
  // ~NPS 0.3711, ~var 0.5375. Centre 0.06 * (-1.0378) * 100 = -6.227, half-width 2.597.
  EXPECT_NEAR(i.ci->low, -8.8233, 1e-3);
  EXPECT_NEAR(i.ci->high, -3.6303, 1e-3);
  EXPECT_GT(i.ci->high - i.ci->low, 5.0);
  EXPECT_LE(i.ci->low, *i.impact);
  EXPECT_GE(i.ci->high, *i.impact);
}

TEST(Impact, NoAnswersOrNoMentions) {
  NpsImpact none = ImpactOnNps(Scores{}, Scores{});
  EXPECT_FALSE(none.impact.has_value());
  EXPECT_FALSE(none.share.has_value());
  EXPECT_FALSE(none.ci.has_value());
  Scores all = ScoresOf(NpsAnswers({9, 3}));
  NpsImpact unmentioned = ImpactOnNps(all, Scores{});
  EXPECT_DOUBLE_EQ(*unmentioned.impact, 0.0);
  EXPECT_DOUBLE_EQ(*unmentioned.share, 0.0);
  EXPECT_FALSE(unmentioned.gap.has_value());
  // Every answer mentions it: no comparison group.
  NpsImpact everywhere = ImpactOnNps(all, all);
  EXPECT_FALSE(everywhere.impact.has_value());
  // CSAT and rating impacts.
  std::vector<TestItem> csat;
  for (double s : {5, 5, 1, 2}) csat.push_back(testing::Csat(s));
  Scores c_all = ScoresOf(csat);
  Scores c_cause = ScoresOf({csat[2], csat[3]});
  EXPECT_DOUBLE_EQ(*ImpactOnCsat(c_all, c_cause), 50.0 - 100.0);
  EXPECT_FALSE(ImpactOnRating(c_all, c_cause).has_value());
}

TEST(EffectSplit, VolumeAndScoreSumToTheChange) {
  NpsImpact before{std::nullopt, 0.2, -50.0, std::nullopt};
  NpsImpact now{std::nullopt, 0.3, -80.0, std::nullopt};
  std::optional<EffectSplit> e = SplitChange(before, now);
  ASSERT_TRUE(e);
  EXPECT_NEAR(e->total, 0.3 * -80 - 0.2 * -50, 1e-12);  // -14
  EXPECT_NEAR(e->volume, 0.1 * (-130.0 / 2), 1e-12);    // -6.5
  EXPECT_NEAR(e->score, -30.0 * 0.25, 1e-12);           // -7.5
  EXPECT_NEAR(e->volume + e->score, e->total, 1e-12);
  // Any shares and gaps.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> share(0, 1), gap(-200, 200);
  for (int i = 0; i < 1000; ++i) {
    NpsImpact b{std::nullopt, share(rng), gap(rng), std::nullopt},
        n{std::nullopt, share(rng), gap(rng), std::nullopt};
    std::optional<EffectSplit> x = SplitChange(b, n);
    ASSERT_TRUE(x);
    EXPECT_NEAR(x->volume + x->score, x->total, 1e-9);
    EXPECT_NEAR(x->total, *n.share * *n.gap - *b.share * *b.gap, 1e-9);
  }
}

TEST(EffectSplit, NewCauseIsAllVolume) {
  NpsImpact before{0.0, 0.0, std::nullopt, std::nullopt};  // answers, none mentions it
  NpsImpact now{-12.0, 0.1, -120.0, std::nullopt};
  std::optional<EffectSplit> e = SplitChange(before, now);
  ASSERT_TRUE(e);
  EXPECT_NEAR(e->total, -12.0, 1e-12);
  EXPECT_NEAR(e->volume, -12.0, 1e-12);
  EXPECT_NEAR(e->score, 0.0, 1e-12);
  // No NPS answers in one period: no split.
  EXPECT_FALSE(SplitChange(NpsImpact{}, now).has_value());
  // Not mentioned in either period.
  std::optional<EffectSplit> zero = SplitChange(before, before);
  ASSERT_TRUE(zero);
  EXPECT_DOUBLE_EQ(zero->total, 0.0);
}

TEST(Poisson, UpperTail) {
  EXPECT_DOUBLE_EQ(PoissonUpperTail(0, 3), 1.0);
  EXPECT_NEAR(PoissonUpperTail(3, 2), 1 - 5 * std::exp(-2.0), 1e-12);
  EXPECT_NEAR(PoissonUpperTail(1, 0.5), 1 - std::exp(-0.5), 1e-12);
  EXPECT_NEAR(PoissonUpperTail(10, 3.2), 0.00176189, 1e-7);
  EXPECT_NEAR(PoissonUpperTail(130, 100), 0.00228209, 1e-7);
  EXPECT_DOUBLE_EQ(PoissonUpperTail(5, 0), 0.0);
}

TEST(Histogram, BucketsAndQuantiles) {
  EXPECT_EQ(ResponseBucket(0), 0u);
  EXPECT_EQ(ResponseBucket(4), 0u);
  EXPECT_EQ(ResponseBucket(5), 1u);  // [5, 10)
  EXPECT_EQ(ResponseBucket(10079), kResponseBuckets - 2);
  EXPECT_EQ(ResponseBucket(10080), kResponseBuckets - 1);
  std::array<int64_t, kResponseBuckets> h{};
  EXPECT_FALSE(HistogramQuantile(h, 0.5).has_value());
  h[ResponseBucket(75)] = 10;  // [60, 90)
  EXPECT_DOUBLE_EQ(*HistogramQuantile(h, 0.5), 75.0);
  h = {};
  h[0] = 1;                     // [0, 5)
  h[ResponseBucket(1500)] = 1;  // [1440, 1800)
  EXPECT_DOUBLE_EQ(*HistogramQuantile(h, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(h, 0.9), 1440 + 0.8 * 360);
  h = {};
  h[kResponseBuckets - 1] = 3;
  bool open = false;
  EXPECT_DOUBLE_EQ(*HistogramQuantile(h, 0.9, &open), 10080.0);
  EXPECT_TRUE(open);
}

TEST(Facts, ComplaintsLowScoresAndCategories) {
  EXPECT_TRUE(IsLowScore(Kind::kNps, 6));
  EXPECT_FALSE(IsLowScore(Kind::kNps, 7));
  EXPECT_TRUE(IsLowScore(Kind::kCes, 3));
  EXPECT_FALSE(IsLowScore(Kind::kCes, 4));
  EXPECT_TRUE(IsLowScore(Kind::kCsat, 2));
  EXPECT_FALSE(IsLowScore(Kind::kReview, 3));
  EXPECT_EQ(TagCategory("delivery/late"), "delivery");
  EXPECT_EQ(TagCategory("delivery.late"), "delivery");
  EXPECT_EQ(TagCategory("stock"), "stock");
  TestItem happy;
  happy.sentiment = 0.6;
  happy.score = 5;
  EXPECT_FALSE(IsComplaint(happy.Facts()));
  TestItem caused = happy;
  caused.cause = "delivery";
  EXPECT_TRUE(IsComplaint(caused.Facts()));
  TestItem negative = happy;
  negative.sentiment = -0.2;
  EXPECT_TRUE(IsComplaint(negative.Facts()));
}

TEST(Risk, ComplaintWeights) {
  EXPECT_EQ(ComplaintWeight(testing::Nps(0).Facts(), false), 4 * kFixedScale);
  EXPECT_EQ(ComplaintWeight(testing::Nps(6).Facts(), false), 2 * kFixedScale);
  EXPECT_EQ(ComplaintWeight(testing::Csat(1).Facts(), false), 2 * kFixedScale);
  TestItem negative;
  negative.cause = "delivery";
  negative.sentiment = -0.5;
  EXPECT_EQ(ComplaintWeight(negative.Facts(), false), 2 * kFixedScale);
  EXPECT_EQ(ComplaintWeight(negative.Facts(), true), 3 * kFixedScale);
  TestItem plain;
  plain.cause = "price";
  EXPECT_EQ(ComplaintWeight(plain.Facts(), false), 1 * kFixedScale);
}

TEST(Redact, MasksEmailsPhonesAndCards) {
  EXPECT_EQ(RedactPii("mail me at jane.doe+x@example.co.uk, thanks"), "mail me at [email], thanks");
  EXPECT_EQ(RedactPii("call +44 20 7946 0958 today"), "call [phone] today");
  EXPECT_EQ(RedactPii("call (555) 123-4567"), "call [phone]");
  EXPECT_EQ(RedactPii("or 555-123-4567."), "or [phone].");
  EXPECT_EQ(RedactPii("card 4111 1111 1111 1111 was charged"), "card [card] was charged");
  EXPECT_EQ(RedactPii("card 4111-1111-1111-1111"), "card [card]");
  EXPECT_EQ(RedactPii("number 4111111111111111"), "number [card]");
}

TEST(Redact, KeepsDatesOrdersAndCounts) {
  for (const char* kept :
       {"ordered 2026-11-16, arrived 20/11/2026", "order o-55120 and #55121", "12 items, 3 boxes",
        "SKU KETTLE-2L", "at 09:12", "no @ here", "version 2.31.4"}) {
    EXPECT_EQ(RedactPii(kept), kept);
  }
}

TEST(Redact, MovesSpans) {
  std::string text = "write to jane.doe@example.com about the late box, it was late";
  // "late" (the first), "write", and a span reaching into the e-mail address.
  std::vector<Span> spans = {{40, 44}, {0, 5}, {8, 20}};
  std::string out = RedactPii(text, &spans);
  EXPECT_EQ(out, "write to [email] about the late box, it was late");
  ASSERT_EQ(spans.size(), 2u);  // the one holding PII is dropped
  EXPECT_EQ(spans[0], (Span{0, 5}));
  EXPECT_EQ(out.substr(spans[1].begin, spans[1].end - spans[1].begin), "late");
  EXPECT_EQ(spans[1].begin, out.find("late"));  // the first "late", not the second
  std::vector<Span> clean = {{0, 5}};
  EXPECT_EQ(RedactPii("no pii here", &clean), "no pii here");
  EXPECT_EQ(clean, (std::vector<Span>{{0, 5}}));
}

TEST(Sample, ExcerptAroundTheEvidence) {
  std::string text(1000, 'a');
  text.replace(700, 4, "late");
  std::vector<Span> spans = {{700, 704}};
  std::string excerpt = SampleExcerpt(text, &spans, 200);
  EXPECT_LE(excerpt.size(), 200u + 6);  // plus the two ellipses
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(excerpt.substr(spans[0].begin, 4), "late");
  std::vector<Span> none;
  EXPECT_EQ(SampleExcerpt("short\ntext", &none), "short text");
}

}  // namespace
}  // namespace feedloop::metrics
