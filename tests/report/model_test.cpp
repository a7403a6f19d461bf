// The report model on small hand-made states: every figure against hand-computed values, and the
// edge cases (empty period, no NPS answers, all passives, one answer, ties, small n).
#include <gtest/gtest.h>

#include <cmath>

#include "feedloop/metrics/stats.hpp"
#include "feedloop/report/model.hpp"
#include "report_test_util.hpp"

namespace feedloop::report {
namespace {

using testing::kDay;
using testing::kW47;
using testing::kWeek;
using testing::TestItem;

ReportOptions OptionsFor(int64_t at, int min_n = 30) {
  ReportOptions o;
  o.period = testing::WeekOf(at);
  o.min_n = min_n;
  return o;
}

Report Build(std::vector<TestItem> items, const ReportOptions& o) {
  testing::NumberItems(items);
  metrics::AggregateState state = testing::BuildState(items, o.aggregate);
  Result<Report> r = BuildReport(state, o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Report{};
}

const CauseRow* FindCause(const Report& r, const std::string& name) {
  for (const CauseRow& c : r.causes) {
    if (c.cause == name) return &c;
  }
  return nullptr;
}

TEST(ReportModel, HeadlineAgainstHandComputedValues) {
  const int64_t w46 = kW47 - kWeek + 3600;
  std::vector<TestItem> items;
  for (double s : {9, 10, 6, 3, 7}) items.push_back(testing::Nps(s));  // W47: 2 P, 1 N, 2 D -> 0
  for (double s : {9, 9, 1}) items.push_back(testing::Nps(s, w46));    // W46: 2 P, 1 D -> 33.3
  for (double s : {5, 4, 2}) items.push_back(testing::Csat(s));        // 66.7%, mean 3.67
  TestItem review;
  review.score = 4.5;
  review.sentiment = 0.5;
  items.push_back(review);
  Report r = Build(items, OptionsFor(kW47));
  const Headline& h = r.headline;
  EXPECT_EQ(r.period, "2026-W47");
  EXPECT_EQ(r.compare, "2026-W46");
  EXPECT_EQ(r.period_start, "2026-11-16");
  EXPECT_EQ(r.period_end, "2026-11-22");
  EXPECT_DOUBLE_EQ(*h.nps.value, 0.0);
  EXPECT_EQ(h.nps.n, 5);
  EXPECT_TRUE(h.nps.low_n);
  EXPECT_EQ(h.promoters, 2);
  EXPECT_EQ(h.passives, 1);
  EXPECT_EQ(h.detractors, 2);
  EXPECT_NEAR(*h.nps.previous, 100.0 / 3, 1e-9);
  EXPECT_NEAR(*h.nps.Delta(), -100.0 / 3, 1e-9);
  ASSERT_TRUE(h.nps.ci);
  EXPECT_EQ(*h.nps.ci, *metrics::NpsInterval(2, 1, 2));
  EXPECT_NEAR(*h.csat.value, 200.0 / 3, 1e-9);
  EXPECT_NEAR(*h.csat_mean.value, 11.0 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(*h.rating.value, 4.5);
  EXPECT_DOUBLE_EQ(*h.sentiment.value, 0.5);
  EXPECT_DOUBLE_EQ(*h.positive.value, 100.0);
  EXPECT_FALSE(h.ces.value.has_value());
  EXPECT_EQ(h.volume.count, 9);
  EXPECT_EQ(h.volume.previous, 3);
  // A 12-period trend ending with this period; periods without answers are null.
  ASSERT_EQ(h.nps.trend.size(), 12u);
  EXPECT_DOUBLE_EQ(*h.nps.trend.back(), 0.0);
  EXPECT_NEAR(*h.nps.trend[10], 100.0 / 3, 1e-9);
  EXPECT_FALSE(h.nps.trend[0].has_value());
  EXPECT_EQ(r.trend_labels.front(), "2026-W36");
  EXPECT_EQ(r.trend_labels.back(), "2026-W47");
}

TEST(ReportModel, AllPassivesAndOneAnswer) {
  Report passives = Build({testing::Nps(7), testing::Nps(8), testing::Nps(7)}, OptionsFor(kW47, 1));
  EXPECT_DOUBLE_EQ(*passives.headline.nps.value, 0.0);
  // Three passives do not pin NPS at 0: the interval keeps a width.
  ASSERT_TRUE(passives.headline.nps.ci);
  EXPECT_LT(passives.headline.nps.ci->low, -30.0);
  EXPECT_GT(passives.headline.nps.ci->high, 30.0);
  Report one = Build({testing::Nps(10)}, OptionsFor(kW47, 1));
  EXPECT_DOUBLE_EQ(*one.headline.nps.value, 100.0);
  EXPECT_EQ(one.headline.nps.n, 1);
  EXPECT_FALSE(one.headline.nps.low_n);
}

TEST(ReportModel, EmptyPeriod) {
  // Data only in W45; the report asks for W47.
  Report r = Build({testing::Nps(9, kW47 - 2 * kWeek)}, OptionsFor(kW47));
  EXPECT_EQ(r.headline.volume.count, 0);
  EXPECT_FALSE(r.headline.nps.value.has_value());
  EXPECT_EQ(r.headline.nps.n, 0);
  EXPECT_TRUE(r.causes.empty());
  EXPECT_TRUE(r.emerging.empty());
  EXPECT_TRUE(r.save_list.empty());
  EXPECT_EQ(r.transcripts.conversations, 0);
  EXPECT_FALSE(r.transcripts.first_response_median.value.has_value());
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes[0].find("No feedback in 2026-W47"), std::string::npos);
  // An empty period read from a window without data is "not complete" to PeriodComplete; the
  // note says it has no feedback instead.
  ReportOptions o = OptionsFor(kW47);
  o.period_complete = false;
  Report empty = Build({testing::Nps(9, kW47 - 2 * kWeek)}, o);
  for (const std::string& n : empty.notes)
    EXPECT_EQ(n.find("not complete"), std::string::npos) << n;
  EXPECT_NE(empty.notes[0].find("No feedback in 2026-W47"), std::string::npos);
  // A period with data that ends early keeps its note.
  Report partial = Build({testing::Nps(9)}, o);
  bool noted = false;
  for (const std::string& n : partial.notes)
    noted = noted || n.find("2026-W47 is not complete") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(ReportModel, NoNpsAnswersRanksByVolumeOnly) {
  std::vector<TestItem> items;
  for (int i = 0; i < 4; ++i) {
    TestItem t;
    t.score = 1;
    t.cause = i < 3 ? "delivery" : "price";
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 1));
  const CauseRow* d = FindCause(r, "delivery");
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->nps_impact.value.has_value());
  EXPECT_EQ(d->impact_rank, 0);
  EXPECT_EQ(d->volume_rank, 1);
  EXPECT_EQ(FindCause(r, "price")->volume_rank, 2);
  EXPECT_EQ(r.causes[0].cause, "delivery");
  bool noted = false;
  for (const std::string& n : r.notes)
    noted = noted || n.find("No NPS answers") != std::string::npos;
  EXPECT_TRUE(noted);
  // Actions fall back to the biggest causes by volume.
  ASSERT_FALSE(r.actions.empty());
  EXPECT_EQ(r.actions[0].cause, "delivery");
}

// 10 NPS answers: delivery on 4 detractors, price on 1 detractor and 1 passive.
std::vector<TestItem> ImpactFixture(int64_t at) {
  std::vector<TestItem> items;
  for (double s : {9, 10, 9, 8}) items.push_back(testing::Nps(s, at));
  for (double s : {0, 2, 3, 5}) items.push_back(testing::Nps(s, at, "delivery"));
  items.push_back(testing::Nps(6, at, "price"));
  items.push_back(testing::Nps(7, at, "price"));
  return items;
}

TEST(ReportModel, CausesRankedByImpactWithSmallNGreyed) {
  std::vector<TestItem> items = ImpactFixture(kW47 + 3600);
  Report r = Build(items, OptionsFor(kW47, 3));
  const CauseRow* d = FindCause(r, "delivery");
  const CauseRow* p = FindCause(r, "price");
  ASSERT_TRUE(d && p);
  // NPS(all) = (3 - 5) / 10 = -20. Without delivery: (3 - 1) / 6 = 33.3 -> impact -53.3.
  EXPECT_NEAR(*d->nps_impact.value, -20.0 - 100.0 / 3, 1e-9);
  EXPECT_EQ(d->nps_impact.n, 4);
  EXPECT_EQ(d->mentions, 4);
  EXPECT_DOUBLE_EQ(d->share, 40.0);
  EXPECT_DOUBLE_EQ(*d->detractor_share, 80.0);
  EXPECT_DOUBLE_EQ(*d->nps.value, -100.0);
  EXPECT_EQ(d->impact_rank, 1);
  EXPECT_EQ(d->volume_rank, 1);
  EXPECT_EQ(d->owner, "fulfilment");
  // Price: 2 mentions < min n 3: greyed, not ranked, listed last.
  EXPECT_TRUE(p->low_n);
  EXPECT_EQ(p->impact_rank, 0);
  EXPECT_EQ(p->volume_rank, 0);
  EXPECT_EQ(r.causes.back().cause, "price");
  // Without delivery and price: (3 - 0) / 4 -> impact of price alone = -20 - (3 - 4) / 8 * 100.
  EXPECT_NEAR(*p->nps_impact.value, -20.0 - (-12.5), 1e-9);
}

TEST(ReportModel, ImpactBelowMinNIsGreyedAndRankedAfterTheRankedOnes) {
  Report r = Build(testing::SmallImpactItems(), OptionsFor(kW47, 30));
  const CauseRow* returns = FindCause(r, "returns");
  const CauseRow* delivery = FindCause(r, "delivery");
  ASSERT_TRUE(returns && delivery);
  // Returns: without it (50 - 5) / 90 = 50 -> impact -15, the most negative, but from 10 answers.
  EXPECT_NEAR(*returns->nps_impact.value, -15.0, 1e-9);
  EXPECT_EQ(returns->nps_impact.n, 10);
  EXPECT_TRUE(returns->nps_impact.low_n);
  EXPECT_EQ(returns->mentions, 40);
  EXPECT_FALSE(returns->low_n);
  EXPECT_EQ(returns->impact_rank, 0);
  EXPECT_EQ(returns->volume_rank, 2);  // ranked by volume: 40 mentions, as delivery (ties by name)
  // Delivery: without it (35 - 10) / 60 = 41.7 -> impact -6.7 from 40 answers: ranked first.
  EXPECT_NEAR(*delivery->nps_impact.value, 35.0 - 2500.0 / 60, 1e-9);
  EXPECT_FALSE(delivery->nps_impact.low_n);
  EXPECT_EQ(delivery->impact_rank, 1);
  ASSERT_EQ(r.causes.size(), 2u);
  EXPECT_EQ(r.causes[0].cause, "delivery");
  EXPECT_EQ(r.causes[1].cause, "returns");
  // Every figure's low_n follows its own n.
  EXPECT_TRUE(returns->nps.low_n);      // 10 NPS answers
  EXPECT_FALSE(returns->rating.low_n);  // ... but 30 ratings
  EXPECT_TRUE(returns->csat.low_n);     // no CSAT answers
  // The action line does not quote the small-n impact as a figure.
  for (const Action& a : r.actions) {
    if (a.cause != "returns") continue;
    EXPECT_EQ(a.text.find("NPS impact -15"), std::string::npos) << a.text;
    EXPECT_NE(a.text.find("NPS impact n too small (10 NPS answers)"), std::string::npos) << a.text;
  }
  // With min n 10 both are ranked by impact, returns first.
  Report low = Build(testing::SmallImpactItems(), OptionsFor(kW47, 10));
  EXPECT_EQ(low.causes[0].cause, "returns");
  EXPECT_EQ(low.causes[0].impact_rank, 1);
  EXPECT_FALSE(low.causes[0].nps_impact.low_n);
}

// Without enough NPS answers for any impact, the actions lead with the cause most detractors
// mention, not the one with the most mentions.
TEST(ReportModel, UnrankedActionsLeadWithTheCauseMostDetractorsMention) {
  std::vector<TestItem> items;
  for (int i = 0; i < 40; ++i) {  // support: many mentions, few of them from detractors
    TestItem t = i < 2 ? testing::Nps(3) : testing::Csat(2);
    t.cause = "support";
    items.push_back(t);
  }
  for (int i = 0; i < 35; ++i) {  // delivery: fewer mentions, most detractors
    TestItem t = i < 12 ? testing::Nps(1) : testing::Csat(2);
    t.cause = "delivery";
    items.push_back(t);
  }
  for (int i = 0; i < 10; ++i) items.push_back(testing::Nps(10));
  Report r = Build(items, OptionsFor(kW47, 30));
  const CauseRow* delivery = FindCause(r, "delivery");
  const CauseRow* support = FindCause(r, "support");
  ASSERT_TRUE(delivery && support);
  EXPECT_EQ(delivery->impact_rank, 0);
  EXPECT_EQ(support->impact_rank, 0);
  EXPECT_GT(support->mentions, delivery->mentions);
  ASSERT_GE(r.actions.size(), 2u);
  EXPECT_EQ(r.actions[0].cause, "delivery") << r.actions[0].text;
  EXPECT_EQ(r.actions[1].cause, "support");
}

TEST(ReportModel, TiesAreBrokenByName) {
  std::vector<TestItem> items = {testing::Nps(9), testing::Nps(9),
                                 testing::Nps(1, kW47 + 3600, "stock"),
                                 testing::Nps(1, kW47 + 3600, "billing")};
  Report r = Build(items, OptionsFor(kW47, 1));
  ASSERT_EQ(r.causes.size(), 2u);
  EXPECT_EQ(*r.causes[0].nps_impact.value, *r.causes[1].nps_impact.value);
  EXPECT_EQ(r.causes[0].cause, "billing");
  EXPECT_EQ(r.causes[0].impact_rank, 1);
  EXPECT_EQ(r.causes[1].impact_rank, 2);
}

TEST(ReportModel, ImpactChangeSplitsIntoVolumeAndScore) {
  std::vector<TestItem> items = ImpactFixture(kW47 + 3600);
  // W46: 10 answers, delivery on 2 of them (one detractor, one passive).
  const int64_t w46 = kW47 - kWeek + 3600;
  for (double s : {9, 9, 9, 9, 8, 8, 3, 4}) items.push_back(testing::Nps(s, w46));
  items.push_back(testing::Nps(1, w46, "delivery"));
  items.push_back(testing::Nps(7, w46, "delivery"));
  Report r = Build(items, OptionsFor(kW47, 1));
  const CauseRow* d = FindCause(r, "delivery");
  ASSERT_TRUE(d && d->change && d->nps_impact.previous);
  EXPECT_NEAR(d->change->volume + d->change->score, d->change->total, 1e-9);
  EXPECT_NEAR(d->change->total, *d->nps_impact.value - *d->nps_impact.previous, 1e-9);
  // W46: NPS(all) = (4 - 3) / 10 = 10; rest = (4 - 2) / 8 = 25; impact -15; s0 = 0.2, g0 = -50
  // - 25.
  EXPECT_NEAR(*d->nps_impact.previous, -15.0, 1e-9);
  double s0 = 0.2, g0 = -75.0, s1 = 0.4, g1 = -100.0 - 100.0 / 3;
  EXPECT_NEAR(d->change->volume, (s1 - s0) * (g0 + g1) / 2, 1e-9);
  EXPECT_NEAR(d->change->score, (g1 - g0) * (s0 + s1) / 2, 1e-9);
  EXPECT_NEAR(*d->growth, 2.0, 1e-12);
}

TEST(ReportModel, EmergingByPoissonAndRareJump) {
  std::vector<TestItem> items;
  // Six baseline weeks of 100 items: 2 delivery complaints each; this week 15 of 100.
  for (int w = 0; w <= 6; ++w) {
    int64_t at = kW47 - (6 - w) * kWeek + 3600;
    int delivery = w == 6 ? 15 : 2;
    for (int i = 0; i < 100; ++i) {
      TestItem t;
      t.at = at;
      t.score = 3;
      if (i < delivery) t.cause = "delivery";
      if (i >= 50 && i < 53) t.cause = "price";                             // steady
      if (w == 6 && i >= 90 && i < 93) t.tags = {"billing/double-charge"};  // new this week
      t.sentiment = -0.3;
      items.push_back(t);
    }
  }
  Report r = Build(items, OptionsFor(kW47, 5));
  const EmergingRow* delivery = nullptr;
  const EmergingRow* tag = nullptr;
  for (const EmergingRow& e : r.emerging) {
    if (e.type == "cause" && e.name == "delivery") delivery = &e;
    if (e.type == "tag" && e.name == "billing/double-charge") tag = &e;
    EXPECT_NE(e.name, "price");
  }
  ASSERT_NE(delivery, nullptr);
  EXPECT_EQ(delivery->count, 15);
  EXPECT_DOUBLE_EQ(delivery->expected, 2.0);  // 100 items x 12 / 600
  EXPECT_EQ(delivery->baseline, (std::vector<int64_t>{2, 2, 2, 2, 2, 2}));
  EXPECT_NEAR(delivery->p_value, metrics::PoissonUpperTail(15, 2.0), 1e-15);
  EXPECT_NEAR(delivery->z, 13.0 / std::sqrt(2.0), 1e-9);
  EXPECT_EQ(delivery->rule, "poisson");
  EXPECT_EQ(delivery->owner, "fulfilment");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->rule, "rare-jump");
  EXPECT_EQ(tag->count, 3);
  EXPECT_TRUE(FindCause(r, "delivery")->emerging);
  // The emerging cause leads the actions.
  ASSERT_FALSE(r.actions.empty());
  EXPECT_NE(r.actions[0].text.find("Emerging"), std::string::npos);
}

TEST(ReportModel, FirstPeriodHasNoBaseline) {
  std::vector<TestItem> items;
  for (int i = 0; i < 20; ++i) items.push_back(testing::Nps(1, kW47 + 3600, "delivery"));
  Report r = Build(items, OptionsFor(kW47, 1));
  EXPECT_TRUE(r.emerging.empty());
}

TEST(ReportModel, WorstSegmentAndActionLine) {
  std::vector<TestItem> items;
  for (int i = 0; i < 60; ++i) {
    TestItem t = testing::Nps(i % 3 == 0 ? 9 : 2);
    t.region = i < 30 ? "UK" : "DE";
    if (i % 3 != 0) t.cause = (t.region == "UK" || i % 2 == 0) ? "delivery" : "price";
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 10));
  const CauseRow* d = FindCause(r, "delivery");
  ASSERT_TRUE(d && d->worst_segment);
  EXPECT_EQ(d->worst_segment->field, "region");
  EXPECT_EQ(d->worst_segment->value, "UK");
  ASSERT_FALSE(r.actions.empty());
  const std::string& line = r.actions[0].text;
  EXPECT_EQ(r.actions[0].cause, "delivery");
  for (const char* part :
       {"Delivery delays: ", "% of detractors", "NPS impact -", "new since 2026-W46",
        "worst in region UK", "owner: fulfilment", "KPI: on-time delivery %"}) {
    EXPECT_NE(line.find(part), std::string::npos) << part << " in " << line;
  }
}

