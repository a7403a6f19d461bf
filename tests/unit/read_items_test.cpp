// ingest::ReadJsonlItems: a JSONL file's items as ingest maps them, for tools and tests.
#include "feedloop/ingest/read_items.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace feedloop::ingest {
namespace {

ValidationOptions Reviews() {
  ValidationOptions vo;
  vo.kind = Kind::kReview;
  vo.source = "test";
  return vo;
}

TEST(ReadJsonlItems, SkipsWhatDoesNotParseOrMapAndStopsAtTheLimit) {
  testing::TempDir dir;
  std::string path = dir.Write("in.jsonl",
                               "{\"id\": \"a\", \"text\": \"Late again\"}\n"
                               "{not json\n"
                               "{\"id\": \"b\", \"kind\": \"nps\", \"score\": 99}\n"
                               "{\"id\": \"c\", \"text\": \"Box crushed\"}\n"
                               "{\"id\": \"d\", \"text\": \"Fine\"}\n");
  Result<std::vector<Item>> all = ReadJsonlItems(path, Reviews());
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "a");
  EXPECT_EQ((*all)[0].text, "Late again");
  EXPECT_EQ((*all)[0].kind, Kind::kReview);
  EXPECT_EQ((*all)[1].id, "c");
  EXPECT_EQ((*all)[2].id, "d");
  Result<std::vector<Item>> two = ReadJsonlItems(path, Reviews(), 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].id, "c");
}

TEST(ReadJsonlItems, AMissingFileIsAnError) {
  testing::TempDir dir;
  EXPECT_FALSE(ReadJsonlItems(dir.File("missing.jsonl"), Reviews()).ok());
}

}  // namespace
}  // namespace feedloop::ingest
