// The aggregate state: what one item adds, exact merges of any split, the JSON round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "feedloop/metrics/aggregate.hpp"
#include "report_test_util.hpp"

namespace feedloop::metrics {
namespace {

using testing::kDay;
using testing::kW47;
using testing::kWeek;
using testing::TestItem;

const PeriodState& Only(const AggregateState& s) {
  EXPECT_EQ(s.periods.size(), 1u);
  return s.periods.begin()->second;
}

TEST(Aggregator, CountsAnItemEverywhereItBelongs) {
  TestItem t = testing::Nps(3);
  t.id = "n1";
  t.source = "survey";
  t.customer = "c-1";
  t.sku = "KETTLE-2L";
  t.channel = "web";
  t.region = "UK";
  t.sentiment = -0.6;
  t.cause = "delivery";
  t.tags = {"delivery/late", "packaging/damaged", "delivery/late"};
  t.attrs = {{"plan", "monthly"}};
  t.text = "Late and the box was crushed";
  t.evidence = {{0, 4}};
  AggregateOptions options;
  options.segment_fields = {"region", "attrs.plan", "kind"};
  AggregateState s = testing::BuildState({t}, options);
  EXPECT_EQ(s.items, 1);
  const PeriodState& p = Only(s);
  EXPECT_EQ(s.periods.begin()->first, testing::WeekOf(kW47).index);
  EXPECT_EQ(p.all.nps_detractors, 1);
  EXPECT_EQ(p.all.complaints, 1);
  EXPECT_EQ(p.sources.at("survey"), 1);
  // Mentions: the root cause and, for a complaint, the categories of its tags.
  ASSERT_EQ(p.causes.size(), 2u);
  EXPECT_EQ(p.causes.at("delivery").items, 1);
  EXPECT_EQ(p.causes.at("packaging").nps_detractors, 1);
  EXPECT_EQ(p.root_causes.at("delivery"), 1);
  EXPECT_EQ(p.root_causes.count("packaging"), 0u);
  EXPECT_EQ(p.tags.at("delivery/late"), 1);  // once, though given twice
  EXPECT_EQ(p.skus.at("KETTLE-2L").low_scored, 1);
  EXPECT_EQ(p.sku_causes.at("KETTLE-2L").at("packaging"), 1);
  EXPECT_EQ(p.segments[0].at("UK").items, 1);
  EXPECT_EQ(p.segments[1].at("monthly").items, 1);
  EXPECT_EQ(p.segments[2].at("nps").items, 1);
  EXPECT_EQ(p.segment_causes[1].at("monthly").at("delivery"), 1);
  ASSERT_EQ(p.quotes.at("delivery").size(), 1u);
  EXPECT_EQ(p.quotes.at("delivery")[0].text, t.text);
  EXPECT_EQ(p.quotes.at("delivery")[0].evidence, t.evidence);
  ASSERT_NE(FindCustomer(p.customers, "c-1"), nullptr);
  const CustomerRisk& c = *FindCustomer(p.customers, "c-1");
  EXPECT_EQ(c.complaints, 1);
  EXPECT_EQ(c.worst_nps, 3);
  EXPECT_EQ(c.reasons, kRiskDetractor | kRiskNegativeCause);
  EXPECT_EQ(c.last_cause, "delivery");
  EXPECT_EQ(c.causes, (std::vector<std::pair<std::string, int64_t>>{{"delivery", 1}}));
}

TEST(Aggregator, PraiseTagsAreNotMentions) {
  TestItem t;
  t.score = 5;
  t.sentiment = 0.8;
  t.tags = {"delivery/fast"};
  AggregateState s = testing::BuildState({t});
  EXPECT_TRUE(Only(s).causes.empty());
  EXPECT_EQ(Only(s).tags.at("delivery/fast"), 1);
  EXPECT_TRUE(Only(s).customers.empty());
}

TEST(Aggregator, UndatedItemsAreCountedInNoPeriod) {
  TestItem t;
  t.at = kNoTime;
  AggregateState s = testing::BuildState({t});
  EXPECT_EQ(s.items, 1);
  EXPECT_EQ(s.undated, 1);
  EXPECT_TRUE(s.periods.empty());
  EXPECT_EQ(s.Latest(), kNoTime);
}

TEST(Aggregator, PeriodsFollowTheTimeZone) {
  // Sunday 2026-11-22 23:30 UTC is Monday 00:30 in Berlin (2026-W48) but still W47 in UTC.
  TestItem t;
  t.at = kW47 + 7 * kDay - 1800;
  AggregateState utc = testing::BuildState({t});
  AggregateOptions berlin;
  berlin.time_zone = "Europe/Berlin";
  AggregateState local = testing::BuildState({t}, berlin);
  EXPECT_EQ(FormatPeriod(Period{Granularity::kWeek, utc.periods.begin()->first}), "2026-W47");
  EXPECT_EQ(FormatPeriod(Period{Granularity::kWeek, local.periods.begin()->first}), "2026-W48");
  AggregateOptions months;
  months.granularity = Granularity::kMonth;
  EXPECT_EQ(FormatPeriod(Period{Granularity::kMonth,
                                testing::BuildState({t}, months).periods.begin()->first}),
            "2026-11");
  EXPECT_FALSE(Aggregator::Create(AggregateOptions{Granularity::kWeek, "Mars/Olympus"}).ok());
  AggregateOptions bad_segment;
  bad_segment.segment_fields = {"colour"};
  EXPECT_FALSE(Aggregator::Create(bad_segment).ok());
}

TEST(Aggregator, TranscriptsTimingAndResolution) {
  auto conversation = [](std::vector<std::pair<TurnRole, int64_t>> turns,
                         std::optional<double> score) {
    TestItem t;
    t.kind = Kind::kTranscript;
    t.score = score;
    t.customer = "c-9";
    t.cause = "support";
    for (const auto& [role, minutes] : turns) t.turns.push_back({role, kW47 + 3600 + minutes * 60});
    return t;
  };
  using R = TurnRole;
  std::vector<TestItem> items = {
      // Bot at once, agent after 95 minutes, agent last: answered, resolved.
      conversation({{R::kCustomer, 0}, {R::kBot, 0}, {R::kAgent, 95}}, std::nullopt),
      // Agent after 30 h, customer last: unresolved.
      conversation(
          {{R::kCustomer, 0}, {R::kCustomer, 600}, {R::kAgent, 1800}, {R::kCustomer, 1900}},
          std::nullopt),
      // Never answered, but a post-chat 5: resolved by its rating.
      conversation({{R::kCustomer, 0}}, 5.0),
      // Agent last but rated 2: not resolved.
      conversation({{R::kCustomer, 0}, {R::kAgent, 10}}, 2.0),
  };
  items[0].first_turn = -0.5;
  items[0].last_turn = 0.4;  // better
  items[1].first_turn = -0.2;
  items[1].last_turn = -0.6;  // worse
  testing::NumberItems(items);
  AggregateState state = testing::BuildState(items);
  const TranscriptStats& t = Only(state).transcripts;
  EXPECT_EQ(t.conversations, 4);
  EXPECT_EQ(t.answered, 3);
  EXPECT_EQ(t.first_response[ResponseBucket(95)], 1);
  EXPECT_EQ(t.first_response[ResponseBucket(1800)], 1);
  EXPECT_EQ(t.first_response[ResponseBucket(10)], 1);
  EXPECT_EQ(t.resolved, 2);
  EXPECT_EQ(t.rated, 2);
  EXPECT_EQ(t.rated_top2, 1);
  EXPECT_EQ(t.sentiment_pairs, 2);
  EXPECT_EQ(t.ended_better, 1);
  EXPECT_EQ(t.ended_worse, 1);
  EXPECT_EQ(t.causes.at("support"), 4);
  AggregateState s = testing::BuildState(items);
  ASSERT_NE(FindCustomer(Only(s).customers, "c-9"), nullptr);
  const CustomerRisk& c = *FindCustomer(Only(s).customers, "c-9");
  EXPECT_EQ(c.complaints, 4);
  EXPECT_TRUE(c.reasons & kRiskUnresolved);
}

TEST(Aggregator, QuoteSampleIsBoundedAndOrdered) {
  AggregateOptions options;
  options.quotes_per_cause = 3;
  std::vector<TestItem> items;
  for (int i = 0; i < 20; ++i) {
    TestItem t;
    t.cause = "delivery";
    t.confidence = (i % 5) / 5.0;
    t.text = "The parcel was late again, number " + std::to_string(i) + " of many, still waiting";
    items.push_back(t);
  }
  testing::NumberItems(items);
  AggregateState s = testing::BuildState(items, options);
  const std::vector<Quote>& q = Only(s).quotes.at("delivery");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_TRUE(std::is_sorted(q.begin(), q.end(), QuoteBefore));
  for (const Quote& x : q)
    EXPECT_EQ(x.typicality, q.front().typicality);  // the confidence-0.8 ones
}

TEST(Aggregator, QuotesAreRedacted) {
  TestItem t;
  t.cause = "billing";
  t.text = "Charged twice, call me on +44 20 7946 0958 or bob@example.com";
  t.evidence = {{0, 14}};
  AggregateState s = testing::BuildState({t});
  const Quote& q = Only(s).quotes.at("billing")[0];
  EXPECT_EQ(q.text, "Charged twice, call me on [phone] or [email]");
  EXPECT_EQ(q.evidence[0], (Span{0, 14}));
}

TEST(Aggregator, SamplesOnlyFromTheirFirstPeriod) {
  std::vector<TestItem> items;
  for (int64_t at : {kW47 - kWeek + 3600, kW47 + 3600}) {
    TestItem t = testing::Nps(2, at, "delivery");
    t.customer = "c-1";
    t.text = "Late again";
    items.push_back(t);
  }
  testing::NumberItems(items);
  AggregateOptions options;
  options.samples_from = testing::WeekOf(kW47).index;
  AggregateState s = testing::BuildState(items, options);
  const PeriodState& w46 = s.periods.at(testing::WeekOf(kW47).index - 1);
  const PeriodState& w47 = s.periods.at(testing::WeekOf(kW47).index);
  EXPECT_EQ(w46.causes.at("delivery").items, 1);  // counted
  EXPECT_TRUE(w46.quotes.empty());                // but not sampled
  EXPECT_TRUE(w46.customers.empty());
  EXPECT_EQ(w47.quotes.at("delivery").size(), 1u);
  EXPECT_EQ(w47.customers.size(), 1u);
  Result<AggregateState> back = StateFromJson(StateToJson(s));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back.value() == s);
  AggregateState all = testing::BuildState(items);
  EXPECT_FALSE(MergeInto(all, s).ok());  // built with other options
}

// ---- Merging

// A varied item set: every kind, scores, sentiments, causes, tags, segments, customers,
// transcripts, PII, undated items, over eight weeks.
std::vector<TestItem> RandomItems(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](auto&& options) { return options[rng() % std::size(options)]; };
  const char* causes[] = {"", "", "delivery", "packaging", "billing", "support", "price"};
  const char* tags[] = {"delivery/late", "packaging/damaged", "billing/double", "praise/staff",
                        "stock"};
  const char* skus[] = {"", "KETTLE-2L", "TEA-SAMPLER", "SUB-COFFEE"};
  const char* regions[] = {"", "UK", "DE", "US"};
  const char* channels[] = {"web", "email", "chat"};
  const char* sources[] = {"trustpilot", "survey", "helpdesk"};
  const char* texts[] = {"Box crushed and late",
                         "Love it",
                         "Charged twice! call 555-123-4567",
                         "Where is my order? mail a.b@c.de",
                         "",
                         "Still waiting for a reply after 3 days"};
  std::vector<TestItem> items;
  for (int i = 0; i < n; ++i) {
    TestItem t;
    t.id = "r" + std::to_string(i);
    t.kind = static_cast<Kind>(rng() % kKindCount);
    ScoreRange range = ScoreRangeOf(t.kind);
    if (t.kind != Kind::kTranscript || rng() % 2) {
      t.score = range.low +
                static_cast<double>(rng() % static_cast<uint32_t>(range.high - range.low + 1));
    }
    if (t.kind == Kind::kReview && rng() % 4 == 0) t.score = 4.5;
    t.at = rng() % 40 == 0 ? kNoTime : kW47 - 7 * kWeek + static_cast<int64_t>(rng() % (8 * kWeek));
    t.source = pick(sources);
    t.customer = rng() % 5 == 0 ? "" : "c-" + std::to_string(rng() % 40);
    t.sku = pick(skus);
    t.channel = pick(channels);
    t.region = pick(regions);
    if (rng() % 3) t.attrs = {{"plan", rng() % 2 ? "monthly" : "annual"}};
    t.text = pick(texts);
    if (rng() % 6) t.sentiment = (static_cast<int>(rng() % 20001) - 10000) / 10000.0;
    t.cause = pick(causes);
    t.confidence = (rng() % 1001) / 1000.0;
    if (!t.cause.empty() && !t.text.empty())
      t.evidence = {{0, static_cast<uint32_t>(std::min<size_t>(t.text.size(), 5))}};
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) t.tags.push_back(pick(tags));
    if (t.kind == Kind::kTranscript) {
      int64_t start = t.at == kNoTime ? kW47 : t.at;
      t.turns.push_back({TurnRole::kCustomer, start});
      if (rng() % 3)
        t.turns.push_back({TurnRole::kAgent, start + static_cast<int64_t>(rng() % 200000)});
      if (rng() % 2)
        t.turns.push_back({rng() % 2 ? TurnRole::kCustomer : TurnRole::kBot, start + 300000});
      if (rng() % 2) {
        t.first_turn = (static_cast<int>(rng() % 201) - 100) / 100.0;
        t.last_turn = (static_cast<int>(rng() % 201) - 100) / 100.0;
      }
    }
    items.push_back(std::move(t));
  }
  return items;
}

