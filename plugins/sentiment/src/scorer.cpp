#include "scorer.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace feedloop_sentiment {
namespace {

std::string_view Norm(const feedloop_token& t) {
  return {t.norm.data, t.norm.size};
}

float Sign(float v) {
  return v < 0 ? -1.0f : 1.0f;
}

bool IsQuote(std::string_view p) {
  return p == "\"" || p == "'" || p == "`" || p == "*" || p == "\u201c" || p == "\u201d" ||
         p == "\u2018" || p == "\u2019" || p == "''" || p == "\"\"";
}

// Collapses runs of three or more equal letters to `keep` ("soooo" -> "soo" or "so") into `buf`.
std::string_view Unstretch(std::string_view s, size_t keep, char* buf, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t run = 1;
    while (i + run < s.size() && s[i + run] == s[i]) ++run;
    size_t take = run >= 3 ? keep : run;
    if (n + take > cap) return {};
    for (size_t k = 0; k < take; ++k) buf[n++] = s[i];
    i += run - 1;
  }
  return {buf, n};
}

bool HasStretch(std::string_view s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] == s[i + 1] && s[i] == s[i + 2] && static_cast<unsigned char>(s[i]) >= 'a')
      return true;
  }
  return false;
}

}  // namespace

// Emoji keys drop variation selectors and skin tones, so "👍🏽" finds "👍".
std::string_view StripEmojiModifiers(std::string_view s, char* buf, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    // U+FE0E / U+FE0F: EF B8 8E/8F. U+1F3FB..U+1F3FF: F0 9F 8F BB..BF.
    if (i + 2 < s.size() && b(0) == 0xEF && b(1) == 0xB8 && (b(2) == 0x8E || b(2) == 0x8F)) {
      i += 3;
      continue;
    }
    if (i + 3 < s.size() && b(0) == 0xF0 && b(1) == 0x9F && b(2) == 0x8F && b(3) >= 0xBB &&
        b(3) <= 0xBF) {
      i += 4;
      continue;
    }
    if (n >= cap) return s;
    buf[n++] = s[i++];
  }
  return {buf, n};
}

const Entry* Scorer::LookupToken(const feedloop_token& t, uint64_t hash) const {
  std::string_view norm = Norm(t);
  if (const Entry* e = lexicon_->Find(hash, norm)) return e;
  char buf[96];
  switch (t.kind) {
    case FEEDLOOP_TOKEN_WORD:
      if (norm.size() <= sizeof(buf) && HasStretch(norm)) {
        if (const Entry* e = lexicon_->Find(Unstretch(norm, 2, buf, sizeof(buf)))) return e;
        return lexicon_->Find(Unstretch(norm, 1, buf, sizeof(buf)));
      }
      return nullptr;
    case FEEDLOOP_TOKEN_HASHTAG:
      return lexicon_->Find(norm.substr(1));
    case FEEDLOOP_TOKEN_EMOJI: {
      std::string_view plain = StripEmojiModifiers(norm, buf, sizeof(buf));
      if (plain.size() != norm.size()) return lexicon_->Find(plain);
      return nullptr;
    }
    default:
      return nullptr;
  }
}