TEST(ReportModel, SaveListRanksByRiskOverTheLookBack) {
  std::vector<TestItem> items;
  auto complaint = [](std::string customer, TestItem t) {
    t.customer = std::move(customer);
    return t;
  };
  // c-1: NPS 0 this week (4.0) and a negative delivery review two weeks ago (1 + 2 x 0.8 = 2.6).
  items.push_back(complaint("c-1", testing::Nps(0, kW47 + 3600, "delivery")));
  TestItem old_review;
  old_review.at = kW47 - 2 * kWeek;
  old_review.cause = "delivery";
  old_review.sentiment = -0.8;
  items.push_back(complaint("c-1", old_review));
  // c-2: NPS 5 this week (2 + 2/6).
  items.push_back(complaint("c-2", testing::Nps(5, kW47 + 7200, "billing")));
  // c-3: complained only five weeks ago: not on this week's list.
  items.push_back(complaint("c-3", testing::Nps(0, kW47 - 5 * kWeek)));
  // c-4: a happy customer.
  items.push_back(complaint("c-4", testing::Nps(10)));
  Report r = Build(items, OptionsFor(kW47));
  ASSERT_EQ(r.save_list.size(), 2u);
  EXPECT_EQ(r.save_list[0].customer_id, "c-1");
  EXPECT_NEAR(r.save_list[0].risk, 4.0 + 2.6, 1e-9);
  EXPECT_EQ(r.save_list[0].complaints, 2);
  EXPECT_EQ(r.save_list[0].complaints_period, 1);
  EXPECT_EQ(r.save_list[0].cause, "delivery");
  EXPECT_EQ(r.save_list[0].owner, "fulfilment");
  EXPECT_NE(r.save_list[0].reason.find("NPS 0 (detractor)"), std::string::npos);
  EXPECT_NE(r.save_list[0].reason.find("2 complaints in 4 weeks"), std::string::npos);
  EXPECT_EQ(r.save_list[1].customer_id, "c-2");
  EXPECT_NEAR(r.save_list[1].risk, 2.0 + 2.0 / 6, 1e-4);
}