AggregateOptions MergeOptions() {
  AggregateOptions o;
  o.segment_fields = {"channel", "region", "source", "kind", "attrs.plan", "sku"};
  o.quotes_per_cause = 4;  // small, so re-selection across parts is exercised
  return o;
}

TEST(Merge, AnySplitInAnyOrderEqualsTheWhole) {
  std::vector<TestItem> items = RandomItems(600, 11);
  AggregateOptions options = MergeOptions();
  AggregateState whole = testing::BuildState(items, options);
  std::mt19937 rng(3);
  for (int trial = 0; trial < 12; ++trial) {
    int parts = 2 + trial % 4;
    std::vector<std::vector<TestItem>> split(static_cast<size_t>(parts));
    std::vector<TestItem> shuffled = items;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (const TestItem& t : shuffled) split[rng() % static_cast<uint32_t>(parts)].push_back(t);
    std::vector<AggregateState> states;
    for (const auto& part : split) states.push_back(testing::BuildState(part, options));
    std::shuffle(states.begin(), states.end(), rng);
    AggregateState merged = states[0];
    for (size_t i = 1; i < states.size(); ++i) ASSERT_TRUE(MergeInto(merged, states[i]).ok());
    EXPECT_TRUE(merged == whole) << "trial " << trial;
    EXPECT_EQ(StateToJson(merged), StateToJson(whole)) << "trial " << trial;
  }
}

