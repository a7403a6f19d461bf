// The store reader and the report writer on hand-made databases: rows inserted directly into
// items, turns, analysis, labels and runs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "feedloop/metrics/store_source.hpp"
#include "feedloop/metrics/stream_source.hpp"
#include "feedloop/report/writer.hpp"
#include "feedloop/store/store.hpp"
#include "report_test_util.hpp"
#include "test_util.hpp"

namespace feedloop::metrics {
namespace {

using testing::kW47;

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Store::Open(dir_.File("f.db"));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }

  store::Database& db() { return store_->db(); }

  int64_t AddItem(const std::string& ext_id, const char* kind, std::optional<int64_t> at,
                  std::optional<double> score, const std::string& text,
                  const std::string& customer = "", const std::string& sku = "",
                  const std::string& attrs = "{}") {
    auto q = db().Prepare(
        "INSERT INTO items(source, ext_id, kind, created_at, score, text, customer_id, sku, "
        "channel, region, attrs) "
        "VALUES ('src', ?, ?, ?, ?, ?, ?, ?, 'web', 'UK', ?)");
    EXPECT_TRUE(q.ok());
    q->Bind(1, ext_id).Bind(2, kind);
    if (at) {
      q->Bind(3, *at);
    } else {
      q->BindNull(3);
    }
    q->Bind(4, score).Bind(5, text).BindOptional(6, customer).BindOptional(7, sku).Bind(8, attrs);
    EXPECT_TRUE(q->Run().ok());
    return db().LastInsertId();
  }

  // The analysis row, with its merged tags as the analyze stage writes them.
  void Analyze(int64_t item, double sentiment, const std::string& cause,
               const std::string& evidence, std::vector<std::string> tags = {},
               std::optional<double> first = {}, std::optional<double> last = {}) {
    std::string tags_json = "[";
    for (const std::string& t : tags) {
      if (tags_json.size() > 1) tags_json += ", ";
      tags_json += "{\"label\": \"" + t + "\", \"confidence\": 0.8, \"spans\": [[0, 3], [5, 9]]}";
    }
    tags_json += "]";
    auto q = db().Prepare(
        "INSERT INTO analysis(item_id, sentiment, root_cause, root_confidence, "
        "first_turn_sentiment, "
        "last_turn_sentiment, tags, evidence) VALUES (?, ?, ?, 0.9, ?, ?, ?, ?)");
    q->Bind(1, item)
        .Bind(2, sentiment)
        .BindOptional(3, cause)
        .Bind(4, first)
        .Bind(5, last)
        .Bind(6, tags_json);
    q->Bind(7, evidence);
    ASSERT_TRUE(q->Run().ok());
  }

  void AddTurn(int64_t item, int seq, const char* role, int64_t at) {
    auto q =
        db().Prepare("INSERT INTO turns(item_id, seq, role, at, text) VALUES (?, ?, ?, ?, 'x')");
    q->Bind(1, item).Bind(2, seq).Bind(3, role).Bind(4, at);
    ASSERT_TRUE(q->Run().ok());
  }

  feedloop::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

// An attrs segment reads the member of its exact name, else one named the same ignoring ASCII
// case (the first in byte order), and `feedloop stream` reads attrs by the same rule.
TEST_F(StoreFixture, AttrSegmentsMatchNamesIgnoringCaseAsTheStreamDoes) {
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {R"({"plan":"monthly"})", "monthly"},
      {R"({"Plan":"annual"})", "annual"},                  // the NPS export's column
      {R"({"Plan":"upper","plan":"exact"})", "exact"},     // an exact name wins
      {R"({"Plan":"second","PLAN":"first"})", "first"},    // "PLAN" < "Plan" in byte order
      {R"({"plan":null,"Plan":"hidden"})", std::nullopt},  // an exact null is no value
      {R"({"PLAN":3})", "3"},
      {R"({"planned":"no"})", std::nullopt},
      {R"([{"plan":"x"}])", std::nullopt},
      {"not json", std::nullopt},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    AddItem("a" + std::to_string(i), "nps", kW47 + 3600, 9, "ok", "", "", cases[i].first);
  }
  AggregateOptions options;
  options.segment_fields = {"attrs.plan"};
  auto agg = std::move(Aggregator::Create(options)).value();
  ASSERT_TRUE(AggregateStore(db(), *agg).ok());
  AggregateState s = agg->Snapshot();
  const PeriodState& p = s.periods.at(feedloop::testing::WeekOf(kW47).index);
  std::map<std::string, int64_t> expected;
  for (const auto& [attrs, value] : cases) {
    if (value) ++expected[*value];
  }
  std::map<std::string, int64_t> read;
  for (const auto& [value, scores] : p.segments[0]) read[value] = scores.items;
  EXPECT_EQ(read, expected);

