// The engine's tokenizer: one pass over UTF-8 text giving words, numbers, punctuation runs, emoji,
// emoticons, URLs, e-mail addresses, mentions and hashtags, each with byte offsets and a
// case-folded form. ASCII bytes take a table-driven fast path; other code points are classified
// with ICU, so any script works (scripts written without spaces give one token per character).
//
// Plugins receive these tokens with every item, and can tokenize their own patterns through the
// host API, so patterns and texts are always split the same way.
#pragma once

#include <feedloop/plugin.h>

#include <string>
#include <string_view>
#include <vector>

namespace feedloop::text {

// Tokens of one text plus the storage for their case-folded forms. Reusable: Tokenize clears it.
// The tokens' `norm` pointers point into this buffer or into the tokenized text, so both must
// outlive the tokens. Not thread-safe; use one per thread.
class TokenBuffer {
 public:
  const std::vector<feedloop_token>& tokens() const { return tokens_; }
  size_t size() const { return tokens_.size(); }
  const feedloop_token& operator[](size_t i) const { return tokens_[i]; }
  static std::string_view Norm(const feedloop_token& t) { return {t.norm.data, t.norm.size}; }

 private:
  friend class Tokenizer;
  friend class Vocabulary;  // sets the tokens' `word`
  std::vector<feedloop_token> tokens_;
  std::string norms_;
  std::vector<size_t> folded_;
};

struct TokenizerOptions {
  // Classify ASCII through ICU as well (the reference path the fast path is tested against).
  bool force_unicode_path = false;
};

// Stateless apart from its options; thread-safe.
class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options = {}) : options_(options) {}
  void Tokenize(std::string_view text, TokenBuffer* out) const;

 private:
  TokenizerOptions options_;
};

std::string_view TokenKindName(uint16_t kind);

}  // namespace feedloop::text