// The save-list candidates of a period are bounded: the riskiest are kept, and states split by
// customer merge into the same bounded list as the whole.
TEST(Merge, SaveListCandidatesAreBoundedAndSplitByCustomerMergeExactly) {
  std::vector<TestItem> items;
  for (int c = 0; c < 40; ++c) {
    for (int k = 0; k <= c % 4; ++k) {  // 1 to 4 complaints: repeat complainers rank higher
      TestItem t = testing::Nps(c % 7, kW47 + 3600 + c * 60 + k);
      t.customer = "c-" + std::to_string(c);
      t.cause = "delivery";
      items.push_back(t);
    }
  }
  testing::NumberItems(items);
  AggregateOptions options = MergeOptions();
  options.save_candidates = 10;
  AggregateState whole = testing::BuildState(items, options);
  const CustomerList& kept = Only(whole).customers;
  ASSERT_EQ(kept.size(), 10u);
  AggregateOptions unbounded = options;
  unbounded.save_candidates = 1000;
  CustomerList all = Only(testing::BuildState(items, unbounded)).customers;
  ASSERT_EQ(all.size(), 40u);
  KeepRiskiest(&all, 10);
  EXPECT_TRUE(kept == all);
  int64_t least_kept = kept[0].second.risk;
  for (const auto& [id, c] : kept) least_kept = std::min(least_kept, c.risk);
  const AggregateState every = testing::BuildState(items, unbounded);
  for (const auto& [id, c] : Only(every).customers) {
    if (FindCustomer(kept, id) == nullptr) {
      EXPECT_LE(c.risk, least_kept) << id;
    }
  }
  // Split by customer into three shards: the merge keeps the same ten.
  std::vector<std::vector<TestItem>> split(3);
  for (const TestItem& t : items) split[std::hash<std::string>()(t.customer) % 3].push_back(t);
  AggregateState merged = testing::BuildState(split[0], options);
  for (size_t i = 1; i < split.size(); ++i) {
    ASSERT_TRUE(MergeInto(merged, testing::BuildState(split[i], options)).ok());
  }
  EXPECT_TRUE(merged == whole);
  // The bound is part of the state's format.
  Result<AggregateState> read = StateFromJson(StateToJson(whole));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->options.save_candidates, 10);
}

