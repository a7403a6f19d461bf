// Loading a taxonomy file: validation that reports every problem with its line, then
// compilation of every phrase into stem ids and one automaton.
#include "taxonomy.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "stemmer.hpp"

namespace feedloop::taxonomy {

bool Negation::IsNegator(std::string_view norm) const {
  for (const std::string& w : words) {
    if (norm == w) return true;
  }
  for (const std::string& s : suffixes) {
    if (norm.size() > s.size() && norm.substr(norm.size() - s.size()) == s) return true;
  }
  return false;
}

bool Negation::IsBreaker(std::string_view norm) const {
  return std::find(breakers.begin(), breakers.end(), norm) != breakers.end();
}

bool Negation::IsPseudoFollower(std::string_view norm) const {
  for (const auto& [neg, follower] : pseudo) {
    if (follower == norm) return true;
  }
  return false;
}

bool Negation::IsPseudo(std::string_view negator, std::string_view follower) const {
  for (const auto& [n, f] : pseudo) {
    if (n == negator && f == follower) return true;
  }
  return false;
}

namespace {

using json::Type;
using json::Value;

// The built-in negation for English, used when the file has no "negation" section.
Negation DefaultNegation() {
  Negation n;
  n.words = {"not",    "no",      "never",   "without", "cannot",  "nothing", "none",
             "nobody", "neither", "nor",     "hardly",  "didnt",   "doesnt",  "dont",
             "wasnt",  "werent",  "isnt",    "arent",   "hasnt",   "havent",  "hadnt",
             "wont",   "cant",    "couldnt", "wouldnt", "shouldnt"};
  n.suffixes = {"n't"};
  n.breakers = {"but", "however", "although", "though", "except", "whereas"};
  n.pseudo = {{"not", "only"}, {"not", "just"}, {"no", "doubt"}, {"no", "wonder"}};
  return n;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// One token of a phrase as the engine tokenizes it.
struct PhraseToken {
  std::string norm;
  uint16_t kind = 0;
};

}  // namespace

// Reads the JSON tree into a Taxonomy, collecting every error instead of stopping at the first.
class Loader {
 public:
  Loader(std::string source, const sdk::Host& host) : source_(std::move(source)), host_(host) {}

  std::unique_ptr<Taxonomy> Load(std::string_view text) {
    tax_ = std::make_unique<Taxonomy>();
    tax_->source_ = source_;
    Value root;
    try {
      root = json::Parse(text);
    } catch (const json::Error& e) {
      Error(e.line(), std::string("invalid JSON: ") + ErrorText(e));
      Finish();
    }
    if (!root.is_object()) {
      Error(root.line(), "a taxonomy is a JSON object with \"categories\"");
      Finish();
    }
    ReadTop(root);
    Finish();
    Compile();
    return std::move(tax_);
  }

 private:
  // ---- Errors ---------------------------------------------------------------------------------

  void Error(int line, const std::string& message) { errors_.emplace_back(line, message); }

  static std::string ErrorText(const json::Error& e) {
    // json::Error prefixes "line N: "; we give the line our own way.
    std::string m = e.what();
    if (m.rfind("line ", 0) == 0) {
      size_t colon = m.find(": ");
      if (colon != std::string::npos) m = m.substr(colon + 2);
    }
    return m;
  }

  // Throws every error so far, in line order, one per line ("<source>:<line>: <message>"). The
  // host keeps 8 KiB of a plugin's message, so a file with very many errors shows the first ones.
  void Finish() {
    if (errors_.empty()) return;
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    constexpr size_t kMaxShown = 40;
    std::string message;
    for (size_t i = 0; i < errors_.size() && i < kMaxShown; ++i) {
      if (i > 0) message += '\n';
      message += source_ + ":" + std::to_string(errors_[i].first) + ": " + errors_[i].second;
    }
    if (errors_.size() > kMaxShown) {
      message += "\n" + source_ + ": ... and " + std::to_string(errors_.size() - kMaxShown) +
                 " more errors";
    }
    throw sdk::ConfigError(message);
  }