TEST(ReportModel, QuotesAreTypicalAndDiverse) {
  std::vector<TestItem> items;
  const char* texts[] = {
      "The parcel arrived a week late and nobody told me why",
      "The parcel arrived a week late and nobody told me why!",  // near-duplicate
      "Courier left it at the wrong door, two days after the promised date",
      "Delivery slot missed again, third time this month", "Late again."};
  for (int i = 0; i < 5; ++i) {
    TestItem t;
    t.cause = "delivery";
    t.confidence = 0.9 - i * 0.1;
    t.text = texts[i];
    t.customer = i == 3 ? "c-0" : "c-" + std::to_string(i);  // the fourth shares a customer
    t.source = i % 2 ? "survey" : "trustpilot";
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 1));
  const CauseRow* d = FindCause(r, "delivery");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->quotes.size(), 3u);
  EXPECT_EQ(d->quotes[0].text, texts[0]);
  EXPECT_EQ(d->quotes[1].text, texts[2]);
  EXPECT_EQ(d->quotes[2].text, texts[4]);  // [1] is a near-duplicate, [3] the same customer as [0]
}

TEST(ReportModel, TranscriptFigures) {
  std::vector<TestItem> items;
  for (int i = 0; i < 10; ++i) {
    TestItem t;
    t.kind = Kind::kTranscript;
    t.cause = i < 6 ? "support" : "delivery";
    int64_t start = kW47 + 3600;
    t.turns = {{metrics::TurnRole::kCustomer, start}};
    if (i < 8) t.turns.push_back({metrics::TurnRole::kAgent, start + (i < 4 ? 30 : 1500) * 60});
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 5));
  const TranscriptView& t = r.transcripts;
  EXPECT_EQ(t.conversations, 10);
  EXPECT_EQ(t.answered, 8);
  EXPECT_EQ(t.unanswered, 2);
  // 4 replies in [30, 45), 4 in [1440, 1800): the median is the top of the first bucket.
  EXPECT_DOUBLE_EQ(*t.first_response_median.value, 45.0);
  EXPECT_DOUBLE_EQ(*t.first_response_p90.value, 1440 + 0.8 * 360);
  EXPECT_DOUBLE_EQ(*t.resolution.value, 80.0);
  ASSERT_FALSE(t.causes.empty());
  EXPECT_EQ(t.causes[0], (std::pair<std::string, int64_t>{"support", 6}));
}

