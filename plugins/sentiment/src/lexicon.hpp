// The sentiment lexicon: words and phrases (token sequences, as the engine tokenizes them) with
// their valence, the valence they take when negated, and their grammatical role (negator,
// booster, contrast...). Built once per plugin instance at Configure; read-only afterwards, so
// lookups never allocate. Not thread-safe to build; safe to read from the owning instance.
#pragma once

#include <feedloop/plugin.h>
#include <feedloop/bytes.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace feedloop_sentiment {

// What a word does besides carrying a valence.
enum class Role : uint8_t {
  kNone = 0,
  kNegator,         // "not", "never", "without", "didn't": flips what follows in its clause
  kBooster,         // "very", "slightly", "kind of": scales the next sentiment word
  kContrastAfter,   // "but", "however", "except": what follows dominates the sentence
  kContrastClause,  // "although", "though", "despite": its own clause is played down
  kExcess,          // "too": a neutral adjective after it becomes a complaint ("too small")
  kNotNegation,     // "not only", "no doubt about": looks like a negator but is not one
  kStopword,        // function words: never the target of "too X"
  kClauseWord,      // "and", "because", "which": opens a clause a negator does not reach into
};

// Hashes: each token's norm is hashed once (8 bytes at a time, splitmix64 finalizer), and a
// phrase's hash folds its tokens' hashes, so phrase matching reuses the hashes of its tokens.
inline uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline uint64_t HashToken(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) h = Mix(h ^ feedloop::bytes::Load8(s.data() + i));
  return Mix(h ^ feedloop::bytes::LoadTail(s.data() + i, s.size() - i));
}
inline uint64_t HashNext(uint64_t phrase, uint64_t token) {
  return Mix(phrase * 0x100000001b3ull + token);
}
// The hash of a key: one token, or tokens joined with single spaces.
inline uint64_t HashKey(std::string_view key) {
  size_t space = key.find(' ');
  uint64_t h = HashToken(key.substr(0, space));
  while (space != std::string_view::npos) {
    size_t next = key.find(' ', space + 1);
    h = HashNext(
        h, HashToken(key.substr(space + 1, next == std::string_view::npos ? std::string_view::npos
                                                                          : next - space - 1)));
    space = next;
  }
  return h;
}

struct Entry {
  uint64_t hash = 0;
  uint32_t key_offset = 0;  // the key's bytes in the lexicon's arena
  uint32_t key_size = 0;    // 0 marks an empty slot
  float valence = 0;        // when has_valence
  float negated = 0;        // when has_negated: the valence under negation ("no reply")
  float booster = 0;        // when role == kBooster: added to the magnitude of the next word
  Role role = Role::kNone;
  bool has_valence = false;
  bool has_negated = false;
  uint8_t tokens = 1;          // tokens in the key
  uint8_t max_phrase = 0;      // the longest phrase, in tokens, that starts with this key
  bool prefix_only = false;    // only the beginning of longer phrases: matching goes on past it
  bool modal_negator = false;  // "can't", "couldn't": "can't recommend it enough" is praise
  bool enough = false;         // the word "enough"
};

// The lexicon data before it is frozen into a table: later additions override earlier ones, so
// a user's lexicon overrides the default one entry by entry.
class LexiconBuilder {
 public:
  // `key` is the tokens' case-folded forms joined with single spaces.
  Entry& Upsert(const std::string& key, uint8_t tokens);
  size_t size() const { return entries_.size(); }

 private:
  friend class Lexicon;
  std::unordered_map<std::string, Entry> entries_;
};

// The frozen lexicon: open addressing over precomputed 64-bit hashes, linear probing, load
// factor at most 1/2; keys are verified byte for byte, so a hash collision cannot mismatch.
// Probing reads a compact array of hashes and touches an entry only when its hash matches.
// Every proper beginning of a phrase has an entry too (`prefix_only` when it is nothing else),
// so phrase matching stops as soon as no phrase can continue.
class Lexicon {
 public:
  Lexicon() = default;
  explicit Lexicon(LexiconBuilder&& builder);  // takes the builder's entries

  // The entry whose key is `key` (one token's norm), or nullptr.
  const Entry* Find(std::string_view key) const { return Find(HashToken(key), key); }
  const Entry* Find(uint64_t hash, std::string_view key) const;
  // The entry for the phrase made of the norms of `tokens[0..count)`, whose hash is `hash`.
  const Entry* FindPhrase(uint64_t hash, const feedloop_token* tokens, size_t count) const;

  size_t size() const { return count_; }
  std::string_view key(const Entry& e) const { return {keys_.data() + e.key_offset, e.key_size}; }

 private:
  static uint64_t SlotHash(uint64_t h) { return h == 0 ? 1 : h; }  // 0 marks an empty slot

  std::vector<uint64_t> hashes_;
  std::vector<Entry> slots_;
  std::string keys_;
  uint64_t mask_ = 0;
  size_t count_ = 0;
};

// A lexicon file that cannot be used; the message names the file and the line.
class LexiconError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Splits a lexicon key into the norms of the tokens the engine would make of it.
using KeyTokenizer = std::function<void(std::string_view key, std::vector<std::string>* norms)>;

// Reads a lexicon in VADER's tab format into `builder`:
//   token<TAB>mean valence (-4..+4)<TAB>standard deviation<TAB>[ratings, ignored]
// The token may be a phrase of up to 8 tokens ("waste of money"); "<neg> word" gives the valence
// of `word` when a negator reaches it ("<neg> arrived" -> "never arrived", "hasn't arrived").
// Blank lines and lines that start with '#' and hold no tab are skipped. Later lines override
// earlier ones. Returns the number of entries read; throws LexiconError naming `name` and the
// line of the first problem.
size_t LoadTsv(std::string_view text, std::string_view name, const KeyTokenizer& tokenize,
               LexiconBuilder& builder);

}  // namespace feedloop_sentiment
