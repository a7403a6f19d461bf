// The report on the shipped samples: ingest with the samples' config, analyze with the built-in
// plugins, write the reports of several weeks, and find every planted pattern
// (samples/generator/world.cpp): the delivery surge of 2026-W45 (mostly UK), the KETTLE-2L
// packaging problem from 2026-W41, the duplicate subscription charges from 2026-W43 and the slow
// first replies of support from 2026-W44. The reports stay in the build tree as artifacts.
#include <gtest/gtest.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace feedloop {
namespace {

namespace fs = std::filesystem;

const std::string kArtifacts = FEEDLOOP_REPORT_ARTIFACTS "/samples";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

int RunFeedloop(const std::string& args, const std::string& log) {
  std::string cmd = std::string("'") + FEEDLOOP_BIN + "' " + args + " >>'" + log + "' 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class SamplesReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(kArtifacts);
    fs::create_directories(kArtifacts);
    const std::string db = kArtifacts + "/samples.db";
    const std::string log = kArtifacts + "/log.txt";
    std::string data;
    for (const auto& e : fs::directory_iterator(FEEDLOOP_SAMPLES_DIR "/data"))
      data += " '" + e.path().string() + "'";
    ASSERT_EQ(RunFeedloop("--db '" + db +
                              "' ingest --config '" FEEDLOOP_SAMPLES_DIR "/feedloop.json'" + data,
                          log),
              0)
        << ReadFile(log);
    ASSERT_EQ(RunFeedloop("--db '" + db + "' analyze", log), 0) << ReadFile(log);
    for (int week = 40; week <= 47; ++week) {
      std::string period = "2026-W" + std::to_string(week);
      ASSERT_EQ(RunFeedloop("--db '" + db + "' report --period " + period + " --out '" +
                                kArtifacts + "/" + period + "'",
                            log),
                0)
          << ReadFile(log);
      reports_[week] = json::Parse(ReadFile(kArtifacts + "/" + period + "/report.json"));
    }
    ASSERT_EQ(
        RunFeedloop("--db '" + db + "' report --format json --out '" + kArtifacts + "/last'", log),
        0)
        << ReadFile(log);
    last_ = json::Parse(ReadFile(kArtifacts + "/last/report.json"));
  }

  static const json::Value& Week(int week) { return reports_.at(week); }

  static const json::Value* Emerging(const json::Value& r, const std::string& type,
                                     const std::string& name_part) {
    for (const json::Value& e : r.find("emerging")->as_array()) {
      if (e.get_string("type") == type && e.get_string("name").find(name_part) != std::string::npos)
        return &e;
    }
    return nullptr;
  }

  static const json::Value* Cause(const json::Value& r, const std::string& name) {
    for (const json::Value& c : r.find("causes")->as_array()) {
      if (c.get_string("cause") == name) return &c;
    }
    return nullptr;
  }

  static const json::Value* Sku(const json::Value& r, const std::string& sku) {
    for (const json::Value& s : r.find("skus")->as_array()) {
      if (s.get_string("sku") == sku) return &s;
    }
    return nullptr;
  }

  static double FirstResponseMedian(const json::Value& r) {
    return r.find("transcripts")->find("first_response_median_minutes")->get_number("value", -1);
  }

  static std::map<int, json::Value> reports_;
  static json::Value last_;
};

std::map<int, json::Value> SamplesReport::reports_;
json::Value SamplesReport::last_;

TEST_F(SamplesReport, LastIsTheLatestCompleteWeek) {
  EXPECT_EQ(last_.find("period")->get_string("id"), "2026-W47");
  EXPECT_TRUE(last_.find("period")->get_bool("complete", false));
  const json::Value& nps = *last_.find("headline")->find("nps");
  EXPECT_GT(nps.get_number("n", 0), 100);
  std::string plugins;
  for (const json::Value& p : last_.find("provenance")->find("plugins")->as_array())
    plugins += p.get_string("name") + " ";
  EXPECT_NE(plugins.find("sentiment"), std::string::npos);
  EXPECT_NE(plugins.find("root-cause"), std::string::npos);
}