  // Unknown keys are refused, with a suggestion when one is close to a known key.
  void CheckKeys(const Value& obj, std::initializer_list<std::string_view> allowed,
                 const std::string& what) {
    for (const auto& [key, value] : obj.as_object()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string hint;
      size_t best = 3;
      for (std::string_view a : allowed) {
        size_t d = EditDistance(key, a);
        if (d < best) {
          best = d;
          hint = " (did you mean \"" + std::string(a) + "\"?)";
        }
      }
      if (hint.empty()) {
        hint = " (known keys:";
        for (std::string_view a : allowed) hint += " " + std::string(a);
        hint += ")";
      }
      Error(value.line(), "unknown key \"" + key + "\" in " + what + hint);
    }
  }

  // Typed members: a wrong type is an error and yields the fallback.
  std::string GetString(const Value& obj, std::string_view key, const std::string& what,
                        bool required) {
    const Value* v = obj.find(key);
    if (v == nullptr || v->is_null()) {
      if (required) Error(obj.line(), what + " needs \"" + std::string(key) + "\"");
      return {};
    }
    if (!v->is_string()) {
      Error(v->line(), "\"" + std::string(key) + "\" of " + what + " must be a string, not " +
                           Value::TypeName(v->type()));
      return {};
    }
    if (required && v->as_string().empty()) {
      Error(v->line(), "\"" + std::string(key) + "\" of " + what + " is empty");
    }
    return v->as_string();
  }

  double GetNumber(const Value& obj, std::string_view key, double fallback, double low, double high,
                   bool low_open, const std::string& what) {
    const Value* v = obj.find(key);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_number()) {
      Error(v->line(), "\"" + std::string(key) + "\" of " + what + " must be a number, not " +
                           Value::TypeName(v->type()));
      return fallback;
    }
    double d = v->as_number();
    bool below = low_open ? d <= low : d < low;
    if (!std::isfinite(d) || below || d > high) {
      char buf[128];
      std::snprintf(buf, sizeof(buf), "\"%s\" of %s must be in %s%g, %g], not %g",
                    std::string(key).c_str(), what.c_str(), low_open ? "(" : "[", low, high, d);
      Error(v->line(), buf);
      return fallback;
    }
    return d;
  }

  bool GetBool(const Value& obj, std::string_view key, bool fallback, const std::string& what) {
    const Value* v = obj.find(key);
    if (v == nullptr || v->is_null()) return fallback;
    if (!v->is_bool()) {
      Error(v->line(), "\"" + std::string(key) + "\" of " + what + " must be true or false");
      return fallback;
    }
    return v->as_bool();
  }

  // An array member, or nullptr (with an error when present but not an array).
  const Value* GetArray(const Value& obj, std::string_view key, const std::string& what) {
    const Value* v = obj.find(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_array()) {
      Error(v->line(), "\"" + std::string(key) + "\" of " + what + " must be an array, not " +
                           Value::TypeName(v->type()));
      return nullptr;
    }
    return v;
  }

  std::vector<std::string> GetWords(const Value& obj, std::string_view key,
                                    const std::string& what) {
    std::vector<std::string> out;
    const Value* arr = GetArray(obj, key, what);
    if (arr == nullptr) return out;
    for (const Value& w : arr->as_array()) {
      if (!w.is_string() || w.as_string().empty()) {
        Error(w.line(), "\"" + std::string(key) + "\" of " + what + " holds non-empty strings");
        continue;
      }
      out.push_back(FoldAscii(w.as_string()));
    }
    return out;
  }

  static std::string FoldAscii(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  }

  // ---- The tree -------------------------------------------------------------------------------

  void ReadTop(const Value& root) {
    CheckKeys(root,
              {"name", "description", "version", "language", "negation", "scoring", "exclude",
               "categories"},
              "the taxonomy");
    tax_->name_ = GetString(root, "name", "the taxonomy", false);
    GetString(root, "description", "the taxonomy", false);
    GetString(root, "version", "the taxonomy", false);
    if (const Value* lang = root.find("language"); lang != nullptr && !lang->is_null()) {
      std::string l = FoldAscii(GetString(root, "language", "the taxonomy", false));
      if (!l.empty() && !Stemmer::Known(l)) {
        std::string known;
        for (const std::string& k : Stemmer::Languages()) known += " " + k;
        Error(lang->line(), "unknown stemming language \"" + l + "\" (known: none" + known + ")");
      } else if (!l.empty()) {
        tax_->language_ = l;
      }
    }
    ReadNegation(root);
    ReadScoring(root);
    stemmer_ = std::make_unique<Stemmer>(tax_->language_);
    if (const Value* ex = GetArray(root, "exclude", "the taxonomy")) {
      ReadPhraseList(*ex, PatternKind::kExclusion, Scope::kAll, 0, "a global exclusion");
    }
    const Value* cats = root.find("categories");
    if (cats == nullptr) {
      Error(root.line(), "the taxonomy needs \"categories\"");
      return;
    }
    if (!cats->is_array() || cats->as_array().empty()) {
      Error(cats->line(), "\"categories\" must be a non-empty array of category objects");
      return;
    }
    for (const Value& c : cats->as_array()) ReadCategory(c);
  }