  StreamFacts stream(options.segment_fields);
  for (const auto& [attrs, value] : cases) {
    Item item;
    item.id = "x";
    item.kind = Kind::kNps;
    item.attrs_json = attrs;
    const ItemFacts& f = stream.Of(item, pipeline::MergedAnalysis{});
    std::optional<std::string> got;
    if (!f.attrs.empty()) got = std::string(f.attrs[0].second);
    EXPECT_EQ(got, value) << attrs;
  }
}

TEST_F(StoreFixture, ReadsItemsAnalysisTagsAndTurns) {
  int64_t a = AddItem("a", "nps", kW47 + 3600, 2, "The box was crushed, mail me at x@y.com", "c-1",
                      "KETTLE-2L", "{\"plan\":\"monthly\",\"n\":3}");
  // The same tag twice (two plugins) counts once; an escaped label is decoded.
  Analyze(a, -0.7, "packaging", "[[8,21]]",
          {"packaging/damaged", "delivery/late", "packaging/damaged", "stock/caf\\u00e9"});
  int64_t b = AddItem("b", "transcript", kW47 + 7200, std::nullopt, "Where is my order?", "c-2");
  Analyze(b, -0.4, "delivery", "[[0,18]]", {}, -0.5, 0.2);
  // Turns stored out of order of insertion; seq decides.
  AddTurn(b, 1, "agent", kW47 + 7200 + 3 * 3600);
  AddTurn(b, 0, "customer", kW47 + 7200);
  AddTurn(b, 2, "customer", kW47 + 7200 + 4 * 3600);
  AddItem("c", "review", std::nullopt, 5, "undated");  // not analyzed, no date
  AddItem("d", "csat", kW47 - 20 * 86400, 4, "old");

  AggregateOptions options;
  options.segment_fields = {"region", "attrs.plan", "attrs.n", "sku"};
  auto agg = std::move(Aggregator::Create(options)).value();
  Result<int64_t> n = AggregateStore(db(), *agg);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n.value(), 4);
  AggregateState s = agg->Snapshot();
  EXPECT_EQ(s.items, 4);
  EXPECT_EQ(s.undated, 1);
  ASSERT_EQ(s.periods.size(), 2u);
  const PeriodState& p = s.periods.at(feedloop::testing::WeekOf(kW47).index);
  EXPECT_EQ(p.all.items, 2);
  EXPECT_EQ(p.all.nps_detractors, 1);
  EXPECT_EQ(p.tags.at("packaging/damaged"), 1);
  EXPECT_EQ(p.tags.at("stock/caf\xC3\xA9"), 1);
  EXPECT_EQ(p.tags.size(), 3u);
  EXPECT_EQ(p.causes.at("packaging").items, 1);
  EXPECT_EQ(p.causes.at("delivery").items, 2);  // b's root cause and a's tag
  EXPECT_EQ(p.segments[1].at("monthly").items, 1);
  EXPECT_EQ(p.segments[2].at("3").items, 1);
  EXPECT_EQ(p.segments[3].at("KETTLE-2L").items, 1);
  const Quote& q = p.quotes.at("packaging")[0];
  EXPECT_EQ(q.text, "The box was crushed, mail me at [email]");
  EXPECT_EQ(q.text.substr(q.evidence[0].begin, q.evidence[0].end - q.evidence[0].begin),
            "was crushed, ");
  const TranscriptStats& t = p.transcripts;
  EXPECT_EQ(t.conversations, 1);
  EXPECT_EQ(t.answered, 1);
  EXPECT_EQ(t.first_response[ResponseBucket(180)], 1);
  EXPECT_EQ(t.resolved, 0);  // the customer wrote last
  EXPECT_EQ(t.ended_better, 1);

  // A time window reads only its items.
  auto windowed = std::move(Aggregator::Create(options)).value();
  StoreReadOptions read;
  read.since = kW47;
  read.include_undated = false;
  EXPECT_EQ(AggregateStore(db(), *windowed, read).value(), 2);
  EXPECT_EQ(LatestItemTime(db()).value(), kW47 + 7200);
}

