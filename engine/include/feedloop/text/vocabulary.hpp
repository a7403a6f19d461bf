// A worker's vocabulary: gives each distinct (kind, norm) of the tokens it sees a small dense id,
// 1, 2, ... in order of first appearance, written into the tokens' `word` field (plugin ABI 1.2).
// A plugin keeps what it computes per word (a lexicon entry, a stem) in an array by id instead of
// hashing and looking up every token in a table of its own; the host interns once per token for
// all plugins.
//
// Tokens of every kind but addresses (URLs, e-mail addresses, mentions: nearly all distinct) get
// ids, up to `max_words` of them and of at most kMaxWordBytes bytes each; the others, and every
// new one once the vocabulary is full, get 0 and plugins take their own path. Not thread-safe: one
// per worker, and a plugin instance sees the ids of one vocabulary only.
#pragma once

#include <feedloop/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/text/tokenizer.hpp"

namespace feedloop::text {

class Vocabulary {
 public:
  static constexpr size_t kMaxWordBytes = 32;
  static constexpr uint32_t kDefaultMaxWords = 65535;

  explicit Vocabulary(uint32_t max_words = kDefaultMaxWords);

  // Sets `word` of every token of `tokens` that gets an id (and 0 on the others).
  void Assign(TokenBuffer* tokens);
  // The id of (kind, norm), added if new; 0 when it gets none (see above).
  uint32_t Intern(uint16_t kind, std::string_view norm);

  uint32_t size() const { return static_cast<uint32_t>(words_.size()); }

 private:
  // What an id stands for, by id - 1.
  struct Word {
    uint64_t hash;
    uint32_t offset;  // of the norm in arena_
    uint16_t size;
    uint16_t kind;
  };
  void Grow();

  uint32_t max_words_;
  // Open addressing, at most half full, four bytes a slot so that the table of a few thousand
  // words stays in the first-level cache: the hash's top 16 bits, then the id (0: empty).
  std::vector<uint32_t> slots_;
  std::vector<Word> words_;
  std::string arena_;
};

}  // namespace feedloop::text