TEST_F(SamplesReport, DeliverySurgeIsEmergingInItsWeekWorstInUk) {
  // Late-delivery tags (and with them the delivery cause) stand out in 2026-W45 only.
  const json::Value* late = Emerging(Week(45), "tag", "delivery/");
  ASSERT_NE(late, nullptr);
  EXPECT_LT(late->get_number("p_value", 1), 0.001);
  EXPECT_GT(late->get_number("count", 0), 1.5 * late->get_number("expected", 0));
  const json::Value* delivery = Cause(Week(45), "delivery");
  ASSERT_NE(delivery, nullptr);
  EXPECT_TRUE(delivery->get_bool("emerging", false));
  EXPECT_FALSE(Cause(Week(44), "delivery")->get_bool("emerging", true));
  EXPECT_FALSE(Cause(Week(46), "delivery")->get_bool("emerging", true));
  ASSERT_TRUE(delivery->find("worst_segment")->is_object());
  EXPECT_EQ(delivery->find("worst_segment")->get_string("field"), "region");
  EXPECT_EQ(delivery->find("worst_segment")->get_string("value"), "UK");
  // Its NPS impact is the most negative of the week, but rests on 20 NPS answers, fewer than
  // min n: greyed and not ranked (DESIGN "Metrics"), and it still leads the causes by volume
  // with support, the other planted problem.
  const json::Value& impact = *delivery->find("nps_impact");
  EXPECT_LT(impact.get_number("n", 0), 30);
  EXPECT_TRUE(impact.get_bool("low_n", false));
  EXPECT_EQ(delivery->get_number("impact_rank", -1), 0);
  EXPECT_GE(delivery->get_number("volume_rank", 0), 1);
  EXPECT_LE(delivery->get_number("volume_rank", 0), 2);
  for (const json::Value& c : Week(45).find("causes")->as_array()) {
    EXPECT_GE(c.find("nps_impact")->get_number("value", 0), impact.get_number("value", 0))
        << c.get_string("cause");
  }
  // Among the first actions, which say why.
  std::string action;
  const auto& actions = Week(45).find("actions")->as_array();
  for (size_t i = 0; i < actions.size() && i < 2; ++i) {
    if (actions[i].get_string("cause") == "delivery") action = actions[i].get_string("text");
  }
  EXPECT_NE(action.find("Emerging"), std::string::npos) << action;
  EXPECT_NE(action.find("Delivery"), std::string::npos) << action;
  EXPECT_NE(action.find("NPS impact n too small (20 NPS answers)"), std::string::npos) << action;
  EXPECT_NE(action.find("worst in region UK"), std::string::npos) << action;
}

// The SKU whose feedback mentions packaging most, and its count.
std::pair<std::string, double> TopPackagingSku(const json::Value& r) {
  std::pair<std::string, double> top{"", 0};
  for (const json::Value& s : r.find("skus")->as_array()) {
    for (const json::Value& c : s.find("top_causes")->as_array()) {
      if (c.get_string("cause") == "packaging" && c.get_number("count", 0) > top.second) {
        top = {s.get_string("sku"), c.get_number("count", 0)};
      }
    }
  }
  return top;
}

TEST_F(SamplesReport, PackagingProblemShowsOnItsSku) {
  for (int week = 41; week <= 47; ++week) {
    const json::Value* kettle = Sku(Week(week), "KETTLE-2L");
    ASSERT_NE(kettle, nullptr) << week;
    // Packaging is (or ties for) what KETTLE-2L customers complain about most...
    const auto& causes = kettle->find("top_causes")->as_array();
    double packaging = 0;
    for (const json::Value& c : causes) {
      if (c.get_string("cause") == "packaging") packaging = c.get_number("count", 0);
    }
    EXPECT_EQ(packaging, causes.at(0).get_number("count", -1)) << week;
    // ... and no SKU has more packaging complaints.
    EXPECT_EQ(TopPackagingSku(Week(week)).first, "KETTLE-2L") << week;
    EXPECT_GE(kettle->get_number("rank", 0), 1) << week;  // enough answers to be ranked
  }
  // At its worst it is the SKU with the highest detractor share.
  int first = 0;
  for (int week = 41; week <= 47; ++week)
    first += Sku(Week(week), "KETTLE-2L")->get_number("rank", 0) == 1;
  EXPECT_GE(first, 3);
  // Before 2026-W41 it is not a KETTLE-2L problem.
  EXPECT_LE(TopPackagingSku(Week(40)).second, 3);
  // On the first screen: KETTLE-2L x packaging is one of the top two hotspots from 2026-W41 on.
  auto hotspot = [](const json::Value& r, size_t top) {
    const auto& h = r.find("hotspots")->as_array();
    for (size_t i = 0; i < h.size() && i < top; ++i) {
      if (h[i].get_string("sku") == "KETTLE-2L" && h[i].get_string("cause") == "packaging")
        return true;
    }
    return false;
  };
  for (int week = 41; week <= 47; ++week) EXPECT_TRUE(hotspot(Week(week), 2)) << week;
  EXPECT_FALSE(hotspot(Week(40), 10));
}