// Reads the unit that starts at tokens[i]: the longest phrase of the lexicon there, else the
// token itself. Returns how many tokens it covers.
size_t Scorer::MatchUnit(const feedloop_token* tokens, size_t i, size_t end, Unit* unit) {
  const feedloop_token& t = tokens[i];
  const Entry* e;
  if (t.word != 0) {
    Word& w = words_[t.word];
    if (!w.looked_up) {
      w.entry = LookupToken(t, TokenHash(i));
      w.looked_up = true;
    }
    e = w.entry;
  } else {
    e = LookupToken(t, TokenHash(i));
  }
  size_t length = 1;
  if (e != nullptr && e->max_phrase > 1) {
    // Grow the phrase one token at a time while the lexicon knows it as a phrase or the
    // beginning of one; the longest real phrase wins.
    constexpr size_t kMaxPhrase = 8;
    size_t longest = std::min<size_t>({e->max_phrase, end - i, kMaxPhrase});
    uint64_t h = TokenHash(i);
    for (size_t k = 2; k <= longest; ++k) {
      h = HashNext(h, TokenHash(i + k - 1));
      const Entry* p = lexicon_->FindPhrase(h, tokens + i, k);
      if (p == nullptr) break;
      if (p->prefix_only) continue;
      e = p;
      length = k;
    }
  }
  *unit = Unit{};
  unit->entry = e;
  unit->content = t.kind == FEEDLOOP_TOKEN_WORD || t.kind == FEEDLOOP_TOKEN_HASHTAG;
  if (e != nullptr && e->role != Role::kNone) unit->content = false;
  for (size_t k = 0; k < length; ++k) {
    unit->caps = unit->caps || (tokens[i + k].flags & FEEDLOOP_TOKEN_ALL_CAPS) != 0;
  }
  return length;
}

// "can't recommend it enough", "couldn't thank them enough": a modal negator with "enough" later
// in its clause is praise, not negation.
void Scorer::MarkCantEnough(size_t n) {
  for (size_t j = 0; j < n; ++j) {
    Unit& u = units_[j];
    if (u.entry == nullptr || !u.entry->modal_negator) continue;
    for (size_t k = j + 1; k < n && !units_[k].clause_break; ++k) {
      if (units_[k].entry != nullptr && units_[k].entry->enough) {
        u.not_negating = true;
        break;
      }
    }
  }
}

bool Scorer::Negated(size_t j) const {
  int reach = 0;
  for (size_t k = j; k-- > 0;) {
    const Unit& u = units_[k];
    if (u.clause_break) return false;
    if (u.entry != nullptr) {
      Role r = u.entry->role;
      if (r == Role::kNegator) {
        if (u.not_negating) continue;
        return true;
      }
      if (r == Role::kContrastAfter || r == Role::kContrastClause || r == Role::kNotNegation ||
          r == Role::kClauseWord) {
        return false;
      }
    }
    if (u.content && ++reach > rules_.negation_reach) return false;
  }
  return false;
}

float Scorer::Boost(size_t j, float v, bool mixed_caps) const {
  static constexpr float kDecay[] = {1.0f, 0.95f, 0.9f};
  for (size_t d = 1; d <= 3 && d <= j; ++d) {
    const Unit& u = units_[j - d];
    if (u.clause_break) break;
    if (u.booster) {
      float b = u.entry->booster * kDecay[d - 1];
      if (u.caps && mixed_caps && b != 0) b += Sign(b) * rules_.caps_boost * 0.5f;
      v += Sign(v) * b;
    } else if (u.entry != nullptr && u.entry->has_valence && u.entry->valence != 0) {
      break;  // a booster belongs to the nearest sentiment word
    }
  }
  return v;
}

