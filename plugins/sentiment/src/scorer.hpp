// Scores sentences with the lexicon and the rules: valences of words and phrases, shifted by
// negation, boosters, ALL-CAPS, contrast, "too X" and punctuation, summed per sentence
// (VADER-style) and normalized into [-1, 1] with x / sqrt(x^2 + alpha).
//
// A Scorer belongs to one plugin instance (one thread); its scratch buffers are reused across
// calls so that scoring allocates nothing once they have grown to the longest sentence seen.
#pragma once

#include <feedloop/plugin.h>

#include <feedloop/sdk.hpp>

#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include "lexicon.hpp"

namespace feedloop_sentiment {

// The rule constants. Defaults were set on the development half of the evaluation data (see
// docs/sentiment.md); they are not configurable because they are part of the method.
struct Rules {
  float alpha = 15.0f;             // normalization: x / sqrt(x^2 + alpha)
  float negate_positive = -0.74f;  // "not good": a positive word under negation
  float negate_negative = -0.5f;   // "not bad": a negative word under negation is mildly positive
  int negation_reach = 3;          // content words a negator reaches past
  float caps_boost = 0.733f;       // "GREAT" in mixed-case text
  float excess_valence = -1.1f;    // "too small", "too loud"
  float before_but = 0.5f;         // the clause before "but"
  float after_but = 1.5f;          // the clause after "but"
  float subordinate = 0.5f;        // the clause of "although", "though", "despite"
  float exclaim = 0.292f;          // per "!" (at most 4) in a sentence with sentiment
  float question = 0.18f;          // per "?" when there are two or more (at most 0.96)
  float lone_negator = -0.8f;      // "No!", "Nope.": a negator with nothing to negate
};

// One sentence's result: its raw valence sum and whether it opens with "but" / "however".
struct SentenceSum {
  float sum = 0;
  bool opens_with_contrast = false;
};

// `s` without emoji variation selectors and skin-tone modifiers ("👍🏽" -> "👍"), written
// into `buf` when anything is dropped; `s` itself when it does not fit.
std::string_view StripEmojiModifiers(std::string_view s, char* buf, size_t cap);

class Scorer {
 public:
  Scorer(const Lexicon* lexicon, Rules rules) : lexicon_(lexicon), rules_(rules) {}

  // Scores tokens[begin, end) as one sentence. `mixed_caps`: the item has both ALL-CAPS and
  // lower-case words, so ALL-CAPS is emphasis. `words`: false scores only emoji and emoticons
  // (text in a language the lexicon does not cover).
  SentenceSum Score(const feedloop_token* tokens, size_t begin, size_t end, bool mixed_caps,
                    bool words);

  float Normalize(float sum) const { return sum / std::sqrt(sum * sum + rules_.alpha); }
  const Rules& rules() const { return rules_; }

 private:
  // One lexical unit of a sentence: a token, or a phrase of several tokens.
  struct Unit {
    const Entry* entry = nullptr;  // may be null: a word the lexicon does not know
    float valence = 0;
    float multiplier = 1;  // contrast weighting
    bool content = false;  // a word that is not a function word
    bool caps = false;
    bool clause_break = false;
    bool booster = false;       // acts as a booster of the next sentiment word
    bool excess = false;        // "too" before a neutral word
    bool not_negating = false;  // "can't ... enough": the negator praises, it does not flip
  };

  // What the scorer knows of one word id of the host's vocabulary (plugin ABI 1.2).
  struct Word {
    uint64_t hash = 0;
    const Entry* entry = nullptr;
    bool hashed = false;
    bool looked_up = false;
  };

  const Entry* LookupToken(const feedloop_token& t, uint64_t hash) const;
  uint64_t TokenHash(size_t i) const { return token_hashes_[i - hash_begin_]; }
  size_t MatchUnit(const feedloop_token* tokens, size_t i, size_t end, Unit* unit);
  bool Negated(size_t j) const;
  void MarkCantEnough(size_t n);
  float Boost(size_t j, float v, bool mixed_caps) const;

  const Lexicon* lexicon_;
  Rules rules_;
  std::vector<Unit> units_;
  std::vector<uint64_t> token_hashes_;  // of the sentence's tokens
  // By word id: each word is hashed and looked up once per instance, not at every occurrence.
  feedloop::sdk::ByWord<Word> words_;
  size_t hash_begin_ = 0;
};

}  // namespace feedloop_sentiment