TEST(ReportModel, LatestPeriodPrefersComplete) {
  auto clock = std::move(PeriodClock::Create("UTC", Granularity::kWeek)).value();
  // Data through Wednesday of W47: W47 is incomplete, so `last` is W46.
  std::vector<TestItem> items = {testing::Nps(9, kW47 - kWeek + 3600),
                                 testing::Nps(9, kW47 + 2 * kDay)};
  testing::NumberItems(items);
  metrics::AggregateState partial = testing::BuildState(items);
  bool complete = false;
  std::optional<Period> p = LatestPeriod(partial, *clock, &complete);
  ASSERT_TRUE(p);
  EXPECT_EQ(FormatPeriod(*p), "2026-W46");
  EXPECT_TRUE(complete);
  // Data on Sunday: W47 is complete.
  items.push_back(testing::Nps(9, kW47 + 6 * kDay + 3600));
  testing::NumberItems(items);
  p = LatestPeriod(testing::BuildState(items), *clock, &complete);
  EXPECT_EQ(FormatPeriod(*p), "2026-W47");
  EXPECT_TRUE(complete);
  // Only an incomplete period: it is chosen, marked incomplete.
  std::vector<TestItem> only = {testing::Nps(9, kW47 + 3600)};
  testing::NumberItems(only);
  p = LatestPeriod(testing::BuildState(only), *clock, &complete);
  EXPECT_EQ(FormatPeriod(*p), "2026-W47");
  EXPECT_FALSE(complete);
  EXPECT_FALSE(LatestPeriod(testing::BuildState({}), *clock, &complete).has_value());
}

