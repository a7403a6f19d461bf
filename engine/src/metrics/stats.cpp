#include "feedloop/metrics/stats.hpp"

#include <algorithm>
#include <cmath>

namespace feedloop::metrics {
namespace {

constexpr double kZ95 = 1.959963984540054;

std::optional<double> Mean(int64_t sum_fixed, int64_t n) {
  if (n <= 0) return std::nullopt;
  return FromFixed(sum_fixed) / static_cast<double>(n);
}

// Regularized lower incomplete gamma P(a, x) (Numerical Recipes' series and continued fraction).
double GammaP(double a, double x) {
  if (x <= 0) return 0;
  double gln = std::lgamma(a);
  if (x < a + 1) {
    double ap = a, sum = 1.0 / a, del = sum;
    for (int n = 0; n < 10000; ++n) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (std::fabs(del) < std::fabs(sum) * 1e-15) break;
    }
    return sum * std::exp(-x + a * std::log(x) - gln);
  }
  double b = x + 1 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (std::fabs(c) < 1e-300) c = 1e-300;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return 1.0 - std::exp(-x + a * std::log(x) - gln) * h;
}

// An NPS group with Rocks' pseudo-answers: 3/4 promoter, 3/4 detractor, 3/2 passive.
struct Adjusted {
  double n = 0;         // answers + 3
  double nps = 0;       // ~p - ~d, in shares
  double variance = 0;  // ~p + ~d - (~p - ~d)^2, per answer
};

Adjusted Adjust(int64_t promoters, int64_t passives, int64_t detractors) {
  Adjusted a;
  a.n = static_cast<double>(promoters + passives + detractors) + 3.0;
  double p = (static_cast<double>(promoters) + 0.75) / a.n;
  double d = (static_cast<double>(detractors) + 0.75) / a.n;
  a.nps = p - d;
  a.variance = std::max(0.0, p + d - a.nps * a.nps);
  return a;
}

// [low, high] widened to hold `value`, then clipped to [floor, ceiling].
Interval Hull(double low, double high, double value, double floor, double ceiling) {
  return Interval{std::clamp(std::min(low, value), floor, ceiling),
                  std::clamp(std::max(high, value), floor, ceiling)};
}

}  // namespace