TEST(Merge, TreeOfMergesEqualsTheWhole) {
  std::vector<TestItem> items = RandomItems(300, 5);
  AggregateOptions options = MergeOptions();
  AggregateState whole = testing::BuildState(items, options);
  // ((a + b) + (c + d)) with one item per state at the leaves of a quarter of the items.
  std::vector<AggregateState> leaves;
  for (const TestItem& t : items) leaves.push_back(testing::BuildState({t}, options));
  while (leaves.size() > 1) {
    std::vector<AggregateState> next;
    for (size_t i = 0; i + 1 < leaves.size(); i += 2) {
      ASSERT_TRUE(MergeInto(leaves[i], leaves[i + 1]).ok());
      next.push_back(std::move(leaves[i]));
    }
    if (leaves.size() % 2) next.push_back(std::move(leaves.back()));
    leaves = std::move(next);
  }
  EXPECT_TRUE(leaves[0] == whole);
}

TEST(Merge, EmptyStatesAreNeutral) {
  AggregateOptions options = MergeOptions();
  AggregateState whole = testing::BuildState(RandomItems(50, 9), options);
  AggregateState empty = testing::BuildState({}, options);
  AggregateState a = whole;
  ASSERT_TRUE(MergeInto(a, empty).ok());
  EXPECT_TRUE(a == whole);
  ASSERT_TRUE(MergeInto(empty, whole).ok());
  EXPECT_TRUE(empty == whole);
}

