// The figures computed from Scores and TranscriptStats (definitions in docs/report.md, binding
// ones from DESIGN.md "Metrics"), their confidence intervals, and the tests the report uses.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "feedloop/metrics/aggregate.hpp"

namespace feedloop::metrics {

// A 95% confidence interval, in the unit of its figure.
struct Interval {
  double low = 0;
  double high = 0;
  bool operator==(const Interval& o) const { return low == o.low && high == o.high; }
};

// NPS = % promoters (9-10) - % detractors (0-6) over all NPS answers; nullopt without answers.
std::optional<double> Nps(int64_t promoters, int64_t passives, int64_t detractors);
std::optional<double> Nps(const Scores& s);
// The 95% interval of an NPS, in NPS points: the adjusted Wald interval of Rocks (2016, "Interval
// estimation for the Net Promoter Score", The American Statistician 70(4)). Add 3/4 promoter,
// 3/4 detractor and 3/2 passive (n + 3 answers), then ~NPS +- 1.96 * sqrt(~var / (n + 3)) * 100
// with ~var = ~p + ~d - (~p - ~d)^2 of the adjusted shares. Unlike the plain Wald interval it is
// never empty at the edges (6 detractors of 6: -100..-25.9, not -100..-100). Widened, if needed,
// to hold the observed NPS (it matters only for one or two answers), and clipped to -100..100.
// nullopt without answers.
std::optional<Interval> NpsInterval(int64_t promoters, int64_t passives, int64_t detractors);

// CSAT: % of answers 4-5; the mean beside it.
std::optional<double> CsatTop2(const Scores& s);
std::optional<double> CsatMean(const Scores& s);
std::optional<double> CesMean(const Scores& s);
std::optional<double> RatingMean(const Scores& s);
std::optional<double> SentimentMean(const Scores& s);
// A share in percent; nullopt when the denominator is 0.
std::optional<double> Percent(int64_t part, int64_t whole);
// The 95% Wilson score interval of a share, in percent (within 0..100, and never of zero width at
// 0% or 100% as the Wald interval is); nullopt when `whole` is 0.
std::optional<Interval> ProportionInterval(int64_t part, int64_t whole);

// The impact of a cause on NPS: NPS(all) - NPS(answers not mentioning it) = s * (NPS_C - NPS_R)
// with s the share of answers mentioning it. `gap` is NPS_C - NPS_R. Both nullopt when the cause
// or the rest has no answers.
//
// `ci`, with the gap: the Agresti-Caffo construction for a difference, with Rocks' NPS adjustment
// in each group. C and R each get 3/4 promoter, 3/4 detractor and 3/2 passive; with ~NPS, ~var and
// ~n = n + 3 of the adjusted groups and s fixed, s * (~NPS_C - ~NPS_R) +- 1.96 * s *
// sqrt(~var_C / ~n_C + ~var_R / ~n_R) * 100. A cause whose answers are all detractors keeps a
// width (the plain Wald variance of its group is 0). Widened, if needed, to hold the impact, and
// clipped to s * (-200..200).
struct NpsImpact {
  std::optional<double> impact;
  std::optional<double> share;  // s, 0..1
  std::optional<double> gap;    // NPS_C - NPS_R, points
  std::optional<Interval> ci;   // 95%, points of impact
};
NpsImpact ImpactOnNps(const Scores& all, const Scores& cause);
// The same idea for CSAT top-2-box (points) and the mean rating (stars).
std::optional<double> ImpactOnCsat(const Scores& all, const Scores& cause);
std::optional<double> ImpactOnRating(const Scores& all, const Scores& cause);

// Change of an impact s * g between two periods, split into a volume effect (the share moved)
// and a score effect (the gap moved), midpoint weights: volume = (s1 - s0)(g0 + g1)/2,
// score = (g1 - g0)(s0 + s1)/2; they sum to s1 g1 - s0 g0 exactly. A period where the cause has
// no answers has s = 0 and takes the other period's gap.
struct EffectSplit {
  double total = 0;
  double volume = 0;
  double score = 0;
};
std::optional<EffectSplit> SplitChange(const NpsImpact& before, const NpsImpact& now);

// P(X >= k) for X ~ Poisson(lambda).
double PoissonUpperTail(int64_t k, double lambda);

// The q-quantile (0..1) of a first-response histogram, in minutes, interpolated linearly inside
// its bucket; nullopt when empty. `open_ended` is set when it falls in the last, unbounded bucket
// (the value is then that bucket's lower bound).
std::optional<double> HistogramQuantile(const std::array<int64_t, kResponseBuckets>& buckets,
                                        double q, bool* open_ended = nullptr);

}  // namespace feedloop::metrics
