#include "feedloop/learn/features.hpp"

#include <cmath>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace feedloop::learn {
namespace {

// One seed per feature namespace, so that the word "late", the bigram hash that happens to equal
// it and the character trigram "lat" land in unrelated buckets.
constexpr uint64_t kTokenSeed = 0x66656564'6c6f6f70ULL;  // "feedloop"
constexpr uint64_t kCharSeed = 0x63686172'6e677261ULL;   // "charngra"
constexpr uint64_t kOrderSalt = 0x9e3779b9'7f4a7c15ULL;  // golden ratio: separates n-gram orders

// splitmix64's finaliser: a cheap, well-mixed bijection on 64 bits.
uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Tokens whose exact value carries no signal worth learning (and may be personal data) stand
// for their kind.
std::string_view WordFormOf(const feedloop_token& t) {
  switch (t.kind) {
    case FEEDLOOP_TOKEN_URL:
      return "<url>";
    case FEEDLOOP_TOKEN_EMAIL:
      return "<email>";
    case FEEDLOOP_TOKEN_MENTION:
      return "<mention>";
    default:
      return t.norm.size == 0 ? std::string_view() : std::string_view(t.norm.data, t.norm.size);
  }
}

bool IsContinuationByte(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Scales features [begin, end) so that the group has unit L2 norm.
void NormalizeGroup(std::vector<Feature>* out, size_t begin, size_t end) {
  if (end <= begin) return;
  float scale = 1.0f / std::sqrt(static_cast<float>(end - begin));
  for (size_t i = begin; i < end; ++i) (*out)[i].value = scale;
}

}  // namespace

std::string ValidateFeatureOptions(const FeatureOptions& o) {
  if (o.buckets == 0) return "the number of hash buckets must be at least 1";
  if (o.word_ngrams > kMaxWordNgrams) {
    return "word n-grams of order " + std::to_string(o.word_ngrams) + " exceed the maximum " +
           std::to_string(kMaxWordNgrams);
  }
  if (o.char_ngram_min > o.char_ngram_max) {
    return "character n-grams " + std::to_string(o.char_ngram_min) + "-" +
           std::to_string(o.char_ngram_max) + ": the minimum exceeds the maximum";
  }
  if (o.char_ngram_max > kMaxCharNgram) {
    return "character n-grams longer than " + std::to_string(kMaxCharNgram) + " are not supported";
  }
  if (o.char_ngram_max > 0 && o.char_ngram_min == 0) {
    return "the shortest character n-gram must be at least 1 (use 0-0 to disable them)";
  }
  if (o.word_ngrams == 0 && o.char_ngram_max == 0) {
    return "no features: enable word n-grams or character n-grams";
  }
  return "";
}

uint64_t HashBytes(std::string_view bytes, uint64_t seed) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

uint64_t HashToken(std::string_view norm) {
  return HashBytes(norm, kTokenSeed);
}

uint64_t CombineHashes(uint64_t prefix, uint64_t next) {
  return Mix64(prefix * 0x100000001b3ULL + next + kOrderSalt);
}

uint64_t HashWordNgram(std::span<const uint64_t> token_hashes) {
  if (token_hashes.empty()) return 0;
  uint64_t h = token_hashes[0];
  for (size_t i = 1; i < token_hashes.size(); ++i) h = CombineHashes(h, token_hashes[i]);
  return token_hashes.size() == 1 ? Mix64(h) : h;
}

uint64_t HashCharNgram(std::string_view gram) {
  return HashBytes(gram, kCharSeed);
}

void FeatureExtractor::Extract(std::span<const feedloop_token> tokens, std::vector<Feature>* out) {
  out->clear();
  const uint32_t buckets = options_.buckets;

  // Word n-grams over the token sequence. Each order n is salted differently through
  // CombineHashes, so "late" and "late delivery" never share a hash by construction.
  token_hashes_.clear();
  if (options_.word_ngrams > 0) {
    for (const feedloop_token& t : tokens) {
      std::string_view form = WordFormOf(t);
      if (!form.empty()) token_hashes_.push_back(HashToken(form));
    }
    const size_t n = token_hashes_.size();
    for (size_t i = 0; i < n; ++i) {
      // HashWordNgram, computed incrementally: each order extends the previous one.
      uint64_t h = token_hashes_[i];
      out->push_back({BucketOf(Mix64(h), buckets), 0.0f});
      for (size_t order = 2; order <= options_.word_ngrams && i + order <= n; ++order) {
        h = CombineHashes(h, token_hashes_[i + order - 1]);
        out->push_back({BucketOf(h, buckets), 0.0f});
      }
    }
  }
  const size_t word_end = out->size();

  if (options_.char_ngram_max > 0) {
    for (const feedloop_token& t : tokens) {
      if (t.kind != FEEDLOOP_TOKEN_WORD || t.norm.size == 0) continue;
      AddCharNgrams(std::string_view(t.norm.data, t.norm.size), out);
    }
  }

  // Words and character n-grams each get half of the unit norm: words are precise, character
  // n-grams carry misspellings and inflections ("refunded", "refnd"); neither drowns the other
  // however long the words are.
  NormalizeGroup(out, 0, word_end);
  NormalizeGroup(out, word_end, out->size());
  if (word_end > 0 && out->size() > word_end) {
    for (Feature& f : *out) f.value *= static_cast<float>(M_SQRT1_2);
  }
}

void FeatureExtractor::AddCharNgrams(std::string_view norm, std::vector<Feature>* out) {
  word_.clear();
  word_.push_back('<');
  word_.append(norm);
  word_.push_back('>');
  code_points_.clear();
  for (size_t i = 0; i < word_.size(); ++i) {
    if (!IsContinuationByte(static_cast<unsigned char>(word_[i]))) {
      code_points_.push_back(static_cast<uint32_t>(i));
    }
  }
  const size_t count = code_points_.size();
  code_points_.push_back(static_cast<uint32_t>(word_.size()));
  const size_t lo = options_.char_ngram_min;
  const size_t hi = options_.char_ngram_max;
  for (size_t begin = 0; begin < count; ++begin) {
    for (size_t n = lo; n <= hi && begin + n <= count; ++n) {
      std::string_view gram(word_.data() + code_points_[begin],
                            code_points_[begin + n] - code_points_[begin]);
      out->push_back({BucketOf(HashCharNgram(gram), options_.buckets), 0.0f});
    }
  }
}

}  // namespace feedloop::learn
