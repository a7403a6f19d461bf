// The progress display: what each stage's bar counts and how it labels it.
#include "feedloop/run/progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace feedloop::run {
namespace {

// Everything a Progress in bar mode wrote while `fn` ran.
template <class Fn>
std::string BarOutput(Fn&& fn) {
  std::FILE* out = std::tmpfile();
  EXPECT_NE(out, nullptr);
  {
    Progress progress(Progress::Mode::kBar, out);
    fn(progress);
  }
  std::string text;
  std::rewind(out);
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof(buf), out)) text.append(buf, n);
  std::fclose(out);
  return text;
}

TEST(Progress, IngestCountsBytesOfTheTotalWithTheRecordsBeside) {
  // One large export: the bar moves with the bytes read, not with files done.
  std::string text = BarOutput([](Progress& p) {
    p.Begin("ingest", int64_t{4} * 1024 * 1024, Progress::Unit::kBytes);
    p.Update(int64_t{1} * 1024 * 1024, -1, "12000 records");
    p.End("1 new file(s)");
  });
  EXPECT_NE(text.find("1.0/4.0 MB"), std::string::npos) << text;
  EXPECT_NE(text.find("MB/s"), std::string::npos) << text;
  EXPECT_NE(text.find("12000 records"), std::string::npos) << text;
  EXPECT_NE(text.find("[#######-"), std::string::npos) << text;  // a quarter of 30
  EXPECT_EQ(text.find("items/s"), std::string::npos) << text;
}

TEST(Progress, SmallInputsAreCountedInKilobytes) {
  std::string text = BarOutput([](Progress& p) {
    p.Begin("ingest", 512 * 1024, Progress::Unit::kBytes);
    p.Update(256 * 1024);
    p.End("done");
  });
  EXPECT_NE(text.find("256.0/512.0 KB"), std::string::npos) << text;
}

TEST(Progress, AnalysisCountsItems) {
  std::string text = BarOutput([](Progress& p) {
    p.Begin("analyze", 200);
    p.Update(50, 200);
    p.End("200 item(s) analyzed");
  });
  EXPECT_NE(text.find("50/200"), std::string::npos) << text;
  EXPECT_NE(text.find("items/s"), std::string::npos) << text;
}

TEST(Progress, AStageWithNothingToCountShowsNoRate) {
  // The report stage: no "0 0 items/s", just the stage, its time and its summary.
  std::string text = BarOutput([](Progress& p) {
    p.Begin("report", 0, Progress::Unit::kNone);
    p.End("period 2026-W47 written");
  });
  EXPECT_EQ(text.find("items/s"), std::string::npos) << text;
  EXPECT_EQ(text.find(" 0 "), std::string::npos) << text;
  EXPECT_NE(text.find("report   0:00"), std::string::npos) << text;
  EXPECT_NE(text.find("period 2026-W47 written"), std::string::npos) << text;
}

TEST(Progress, LinesModeWritesOneLinePerStage) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    Progress progress(Progress::Mode::kLines, out);
    progress.Begin("ingest", 100, Progress::Unit::kBytes);
    progress.Update(50);
    progress.End("2 new file(s)");
  }
  std::rewind(out);
  char buf[256] = {};
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, out);
  std::fclose(out);
  std::string text(buf, n);
  EXPECT_EQ(text.rfind("ingest: 2 new file(s) (", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
}

}  // namespace
}  // namespace feedloop::run