  void ReadNegation(const Value& root) {
    tax_->negation_ = DefaultNegation();
    const Value* n = root.find("negation");
    if (n == nullptr || n->is_null()) return;
    if (!n->is_object()) {
      Error(n->line(), "\"negation\" must be an object");
      return;
    }
    const std::string what = "\"negation\"";
    CheckKeys(*n, {"negators", "breakers", "pseudo", "window"}, what);
    Negation& neg = tax_->negation_;
    if (n->find("negators") != nullptr) {
      neg.words.clear();
      neg.suffixes.clear();
      for (std::string& w : GetWords(*n, "negators", what)) {
        if (w.size() > 1 && w[0] == '*') {
          neg.suffixes.push_back(w.substr(1));
        } else {
          neg.words.push_back(std::move(w));
        }
      }
    }
    if (n->find("breakers") != nullptr) neg.breakers = GetWords(*n, "breakers", what);
    if (const Value* p = GetArray(*n, "pseudo", what)) {
      neg.pseudo.clear();
      for (const Value& e : p->as_array()) {
        std::vector<std::string> words;
        if (e.is_string()) words = host_.Norms(e.as_string());
        if (words.size() != 2 || !neg.IsNegator(words[0])) {
          Error(e.line(),
                "a pseudo-negation is two words, a negator and the word after it (\"not "
                "only\")");
          continue;
        }
        neg.pseudo.emplace_back(words[0], words[1]);
      }
    }
    neg.window = static_cast<uint32_t>(GetNumber(*n, "window", 3, 1, 10, false, what));
  }

  void ReadScoring(const Value& root) {
    const Value* s = root.find("scoring");
    if (s == nullptr || s->is_null()) return;
    if (!s->is_object()) {
      Error(s->line(), "\"scoring\" must be an object");
      return;
    }
    const std::string what = "\"scoring\"";
    CheckKeys(*s, {"base", "stemmed", "proximity", "min_confidence"}, what);
    Scoring& sc = tax_->scoring_;
    sc.base = GetNumber(*s, "base", sc.base, 0, 1, true, what);
    sc.stemmed = GetNumber(*s, "stemmed", sc.stemmed, 0, 1, true, what);
    sc.proximity = GetNumber(*s, "proximity", sc.proximity, 0, 1, true, what);
    sc.min_confidence = GetNumber(*s, "min_confidence", sc.min_confidence, 0, 1, false, what);
  }

  void ReadCategory(const Value& c) {
    if (!c.is_object()) {
      Error(c.line(), "a category is an object with \"id\", \"owner\", \"kpi\" and phrases");
      return;
    }
    CheckKeys(c,
              {"id", "label", "description", "owner", "kpi", "weight", "phrases", "negated_phrases",
               "proximity", "exclude", "subcategories"},
              "a category");
    std::string id = GetString(c, "id", "a category", true);
    std::string what = id.empty() ? "a category" : "category \"" + id + "\"";
    if (!id.empty() && !ValidId(id)) {
      Error(c.find("id")->line(), "category id \"" + id +
                                      "\" must be lower-case letters, digits, "
                                      "'_' or '-'");
    }
    if (auto it = category_lines_.find(id); !id.empty() && it != category_lines_.end()) {
      Error(c.find("id")->line(), "duplicate category \"" + id + "\" (first defined on line " +
                                      std::to_string(it->second) + ")");
    }
    category_lines_.emplace(id, c.line());
    Category cat;
    cat.id = id;
    cat.line = c.line();
    cat.label = GetString(c, "label", what, false);
    cat.description = GetString(c, "description", what, false);
    cat.owner = GetString(c, "owner", what, true);
    cat.kpi = GetString(c, "kpi", what, true);
    double weight = GetNumber(c, "weight", 1, 0, 1, true, what);
    uint32_t index = static_cast<uint32_t>(tax_->categories_.size());
    tax_->categories_.push_back(cat);

    // The category's own phrases tag the category itself.
    if (HasMatchers(c)) {
      uint32_t tag = AddTag(id, index, weight, c.line());
      ReadMatchers(c, tag, what);
    }
    if (const Value* ex = GetArray(c, "exclude", what)) {
      ReadPhraseList(*ex, PatternKind::kExclusion, Scope::kCategory, index,
                     "an exclusion of " + what);
    }
    std::set<std::string> sub_ids;
    if (const Value* subs = GetArray(c, "subcategories", what)) {
      for (const Value& s : subs->as_array()) ReadSubcategory(s, index, weight, what, &sub_ids);
    }
    const Value* subs = c.find("subcategories");
    bool has_subs = subs != nullptr && subs->is_array() && !subs->as_array().empty();
    if (!HasMatchers(c) && !has_subs && !id.empty()) {
      Error(c.line(), what + " has no phrases: give it \"phrases\" or \"subcategories\"");
    }
  }

