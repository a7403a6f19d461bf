// The built-in plugins give exactly the same results whether the host gives the tokens word ids
// (plugin ABI 1.2), gives none, or runs out of them midway: the ids are a fast path only.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "e2e_util.hpp"
#include "feedloop/ingest/read_items.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/plan.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::e2e {
namespace {

// Generated items of every kind (transcripts among them) and every line of the shipped sample
// files as the text of a review (other languages, emoji, CSV and JSON punctuation).
std::vector<Item> TestItems(const Scratch& ws) {
  std::vector<Item> items;
  const std::string bulk = ws / "bulk.jsonl";
  const std::string gen = std::string(FEEDLOOP_BUILD_DIR) + "/bin/feedloop-samples bulk --items " +
                          "3000 --seed 11 --out " + bulk + " > /dev/null";
  EXPECT_EQ(std::system(gen.c_str()), 0);
  ingest::ValidationOptions vo;
  vo.kind = Kind::kReview;
  vo.source = "test";
  Result<std::vector<Item>> read = ingest::ReadJsonlItems(bulk, vo);
  EXPECT_TRUE(read.ok()) << read.status().message();
  if (read.ok()) items = std::move(read).value();
  for (const auto& e : fs::directory_iterator(std::string(FEEDLOOP_SAMPLES_DIR) + "/data")) {
    std::ifstream in(e.path());
    size_t n = 0;
    for (std::string line; std::getline(in, line);) {
      if (text::FindInvalidUtf8(line)) continue;
      Item sample;
      sample.id = e.path().filename().string() + ":" + std::to_string(++n);
      sample.kind = Kind::kReview;
      sample.source = "samples";
      sample.text = line;
      items.push_back(sample);
    }
  }
  return items;
}

// Every plugin's output for every item, as the store keeps it (full precision).
std::vector<std::string> Results(const pipeline::AnalysisPlan& plan, const std::vector<Item>& items,
                                 bool word_ids, uint32_t max_words, uint32_t* words_given) {
  auto analyzer = pipeline::BatchAnalyzer::Create(plan);
  EXPECT_TRUE(analyzer.ok());
  if (!analyzer.ok()) return {};
  (*analyzer)->SetWordIds(word_ids, max_words);
  std::vector<std::string> out;
  constexpr size_t kBatch = 256;
  for (size_t s = 0; s < items.size(); s += kBatch) {
    std::vector<Item> batch(items.begin() + static_cast<long>(s),
                            items.begin() + static_cast<long>(std::min(items.size(), s + kBatch)));
    std::vector<std::vector<pipeline::PluginOutput>> outputs;
    (*analyzer)->Analyze(batch, nullptr, &outputs);
    for (size_t i = 0; i < batch.size(); ++i) {
      std::string line = batch[i].id;
      for (const pipeline::PluginOutput& o : outputs[i]) {
        line += '\t';
        line += pipeline::OutputToJson(o);
      }
      out.push_back(std::move(line));
    }
  }
  *words_given = (*analyzer)->WordsGiven();
  return out;
}

TEST(WordIds, ThePluginsGiveTheSameResultsWithIdsWithoutAndWhenTheyRunOut) {
  Scratch ws;
  std::vector<Item> items = TestItems(ws);
  ASSERT_GT(items.size(), 7000u);
  pipeline::PlanRequest request;
  request.names = {"sentiment", "taxonomy", "root-cause"};
  request.extra_folders = {std::string(FEEDLOOP_BUILD_DIR) + "/lib/feedloop/plugins"};
  request.strict = true;
  std::vector<std::string> skipped;
  auto plan = pipeline::PlanFor(request, &skipped);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->size(), 3u);

  uint32_t none = 0, all = 0, few = 0;
  std::vector<std::string> without = Results(*plan, items, false, 0, &none);
  std::vector<std::string> with =
      Results(*plan, items, true, text::Vocabulary::kDefaultMaxWords, &all);
  // 300 ids: the frequent words get them, the rest of the vocabulary goes without.
  std::vector<std::string> short_of_ids = Results(*plan, items, true, 300, &few);
  EXPECT_EQ(none, 0u);
  EXPECT_GT(all, 5000u);
  EXPECT_EQ(few, 300u);
  ASSERT_EQ(without.size(), items.size());
  ASSERT_EQ(with.size(), items.size());
  ASSERT_EQ(short_of_ids.size(), items.size());
  size_t tagged = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(with[i], without[i]) << items[i].text;
    EXPECT_EQ(short_of_ids[i], without[i]) << items[i].text;
    tagged += without[i].find("\"tags\"") != std::string::npos;
  }
  EXPECT_GT(tagged, 100u);  // the comparison covers tags, not only sentiment
}

}  // namespace
}  // namespace feedloop::e2e