TEST(ReportModel, RefusesInconsistentOptions) {
  metrics::AggregateState s = testing::BuildState({});
  ReportOptions o = OptionsFor(kW47);
  o.period = Period{Granularity::kMonth, 682};
  EXPECT_EQ(BuildReport(s, o).status().code(), Status::Code::kUsage);
  o = OptionsFor(kW47);
  o.min_n = 0;
  EXPECT_FALSE(BuildReport(s, o).ok());
}

TEST(ReportModel, HotspotsAreSkusWhereACauseConcentrates) {
  std::vector<TestItem> items;
  for (int i = 0; i < 100; ++i) {
    TestItem t;
    t.sku = i < 20 ? "KETTLE-2L" : "MUG";
    t.score = 2;
    if (i < 8) t.cause = "packaging";   // 8 of the kettle's 20 items: 40% vs 8% overall
    if (i >= 92) t.cause = "delivery";  // 8 of the mug's 80: 10%, same as overall
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 5));
  ASSERT_EQ(r.hotspots.size(), 1u);
  const Hotspot& h = r.hotspots[0];
  EXPECT_EQ(h.sku, "KETTLE-2L");
  EXPECT_EQ(h.cause, "packaging");
  EXPECT_EQ(h.mentions, 8);
  EXPECT_DOUBLE_EQ(h.rate, 40.0);
  EXPECT_DOUBLE_EQ(h.overall, 8.0);
  EXPECT_DOUBLE_EQ(h.excess, 8 - 0.08 * 20);
  EXPECT_EQ(h.owner, "packaging");
}

