#include "grammar.hpp"

#include <string>

namespace feedloop_sentiment {
namespace {

uint8_t CountTokens(std::string_view key) {
  uint8_t n = 1;
  for (char c : key) n += c == ' ' ? 1 : 0;
  return n;
}

void Add(LexiconBuilder& b, std::string_view key, Role role, float booster = 0) {
  Entry& e = b.Upsert(std::string(key), CountTokens(key));
  e.role = role;
  e.booster = booster;
}

// Flip what follows in their clause. Contractions come with and without the apostrophe, as
// customers type them; "n't" forms the tokenizer keeps whole ("don't" is one token).
constexpr std::string_view kNegators[] = {
    "not",       "no",       "never",     "nothing",    "none",       "nobody",   "nowhere",
    "neither",   "nor",      "without",   "cannot",     "can't",      "cant",     "don't",
    "dont",      "doesn't",  "doesnt",    "didn't",     "didnt",      "isn't",    "isnt",
    "aren't",    "arent",    "wasn't",    "wasnt",      "weren't",    "werent",   "won't",
    "wont",      "wouldn't", "wouldnt",   "shouldn't",  "shouldnt",   "couldn't", "couldnt",
    "haven't",   "havent",   "hasn't",    "hasnt",      "hadn't",     "hadnt",    "mustn't",
    "mustnt",    "needn't",  "neednt",    "mightn't",   "ain't",      "aint",     "lack",
    "lacks",     "lacking",  "lacked",    "hardly",     "barely",     "scarcely", "seldom",
    "rarely",    "zero",     "no longer", "free of",    "absence of", "yet to",   "unable to",
    "failed to", "fails to", "fail to",   "refused to", "refuses to", "refuse to"};

// Words that open a new clause: a negator does not reach past them ("I've not paid for anything
// and it works great": "works great" is not negated).
constexpr std::string_view kClauseWords[] = {"and",    "because", "since",   "which", "when",
                                             "while",  "until",   "whereas", "then",  "after",
                                             "before", "so that", "who",     "where"};

constexpr std::pair<std::string_view, float> kBoosters[] = {
    // Intensifiers.
    {"extremely", kBoostStrong},
    {"incredibly", kBoostStrong},
    {"absolutely", kBoostStrong},
    {"utterly", kBoostStrong},
    {"totally", kBoostStrong},
    {"completely", kBoostStrong},
    {"insanely", kBoostStrong},
    {"ridiculously", kBoostStrong},
    {"exceptionally", kBoostStrong},
    {"immensely", kBoostStrong},
    {"enormously", kBoostStrong},
    {"tremendously", kBoostStrong},
    {"hugely", kBoostStrong},
    {"unbelievably", kBoostStrong},
    {"exceedingly", kBoostStrong},
    {"supremely", kBoostStrong},
    {"beyond", kBoostStrong},
    {"most", kBoost},
    {"so", kBoost},
    {"soo", kBoost},
    {"very", kBoost},
    {"really", kBoost},
    {"rly", kBoost},
    {"realy", kBoost},
    {"truly", kBoost},
    {"highly", kBoost},
    {"seriously", kBoost},
    {"deeply", kBoost},
    {"thoroughly", kBoost},
    {"entirely", kBoost},
    {"fully", kBoost},
    {"especially", kBoost},
    {"particularly", kBoost},
    {"remarkably", kBoost},
    {"amazingly", kBoost},
    {"super", kBoost},
    {"uber", kBoost},
    {"mega", kBoost},
    {"hella", kBoost},
    {"majorly", kBoost},
    {"way", kBoost},
    {"much", kBoost},
    {"far", kBoost},
    {"by far", kBoost},
    {"definitely", kBoost},
    {"definately", kBoost},
    {"definetly", kBoost},
    {"defintely", kBoost},
    {"defiantly", kBoost},
    {"certainly", kBoost},
    {"such", kBoost},
    {"such a", kBoost},
    {"such an", kBoost},
    {"real", kBoost},
    {"freaking", kBoost},
    {"friggin", kBoost},
    {"frickin", kBoost},
    {"fricking", kBoost},
    {"effing", kBoost},
    {"damn", kBoost},
    {"darn", kBoost},
    {"bloody", kBoost},
    {"fucking", kBoostStrong},
    {"fuckin", kBoostStrong},
    {"total", kBoost},
    {"complete", kBoost},
    {"utter", kBoostStrong},
    {"absolute", kBoostStrong},
    {"pure", kBoost},
    {"huge", kBoost},
    {"big", 0.15f},
    {"more", 0.15f},
    {"even", 0.1f},
    {"quite", 0.1f},
    {"overly", kBoost},
    {"excessively", kBoost},
    {"terribly", kBoost},
    {"awfully", kBoost},
    {"dead", kBoost},
    // Dampeners.
    {"slightly", kDampen},
    {"somewhat", kDampen},
    {"a bit", kDampen},
    {"a little", kDampen},
    {"a little bit", kDampen},
    {"a tad", kDampen},
    {"a touch", kDampen},
    {"kind of", kDampen},
    {"kinda", kDampen},
    {"sort of", kDampen},
    {"sorta", kDampen},
    {"partly", kDampen},
    {"partially", kDampen},
    {"marginally", kDampen},
    {"mildly", kDampen},
    {"moderately", kDampen},
    {"occasionally", kDampen},
    {"fairly", -0.15f},
    {"pretty", -0.05f},
    {"rather", -0.05f},
    {"relatively", -0.15f},
    {"reasonably", -0.15f},
    {"almost", -0.2f},
    {"nearly", -0.2f},
    {"mostly", -0.1f},
    {"less", -0.3f},
};

// "but" and its kin: the clause after the word dominates the sentence.
constexpr std::string_view kContrastAfter[] = {
    "but",          "however",     "except",    "except for",       "excepting",
    "nevertheless", "nonetheless", "that said", "having said that", "on the other hand",
    "then again"};

// "although" and its kin: the clause they open is played down.
constexpr std::string_view kContrastClause[] = {"although",    "though",  "even though", "despite",
                                                "in spite of", "whereas", "even if",     "albeit"};

// Look like negators but do not negate what follows.
constexpr std::string_view kNotNegation[] = {
    "not only",   "not just",        "not to mention", "no wonder", "nothing but", "if not",
    "never mind", "whether or not",  "or not",         "no matter", "not sure if", "not that",
    "no doubt",   "without a doubt", "no question",    "but also",  "but not",     "not so much"};

// Function words: never the target of "too X" and skipped when counting a negator's reach.
constexpr std::string_view kStopwords[] = {
    "the",     "a",     "an",   "and",    "or",     "i",     "me",    "my",      "it",    "its",
    "it's",    "this",  "that", "these",  "those",  "is",    "was",   "are",     "were",  "be",
    "been",    "to",    "of",   "in",     "on",     "at",    "for",   "with",    "as",    "by",
    "from",    "he",    "she",  "they",   "them",   "we",    "us",    "you",     "your",  "our",
    "their",   "his",   "her",  "also",   "then",   "than",  "there", "here",    "when",  "if",
    "because", "just",  "now",  "am",     "do",     "does",  "did",   "has",     "have",  "had",
    "will",    "would", "can",  "could",  "should", "may",   "might", "must",    "any",   "some",
    "one",     "all",   "both", "each",   "every",  "which", "who",   "what",    "where", "why",
    "how",     "im",    "i'm",  "you're", "he's",   "she's", "we're", "they're", "i've",  "i'd",
    "soon",    "get",   "got",  "go",     "went"};

}  // namespace

void AddGrammar(LexiconBuilder& b) {
  for (std::string_view w : kStopwords) Add(b, w, Role::kStopword);
  for (std::string_view w : kNegators) Add(b, w, Role::kNegator);
  for (const auto& [w, boost] : kBoosters) Add(b, w, Role::kBooster, boost);
  for (std::string_view w : kContrastAfter) Add(b, w, Role::kContrastAfter);
  for (std::string_view w : kContrastClause) Add(b, w, Role::kContrastClause);
  for (std::string_view w : kNotNegation) Add(b, w, Role::kNotNegation);
  for (std::string_view w : kClauseWords) Add(b, w, Role::kClauseWord);
  Add(b, "too", Role::kExcess, kBoost);
  Add(b, "way too", Role::kExcess, kBoostStrong);
  Add(b, "far too", Role::kExcess, kBoostStrong);
  Add(b, "much too", Role::kExcess, kBoostStrong);
  Add(b, "overly", Role::kExcess, kBoost);
}

}  // namespace feedloop_sentiment
