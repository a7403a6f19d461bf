// The worker vocabulary behind the tokens' word ids (plugin ABI 1.2).
#include "feedloop/text/vocabulary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace feedloop::text {
namespace {

std::vector<uint32_t> Ids(Vocabulary& v, const Tokenizer& t, TokenBuffer& buf,
                          std::string_view text) {
  t.Tokenize(text, &buf);
  v.Assign(&buf);
  std::vector<uint32_t> ids;
  for (const feedloop_token& tok : buf.tokens()) ids.push_back(tok.word);
  return ids;
}

TEST(Vocabulary, EqualKindAndNormIsEqualIdAndIdsAreDenseInOrderOfFirstSight) {
  Vocabulary v;
  Tokenizer t;
  TokenBuffer buf;
  // late Late LATE fold to one norm; "1,000" is a number, "," punctuation.
  std::vector<uint32_t> a = Ids(v, t, buf, "late Late LATE box, 1,000 late");
  ASSERT_EQ(a.size(), 7u);
  EXPECT_EQ(a[0], 1u);
  EXPECT_EQ(a[1], 1u);
  EXPECT_EQ(a[2], 1u);
  EXPECT_EQ(a[3], 2u);  // box
  EXPECT_EQ(a[4], 3u);  // ,
  EXPECT_EQ(a[5], 4u);  // 1,000
  EXPECT_EQ(a[6], 1u);
  EXPECT_EQ(v.size(), 4u);
  // A later text reuses the ids; a new word takes the next one.
  std::vector<uint32_t> b = Ids(v, t, buf, "box late crushed");
  EXPECT_EQ(b, (std::vector<uint32_t>{2, 1, 5}));
  // The same norm in another kind is another word: the hashtag "#late" is not "late", and an
  // emoticon keeps its bytes.
  std::vector<uint32_t> c = Ids(v, t, buf, "#late :) late");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_NE(c[0], 1u);
  EXPECT_NE(c[1], 0u);
  EXPECT_EQ(c[2], 1u);
  EXPECT_EQ(v.Intern(FEEDLOOP_TOKEN_HASHTAG, "#late"), c[0]);
  EXPECT_NE(v.Intern(FEEDLOOP_TOKEN_SYMBOL, "late"), 1u);
}

TEST(Vocabulary, AddressesLongNormsAndWordsPastTheLimitGetNoId) {
  Vocabulary v(3);
  Tokenizer t;
  TokenBuffer buf;
  std::vector<uint32_t> a = Ids(v, t, buf, "see https://example.com/x or me@example.com @shop");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0], 1u);  // see
  EXPECT_EQ(a[1], 0u);  // the URL
  EXPECT_EQ(a[2], 2u);  // or
  EXPECT_EQ(a[3], 0u);  // the e-mail address
  EXPECT_EQ(a[4], 0u);  // the mention
  EXPECT_EQ(v.Intern(FEEDLOOP_TOKEN_WORD, std::string(Vocabulary::kMaxWordBytes + 1, 'a')), 0u);
  EXPECT_EQ(v.Intern(FEEDLOOP_TOKEN_WORD, std::string(Vocabulary::kMaxWordBytes, 'a')), 3u);
  // Full: known words keep their ids, new ones get none.
  std::vector<uint32_t> b = Ids(v, t, buf, "or see new");
  EXPECT_EQ(b, (std::vector<uint32_t>{2, 1, 0}));
  EXPECT_EQ(v.size(), 3u);
}

TEST(Vocabulary, KeepsEveryIdThroughItsGrowth) {
  Vocabulary v;
  std::vector<std::string> words;
  for (int i = 0; i < 20000; ++i) words.push_back("w" + std::to_string(i * 7919));
  for (size_t i = 0; i < words.size(); ++i)
    ASSERT_EQ(v.Intern(FEEDLOOP_TOKEN_WORD, words[i]), i + 1);
  for (size_t i = 0; i < words.size(); ++i)
    ASSERT_EQ(v.Intern(FEEDLOOP_TOKEN_WORD, words[i]), i + 1) << words[i];
  EXPECT_EQ(v.size(), 20000u);
}

}  // namespace
}  // namespace feedloop::text