TEST(ReportModel, SkusByDetractorShareWithMinN) {
  std::vector<TestItem> items;
  for (int i = 0; i < 40; ++i) {
    TestItem t;
    t.sku = "KETTLE-2L";
    t.score = i < 20 ? 1 : 5;
    if (i < 15) t.cause = "packaging";
    items.push_back(t);
  }
  for (int i = 0; i < 40; ++i) {
    TestItem t;
    t.sku = "MUG";
    t.score = i < 4 ? 2 : 4;
    items.push_back(t);
  }
  for (int i = 0; i < 5; ++i) {
    TestItem t;
    t.sku = "RARE";
    t.score = 1;
    items.push_back(t);
  }
  Report r = Build(items, OptionsFor(kW47, 30));
  ASSERT_EQ(r.skus.size(), 3u);
  EXPECT_EQ(r.skus[0].sku, "KETTLE-2L");
  EXPECT_EQ(r.skus[0].rank, 1);
  EXPECT_DOUBLE_EQ(*r.skus[0].low_share.value, 50.0);
  EXPECT_EQ(r.skus[0].top_causes[0], (std::pair<std::string, int64_t>{"packaging", 15}));
  EXPECT_EQ(r.skus[1].sku, "MUG");
  EXPECT_DOUBLE_EQ(*r.skus[1].low_share.value, 10.0);
  EXPECT_EQ(r.skus[2].sku, "RARE");  // 100% but n 5: not ranked, last
  EXPECT_EQ(r.skus[2].rank, 0);
  EXPECT_TRUE(r.skus[2].low_share.low_n);
}

}  // namespace
}  // namespace feedloop::report