TEST_F(SamplesReport, DuplicateChargesFromTheWeekTheyStart) {
  const json::Value* tag = Emerging(Week(43), "tag", "duplicate");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->get_string("name").rfind("subscription", 0), 0u);
  EXPECT_EQ(tag->get_string("rule"), "rare-jump");
  EXPECT_NE(Emerging(Week(43), "cause", "subscription"), nullptr);
  EXPECT_EQ(Emerging(Week(42), "tag", "duplicate"), nullptr);
  EXPECT_EQ(Emerging(Week(42), "cause", "subscription"), nullptr);
}

TEST_F(SamplesReport, SlowSupportRepliesShowInTranscripts) {
  EXPECT_LT(FirstResponseMedian(Week(43)), 4 * 60);
  EXPECT_GT(FirstResponseMedian(Week(44)), 20 * 60);
  EXPECT_GT(FirstResponseMedian(Week(47)), 20 * 60);
  EXPECT_NE(Emerging(Week(44), "cause", "support"), nullptr);
  const json::Value& t = *Week(44).find("transcripts");
  EXPECT_GT(t.get_number("conversations", 0), 30);
}

TEST_F(SamplesReport, OnlyImpactsFromEnoughAnswersAreRanked) {
  for (int week = 40; week <= 47; ++week) {
    const json::Value& r = Week(week);
    const double min_n = r.find("options")->get_number("min_n", 0);
    bool ranked_part = true;  // impact-ranked causes come first
    for (const json::Value& c : r.find("causes")->as_array()) {
      const json::Value& impact = *c.find("nps_impact");
      const double n = impact.get_number("n", -1);
      EXPECT_EQ(impact.get_bool("low_n", false), n < min_n) << week << " " << c.get_string("cause");
      const bool ranked = c.get_number("impact_rank", 0) > 0;
      if (ranked) {
        EXPECT_GE(n, min_n) << week << " " << c.get_string("cause");
        EXPECT_TRUE(ranked_part) << week << " " << c.get_string("cause") << " after unranked";
      }
      ranked_part = ranked_part && ranked;
      // Every interval holds its figure and has a width.
      const json::Value* ci = impact.find("ci95");
      if (ci != nullptr && ci->is_array()) {
        EXPECT_LE(ci->as_array().at(0).as_number(), impact.get_number("value", 0));
        EXPECT_GE(ci->as_array().at(1).as_number(), impact.get_number("value", 0));
        EXPECT_LT(ci->as_array().at(0).as_number(), ci->as_array().at(1).as_number());
      }
    }
  }
}

TEST_F(SamplesReport, PlanSegmentCountsEveryNpsAnswer) {
  // The NPS export's "Plan" column and the other sources' "plan" attr are one segment.
  const std::string out = kArtifacts + "/plan";
  ASSERT_EQ(RunFeedloop("--db '" + kArtifacts + "/samples.db' report --period 2026-W47 --segment " +
                            "attrs.plan --format json --out '" + out + "'",
                        kArtifacts + "/log.txt"),
            0);
  json::Value r = json::Parse(ReadFile(out + "/report.json"));
  double answers = 0;
  for (const json::Value& t : r.find("segments")->as_array()) {
    if (t.get_string("field") != "attrs.plan") continue;
    for (const json::Value& v : t.find("values")->as_array())
      answers += v.find("nps")->get_number("n", 0);
  }
  EXPECT_GT(answers, 100);
  EXPECT_EQ(answers, r.find("headline")->find("nps")->get_number("n", -1));
}

TEST_F(SamplesReport, MarkdownCarriesTheHeadlineTrendsAndVolumes) {
  const std::string md = ReadFile(kArtifacts + "/2026-W47/report.md");
  EXPECT_NE(md.find("| Kind | 2026-W47 | vs 2026-W46 |"), std::string::npos);
  EXPECT_NE(md.find("| Source | 2026-W47 | vs 2026-W46 |"), std::string::npos);
  EXPECT_NE(md.find("| Figure | W36 |"), std::string::npos);
  EXPECT_NE(md.find("| CSAT %"), std::string::npos);
  EXPECT_EQ(md.find("By kind:"), std::string::npos);
}

TEST_F(SamplesReport, FilesAreWritten) {
  for (const char* f :
       {"report.html", "report.md", "report.json", "causes.csv", "skus.csv", "save_list.csv"}) {
    EXPECT_TRUE(fs::exists(kArtifacts + "/2026-W47/" + f)) << f;
  }
  std::string save = ReadFile(kArtifacts + "/2026-W47/save_list.csv");
  EXPECT_EQ(save.rfind("rank,customer_id,risk,", 0), 0u);
  EXPECT_GT(std::count(save.begin(), save.end(), '\n'), 20);
}

}  // namespace
}  // namespace feedloop
