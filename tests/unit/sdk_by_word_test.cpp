// sdk::ByWord: what a plugin instance keeps per word id of its worker's vocabulary.
#include <gtest/gtest.h>

#include <feedloop/sdk.hpp>
#include <string>

namespace feedloop::sdk {
namespace {

struct Slot {
  std::string stem;
  bool known = false;
};

TEST(SdkByWord, AnIdSeenFirstIsValueInitializedAndKeepsWhatWasWrittenThroughGrowth) {
  ByWord<Slot> by_word;
  EXPECT_FALSE(by_word[3].known);
  EXPECT_TRUE(by_word[3].stem.empty());
  by_word[3] = {"deliv", true};
  by_word[1] = {"late", true};
  // Ids far beyond the array so far: it grows, the earlier entries stay.
  EXPECT_FALSE(by_word[65535].known);
  by_word[65535] = {"last", true};
  EXPECT_EQ(by_word[3].stem, "deliv");
  EXPECT_EQ(by_word[1].stem, "late");
  EXPECT_EQ(by_word[65535].stem, "last");
  EXPECT_FALSE(by_word[2].known);
  EXPECT_FALSE(by_word[40000].known);
}

}  // namespace
}  // namespace feedloop::sdk
