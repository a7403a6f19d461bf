#include "lexicon.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace feedloop_sentiment {

Entry& LexiconBuilder::Upsert(const std::string& key, uint8_t tokens) {
  Entry& e = entries_[key];
  e.tokens = tokens;
  return e;
}

Lexicon::Lexicon(LexiconBuilder&& builder) {
  // The builder's entries are taken over, not copied (a copy allocated thousands of nodes at
  // every start).
  std::unordered_map<std::string, Entry> all = std::move(builder.entries_);
  // Every phrase needs an entry for its first token, which says how long a phrase may start
  // there; that entry may carry nothing else. The phrases are listed first: adding entries to
  // `all` while walking it would invalidate the walk.
  std::vector<std::pair<std::string, uint8_t>> phrases;
  for (const auto& [key, e] : all) {
    if (e.tokens >= 2) phrases.emplace_back(key, e.tokens);
  }
  for (const auto& [key, phrase_tokens] : phrases) {
    std::string first = key.substr(0, key.find(' '));
    Entry& head = all[first];
    if (head.max_phrase < phrase_tokens) head.max_phrase = phrase_tokens;
    // The phrase's beginnings of 2..n-1 tokens, so that matching knows when to stop.
    uint8_t tokens = 1;
    for (size_t space = key.find(' '); space != std::string::npos;
         space = key.find(' ', space + 1)) {
      if (tokens > 1) {
        auto [it, added] = all.try_emplace(key.substr(0, space));
        if (added) {
          it->second.tokens = tokens;
          it->second.prefix_only = true;
        }
      }
      ++tokens;
    }
  }
  size_t capacity = 16;
  while (capacity < all.size() * 2) capacity *= 2;
  slots_.assign(capacity, Entry{});
  hashes_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (const auto& [key, e] : all) {
    Entry entry = e;
    entry.hash = HashKey(key);
    entry.modal_negator =
        entry.role == Role::kNegator && (key == "can't" || key == "cannot" || key == "cant" ||
                                         key == "couldn't" || key == "couldnt");
    entry.enough = key == "enough";
    entry.key_offset = static_cast<uint32_t>(keys_.size());
    entry.key_size = static_cast<uint32_t>(key.size());
    keys_ += key;
    size_t i = entry.hash & mask_;
    while (hashes_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = entry;
    hashes_[i] = SlotHash(entry.hash);
  }
  count_ = all.size();
}

const Entry* Lexicon::Find(uint64_t hash, std::string_view key) const {
  if (slots_.empty() || key.empty()) return nullptr;
  const uint64_t want = SlotHash(hash);
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    if (hashes_[i] == 0) return nullptr;
    if (hashes_[i] != want) continue;
    const Entry& e = slots_[i];
    if (e.key_size == key.size() &&
        feedloop::bytes::Equal(keys_.data() + e.key_offset, key.data(), key.size())) {
      return &e;
    }
  }
}

const Entry* Lexicon::FindPhrase(uint64_t hash, const feedloop_token* tokens, size_t count) const {
  if (slots_.empty()) return nullptr;
  const uint64_t want = SlotHash(hash);
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    if (hashes_[i] == 0) return nullptr;
    if (hashes_[i] != want) continue;
    const Entry& e = slots_[i];
    if (e.tokens != count) continue;
    // Compare the stored "a b c" with the tokens' norms, one token at a time.
    std::string_view stored = key(e);
    size_t at = 0;
    bool same = true;
    for (size_t t = 0; t < count && same; ++t) {
      std::string_view norm(tokens[t].norm.data, tokens[t].norm.size);
      if (t > 0) same = at < stored.size() && stored[at++] == ' ';
      same = same && at + norm.size() <= stored.size() &&
             feedloop::bytes::Equal(stored.data() + at, norm.data(), norm.size());
      at += norm.size();
    }
    if (same && at == stored.size()) return &e;
  }
}

namespace {

constexpr size_t kMaxPhraseTokens = 8;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses the whole of `field` as a finite decimal number ("-1.5", "+2", "3e-1"), the same in any
// locale. std::from_chars takes under a third of strtod's instructions (strtod was a third of
// the lexicon's start-up).
bool ParseNumber(std::string_view field, double* out) {
  std::string_view s = Trim(field);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  if (s.empty()) return false;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

// 'text' in single quotes, for messages (appended piecewise: GCC 12 warns about "'" + string).
std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

}  // namespace

size_t LoadTsv(std::string_view text, std::string_view name, const KeyTokenizer& tokenize,
               LexiconBuilder& builder) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.remove_prefix(3);
  size_t count = 0;
  size_t line_number = 0;
  std::vector<std::string> norms;
  std::vector<std::string_view> fields;
  while (!text.empty()) {
    ++line_number;
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto fail = [&](const std::string& message) {
      throw LexiconError(std::string(name) + " line " + std::to_string(line_number) + ": " +
                         message);
    };
    if (Trim(line).empty()) continue;
    if (line.front() == '#' && line.find('\t') == std::string_view::npos) continue;
    fields.clear();
    for (size_t start = 0;;) {
      size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (fields.size() < 2) fail("expected token<TAB>valence<TAB>std dev, found no tab");
    std::string_view key = Trim(fields[0]);
    double valence = 0;
    if (!ParseNumber(fields[1], &valence)) {
      fail("the valence " + Quoted(fields[1]) + " is not a number");
    }
    if (valence < -4 || valence > 4) {
      fail("the valence " + std::string(Trim(fields[1])) + " is outside -4..+4");
    }
    double std_dev = 0;
    if (fields.size() > 2 && !Trim(fields[2]).empty() &&
        (!ParseNumber(fields[2], &std_dev) || std_dev < 0)) {
      fail("the standard deviation " + Quoted(fields[2]) + " is not a number >= 0");
    }
    bool negated = false;
    if (key.substr(0, 5) == "<neg>") {
      negated = true;
      key = Trim(key.substr(5));
    }
    if (key.empty()) fail("the token is empty");
    norms.clear();
    tokenize(key, &norms);
    if (norms.empty()) fail(Quoted(key) + " holds no token");
    if (norms.size() > kMaxPhraseTokens) {
      fail(Quoted(key) + " is longer than " + std::to_string(kMaxPhraseTokens) + " tokens");
    }
    std::string joined;
    for (const std::string& n : norms) {
      if (!joined.empty()) joined += ' ';
      joined += n;
    }
    Entry& e = builder.Upsert(joined, static_cast<uint8_t>(norms.size()));
    if (negated) {
      e.negated = static_cast<float>(valence);
      e.has_negated = true;
    } else {
      e.valence = static_cast<float>(valence);
      e.has_valence = true;
    }
    ++count;
  }
  return count;
}

}  // namespace feedloop_sentiment
