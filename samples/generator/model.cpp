#include "model.hpp"

#include <initializer_list>

namespace feedloop::samples {
namespace {

// Complaint causes, in Cause order: delivery, tracking, packaging, wrong_item, stock, returns,
// subscription, support, billing, quality, price.
constexpr uint32_t kGeneralCauses[kCauseCount] = {15, 10, 8, 8, 7, 9, 14, 8, 6, 13, 9};
// CES answers follow a contact with support: returns, support and billing weigh more.
constexpr uint32_t kEffortCauses[kCauseCount] = {8, 12, 4, 8, 2, 20, 20, 18, 12, 4, 0};
// Support conversations: mostly "where is my order", returns and damage.
constexpr uint32_t kContactCauses[kCauseCount] = {16, 20, 9, 10, 5, 15, 16, 4, 8, 10, 2};

struct ToneMix {
  uint32_t complaint, mixed, neutral, praise;
};

ToneMix MixOf(Kind kind) {
  switch (kind) {
    case Kind::kReview:
      return {2400, 1000, 1200, 5400};
    case Kind::kNps:
      return {1600, 1000, 1750, 5650};
    case Kind::kCsat:
      return {1800, 1000, 1400, 5800};
    case Kind::kCes:
      return {2600, 1200, 1700, 4500};
    case Kind::kTranscript:
      return {10000, 0, 0, 0};
  }
  return {2400, 1000, 1200, 5400};
}

int FromWeights(int first, std::initializer_list<uint32_t> weights, Rng& rng) {
  return first + static_cast<int>(rng.Weighted(std::span(weights.begin(), weights.size())));
}

}  // namespace

std::string_view KindName(Kind kind) {
  static constexpr std::string_view kNames[] = {"review", "nps", "csat", "ces", "transcript"};
  return kNames[static_cast<int>(kind)];
}

Cause DrawCause(Kind kind, bool subscriber, Rng& rng) {
  uint32_t weights[kCauseCount];
  const uint32_t* base = kind == Kind::kCes          ? kEffortCauses
                         : kind == Kind::kTranscript ? kContactCauses
                                                     : kGeneralCauses;
  for (int i = 0; i < kCauseCount; ++i) weights[i] = base[i];
  if (!subscriber) weights[static_cast<int>(Cause::kSubscription)] = 0;
  return static_cast<Cause>(rng.Weighted(weights));
}

int DrawSeverity(Rng& rng) {
  return FromWeights(0, {25, 55, 20}, rng);
}

Cause DrawSecondary(Kind kind, Cause primary, bool subscriber, Rng& rng) {
  if (!rng.Chance(Pct(18))) return Cause::kNone;
  for (int attempt = 0; attempt < 4; ++attempt) {
    Cause c = DrawCause(kind, subscriber, rng);
    if (c != primary) return c;
  }
  return Cause::kNone;
}

Experience DrawBackground(Kind kind, bool subscriber, uint32_t complaint_boost, Rng& rng,
                          int64_t stratum) {
  ToneMix mix = MixOf(kind);
  uint32_t weights[] = {mix.complaint + complaint_boost, mix.mixed, mix.neutral, mix.praise};
  size_t tone = 0;
  if (stratum < 0) {
    tone = rng.Weighted(weights);
  } else {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t point = static_cast<uint64_t>(stratum) * total / 100000;
    while (tone + 1 < std::size(weights) && point >= weights[tone]) point -= weights[tone++];
  }
  Experience e;
  switch (tone) {
    case 0:
      e.tone = Tone::kComplaint;
      break;
    case 1:
      e.tone = Tone::kMixed;
      break;
    case 2:
      e.tone = Tone::kNeutral;
      break;
    default:
      e.tone = Tone::kPraise;
      break;
  }
  if (e.tone == Tone::kComplaint || e.tone == Tone::kMixed) {
    e.cause = DrawCause(kind, subscriber, rng);
    e.severity = e.tone == Tone::kMixed ? 0 : DrawSeverity(rng);
  }
  if (e.tone == Tone::kComplaint) e.secondary = DrawSecondary(kind, e.cause, subscriber, rng);
  return e;
}

Experience PlantedExperience(Kind kind, Cause cause, bool duplicate_charge, uint32_t mixed_per_10k,
                             bool subscriber, Rng& rng) {
  Experience e;
  e.cause = cause;
  e.duplicate_charge = duplicate_charge;
  if (rng.Chance(mixed_per_10k)) {
    e.tone = Tone::kMixed;
    e.severity = 0;
    return e;
  }
  e.tone = Tone::kComplaint;
  e.severity = DrawSeverity(rng);
  e.secondary = DrawSecondary(kind, cause, subscriber, rng);
  return e;
}

int DrawScore(Kind kind, Tone tone, int severity, Rng& rng) {
  switch (kind) {
    case Kind::kReview:
    case Kind::kTranscript:
      switch (tone) {
        case Tone::kComplaint:
          if (severity == 2) return 1;
          return severity == 1 ? FromWeights(1, {65, 35}, rng) : FromWeights(2, {60, 40}, rng);
        case Tone::kMixed:
          return FromWeights(2, {15, 55, 30}, rng);
        case Tone::kNeutral:
          return FromWeights(3, {55, 45}, rng);
        case Tone::kPraise:
          return FromWeights(4, {25, 75}, rng);
      }
      break;
    case Kind::kNps:
      switch (tone) {
        case Tone::kComplaint:
          if (severity == 2) return FromWeights(0, {50, 25, 25}, rng);
          return severity == 1 ? FromWeights(0, {15, 12, 18, 20, 18, 17}, rng)
                               : FromWeights(4, {30, 35, 35}, rng);
        case Tone::kMixed:
          return FromWeights(5, {10, 25, 35, 30}, rng);
        case Tone::kNeutral:
          return FromWeights(6, {10, 40, 40, 10}, rng);
        case Tone::kPraise:
          return FromWeights(8, {8, 40, 52}, rng);
      }
      break;
    case Kind::kCsat:
      switch (tone) {
        case Tone::kComplaint:
          if (severity == 2) return 1;
          return severity == 1 ? FromWeights(1, {60, 40}, rng) : FromWeights(2, {70, 30}, rng);
        case Tone::kMixed:
          return FromWeights(2, {15, 70, 15}, rng);
        case Tone::kNeutral:
          return FromWeights(3, {45, 55}, rng);
        case Tone::kPraise:
          return FromWeights(4, {30, 70}, rng);
      }
      break;
    case Kind::kCes:
      switch (tone) {
        case Tone::kComplaint:
          if (severity == 2) return FromWeights(1, {70, 30}, rng);
          return severity == 1 ? FromWeights(1, {30, 40, 30}, rng) : FromWeights(3, {50, 50}, rng);
        case Tone::kMixed:
          return FromWeights(3, {20, 45, 35}, rng);
        case Tone::kNeutral:
          return FromWeights(4, {40, 45, 15}, rng);
        case Tone::kPraise:
          return FromWeights(6, {45, 55}, rng);
      }
      break;
  }
  return 3;
}

}  // namespace feedloop::samples
