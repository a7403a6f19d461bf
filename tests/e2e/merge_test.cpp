// Sharded `stream --partial` and `merge` (docs/scale.md): the samples' canonical JSON Lines
// exports and a year of generated items of every kind are split into N shards, each analysed by
// its own `feedloop stream --partial` process, all running at once; `feedloop merge` of their
// states must give the report of one run over the same items through the store (ingest,
// analyze, report), figure for figure, for N = 1, 2 and 7.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <map>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

// The lines of `text` that are not empty.
std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class ShardedStream : public ::testing::Test {
 protected:
  // The items: the samples' two canonical JSON Lines files and 6,000 generated items (reviews,
  // NPS, CSAT, CES and transcripts over a year), one file.
  static void SetUpTestSuite() {
    scratch_ = new Scratch();
    input_ = *scratch_ / "items.jsonl";
    const std::string bulk = *scratch_ / "bulk.jsonl";
    const std::string generator = std::string(FEEDLOOP_BUILD_DIR) + "/bin/feedloop-samples";
    ASSERT_EQ(std::system(
                  ("'" + generator + "' bulk --items 6000 --seed 7 --out '" + bulk + "'").c_str()),
              0);
    std::ofstream out(input_, std::ios::binary);
    for (const std::string& f :
         {std::string(FEEDLOOP_SAMPLES_DIR) + "/data/app_reviews.jsonl",
          std::string(FEEDLOOP_SAMPLES_DIR) + "/data/csat_survey.jsonl", bulk}) {
      out << ReadFile(f);
    }
    out.close();
    lines_ = NonEmptyLines(ReadFile(input_));
    ASSERT_GT(lines_.size(), 7000u);

    // The single run, through the store.
    const std::string db = *scratch_ / "single.db";
    ASSERT_EQ(Feedloop({"--db", db, "-q", "ingest", input_}).exit_code, 0);
    ASSERT_EQ(Count(db, "SELECT count(*) FROM items"), static_cast<int64_t>(lines_.size()));
    ASSERT_EQ(Feedloop({"--db", db, "-q", "analyze", "--threads", "1"}).exit_code, 0);
    for (const std::string period : {"last", "2026-W45"}) {
      single_[period] = SingleReport("single-" + period, {"--period", period});
      ASSERT_FALSE(single_[period].empty()) << period;
    }
  }
  static void TearDownTestSuite() { delete scratch_; }

  // Splits the items into `n` shards (line k to shard k mod n, so every shard holds every
  // period), runs one `stream --partial` per shard at once and returns the state files.
  // `to_file`: the state goes to a file and the annotated lines to stdout (else both to stdout:
  // `--partial -`).
  std::vector<std::string> RunShards(int n, bool to_file,
                                     const std::vector<std::string>& extra = {}) {
    std::vector<std::string> inputs, states, outputs;
    std::vector<std::ofstream> files;
    for (int k = 0; k < n; ++k) {
      inputs.push_back(*scratch_ /
                       ("shard-" + std::to_string(n) + "-" + std::to_string(k) + ".jsonl"));
      states.push_back(inputs.back() + ".state");
      outputs.push_back(inputs.back() + ".out");
      files.emplace_back(inputs.back(), std::ios::binary);
    }
    for (size_t i = 0; i < lines_.size(); ++i)
      files[i % static_cast<size_t>(n)] << lines_[i] << "\n";
    for (std::ofstream& f : files) f.close();
    std::vector<pid_t> pids;
    for (int k = 0; k < n; ++k) {
      std::vector<std::string> args = {"stream", "--threads", "1", "--partial",
                                       to_file ? states[k] : "-"};
      args.insert(args.end(), extra.begin(), extra.end());
      pids.push_back(Spawn(args, inputs[k], to_file ? outputs[k] : states[k]));
    }
    for (pid_t pid : pids) {
      int status = 0;
      EXPECT_EQ(::waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a shard failed: " << status;
    }
    if (to_file) {
      // Beside the state, every input line was answered.
      size_t answered = 0;
      for (const std::string& o : outputs) answered += NonEmptyLines(ReadFile(o)).size();
      EXPECT_EQ(answered, lines_.size());
    }
    return states;
  }

  std::string Merge(const std::vector<std::string>& states, const std::string& period,
                    const std::string& name) {
    const std::string dir = *scratch_ / name;
    std::vector<std::string> args = {"-q", "merge"};
    args.insert(args.end(), states.begin(), states.end());
    for (const std::string& a : {std::string("--period"), period, std::string("--format"),
                                 std::string("json"), std::string("--out"), dir}) {
      args.push_back(a);
    }
    Output r = Feedloop(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ReadFile(dir + "/report.json");
  }

  // The single run's JSON report: `report` on the whole store with `args`, written to `name`.
  static std::string SingleReport(const std::string& name, const std::vector<std::string>& args) {
    const std::string dir = *scratch_ / name;
    std::vector<std::string> all = {"--db", *scratch_ / "single.db", "-q", "report"};
    all.insert(all.end(), args.begin(), args.end());
    for (const std::string& a :
         {std::string("--format"), std::string("json"), std::string("--out"), dir}) {
      all.push_back(a);
    }
    Output r = Feedloop(all);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ReadFile(dir + "/report.json");
  }

  static Scratch* scratch_;
  static std::string input_;
  static std::vector<std::string> lines_;
  static std::map<std::string, std::string> single_;
};

Scratch* ShardedStream::scratch_ = nullptr;
std::string ShardedStream::input_;
std::vector<std::string> ShardedStream::lines_;
std::map<std::string, std::string> ShardedStream::single_;

TEST_F(ShardedStream, MergedReportEqualsTheSingleRunReportForOneTwoAndSevenShards) {
  for (int n : {1, 2, 7}) {
    std::vector<std::string> states = RunShards(n, /*to_file=*/n == 2);
    for (const std::string period : {"last", "2026-W45"}) {
      const std::string merged =
          Merge(states, period, "merged-" + std::to_string(n) + "-" + period);
      ASSERT_FALSE(merged.empty()) << n << " shards, " << period;
      EXPECT_EQ(ReportFigures(merged), ReportFigures(single_[period]))
          << n << " shards, --period " << period;
      // The provenance says what was merged and by what it was analysed.
      EXPECT_NE(merged.find("\"shards\":" + std::to_string(n)), std::string::npos)
          << merged.substr(merged.rfind("provenance"));
      EXPECT_NE(merged.find("{\"name\":\"root-cause\",\"version\":\"1.0.0\"}"), std::string::npos);
    }
  }
}

TEST_F(ShardedStream, ExtraSegmentsAddToTheDefaultsAsInReport) {
  const std::string expected =
      SingleReport("single-sku", {"--segment", "sku", "--segment", "attrs.touchpoint"});
  EXPECT_NE(expected.find("\"segments\":[\"channel\",\"region\",\"source\",\"kind\",\"sku\","
                          "\"attrs.touchpoint\"]"),
            std::string::npos)
      << expected.substr(0, 400);
  std::vector<std::string> states =
      RunShards(2, false, {"--segment", "sku", "--segment", "attrs.touchpoint"});
  EXPECT_EQ(ReportFigures(Merge(states, "last", "merged-sku")), ReportFigures(expected));
}

TEST_F(ShardedStream, AttrSegmentsMatchNamesIgnoringCaseInBothPaths) {
  // No item has an attr named exactly "PLAN": the store reader and the streams both fall back to
  // the CSAT answers' "plan", and agree.
  const std::string expected =
      SingleReport("single-plan", {"--period", "2026-W45", "--segment", "attrs.PLAN"});
  EXPECT_NE(expected.find("{\"field\":\"attrs.PLAN\",\"values\":[{\"value\":"), std::string::npos)
      << expected.substr(expected.find("\"field\":\"attrs.PLAN\""), 200);
  std::vector<std::string> states = RunShards(2, false, {"--segment", "attrs.PLAN"});
  EXPECT_EQ(ReportFigures(Merge(states, "2026-W45", "merged-plan")), ReportFigures(expected));
}

TEST_F(ShardedStream, StatesConcatenatedInOneStreamMergeLikeSeparateFiles) {
  // A Hadoop reducer reads every mapper's output as one stream: one state per line.
  std::vector<std::string> states = RunShards(3, false);
  std::string all;
  for (const std::string& s : states) all += ReadFile(s);
  const std::string joined = *scratch_ / "joined.states";
  std::ofstream(joined, std::ios::binary) << all;
  EXPECT_EQ(ReportFigures(Merge({joined}, "last", "merged-joined")),
            ReportFigures(single_["last"]));
}

TEST_F(ShardedStream, StatesOfOtherOptionsOrBrokenStatesAreRefused) {
  const std::string shard = *scratch_ / "small.jsonl";
  std::ofstream(shard, std::ios::binary) << lines_[0] << "\n" << lines_[1] << "\n";
  const std::string week = *scratch_ / "week.state", month = *scratch_ / "month.state";
  ::waitpid(Spawn({"stream", "--partial", "-"}, shard, week), nullptr, 0);
  ::waitpid(Spawn({"stream", "--partial", "-", "--granularity", "month"}, shard, month), nullptr,
            0);
  Output mixed = Feedloop({"merge", week, month, "--format", "json", "--out", *scratch_ / "mixed"});
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.err.find("granularity"), std::string::npos) << mixed.err;

  const std::string broken = *scratch_ / "broken.state";
  std::string text = ReadFile(week);
  std::ofstream(broken, std::ios::binary) << text.substr(0, text.size() / 2) << "\n";
  Output bad = Feedloop({"merge", broken, "--format", "json", "--out", *scratch_ / "broken"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(broken + ":1: aggregate state"), std::string::npos) << bad.err;

  Output wrong_period =
      Feedloop({"merge", month, "--period", "2026-W45", "--out", *scratch_ / "wp"});
  EXPECT_EQ(wrong_period.exit_code, 2);
  EXPECT_NE(wrong_period.err.find("count by month"), std::string::npos) << wrong_period.err;
}

}  // namespace
}  // namespace feedloop::e2e
