// Feature extraction for the learned classifiers: hashed word n-grams and character n-grams of
// the engine's tokens, each hashed with XXH3 into a fixed number of buckets.
//
// The same extractor runs at training time (feedloop train) and at prediction time (the
// `learned` plugin), on the tokens the engine's tokenizer gives, so both sides always see the
// same features. It is part of feedloop_learn, which depends only on the SDK header plugin.h.
#pragma once

#include <feedloop/plugin.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace feedloop::learn {

// What features to extract. Stored in the model file, so prediction repeats exactly what
// training did.
struct FeatureOptions {
  // Number of hash buckets. Only buckets seen in training are stored in a model, so a large
  // space costs nothing but a few collisions less.
  uint32_t buckets = 1u << 21;
  // Word n-grams of orders 1..word_ngrams (0 disables word features).
  uint32_t word_ngrams = 2;
  // Character n-grams of char_ngram_min..char_ngram_max code points, taken from each word's
  // case-folded form wrapped in boundary markers ("<late>"); 0 disables them.
  uint32_t char_ngram_min = 3;
  uint32_t char_ngram_max = 5;
};

// The largest orders a model may ask for; limits what a hostile model file can make us do.
inline constexpr uint32_t kMaxWordNgrams = 8;
inline constexpr uint32_t kMaxCharNgram = 16;

// Returns "" when the options are usable, else what is wrong with them.
std::string ValidateFeatureOptions(const FeatureOptions& options);

// One hashed feature: a bucket and its value. A text's features are L2-normalised, so a long
// ticket does not outvote a short one.
struct Feature {
  uint32_t bucket;
  float value;
};

// The hash functions of the features. Public so that tests can pin them: changing any of them
// changes every model's features, which needs a new model format version.
uint64_t HashBytes(std::string_view bytes, uint64_t seed);
// The hash of one token (its case-folded form).
uint64_t HashToken(std::string_view norm);
// The hash of a word n-gram from its tokens' hashes: a bijective mix for one token, then one
// CombineHashes per further token, so each order lands in its own part of the hash space.
uint64_t HashWordNgram(std::span<const uint64_t> token_hashes);
uint64_t CombineHashes(uint64_t prefix, uint64_t next);
// The hash of a character n-gram (bytes of whole code points, boundary markers included).
uint64_t HashCharNgram(std::string_view gram);
// Maps a 64-bit hash onto [0, buckets) without modulo bias worth speaking of (Lemire's
// multiply-shift), so any bucket count works, not only powers of two.
inline uint32_t BucketOf(uint64_t hash, uint32_t buckets) {
  return static_cast<uint32_t>((static_cast<unsigned __int128>(hash) * buckets) >> 64);
}

// Extracts features from a span of tokens. Reuses its buffers between calls, so extraction
// allocates nothing once warmed up. Not thread-safe: use one per thread.
class FeatureExtractor {
 public:
  explicit FeatureExtractor(const FeatureOptions& options) : options_(options) {}

  const FeatureOptions& options() const { return options_; }

  // Replaces `out` with the features of `tokens`: word n-grams over every token, punctuation and
  // emoji included ("?" tells a question), with URLs, e-mail addresses and mentions standing as
  // "<url>", "<email>", "<mention>"; then character n-grams of word tokens. Word features come
  // first, then character features; each group has norm 1/sqrt(2) (1 when alone). Empty when
  // there is nothing to learn from.
  void Extract(std::span<const feedloop_token> tokens, std::vector<Feature>* out);

 private:
  void AddCharNgrams(std::string_view norm, std::vector<Feature>* out);

  FeatureOptions options_;
  std::vector<uint64_t> token_hashes_;
  std::string word_;                   // "<" + norm + ">"
  std::vector<uint32_t> code_points_;  // byte offset of each code point in word_, plus the end
};

}  // namespace feedloop::learn
