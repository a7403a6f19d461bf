// The steady-state feedback model: how often each kind of feedback praises or complains, which
// root causes complaints have, and which scores go with which texts. The shipped samples add
// their planted incidents on top of it; bulk data uses it as is.
#pragma once

#include <cstdint>
#include <string_view>

#include "catalog.hpp"
#include "composer.hpp"
#include "random.hpp"

namespace feedloop::samples {

enum class Kind : uint8_t { kReview, kNps, kCsat, kCes, kTranscript };
std::string_view KindName(Kind kind);

// What one customer experienced, before it is put into words.
struct Experience {
  Tone tone = Tone::kPraise;
  Cause cause = Cause::kNone;
  bool duplicate_charge = false;
  Cause secondary = Cause::kNone;
  int severity = 1;
};

// A background complaint cause for `kind`: CES answers and transcripts follow contacts with
// support and have their own mix. Subscription problems need a subscriber.
Cause DrawCause(Kind kind, bool subscriber, Rng& rng);

// Severity of a complaint: 0 mild (25%), 1 annoyed (55%), 2 furious (20%).
int DrawSeverity(Rng& rng);

// The secondary problem mentioned in passing by 18% of complaints (kNone otherwise).
Cause DrawSecondary(Kind kind, Cause primary, bool subscriber, Rng& rng);

// A complete background experience. `complaint_boost` (per 10000) raises the chance of a
// complaint, for customers who complain about everything. `stratum`, in [0, 100000), replaces
// the random draw of the tone (praise, neutral, mixed, complaint) when given: a low-discrepancy
// sequence of strata keeps small weekly samples close to the intended mix.
Experience DrawBackground(Kind kind, bool subscriber, uint32_t complaint_boost, Rng& rng,
                          int64_t stratum = -1);

// A complaint (or, with probability mixed_per_10k, a mixed text) about `cause`.
Experience PlantedExperience(Kind kind, Cause cause, bool duplicate_charge, uint32_t mixed_per_10k,
                             bool subscriber, Rng& rng);

// A score consistent with the text: stars 1-5, NPS 0-10, CSAT 1-5, CES 1-7 (7 = easiest).
int DrawScore(Kind kind, Tone tone, int severity, Rng& rng);

}  // namespace feedloop::samples
