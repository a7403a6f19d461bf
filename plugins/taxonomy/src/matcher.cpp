#include "matcher.hpp"

#include <algorithm>
#include <cstdio>

namespace feedloop::taxonomy {
namespace {

// How far apart (in tokens) the first tokens of two matches can be when one contains the other:
// two terms of at most kMaxPhraseTokens and at most 20 tokens between them.
constexpr uint32_t kShadowReach = 2 * kMaxPhraseTokens + 21;
// At most this many hits of one side of one proximity rule are paired per item.
constexpr size_t kMaxProximityHits = 64;
// Evidence spans kept per tag (the host keeps 64).
constexpr size_t kMaxSpansPerTag = 64;
// The explain annotation lists at most this many matches and suppressions each.
constexpr size_t kMaxExplained = 50;

// ",\"key\":123"
void AppendField(std::string& out, const char* key, size_t value) {
  out += ",\"";
  out += key;
  out += "\":";
  out += std::to_string(value);
}

// "[begin,end]"
void AppendPair(std::string& out, uint32_t begin, uint32_t end) {
  out += '[';
  out += std::to_string(begin);
  out += ',';
  out += std::to_string(end);
  out += ']';
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", v);
  out += buf;
}

}  // namespace

Matcher::Matcher(const Taxonomy& taxonomy, size_t cache_entries)
    : tax_(taxonomy),
      stemmer_(taxonomy.language()),
      cache_(1024),  // grows with use, up to cache_entries
      cache_limit_(cache_entries),
      rule_slots_(taxonomy.rules().size(), 0) {}

uint8_t Matcher::FlagsOf(std::string_view norm) const {
  const Negation& neg = tax_.negation();
  uint8_t flags = 0;
  if (neg.IsNegator(norm)) flags |= kNegator;
  if (neg.IsBreaker(norm)) flags |= kBreaker;
  if (neg.IsPseudoFollower(norm)) flags |= kPseudoFollower;
  return flags;
}

// The stem id and negation flags of a token, from the cache when it has been seen before.
Matcher::TokenInfo Matcher::Classify(const feedloop_token& t) {
  std::string_view norm = sdk::View(t.norm);
  uint8_t punct = t.kind == FEEDLOOP_TOKEN_PUNCT ? kPunct : 0;
  if (punct != 0 && !tax_.has_punctuation()) return {0, punct};  // ends negation scopes only
  if (norm.size() > kMaxTokenBytes) return {0, static_cast<uint8_t>(punct | FlagsOf(norm))};
  if (t.word != 0) {
    Word& w = words_[t.word];
    if (!w.known) {
      w.stem = tax_.StemId(t.kind == FEEDLOOP_TOKEN_WORD ? stemmer_.Stem(norm) : norm);
      w.flags = FlagsOf(norm);
      w.known = true;
    }
    return {w.stem, static_cast<uint8_t>(w.flags | punct)};
  }
  uint64_t hash = bytes::Hash(norm);
  if (const CacheEntry* e = cache_.Find(norm, hash)) {
    return {e->stem, static_cast<uint8_t>(e->flags | punct)};
  }
  std::string_view stem = t.kind == FEEDLOOP_TOKEN_WORD ? stemmer_.Stem(norm) : norm;
  CacheEntry entry{tax_.StemId(stem), FlagsOf(norm)};
  if (cache_.size() >= cache_limit_) cache_.Clear();  // bounded: start over when full
  cache_.Put(norm, hash, entry);
  return {entry.stem, static_cast<uint8_t>(entry.flags | punct)};
}

bool Matcher::IsExact(const Pattern& p, uint32_t first) const {
  for (size_t k = 0; k < p.norms.size(); ++k) {
    if (sdk::Item::norm(item_->token(first + k)) != p.norms[k]) return false;
  }
  return true;
}

uint32_t Matcher::NegatorBefore(uint32_t start) const {
  uint32_t window = tax_.negation().window;
  for (uint32_t seen = 0, j = start; j > 0 && seen < window; ++seen) {
    --j;
    const TokenInfo& info = infos_[j];
    if ((info.flags & (kPunct | kBreaker)) != 0) return kNone;
    if ((item_->token(j).flags & FEEDLOOP_TOKEN_SENTENCE_END) != 0) return kNone;
    if ((info.flags & kNegator) == 0) continue;
    bool pseudo = j + 1 < infos_.size() && (infos_[j + 1].flags & kPseudoFollower) != 0 &&
                  tax_.negation().IsPseudo(sdk::Item::norm(item_->token(j)),
                                           sdk::Item::norm(item_->token(j + 1)));
    if (!pseudo) return j;
  }
  return kNone;
}

bool Matcher::InScope(const Pattern& exclusion, uint32_t tag) const {
  switch (exclusion.scope) {
    case Scope::kAll:
      return true;
    case Scope::kCategory:
      return tax_.tags()[tag].category == exclusion.target;
    case Scope::kTag:
      return tag == exclusion.target;
  }
  return false;
}

// Whether an exclusion in the candidate's scope overlaps one of its matched ranges.
bool Matcher::Excluded(const Candidate& c, uint32_t* by) const {
  for (const Range& r : {c.a, c.b}) {
    if (r.first == kNone) continue;
    // Exclusions are ordered by their last token and are at most kMaxPhraseTokens long.
    auto it = std::lower_bound(exclusions_.begin(), exclusions_.end(), r.first,
                               [](const Hit& h, uint32_t v) { return h.last < v; });
    for (; it != exclusions_.end() && it->last < r.last + kMaxPhraseTokens; ++it) {
      if (it->first > r.last || it->last < r.first) continue;
      if (!InScope(tax_.patterns()[it->pattern], c.tag)) continue;
      *by = static_cast<uint32_t>(it - exclusions_.begin());
      return true;
    }
  }
  return false;
}

double Matcher::Strength(uint32_t tag, double weight, bool exact, bool proximity) const {
  const Scoring& s = tax_.scoring();
  double v = s.base * tax_.tags()[tag].weight * weight;
  if (!exact) v *= s.stemmed;
  if (proximity) v *= s.proximity;
  return std::min(v, 0.99);
}

void Matcher::Match(const sdk::Item& item, bool explain) {
  item_ = &item;
  hits_.clear();
  proximity_.clear();
  touched_rules_.clear();
  exclusions_.clear();
  candidates_.clear();
  evidence_.clear();
  results_.clear();
  spans_.clear();
  explain_.clear();

  // One pass: classify every token and run the automaton.
  size_t n = item.token_count();
  infos_.resize(n);
  const Automaton& automaton = tax_.automaton();
  const std::vector<PatternHot>& hot = tax_.hot();
  uint32_t state = Automaton::kRoot;
  for (uint32_t i = 0; i < n; ++i) {
    TokenInfo info = Classify(item.token(i));
    infos_[i] = info;
    state = automaton.Next(state, info.stem);
    if (!automaton.HasOutput(state)) continue;
    automaton.ForEachOutput(state, [&](uint32_t p) {
      const PatternHot& ph = hot[p];
      Hit h{p, i + 1 - ph.length, i};
      switch (ph.kind) {
        case PatternKind::kExclusion:
          exclusions_.push_back(h);
          break;
        case PatternKind::kProximityTerm: {
          proximity_.push_back(h);
          uint8_t& sides = rule_slots_[ph.rule];
          if (sides == 0) touched_rules_.push_back(ph.rule);
          sides |= static_cast<uint8_t>(1u << ph.slot);
          break;
        }
        default:
          hits_.push_back(h);
      }
    });
  }
  if (hits_.empty() && proximity_.empty()) {
    if (explain) BuildExplain();
    return;
  }
  AddPhraseCandidates();
  AddProximityCandidates();
  Shadow();
  Aggregate();
  if (explain) BuildExplain();
}

void Matcher::AddPhraseCandidates() {
  const std::vector<Pattern>& patterns = tax_.patterns();
  for (const Hit& h : hits_) {
    const Pattern& p = patterns[h.pattern];
    bool exact = IsExact(p, h.first);
    if (p.exact_only && !exact) continue;
    Candidate c{};
    c.tag = p.target;
    c.source = h.pattern;
    c.exact = exact;
    c.reason = Reason::kNone;
    c.a = {h.first, h.last};
    c.b = {kNone, kNone};
    c.first = h.first;
    c.last = h.last;
    if (p.kind == PatternKind::kNegatedPhrase) {
      // Counts only inside a negation scope; the negator is part of the evidence.
      uint32_t neg = NegatorBefore(h.first);
      if (neg == kNone) continue;
      c.type = Type::kNegatedPhrase;
      c.a.first = c.first = neg;
    } else {
      c.type = Type::kPhrase;
      uint32_t neg = p.self_negated ? kNone : NegatorBefore(h.first);
      if (neg != kNone) {
        c.reason = Reason::kNegated;
        c.by_first = c.by_last = neg;
      }
    }
    c.length = c.a.last - c.a.first + 1;
    c.words = static_cast<uint32_t>(p.stems.size());
    uint32_t by = 0;
    if (c.reason == Reason::kNone && Excluded(c, &by)) {
      c.reason = Reason::kExcluded;
      c.by = by;
    }
    c.strength = Strength(c.tag, p.weight, exact, false);
    candidates_.push_back(c);
  }
}

void Matcher::AddProximityCandidates() {
  const std::vector<Pattern>& patterns = tax_.patterns();
  for (uint32_t rule_index : touched_rules_) {
    bool both = rule_slots_[rule_index] == 3;
    rule_slots_[rule_index] = 0;
    if (!both) continue;  // most rules see one side only
    side0_.clear();
    side1_.clear();
    for (const Hit& h : proximity_) {
      const Pattern& p = patterns[h.pattern];
      if (p.rule != rule_index) continue;
      std::vector<Hit>& side = p.slot == 0 ? side0_ : side1_;
      if (side.size() < kMaxProximityHits) side.push_back(h);
    }
    const ProximityRule& rule = tax_.rules()[rule_index];
    // Each hit of the second term pairs with the nearest hit of the first that fits.
    for (const Hit& second : side1_) {
      const Hit* best = nullptr;
      uint32_t best_gap = kNone;
      for (const Hit& first : side0_) {
        uint32_t gap;
        if (first.last < second.first) {
          gap = second.first - first.last - 1;
        } else if (second.last < first.first && !rule.ordered) {
          gap = first.first - second.last - 1;
        } else {
          continue;
        }
        if (gap > rule.within || gap >= best_gap) continue;
        // Never across a sentence end.
        uint32_t from = std::min(first.last, second.last);
        uint32_t to = std::max(first.first, second.first);
        bool crosses = false;
        for (uint32_t k = from; k < to; ++k) {
          if ((item_->token(k).flags & FEEDLOOP_TOKEN_SENTENCE_END) != 0) crosses = true;
        }
        if (crosses) continue;
        best = &first;
        best_gap = gap;
      }
      if (best == nullptr) continue;
      const Pattern& p0 = patterns[best->pattern];
      const Pattern& p1 = patterns[second.pattern];
      bool exact = IsExact(p0, best->first) && IsExact(p1, second.first);
      if ((p0.exact_only || p1.exact_only) && !exact) continue;
      Candidate c{};
      c.tag = rule.tag;
      c.source = rule_index;
      c.type = Type::kProximity;
      c.exact = exact;
      c.reason = Reason::kNone;
      const Hit& early = best->first < second.first ? *best : second;
      const Hit& late = best->first < second.first ? second : *best;
      c.a = {early.first, early.last};
      c.b = {late.first, late.last};
      c.first = early.first;
      c.last = late.last;
      c.length = (c.a.last - c.a.first + 1) + (c.b.last - c.b.first + 1);
      c.words = c.length;
      // A term that carries its own negator ("no ... update") makes the rule a negated
      // complaint; otherwise a negator before either term suppresses it.
      if (!p0.self_negated && !p1.self_negated) {
        uint32_t neg = NegatorBefore(early.first);
        if (neg == kNone) neg = NegatorBefore(late.first);
        if (neg != kNone) {
          c.reason = Reason::kNegated;
          c.by_first = c.by_last = neg;
        }
      }
      uint32_t by = 0;
      if (c.reason == Reason::kNone && Excluded(c, &by)) {
        c.reason = Reason::kExcluded;
        c.by = by;
      }
      c.strength = Strength(c.tag, rule.weight, exact, true);
      candidates_.push_back(c);
    }
  }
}

// The longest match wins: a match whose tokens all lie inside a longer match that counts is
// dropped ("late refund" is returns, not also delivery/late). Between a negated phrase and another
// over the same tokens ("wasn't packed properly"), the one with more words of its own wins.
void Matcher::Shadow() {
  order_.clear();
  for (uint32_t k = 0; k < candidates_.size(); ++k) {
    if (candidates_[k].reason == Reason::kNone) order_.push_back(k);
  }
  std::sort(order_.begin(), order_.end(),
            [&](uint32_t x, uint32_t y) { return candidates_[x].first < candidates_[y].first; });
  auto inside = [](const Range& r, const Candidate& outer) {
    if (r.first >= outer.a.first && r.last <= outer.a.last) return true;
    return outer.b.first != kNone && r.first >= outer.b.first && r.last <= outer.b.last;
  };
  auto longer = [](const Candidate& outer, const Candidate& inner) {
    return outer.length > inner.length ||
           (outer.length == inner.length && outer.words > inner.words);
  };
  for (size_t x = 0; x < order_.size(); ++x) {
    Candidate& inner = candidates_[order_[x]];
    // Outer matches start at or before the inner one, and not far before.
    for (size_t y = x + 1; y-- > 0;) {
      const Candidate& outer = candidates_[order_[y]];
      if (outer.first + kShadowReach < inner.first) break;
      if (y == x || !longer(outer, inner) || outer.reason == Reason::kShadowed) continue;
      if (!inside(inner.a, outer) || (inner.b.first != kNone && !inside(inner.b, outer))) continue;
      Absorb(inner, order_[y]);
      break;
    }
    // Matches starting at the same token sort in any order: look forward over them too.
    for (size_t y = x + 1; y < order_.size() && inner.reason == Reason::kNone; ++y) {
      const Candidate& outer = candidates_[order_[y]];
      if (outer.first != inner.first) break;
      if (!longer(outer, inner)) continue;
      if (!inside(inner.a, outer) || (inner.b.first != kNone && !inside(inner.b, outer))) continue;
      Absorb(inner, order_[y]);
    }
  }
}

// `inner` lies inside the longer match `outer_index`: it is dropped, and when both are evidence of
// the same tag the longer one is at least as strong ("stopped working" inside "stopped working
// ... after a week").
void Matcher::Absorb(Candidate& inner, uint32_t outer_index) {
  Candidate& outer = candidates_[outer_index];
  inner.reason = Reason::kShadowed;
  inner.by = outer_index;
  if (outer.tag == inner.tag) outer.strength = std::max(outer.strength, inner.strength);
}

// Per tag: its evidence spans, and a confidence that grows with every independent piece of
// evidence: 1 - prod(1 - strength). Overlapping matches of one tag ("box arrived crushed" by a
// proximity rule and "arrived crushed" by a phrase) are one piece of evidence, as strong as the
// strongest of them.
void Matcher::Aggregate() {
  for (const Candidate& c : candidates_) {
    if (c.reason != Reason::kNone) continue;
    evidence_.push_back({c.tag, item_->token(c.first).begin, item_->token(c.last).end, c.strength});
  }
  if (evidence_.empty()) return;
  std::sort(evidence_.begin(), evidence_.end(), [](const Evidence& x, const Evidence& y) {
    if (x.tag != y.tag) return x.tag < y.tag;
    if (x.begin != y.begin) return x.begin < y.begin;
    return x.end < y.end;
  });
  double min_confidence = tax_.scoring().min_confidence;
  size_t i = 0;
  while (i < evidence_.size()) {
    uint32_t tag = evidence_[i].tag;
    TagResult r;
    r.tag = tag;
    r.span_begin = static_cast<uint32_t>(spans_.size());
    double miss = 1;
    while (i < evidence_.size() && evidence_[i].tag == tag) {
      feedloop_span span{evidence_[i].begin, evidence_[i].end};
      double strength = evidence_[i].strength;
      for (++i; i < evidence_.size() && evidence_[i].tag == tag && evidence_[i].begin < span.end;
           ++i) {
        span.end = std::max(span.end, evidence_[i].end);
        strength = std::max(strength, evidence_[i].strength);
      }
      miss *= 1 - strength;
      if (spans_.size() - r.span_begin < kMaxSpansPerTag) spans_.push_back(span);
    }
    r.span_count = static_cast<uint32_t>(spans_.size()) - r.span_begin;
    r.confidence = std::min(1 - miss, 0.99);
    if (r.confidence >= min_confidence) {
      results_.push_back(r);
    } else {
      spans_.resize(r.span_begin);
    }
  }
  // The first complaint first.
  std::sort(results_.begin(), results_.end(), [&](const TagResult& x, const TagResult& y) {
    return spans_[x.span_begin].begin < spans_[y.span_begin].begin;
  });
}

void Matcher::AppendSpan(std::string& out, uint32_t first, uint32_t last,
                         const char* text_key) const {
  uint32_t begin = item_->token(first).begin;
  uint32_t end = item_->token(last).end;
  AppendPair(out, begin, end);
  out += ",\"";
  out += text_key;
  out += "\":";
  json::AppendQuoted(out, item_->text().substr(begin, end - begin));
}

void Matcher::BuildExplain() {
  std::string& out = explain_;
  const std::vector<Pattern>& patterns = tax_.patterns();
  out += "{\"taxonomy\":{\"name\":";
  json::AppendQuoted(out, tax_.name());
  out += ",\"source\":";
  json::AppendQuoted(out, tax_.source());
  out += ",\"language\":";
  json::AppendQuoted(out, tax_.language());
  AppendField(out, "categories", tax_.categories().size());
  AppendField(out, "subcategories", tax_.subcategory_count());
  AppendField(out, "phrases", tax_.phrase_count());
  AppendField(out, "proximity_rules", tax_.rules().size());
  AppendField(out, "exclusions", tax_.exclusion_count());
  out += "}";

  auto describe = [&](const Candidate& c) {
    const Tag& tag = tax_.tags()[c.tag];
    out += "{\"tag\":";
    json::AppendQuoted(out, tag.name);
    const char* type = c.type == Type::kPhrase          ? "phrase"
                       : c.type == Type::kNegatedPhrase ? "negated_phrase"
                                                        : "proximity";
    out += ",\"type\":\"";
    out += type;
    out += "\",\"rule\":";
    if (c.type == Type::kProximity) {
      json::AppendQuoted(out, tax_.rules()[c.source].text);
      AppendField(out, "line", tax_.rules()[c.source].line);
    } else {
      json::AppendQuoted(out, patterns[c.source].text);
      AppendField(out, "line", patterns[c.source].line);
    }
    out += ",\"span\":";
    AppendSpan(out, c.first, c.last, "text");
    out += ",\"match\":\"";
    out += c.exact ? "exact" : "stemmed";
    out += "\",\"strength\":";
    AppendNumber(out, c.strength);
  };

  out += ",\"matches\":[";
  size_t listed = 0;
  for (const Candidate& c : candidates_) {
    if (c.reason != Reason::kNone || listed == kMaxExplained) continue;
    if (listed++ > 0) out += ",";
    describe(c);
    out += "}";
  }
  out += "],\"suppressed\":[";
  listed = 0;
  for (const Candidate& c : candidates_) {
    if (c.reason == Reason::kNone || listed == kMaxExplained) continue;
    if (listed++ > 0) out += ",";
    describe(c);
    out += ",\"reason\":";
    if (c.reason == Reason::kNegated) {
      out += "\"negated\",\"by\":";
      json::AppendQuoted(out, sdk::Item::norm(item_->token(c.by_first)));
      out += ",\"by_span\":";
      AppendSpan(out, c.by_first, c.by_last, "by_text");
    } else if (c.reason == Reason::kExcluded) {
      const Hit& h = exclusions_[c.by];
      out += "\"excluded\",\"by\":";
      json::AppendQuoted(out, patterns[h.pattern].text);
      AppendField(out, "by_line", patterns[h.pattern].line);
      out += ",\"by_span\":";
      AppendSpan(out, h.first, h.last, "by_text");
    } else {
      const Candidate& outer = candidates_[c.by];
      out += "\"shadowed\",\"by\":";
      json::AppendQuoted(out, outer.type == Type::kProximity ? tax_.rules()[outer.source].text
                                                             : patterns[outer.source].text);
      out += ",\"by_tag\":";
      json::AppendQuoted(out, tax_.tags()[outer.tag].name);
      out += ",\"by_span\":";
      AppendSpan(out, outer.first, outer.last, "by_text");
    }
    out += "}";
  }
  out += "]";
  size_t counted = 0;
  for (const Candidate& c : candidates_) counted += c.reason == Reason::kNone ? 1 : 0;
  size_t left_out =
      (counted > kMaxExplained ? counted - kMaxExplained : 0) +
      (candidates_.size() - counted > kMaxExplained ? candidates_.size() - counted - kMaxExplained
                                                    : 0);
  if (left_out > 0) AppendField(out, "left_out", left_out);
  out += ",\"tags\":[";
  for (size_t k = 0; k < results_.size(); ++k) {
    const TagResult& r = results_[k];
    const Tag& tag = tax_.tags()[r.tag];
    const Category& cat = tax_.categories()[tag.category];
    if (k > 0) out += ",";
    out += "{\"tag\":";
    json::AppendQuoted(out, tag.name);
    out += ",\"confidence\":";
    AppendNumber(out, r.confidence);
    out += ",\"owner\":";
    json::AppendQuoted(out, cat.owner);
    out += ",\"kpi\":";
    json::AppendQuoted(out, cat.kpi);
    out += ",\"spans\":[";
    for (uint32_t s = 0; s < r.span_count; ++s) {
      const feedloop_span& sp = spans_[r.span_begin + s];
      if (s > 0) out += ",";
      AppendPair(out, sp.begin, sp.end);
    }
    out += "]}";
  }
  out += "]}";
}

}  // namespace feedloop::taxonomy
