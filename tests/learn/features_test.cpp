#include "feedloop/learn/features.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "learn_test_util.hpp"

namespace feedloop::learn {
namespace {

using testing::FeaturesOf;

// Every model file depends on these values: if this test fails, features changed, and the model
// format version must change with them.
TEST(LearnHashing, KnownValues) {
  EXPECT_EQ(HashBytes("", 0), 0x2D06800538D394C2ULL);  // XXH3-64 of nothing: the reference value
  EXPECT_EQ(HashToken("refund"), 0x514a8fd90774a279ULL);
  EXPECT_EQ(HashCharNgram("<re"), 0xb0a747e4be130011ULL);
  const uint64_t late = HashToken("late"), box = HashToken("box");
  const uint64_t pair[] = {late, box};
  EXPECT_EQ(HashWordNgram(std::span<const uint64_t>(pair, 1)), 0xd58e088bd895c01fULL);
  EXPECT_EQ(HashWordNgram(pair), CombineHashes(late, box));
  EXPECT_EQ(HashWordNgram(pair), 0x4ca5d55b2fdd6713ULL);
  EXPECT_EQ(BucketOf(0, 1000), 0u);
  EXPECT_EQ(BucketOf(~0ULL, 1000), 999u);
  EXPECT_EQ(BucketOf(HashToken("refund"), 1u << 21), 665937u);
}

TEST(LearnHashing, OrderMatters) {
  const uint64_t a = HashToken("not"), b = HashToken("late");
  const uint64_t ab[] = {a, b}, ba[] = {b, a};
  EXPECT_NE(HashWordNgram(ab), HashWordNgram(ba));
  // A unigram and the character n-gram of the same bytes live in different namespaces.
  EXPECT_NE(HashWordNgram(std::span<const uint64_t>(&a, 1)), HashCharNgram("not"));
}

TEST(LearnFeatures, ExactWordAndCharacterNgrams) {
  FeatureOptions o;
  o.buckets = 1u << 20;
  o.word_ngrams = 2;
  o.char_ngram_min = 3;
  o.char_ngram_max = 3;
  std::vector<Feature> f = FeaturesOf("Late BOX", o);

  const uint64_t late = HashToken("late"), box = HashToken("box");
  const uint64_t bigram[] = {late, box};
  std::vector<uint32_t> expected = {
      BucketOf(HashWordNgram(std::span<const uint64_t>(&late, 1)), o.buckets),
      BucketOf(HashWordNgram(bigram), o.buckets),
      BucketOf(HashWordNgram(std::span<const uint64_t>(&box, 1)), o.buckets),
  };
  for (const char* gram : {"<la", "lat", "ate", "te>", "<bo", "box", "ox>"}) {
    expected.push_back(BucketOf(HashCharNgram(gram), o.buckets));
  }
  ASSERT_EQ(f.size(), expected.size());
  for (size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f[i].bucket, expected[i]) << "feature " << i;
  // Each group has norm 1/sqrt(2): 3 word features, 7 character features.
  EXPECT_FLOAT_EQ(f[0].value, 1.0f / std::sqrt(3.0f) / std::sqrt(2.0f));
  EXPECT_FLOAT_EQ(f[3].value, 1.0f / std::sqrt(7.0f) / std::sqrt(2.0f));
  double norm = 0;
  for (const Feature& x : f) norm += x.value * x.value;
  EXPECT_NEAR(norm, 1.0, 1e-6);
}

TEST(LearnFeatures, CharacterNgramsAreWholeCodePoints) {
  FeatureOptions o;
  o.word_ngrams = 0;
  o.char_ngram_min = 2;
  o.char_ngram_max = 2;
  std::vector<Feature> f = FeaturesOf("Café", o);
  std::vector<uint32_t> expected;
  for (const char* gram : {"<c", "ca", "af", "f\xC3\xA9", "\xC3\xA9>"}) {
    expected.push_back(BucketOf(HashCharNgram(gram), o.buckets));
  }
  ASSERT_EQ(f.size(), expected.size());
  for (size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f[i].bucket, expected[i]);
  EXPECT_FLOAT_EQ(f[0].value, 1.0f / std::sqrt(5.0f));  // alone, the group has norm 1
}

TEST(LearnFeatures, PunctuationCountsAndPersonalTokensArePlaceholders) {
  FeatureOptions words_only;
  words_only.char_ngram_min = words_only.char_ngram_max = 0;
  EXPECT_EQ(FeaturesOf("refund?", words_only).size(), 3u);  // refund, ?, "refund ?"
  // Two different addresses give the same features: the model learns "<email>", not a person.
  std::vector<Feature> a = FeaturesOf("write to ann@example.com now");
  std::vector<Feature> b = FeaturesOf("write to bob@example.org now");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bucket, b[i].bucket);
}

TEST(LearnFeatures, EmptyTextHasNoFeatures) {
  EXPECT_TRUE(FeaturesOf("").empty());
  EXPECT_TRUE(FeaturesOf("   \n ").empty());
}

TEST(LearnFeatures, ReusedExtractorGivesTheSameFeatures) {
  text::Tokenizer tokenizer;
  text::TokenBuffer long_text, short_text;
  tokenizer.Tokenize("the courier left my parcel in the rain and it was soaked", &long_text);
  tokenizer.Tokenize("late again", &short_text);
  FeatureExtractor extractor{FeatureOptions{}};
  std::vector<Feature> first, again;
  extractor.Extract(short_text.tokens(), &first);
  extractor.Extract(long_text.tokens(), &again);
  extractor.Extract(short_text.tokens(), &again);
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].bucket, again[i].bucket);
    EXPECT_EQ(first[i].value, again[i].value);
  }
}

TEST(LearnFeatures, BucketsStayInRange) {
  FeatureOptions o;
  o.buckets = 7;
  for (const Feature& f : FeaturesOf("any text at all, with a URL https://x.example/y", o)) {
    EXPECT_LT(f.bucket, 7u);
  }
}

TEST(LearnFeatures, ValidatesOptions) {
  FeatureOptions o;
  EXPECT_EQ(ValidateFeatureOptions(o), "");
  o.buckets = 0;
  EXPECT_NE(ValidateFeatureOptions(o).find("buckets"), std::string::npos);
  o = FeatureOptions{};
  o.char_ngram_min = 5;
  o.char_ngram_max = 3;
  EXPECT_NE(ValidateFeatureOptions(o).find("minimum exceeds"), std::string::npos);
  o = FeatureOptions{};
  o.word_ngrams = 0;
  o.char_ngram_min = o.char_ngram_max = 0;
  EXPECT_NE(ValidateFeatureOptions(o).find("no features"), std::string::npos);
  o = FeatureOptions{};
  o.word_ngrams = kMaxWordNgrams + 1;
  EXPECT_NE(ValidateFeatureOptions(o), "");
}

}  // namespace
}  // namespace feedloop::learn
