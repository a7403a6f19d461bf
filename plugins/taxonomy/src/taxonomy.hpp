// A compiled taxonomy: the categories and sub-categories of a taxonomy file (see
// docs/taxonomy.md), every phrase tokenized with the engine's tokenizer and stemmed, and one
// automaton over all of them. Built once at Configure; immutable afterwards.
#pragma once

#include <feedloop/sdk.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "automaton.hpp"
#include "flat_map.hpp"

namespace feedloop::taxonomy {

inline constexpr size_t kMaxPhraseTokens = 16;
// Longer tokens are never looked up (no phrase word is this long).
inline constexpr size_t kMaxTokenBytes = 64;

struct Category {
  std::string id;
  std::string label;
  std::string owner;  // the team that can fix it
  std::string kpi;    // the operational measure it moves
  std::string description;
  int line = 0;
};

// What the plugin emits: "<category>/<sub>" for a sub-category, "<category>" for a category's
// own phrases.
struct Tag {
  std::string name;
  uint32_t category = 0;
  double weight = 1;  // category weight x sub-category weight
  int line = 0;
};

enum class PatternKind : uint8_t {
  kPhrase,         // tags unless negated or excluded
  kNegatedPhrase,  // tags only when negated ("hasn't arrived")
  kProximityTerm,  // one side of a proximity rule
  kExclusion,      // suppresses overlapping matches in its scope
};

enum class Scope : uint8_t { kAll, kCategory, kTag };

struct Pattern {
  PatternKind kind = PatternKind::kPhrase;
  bool exact_only = false;    // "exact": true: a stemmed match does not count
  bool self_negated = false;  // contains a negator ("no reply"): negation scope does not apply
  Scope scope = Scope::kTag;  // exclusions: where they apply
  uint32_t target = 0;        // tag index (exclusions: tag or category index by scope)
  uint32_t rule = 0;          // proximity rule index
  uint8_t slot = 0;           // proximity: which side, 0 or 1
  double weight = 1;
  std::vector<std::string> norms;  // case-folded tokens, for telling exact from stemmed matches
  std::vector<uint32_t> stems;     // stem ids: the automaton's symbols
  std::string text;                // as written in the file
  int line = 0;
};

// What the matching loop needs of a pattern, packed (the Pattern itself is large).
struct PatternHot {
  uint16_t length = 0;  // tokens
  PatternKind kind = PatternKind::kPhrase;
  uint8_t slot = 0;
  uint32_t rule = 0;
};

struct ProximityRule {
  uint32_t tag = 0;
  uint32_t within = 3;  // at most this many tokens between the two terms
  bool ordered = false;
  double weight = 1;
  std::string text;  // "box|parcel ... crushed|dented"
  int line = 0;
};

struct Negation {
  std::vector<std::string> words;                           // "not", "never", "no", ...
  std::vector<std::string> suffixes;                        // "n't" (written "*n't")
  std::vector<std::string> breakers;                        // "but", "however", ...
  std::vector<std::pair<std::string, std::string>> pseudo;  // ("not", "only"): not a negation
  uint32_t window = 3;

  bool IsNegator(std::string_view norm) const;
  bool IsBreaker(std::string_view norm) const;
  bool IsPseudoFollower(std::string_view norm) const;
  bool IsPseudo(std::string_view negator, std::string_view follower) const;
};

struct Scoring {
  double base = 0.8;            // strength of one exact match of weight 1
  double stemmed = 0.9;         // factor for a match through stemming
  double proximity = 0.85;      // factor for a proximity match
  double min_confidence = 0.0;  // tags below this are not emitted
};

class Taxonomy {
 public:
  // Parses, validates and compiles a taxonomy file. Throws sdk::ConfigError whose message lists
  // every error, one per line, as "<source>:<line>: <message>".
  static std::unique_ptr<Taxonomy> Load(std::string_view json_text, const std::string& source,
                                        const sdk::Host& host);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const std::string& language() const { return language_; }
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<Tag>& tags() const { return tags_; }
  const std::vector<Pattern>& patterns() const { return patterns_; }
  const std::vector<PatternHot>& hot() const { return hot_; }
  const std::vector<ProximityRule>& rules() const { return rules_; }
  const Negation& negation() const { return negation_; }
  const Scoring& scoring() const { return scoring_; }
  const Automaton& automaton() const { return automaton_; }
  size_t subcategory_count() const { return subcategory_count_; }
  size_t phrase_count() const { return phrase_count_; }
  size_t exclusion_count() const { return exclusion_count_; }
  // Whether any pattern has a punctuation token (most do not, so the matcher skips their lookup).
  bool has_punctuation() const { return has_punctuation_; }

  // The stem id of a stem, or 0 when no pattern uses it.
  uint32_t StemId(std::string_view stem) const {
    const uint32_t* id = stem_ids_.Find(stem);
    return id == nullptr ? 0 : *id;
  }

 private:
  friend class Loader;
  std::string name_;
  std::string source_;
  std::string language_ = "english";
  std::vector<Category> categories_;
  std::vector<Tag> tags_;
  std::vector<Pattern> patterns_;
  std::vector<PatternHot> hot_;
  std::vector<ProximityRule> rules_;
  Negation negation_;
  Scoring scoring_;
  FlatStringMap<uint32_t> stem_ids_;
  Automaton automaton_;
  size_t subcategory_count_ = 0;
  size_t phrase_count_ = 0;
  size_t exclusion_count_ = 0;
  bool has_punctuation_ = false;
};

// The default taxonomy, embedded at build time from plugins/taxonomy/default.json.
std::string_view DefaultTaxonomyJson();

}  // namespace feedloop::taxonomy