// "p12": built with append, which GCC 12's -Wrestrict does not misread.
std::string Numbered(const char* prefix, int i) {
  return std::string(prefix).append(std::to_string(i));
}

TEST_F(StoreFixture, ParallelReadEqualsOnePass) {
  const char* kinds[] = {"review", "nps", "csat", "ces", "transcript"};
  for (int i = 0; i < 300; ++i) {
    int64_t id =
        AddItem(Numbered("p", i), kinds[i % 5], kW47 - (i % 9) * 7 * 86400 + i * 60,
                i % 5 == 4 ? std::nullopt : std::optional<double>(1 + i % 5),
                Numbered("Late box number ", i), Numbered("c-", i % 37), Numbered("SKU-", i % 4));
    Analyze(id, (i % 7 - 3) / 4.0, i % 3 ? "delivery" : "", "[[0,4]]", {"delivery/late"}, -0.2,
            0.3);
    if (i % 5 == 4) AddTurn(id, 0, "customer", kW47 + i * 60);
  }
  AggregateOptions options;
  options.quotes_per_cause = 3;
  auto one = std::move(Aggregator::Create(options)).value();
  ASSERT_TRUE(AggregateStore(db(), *one).ok());
  AggregateState whole = one->Take();
  for (int threads : {2, 3, 7}) {
    Result<AggregateState> parallel =
        AggregateStoreParallel(db(), options, StoreReadOptions{}, threads, 1);
    ASSERT_TRUE(parallel.ok()) << parallel.status().message();
    EXPECT_TRUE(parallel.value() == whole) << threads;
  }
}

TEST_F(StoreFixture, ParsesTagLabels) {
  std::vector<std::string_view> labels;
  std::deque<std::string> decoded;
  ParseTagLabels(
      "[{\"label\":\"a/b\",\"confidence\":0.5,\"spans\":[[1,2]]},{\"spans\":[],\"label\" : "
      "\"c\\\"d\"}]",
      &labels, &decoded);
  EXPECT_EQ(labels, (std::vector<std::string_view>{"a/b", "c\"d"}));
  ParseTagLabels("[{\"label\":\"caf\\u00e9/\\ud83d\\ude00\\n\"}]", &labels, &decoded);
  EXPECT_EQ(labels, (std::vector<std::string_view>{"caf\xC3\xA9/\xF0\x9F\x98\x80\n"}));
  ParseTagLabels("[]", &labels, &decoded);
  EXPECT_TRUE(labels.empty());
  ParseTagLabels("[{\"label\":\"ok\"},{\"label\":\"broken", &labels,
                 &decoded);  // damaged after the first
  EXPECT_EQ(labels, (std::vector<std::string_view>{"ok"}));
  ParseTagLabels("[{\"x\":{\"label\":\"nested\"}}]", &labels, &decoded);  // not a tag's own label
  EXPECT_TRUE(labels.empty());
}

TEST_F(StoreFixture, ParsesEvidenceLeniently) {
  std::vector<Span> spans;
  ParseSpans("[[1,4],[6,9]]", &spans);
  EXPECT_EQ(spans, (std::vector<Span>{{1, 4}, {6, 9}}));
  ParseSpans("[]", &spans);
  EXPECT_TRUE(spans.empty());
  ParseSpans("{\"x\":1}", &spans);
  EXPECT_TRUE(spans.empty());
  ParseSpans("[[5,2]]", &spans);  // reversed: dropped
  EXPECT_TRUE(spans.empty());
}