  void ReadSubcategory(const Value& s, uint32_t category, double category_weight,
                       const std::string& parent, std::set<std::string>* ids) {
    if (!s.is_object()) {
      Error(s.line(), "a sub-category of " + parent + " is an object with \"id\" and \"phrases\"");
      return;
    }
    CheckKeys(s,
              {"id", "label", "description", "weight", "phrases", "negated_phrases", "proximity",
               "exclude"},
              "a sub-category");
    std::string id = GetString(s, "id", "a sub-category of " + parent, true);
    const std::string& cat_id = tax_->categories_[category].id;
    std::string name = cat_id + "/" + id;
    std::string what = "sub-category \"" + name + "\"";
    if (!id.empty() && !ValidId(id)) {
      Error(s.find("id")->line(), "sub-category id \"" + id +
                                      "\" must be lower-case letters, "
                                      "digits, '_' or '-'");
    }
    if (!id.empty() && !ids->insert(id).second) {
      Error(s.find("id")->line(), "duplicate sub-category \"" + name + "\"");
    }
    GetString(s, "label", what, false);
    GetString(s, "description", what, false);
    double weight = GetNumber(s, "weight", 1, 0, 1, true, what);
    ++tax_->subcategory_count_;
    uint32_t tag = AddTag(name, category, category_weight * weight, s.line());
    if (!HasMatchers(s) && !id.empty()) {
      Error(s.line(), what + " has no phrases, negated_phrases or proximity rules");
    }
    ReadMatchers(s, tag, what);
    if (const Value* ex = GetArray(s, "exclude", what)) {
      ReadPhraseList(*ex, PatternKind::kExclusion, Scope::kTag, tag, "an exclusion of " + what);
    }
  }

  // Whether an object lists anything that can tag: phrases, negated phrases or proximity rules.
  static bool HasMatchers(const Value& obj) {
    for (std::string_view key : {"phrases", "negated_phrases", "proximity"}) {
      const Value* v = obj.find(key);
      if (v != nullptr && (!v->is_array() || !v->as_array().empty())) return true;
    }
    return false;
  }

  uint32_t AddTag(const std::string& name, uint32_t category, double weight, int line) {
    Tag t;
    t.name = name;
    t.category = category;
    t.weight = weight;
    t.line = line;
    tax_->tags_.push_back(std::move(t));
    phrases_in_tag_.emplace_back();
    return static_cast<uint32_t>(tax_->tags_.size() - 1);
  }

  void ReadMatchers(const Value& obj, uint32_t tag, const std::string& what) {
    if (const Value* p = GetArray(obj, "phrases", what)) {
      ReadPhraseList(*p, PatternKind::kPhrase, Scope::kTag, tag, "a phrase of " + what);
    }
    if (const Value* p = GetArray(obj, "negated_phrases", what)) {
      ReadPhraseList(*p, PatternKind::kNegatedPhrase, Scope::kTag, tag,
                     "a negated phrase of " + what);
    }
    if (const Value* p = GetArray(obj, "proximity", what)) {
      for (const Value& r : p->as_array()) ReadProximity(r, tag, what);
    }
  }