TEST(Merge, RefusesStatesWithOtherOptions) {
  AggregateState a = testing::BuildState({}, AggregateOptions{});
  AggregateOptions other;
  other.time_zone = "Europe/London";
  AggregateState b = testing::BuildState({}, other);
  Status st = MergeInto(a, b);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("same options"), std::string::npos);
}

// ---- JSON

TEST(StateJson, RoundTrip) {
  AggregateState s = testing::BuildState(RandomItems(400, 21), MergeOptions());
  std::string json = StateToJson(s);
  EXPECT_NE(json.find("\"format\":\"feedloop-aggregate\",\"version\":1"), std::string::npos);
  Result<AggregateState> back = StateFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back.value() == s);
  EXPECT_EQ(StateToJson(back.value()), json);
}

TEST(StateJson, HostileTextSurvives) {
  TestItem t;
  t.cause = "delivery";
  t.customer = "c-\"quoted\"\\";
  t.text = "</script><script>alert(1)</script> \"quoted\" \\ \xC3\xA9\t tab";
  AggregateState s = testing::BuildState({t});
  Result<AggregateState> back = StateFromJson(StateToJson(s));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back.value() == s);
}

TEST(StateJson, RefusesOtherDocuments) {
  EXPECT_FALSE(StateFromJson("{}").ok());
  EXPECT_FALSE(StateFromJson("not json").ok());
  AggregateState s = testing::BuildState(RandomItems(10, 1));
  std::string json = StateToJson(s);
  std::string v2 = json;
  v2.replace(v2.find("\"version\":1"), 11, "\"version\":2");
  Result<AggregateState> r = StateFromJson(v2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version 2"), std::string::npos);
  std::string broken = json.substr(0, json.size() / 2);
  EXPECT_FALSE(StateFromJson(broken).ok());
}

// StateFromJson reads the periods one at a time from their place in the text: members in
// another order, whitespace and line breaks read the same, and errors keep their line numbers.
TEST(StateJson, PeriodsAreReadWhereverTheyAreAndHoweverSpaced) {
  AggregateState s = testing::BuildState(RandomItems(400, 5), MergeOptions());
  ASSERT_GT(s.periods.size(), 2u);
  std::string json = StateToJson(s);
  size_t at = json.find(",\"periods\":");
  ASSERT_NE(at, std::string::npos);
  std::string periods = json.substr(at + 1, json.rfind('}') - at - 1);
  // Periods first, members spread over lines, each period on a line of its own.
  std::string moved = "{\n  " + periods + " ,\n  " + json.substr(1, at - 1) + "\n}\n";
  for (size_t p = moved.find("},{\"period\":"); p != std::string::npos;
       p = moved.find("},{\"period\":", p + 3))
    moved.replace(p, 2, "},\n ");
  Result<AggregateState> back = StateFromJson(moved);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back.value() == s);
  EXPECT_EQ(StateToJson(back.value()), json);

  // A wrong value in the third period is reported on its line (line 4).
  size_t third = moved.find("\"index\":", moved.find("\n {\"period\":", moved.find("\n {") + 1));
  ASSERT_NE(third, std::string::npos);
  std::string wrong = moved;
  wrong.replace(third, 8, "\"index\":\"x\",\"i\":");
  Result<AggregateState> r = StateFromJson(wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 4"), std::string::npos) << r.status().message();
}

TEST(StateJson, BrokenStructureAroundThePeriodsIsRefused) {
  AggregateState s = testing::BuildState(RandomItems(60, 3), MergeOptions());
  std::string json = StateToJson(s);
  auto refused = [](const std::string& text) { return !StateFromJson(text).ok(); };
  std::string p = json.substr(json.find("\"periods\":"));
  p = p.substr(0, p.rfind('}'));  // "periods":[...]
  // Twice, raw or with an escaped name.
  EXPECT_TRUE(refused("{" + p + "," + json.substr(1)));
  std::string escaped = p;
  escaped.replace(0, 9, "\"p\\u0065riods\"");
  EXPECT_TRUE(refused("{" + escaped + "," + json.substr(1)));
  // No comma between two periods, brackets that do not match, members without separators.
  std::string no_comma = json;
  no_comma.replace(no_comma.find("},{\"period\":"), 2, "}");
  EXPECT_TRUE(refused(no_comma));
  std::string mismatched = json;
  mismatched.replace(mismatched.find("\"by_kind\":["), 11, "\"by_kind\":{");
  EXPECT_TRUE(refused(mismatched));
  std::string no_colon = json;
  no_colon.replace(no_colon.find("\"periods\":"), 10, "\"periods\" ");
  EXPECT_TRUE(refused(no_colon));
  // Cut anywhere: refused, never a crash or a partial state.
  for (size_t cut = 0; cut + 2 < json.size(); cut += 1 + json.size() / 300) {
    EXPECT_TRUE(refused(json.substr(0, cut))) << "cut at " << cut;
  }
  EXPECT_TRUE(StateFromJson(json).ok());
}

}  // namespace
}  // namespace feedloop::metrics
