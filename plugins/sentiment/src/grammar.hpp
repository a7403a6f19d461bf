// The built-in grammar of the scorer: negators, boosters and dampeners, contrast words and the
// other function words whose role is syntax, not sentiment. They are part of the rules, not of
// the lexicon, so a replacement lexicon (replace_default) keeps them.
#pragma once

#include "lexicon.hpp"

namespace feedloop_sentiment {

// Boosts for intensifiers and dampeners, added to (or taken from) a sentiment word's magnitude.
inline constexpr float kBoostStrong = 0.35f;
inline constexpr float kBoost = 0.26f;
inline constexpr float kDampen = -0.26f;

// Adds the grammar words to `builder` (before any lexicon file, so a file can give them a
// valence too: "no" may be both a negator and a word of its own in a user's lexicon).
void AddGrammar(LexiconBuilder& builder);

}  // namespace feedloop_sentiment