  // A phrase is a string, or {"phrase": "...", "weight": 0.5, "exact": true}.
  void ReadPhraseList(const Value& list, PatternKind kind, Scope scope, uint32_t target,
                      const std::string& what) {
    for (const Value& e : list.as_array()) {
      Pattern p;
      p.kind = kind;
      p.scope = scope;
      p.target = target;
      p.line = e.line();
      if (e.is_string()) {
        p.text = e.as_string();
      } else if (e.is_object()) {
        CheckKeys(e, {"phrase", "weight", "exact"}, what);
        p.text = GetString(e, "phrase", what, true);
        p.weight = GetNumber(e, "weight", 1, 0, 1, true, what);
        p.exact_only = GetBool(e, "exact", false, what);
        if (kind == PatternKind::kExclusion && e.find("weight") != nullptr) {
          Error(e.find("weight")->line(), "an exclusion has no weight");
        }
        if (p.text.empty()) continue;  // already reported
      } else {
        Error(e.line(), what +
                            " must be a string or {\"phrase\": ..., \"weight\": ..., "
                            "\"exact\": ...}");
        continue;
      }
      if (!Tokenize(p, what)) continue;
      if (kind != PatternKind::kExclusion) {
        auto& seen = phrases_in_tag_[target];
        std::string key = std::to_string(static_cast<int>(kind)) + "\x1f" + Joined(p.norms);
        if (auto it = seen.find(key); it != seen.end()) {
          Error(p.line, "duplicate phrase \"" + p.text + "\" in " + tax_->tags_[target].name +
                            " (also on line " + std::to_string(it->second) + ")");
          continue;
        }
        seen.emplace(key, p.line);
      }
      if (kind == PatternKind::kNegatedPhrase && p.self_negated) {
        Error(p.line, "negated phrase \"" + p.text +
                          "\" already contains a negator: list it "
                          "under \"phrases\", or drop the negator");
        continue;
      }
      if (kind == PatternKind::kExclusion) {
        ++tax_->exclusion_count_;
      } else {
        ++tax_->phrase_count_;
      }
      tax_->patterns_.push_back(std::move(p));
    }
  }

  static std::string Joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
    return out;
  }

  // {"near": ["box|parcel", "crushed|dented"], "within": 3, "ordered": false, "weight": 0.8}
  void ReadProximity(const Value& r, uint32_t tag, const std::string& parent) {
    std::string what = "a proximity rule of " + parent;
    if (!r.is_object()) {
      Error(r.line(), what + " must be an object {\"near\": [terms, terms], \"within\": N}");
      return;
    }
    CheckKeys(r, {"near", "within", "ordered", "weight"}, what);
    ProximityRule rule;
    rule.tag = tag;
    rule.line = r.line();
    rule.within = static_cast<uint32_t>(GetNumber(r, "within", 3, 0, 20, false, what));
    if (const Value* w = r.find("within");
        w != nullptr && w->is_number() && w->as_number() != std::floor(w->as_number())) {
      Error(w->line(), "\"within\" of " + what + " must be a whole number of words");
    }
    rule.ordered = GetBool(r, "ordered", false, what);
    rule.weight = GetNumber(r, "weight", 1, 0, 1, true, what);
    const Value* near = r.find("near");
    if (near == nullptr || !near->is_array() || near->as_array().size() != 2) {
      Error(near == nullptr ? r.line() : near->line(),
            what +
                " needs \"near\": two terms, each a word or phrase or alternatives "
                "(\"box|parcel\" or [\"box\", \"parcel\"])");
      return;
    }
    uint32_t index = static_cast<uint32_t>(tax_->rules_.size());
    bool ok = true;
    std::vector<Pattern> terms;
    for (uint8_t slot = 0; slot < 2; ++slot) {
      const Value& side = near->as_array()[slot];
      std::vector<std::string> alternatives;
      if (side.is_string()) {
        size_t start = 0;
        const std::string& s = side.as_string();
        while (start <= s.size()) {
          size_t bar = s.find('|', start);
          if (bar == std::string::npos) bar = s.size();
          alternatives.push_back(s.substr(start, bar - start));
          start = bar + 1;
        }
      } else if (side.is_array()) {
        for (const Value& a : side.as_array()) {
          if (a.is_string()) {
            alternatives.push_back(a.as_string());
          } else {
            Error(a.line(), "the terms of " + what + " are strings");
            ok = false;
          }
        }
      }
      if (alternatives.empty()) {
        Error(side.line(), "term " + std::to_string(slot + 1) + " of " + what +
                               " must be a string or a non-empty array of strings");
        ok = false;
        continue;
      }
      std::string side_text;
      for (const std::string& a : alternatives) {
        Pattern p;
        p.kind = PatternKind::kProximityTerm;
        p.target = tag;
        p.rule = index;
        p.slot = slot;
        p.line = side.line();
        p.text = a;
        if (!Tokenize(p, "term " + std::to_string(slot + 1) + " of " + what)) {
          ok = false;
          continue;
        }
        side_text += (side_text.empty() ? "" : "|") + a;
        terms.push_back(std::move(p));
      }
      rule.text += (slot == 0 ? "" : " ... ") + side_text;
    }
    if (!ok) return;
    tax_->rules_.push_back(rule);
    for (Pattern& p : terms) tax_->patterns_.push_back(std::move(p));
  }