std::optional<double> Nps(int64_t promoters, int64_t passives, int64_t detractors) {
  int64_t n = promoters + passives + detractors;
  if (n <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(promoters - detractors) / static_cast<double>(n);
}

std::optional<double> Nps(const Scores& s) {
  return Nps(s.nps_promoters, s.nps_passives, s.nps_detractors);
}

std::optional<Interval> NpsInterval(int64_t promoters, int64_t passives, int64_t detractors) {
  std::optional<double> nps = Nps(promoters, passives, detractors);
  if (!nps) return std::nullopt;
  Adjusted a = Adjust(promoters, passives, detractors);
  double half = kZ95 * std::sqrt(a.variance / a.n) * 100.0;
  return Hull(a.nps * 100.0 - half, a.nps * 100.0 + half, *nps, -100.0, 100.0);
}

std::optional<double> Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<Interval> ProportionInterval(int64_t part, int64_t whole) {
  std::optional<double> percent = Percent(part, whole);
  if (!percent) return std::nullopt;
  const double n = static_cast<double>(whole), p = *percent / 100.0, z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return Hull((center - half) * 100.0, (center + half) * 100.0, *percent, 0.0, 100.0);
}

std::optional<double> CsatTop2(const Scores& s) {
  return Percent(s.csat_top2, s.csat_n);
}
std::optional<double> CsatMean(const Scores& s) {
  return Mean(s.csat_sum, s.csat_n);
}
std::optional<double> CesMean(const Scores& s) {
  return Mean(s.ces_sum, s.ces_n);
}
std::optional<double> RatingMean(const Scores& s) {
  return Mean(s.rating_sum, s.rating_n);
}
std::optional<double> SentimentMean(const Scores& s) {
  return Mean(s.sentiment_sum, s.sentiment_n);
}

NpsImpact ImpactOnNps(const Scores& all, const Scores& cause) {
  NpsImpact r;
  Scores rest = all.Minus(cause);
  int64_t n_all = all.nps_n(), n_c = cause.nps_n();
  if (n_all <= 0) return r;
  r.share = static_cast<double>(n_c) / static_cast<double>(n_all);
  std::optional<double> nps_all = Nps(all), nps_c = Nps(cause), nps_r = Nps(rest);
  if (!nps_c || !nps_r) {
    // Every answer mentions it, or none does: no comparison group, no impact.
    if (n_c == 0) r.impact = 0.0;
    return r;
  }
  r.gap = *nps_c - *nps_r;
  r.impact = *nps_all - *nps_r;
  double s = *r.share;
  Adjusted c = Adjust(cause.nps_promoters, cause.nps_passives, cause.nps_detractors);
  Adjusted rs = Adjust(rest.nps_promoters, rest.nps_passives, rest.nps_detractors);
  double center = s * (c.nps - rs.nps) * 100.0;
  double half = kZ95 * s * std::sqrt(c.variance / c.n + rs.variance / rs.n) * 100.0;
  r.ci = Hull(center - half, center + half, *r.impact, -200.0 * s, 200.0 * s);
  return r;
}

std::optional<double> ImpactOnCsat(const Scores& all, const Scores& cause) {
  Scores rest = all.Minus(cause);
  std::optional<double> a = CsatTop2(all), r = CsatTop2(rest);
  if (!a || !r || cause.csat_n == 0) return std::nullopt;
  return *a - *r;
}

std::optional<double> ImpactOnRating(const Scores& all, const Scores& cause) {
  Scores rest = all.Minus(cause);
  std::optional<double> a = RatingMean(all), r = RatingMean(rest);
  if (!a || !r || cause.rating_n == 0) return std::nullopt;
  return *a - *r;
}

std::optional<EffectSplit> SplitChange(const NpsImpact& before, const NpsImpact& now) {
  if (!before.share || !now.share) return std::nullopt;  // a period without NPS answers
  double s0 = *before.share, s1 = *now.share;
  if (!before.gap && !now.gap) {
    // Neither period has a comparison: the cause had no answers in both (or all of them).
    if (s0 > 0 || s1 > 0) return std::nullopt;
    return EffectSplit{};
  }
  if ((!before.gap && s0 > 0) || (!now.gap && s1 > 0)) return std::nullopt;
  double g0 = before.gap ? *before.gap : *now.gap;
  double g1 = now.gap ? *now.gap : *before.gap;
  EffectSplit e;
  e.volume = (s1 - s0) * (g0 + g1) / 2;
  e.score = (g1 - g0) * (s0 + s1) / 2;
  e.total = s1 * g1 - s0 * g0;
  return e;
}

double PoissonUpperTail(int64_t k, double lambda) {
  if (k <= 0) return 1.0;
  if (lambda <= 0) return 0.0;
  // P(X >= k) = P(k, lambda), the regularized lower incomplete gamma function.
  return std::clamp(GammaP(static_cast<double>(k), lambda), 0.0, 1.0);
}

std::optional<double> HistogramQuantile(const std::array<int64_t, kResponseBuckets>& buckets,
                                        double q, bool* open_ended) {
  if (open_ended != nullptr) *open_ended = false;
  int64_t total = 0;
  for (int64_t c : buckets) total += c;
  if (total <= 0) return std::nullopt;
  double target = q * static_cast<double>(total);
  double cumulative = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    double count = static_cast<double>(buckets[i]);
    if (count <= 0) continue;
    double low = i == 0 ? 0.0 : static_cast<double>(kResponseBucketBounds[i - 1]);
    if (cumulative + count >= target) {
      if (i + 1 == buckets.size()) {
        if (open_ended != nullptr) *open_ended = true;
        return low;
      }
      double high = static_cast<double>(kResponseBucketBounds[i]);
      double within = std::clamp((target - cumulative) / count, 0.0, 1.0);
      return low + within * (high - low);
    }
    cumulative += count;
  }
  return static_cast<double>(kResponseBucketBounds.back());
}

}  // namespace feedloop::metrics
