// The taxonomy matcher: one pass of the automaton over an item's tokens, then the rules that
// decide which matches count (exact-only phrases, negation scope, exclusions, proximity, longest
// match) and the confidence and evidence of every tag. One per plugin instance: it keeps a
// bounded cache of token stems and reuses its buffers, so matching allocates nothing once warm.
// Not thread-safe.
#pragma once

#include <feedloop/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "flat_map.hpp"
#include "stemmer.hpp"
#include "taxonomy.hpp"

namespace feedloop::taxonomy {

// One tag found in an item: its spans are spans()[span_begin, span_begin + span_count).
struct TagResult {
  uint32_t tag = 0;
  double confidence = 0;
  uint32_t span_begin = 0;
  uint32_t span_count = 0;
};

class Matcher {
 public:
  // `cache_entries`: how many distinct token forms to remember with their stems before the cache
  // starts over.
  Matcher(const Taxonomy& taxonomy, size_t cache_entries);

  // Finds the tags of `item`. With `explain`, also builds explain_json(): every match that
  // counted and every one that was suppressed, and why. Results last until the next call.
  void Match(const sdk::Item& item, bool explain);

  const std::vector<TagResult>& results() const { return results_; }
  const std::vector<feedloop_span>& spans() const { return spans_; }
  const std::string& explain_json() const { return explain_; }

 private:
  enum TokenFlag : uint8_t {
    kNegator = 1,
    kBreaker = 2,
    kPseudoFollower = 4,
    kPunct = 8,
  };
  struct CacheEntry {
    uint32_t stem = 0;
    uint8_t flags = 0;
  };
  struct TokenInfo {
    uint32_t stem;
    uint8_t flags;
  };
  struct Hit {
    uint32_t pattern;
    uint32_t first;
    uint32_t last;
  };
  enum class Type : uint8_t { kPhrase, kNegatedPhrase, kProximity };
  enum class Reason : uint8_t { kNone, kNegated, kExcluded, kShadowed };
  struct Range {
    uint32_t first;
    uint32_t last;
  };
  struct Candidate {
    uint32_t tag;
    uint32_t source;  // pattern (phrases) or rule (proximity)
    Type type;
    bool exact;
    Reason reason;
    Range a;         // matched tokens (for a negated phrase: from its negator)
    Range b;         // the later term of a proximity match; b.first == kNone otherwise
    uint32_t first;  // evidence: tokens [first, last]
    uint32_t last;
    uint32_t length;  // matched tokens
    uint32_t words;   // tokens of the pattern(s) that matched (without a negator or gap)
    double strength;
    uint32_t by_first;  // what suppressed it: negator tokens, exclusion hit, or candidate index
    uint32_t by_last;
    uint32_t by;
  };
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  TokenInfo Classify(const feedloop_token& t);
  uint8_t FlagsOf(std::string_view norm) const;
  bool IsExact(const Pattern& p, uint32_t first) const;
  // The negator whose scope covers a match starting at token `start`, or kNone.
  uint32_t NegatorBefore(uint32_t start) const;
  bool Excluded(const Candidate& c, uint32_t* by) const;
  bool InScope(const Pattern& exclusion, uint32_t tag) const;
  double Strength(uint32_t tag, double weight, bool exact, bool proximity) const;
  void AddPhraseCandidates();
  void AddProximityCandidates();
  void Shadow();
  void Absorb(Candidate& inner, uint32_t outer_index);
  void Aggregate();
  void BuildExplain();
  void AppendSpan(std::string& out, uint32_t first, uint32_t last, const char* text_key) const;

  const Taxonomy& tax_;
  Stemmer stemmer_;
  FlatStringMap<CacheEntry> cache_;  // for tokens without a word id
  // By word id of the host's vocabulary (plugin ABI 1.2): a token's stem id and flags are
  // computed once per word, then read from this array.
  struct Word {
    uint32_t stem = 0;
    uint8_t flags = 0;
    bool known = false;
  };
  sdk::ByWord<Word> words_;
  size_t cache_limit_;

  // Per item; cleared, never shrunk.
  const sdk::Item* item_ = nullptr;
  std::vector<TokenInfo> infos_;
  std::vector<Hit> hits_;            // phrases and negated phrases
  std::vector<Hit> proximity_;       // proximity terms
  std::vector<uint8_t> rule_slots_;  // per rule: which sides were hit (bits 1, 2); reset per item
  std::vector<uint32_t> touched_rules_;
  std::vector<Hit> side0_;
  std::vector<Hit> side1_;
  std::vector<Hit> exclusions_;  // in order of their last token
  std::vector<Candidate> candidates_;
  std::vector<uint32_t> order_;
  struct Evidence {
    uint32_t tag;
    uint32_t begin;
    uint32_t end;
    double strength;
  };
  std::vector<Evidence> evidence_;
  std::vector<TagResult> results_;
  std::vector<feedloop_span> spans_;
  std::string explain_;
};

}  // namespace feedloop::taxonomy
