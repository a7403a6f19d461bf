#include "feedloop/text/vocabulary.hpp"

#include <feedloop/bytes.hpp>

namespace feedloop::text {
namespace {

// Addresses are nearly all distinct: ids would only fill the vocabulary.
bool HasId(uint16_t kind) {
  return kind != FEEDLOOP_TOKEN_URL && kind != FEEDLOOP_TOKEN_EMAIL &&
         kind != FEEDLOOP_TOKEN_MENTION;
}

uint32_t Tag(uint64_t hash) {
  return static_cast<uint32_t>(hash >> 48) << 16;
}

}  // namespace

Vocabulary::Vocabulary(uint32_t max_words)
    : max_words_(max_words < 0xFFFF ? max_words : 0xFFFF), slots_(4096) {}

void Vocabulary::Assign(TokenBuffer* tokens) {
  for (feedloop_token& t : tokens->tokens_) t.word = Intern(t.kind, {t.norm.data, t.norm.size});
}

uint32_t Vocabulary::Intern(uint16_t kind, std::string_view norm) {
  if (norm.empty() || norm.size() > kMaxWordBytes || !HasId(kind)) return 0;
  const uint64_t hash = bytes::Hash(norm);
  const uint32_t tag = Tag(hash);
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  for (uint32_t s; (s = slots_[i]) != 0; i = (i + 1) & mask) {
    if ((s & 0xFFFF0000u) != tag) continue;
    const uint32_t id = s & 0xFFFFu;
    const Word& w = words_[id - 1];
    if (w.kind == kind && w.size == norm.size() &&
        bytes::Equal(arena_.data() + w.offset, norm.data(), norm.size())) {
      return id;
    }
  }
  if (words_.size() >= max_words_) return 0;
  words_.push_back(
      {hash, static_cast<uint32_t>(arena_.size()), static_cast<uint16_t>(norm.size()), kind});
  arena_.append(norm);
  const uint32_t id = static_cast<uint32_t>(words_.size());
  if (words_.size() * 2 > slots_.size()) {
    Grow();  // places the new word too
  } else {
    slots_[i] = tag | id;
  }
  return id;
}

void Vocabulary::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (size_t k = 0; k < words_.size(); ++k) {
    size_t i = words_[k].hash & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = Tag(words_[k].hash) | static_cast<uint32_t>(k + 1);
  }
}

}  // namespace feedloop::text