  // Splits a pattern's text exactly as item texts are split, then stems each word.
  bool Tokenize(Pattern& p, const std::string& what) {
    std::vector<PhraseToken> tokens;
    host_.Tokenize(p.text, [&](const feedloop_token* t, size_t n) {
      for (size_t i = 0; i < n; ++i)
        tokens.push_back({std::string(sdk::View(t[i].norm)), t[i].kind});
    });
    auto quoted = [&] { return "\"" + p.text + "\" (" + what + ")"; };
    if (tokens.empty()) {
      Error(p.line, quoted() + " has no words");
      return false;
    }
    if (tokens.size() > kMaxPhraseTokens) {
      Error(p.line, quoted() + " is longer than " + std::to_string(kMaxPhraseTokens) + " tokens");
      return false;
    }
    for (const PhraseToken& t : tokens) {
      if (t.norm.size() > kMaxTokenBytes) {
        Error(p.line,
              quoted() + " has a word longer than " + std::to_string(kMaxTokenBytes) + " bytes");
        return false;
      }
      p.norms.push_back(t.norm);
      if (t.kind == FEEDLOOP_TOKEN_PUNCT) tax_->has_punctuation_ = true;
      const std::string& stem = t.kind == FEEDLOOP_TOKEN_WORD ? StemOf(t.norm) : t.norm;
      auto [it, added] = stem_ids_.emplace(stem, static_cast<uint32_t>(stem_ids_.size() + 1));
      p.stems.push_back(it->second);
      if (tax_->negation_.IsNegator(t.norm)) p.self_negated = true;
    }
    return true;
  }

  // A taxonomy's phrases share most of their words: each is stemmed once.
  const std::string& StemOf(const std::string& word) {
    auto it = stems_.find(word);
    if (it == stems_.end()) it = stems_.emplace(word, std::string(stemmer_->Stem(word))).first;
    return it->second;
  }

  // ---- Compilation ----------------------------------------------------------------------------

  void Compile() {
    size_t cap = 64;
    while (cap < stem_ids_.size() * 2 + 2) cap *= 2;
    tax_->stem_ids_.Reset(cap);
    for (const auto& [stem, id] : stem_ids_) tax_->stem_ids_.Put(stem, id);
    std::vector<std::vector<uint32_t>> sequences;
    sequences.reserve(tax_->patterns_.size());
    for (const Pattern& p : tax_->patterns_) {
      sequences.push_back(p.stems);
      tax_->hot_.push_back({static_cast<uint16_t>(p.stems.size()), p.kind, p.slot, p.rule});
    }
    tax_->automaton_.Build(sequences, static_cast<uint32_t>(stem_ids_.size()));
  }

  std::string source_;
  const sdk::Host& host_;
  std::unique_ptr<Taxonomy> tax_;
  std::unique_ptr<Stemmer> stemmer_;
  std::vector<std::pair<int, std::string>> errors_;  // line, message
  std::map<std::string, int> category_lines_;
  std::vector<std::map<std::string, int>> phrases_in_tag_;  // per tag: phrase key -> line
  std::unordered_map<std::string, uint32_t> stem_ids_;
  std::unordered_map<std::string, std::string> stems_;  // word -> stem, while loading
};

std::unique_ptr<Taxonomy> Taxonomy::Load(std::string_view json_text, const std::string& source,
                                         const sdk::Host& host) {
  return Loader(source, host).Load(json_text);
}

}  // namespace feedloop::taxonomy