SentenceSum Scorer::Score(const feedloop_token* tokens, size_t begin, size_t end, bool mixed_caps,
                          bool words) {
  SentenceSum result;
  // At most one unit per token; units are written in place (units_ only grows, so a sentence
  // allocates nothing once the longest one has been seen).
  if (units_.size() < end - begin) units_.resize(end - begin);
  size_t n = 0;
  hash_begin_ = begin;
  token_hashes_.resize(end - begin);
  for (size_t i = begin; i < end; ++i) {
    const feedloop_token& t = tokens[i];
    if (t.word == 0) {
      token_hashes_[i - begin] = HashToken(Norm(t));
      continue;
    }
    Word& w = words_[t.word];
    if (!w.hashed) {
      w.hash = HashToken(Norm(t));
      w.hashed = true;
    }
    token_hashes_[i - begin] = w.hash;
  }
  int exclaims = 0;
  int questions = 0;
  for (size_t i = begin; i < end;) {
    const feedloop_token& t = tokens[i];
    switch (t.kind) {
      case FEEDLOOP_TOKEN_PUNCT: {
        std::string_view p = Norm(t);
        for (char c : p) {
          exclaims += c == '!';
          questions += c == '?';
        }
        Unit& unit = units_[n++];
        unit = Unit{};
        unit.clause_break = !IsQuote(p);
        ++i;
        continue;
      }
      case FEEDLOOP_TOKEN_URL:
      case FEEDLOOP_TOKEN_EMAIL:
      case FEEDLOOP_TOKEN_MENTION:
      case FEEDLOOP_TOKEN_SYMBOL:
        ++i;
        continue;
      case FEEDLOOP_TOKEN_EMOJI:
      case FEEDLOOP_TOKEN_EMOTICON:
        i += MatchUnit(tokens, i, end, &units_[n++]);
        break;
      default:
        if (!words) {
          ++i;
          continue;
        }
        i += MatchUnit(tokens, i, end, &units_[n++]);
        break;
    }
  }
  if (n == 0) return result;

  MarkCantEnough(n);

  // Roles that depend on the neighbours: a word that is both a booster and a sentiment word
  // ("pretty", "super", "damn") boosts when a sentiment word follows, else counts on its own.
  // Contrast words weight the clauses around them.
  size_t last_but = n;
  for (size_t j = 0; j < n; ++j) {
    Unit& u = units_[j];
    const Entry* e = u.entry;
    if (e == nullptr) continue;
    u.valence = e->has_valence ? e->valence : 0;
    const Unit* next = j + 1 < n ? &units_[j + 1] : nullptr;
    bool next_has_valence =
        next != nullptr && next->entry != nullptr &&
        ((next->entry->has_valence && next->entry->valence != 0) || next->entry->has_negated);
    if (e->role == Role::kBooster || e->role == Role::kExcess) {
      u.booster = next_has_valence || !e->has_valence;
      if (u.booster) u.valence = 0;
      if (e->role == Role::kExcess && !next_has_valence && next != nullptr && next->content &&
          !next->clause_break) {
        u.excess = true;
        u.booster = false;
      }
    }
    if (e->role == Role::kContrastAfter) last_but = j;
    if (e->role == Role::kContrastClause) {
      for (size_t k = j + 1; k < n && !units_[k].clause_break; ++k) {
        if (units_[k].entry != nullptr && units_[k].entry->role == Role::kContrastAfter) break;
        units_[k].multiplier *= rules_.subordinate;
      }
    }
  }
  if (last_but < n) {
    result.opens_with_contrast = last_but == 0;
    for (size_t j = 0; j < last_but; ++j) units_[j].multiplier *= rules_.before_but;
    for (size_t j = last_but + 1; j < n; ++j) units_[j].multiplier *= rules_.after_but;
  }

  float sum = 0;
  for (size_t j = 0; j < n; ++j) {
    const Unit& u = units_[j];
    if (u.booster || u.clause_break) continue;
    float v = u.valence;
    if (v == 0 && u.entry != nullptr && u.entry->role == Role::kNegator && u.entry->tokens == 1 &&
        (j + 1 == n || units_[j + 1].clause_break)) {
      sum += rules_.lone_negator * u.multiplier;
      continue;
    }
    bool has_negated = u.entry != nullptr && u.entry->has_negated;
    if (v == 0 && u.content && j > 0 && units_[j - 1].excess) v = rules_.excess_valence;
    if (v == 0 && !has_negated) continue;
    bool negated = Negated(j);
    if (negated && has_negated) {
      v = u.entry->negated;
    } else if (negated) {
      v *= v > 0 ? rules_.negate_positive : rules_.negate_negative;
    }
    if (v == 0) continue;
    if (u.caps && mixed_caps) v += Sign(v) * rules_.caps_boost;
    v = Boost(j, v, mixed_caps);
    sum += v * u.multiplier;
  }
  if (sum != 0) {
    float amp = static_cast<float>(std::min(exclaims, 4)) * rules_.exclaim;
    if (questions > 1) amp += std::min(0.96f, static_cast<float>(questions) * rules_.question);
    sum += Sign(sum) * amp;
  }
  result.sum = sum;
  return result;
}

}  // namespace feedloop_sentiment