TEST_F(StoreFixture, WritesEveryFormatWithProvenance) {
  for (int i = 0; i < 12; ++i) {
    int64_t id =
        AddItem("n" + std::to_string(i), "nps", kW47 + 3600 + i, i < 6 ? 2 : 9,
                i < 6 ? "Late again <script>x</script>" : "Great", "c-" + std::to_string(i));
    Analyze(id, i < 6 ? -0.6 : 0.7, i < 6 ? "delivery" : "", i < 6 ? "[[0,4]]" : "[]");
  }
  auto run = db().Prepare(
      "INSERT INTO runs(command, started_at, finished_at, status, config_hash, analyzed, details) "
      "VALUES "
      "('analyze', '2026-11-23T06:00:00Z', '2026-11-23T06:01:00Z', 'ok', 'cfg123', 12, "
      "'{\"plugins\":[{\"name\":\"sentiment\",\"version\":\"1.0.0\"},{\"name\":\"root-cause\","
      "\"version\":\"1.2.0\"}],"
      "\"skipped\":[]}')");
  ASSERT_TRUE(run->Run().ok());
  report::WriteRequest req;
  req.database_label = "f.db";
  req.period = "2026-W47";
  req.out_dir = dir_.File("out");
  req.min_n = 3;
  req.taxonomy = dir_.Write(
      "tax.json",
      "{\"categories\":[{\"id\":\"delivery\",\"label\":\"Late parcels\",\"owner\":\"logistics\","
      "\"kpi\":\"OTD %\",\"phrases\":[\"late\"]}]}");
  Result<report::WrittenReport> w = report::WriteReport(db(), req);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->period, "2026-W47");
  ASSERT_EQ(w->files.size(), 6u);
  for (const std::string& f : w->files) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  const report::Report& r = w->report;
  EXPECT_EQ(r.provenance.analyze_run, 1);
  EXPECT_EQ(r.provenance.config_hash, "cfg123");
  ASSERT_EQ(r.provenance.plugins.size(), 2u);
  // By name, so that the same inputs give the same report whatever the plan's order.
  EXPECT_EQ(r.provenance.plugins[0], (std::pair<std::string, std::string>{"root-cause", "1.2.0"}));
  EXPECT_EQ(r.provenance.items_in_store, 12);
  ASSERT_FALSE(r.causes.empty());
  EXPECT_EQ(r.causes[0].owner, "logistics");
  EXPECT_EQ(r.causes[0].label, "Late parcels");
  std::ifstream html(dir_.File("out/report.html"));
  std::stringstream buf;
  buf << html.rdbuf();
  EXPECT_NE(buf.str().find("root-cause 1.2.0"), std::string::npos);
  EXPECT_NE(buf.str().find("Late parcels"), std::string::npos);
  EXPECT_EQ(buf.str().find("<script>x"), std::string::npos);

  // `last` picks 2026-W47 (the data reaches no Sunday, but it is the only period).
  req.period = "last";
  req.formats = {"json"};
  req.out_dir = dir_.File("last");
  Result<report::WrittenReport> last = report::WriteReport(db(), req);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->period, "2026-W47");
  EXPECT_FALSE(last->report.period_complete);
  EXPECT_EQ(last->files, std::vector<std::string>{dir_.File("last/report.json")});
}

TEST_F(StoreFixture, UsageErrors) {
  AddItem("a", "nps", kW47, 9, "ok");
  report::WriteRequest req;
  req.out_dir = dir_.File("out");
  for (auto mutate : std::vector<std::function<void(report::WriteRequest&)>>{
           [](report::WriteRequest& r) { r.period = "2026-W99"; },
           [](report::WriteRequest& r) { r.compare = "yesterday"; },
           [](report::WriteRequest& r) { r.formats = {"pdf"}; },
           [](report::WriteRequest& r) { r.time_zone = "Nowhere/Land"; },
           [](report::WriteRequest& r) { r.segments = {"colour"}; },
           [](report::WriteRequest& r) { r.taxonomy = "/does/not/exist.json"; },
       }) {
    report::WriteRequest bad = req;
    mutate(bad);
    Result<report::WrittenReport> w = report::WriteReport(db(), bad);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.status().code(), Status::Code::kUsage) << w.status().message();
  }
}

TEST_F(StoreFixture, EmptyStoreIsNotFound) {
  report::WriteRequest req;
  req.out_dir = dir_.File("out");
  Result<report::WrittenReport> w = report::WriteReport(db(), req);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace feedloop::metrics
