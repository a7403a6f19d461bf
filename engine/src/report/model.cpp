#include "feedloop/report/model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <tuple>

#include "feedloop/metrics/stats.hpp"

namespace feedloop::report {
namespace {

using metrics::AggregateState;
using metrics::PeriodState;
using metrics::Scores;

const Scores kNoScores;
const PeriodState kNoPeriod;

// The periods a report reads, and the options; shared by every section's builder.
struct Context {
  const AggregateState& state;
  const ReportOptions& o;
  int64_t now_index;
  int64_t before_index;
  std::vector<int64_t> trend;  // period indices, oldest first
  const PeriodState& now;
  const PeriodState& before;

  const PeriodState& At(int64_t index) const {
    auto it = state.periods.find(index);
    return it == state.periods.end() ? kNoPeriod : it->second;
  }
  std::string Label(int64_t index) const {
    return FormatPeriod(Period{state.options.granularity, index});
  }
};

template <class V>
const V& Lookup(const metrics::StringMap<V>& map, std::string_view key, const V& fallback) {
  auto it = map.find(key);
  return it == map.end() ? fallback : it->second;
}

int64_t CountIn(const metrics::StringMap<int64_t>& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->second;
}

using ScoresOf = std::function<const Scores&(const PeriodState&)>;
using ValueOf = std::function<std::optional<double>(const Scores&)>;
using NOf = std::function<int64_t(const Scores&)>;

// A figure of the scores `of` selects, at the report period, the comparison period and the trend.
Metric MakeMetric(const Context& c, const ScoresOf& of, const ValueOf& value, const NOf& n) {
  Metric m;
  const Scores& now = of(c.now);
  const Scores& before = of(c.before);
  m.value = value(now);
  m.n = n(now);
  m.low_n = m.n < c.o.min_n;
  m.previous = value(before);
  m.previous_n = n(before);
  for (int64_t index : c.trend) m.trend.push_back(value(of(c.At(index))));
  return m;
}

const Scores& AllOf(const PeriodState& p) {
  return p.all;
}

int64_t NpsN(const Scores& s) {
  return s.nps_n();
}
int64_t CsatN(const Scores& s) {
  return s.csat_n;
}
int64_t CesN(const Scores& s) {
  return s.ces_n;
}
int64_t RatingN(const Scores& s) {
  return s.rating_n;
}
int64_t SentimentN(const Scores& s) {
  return s.sentiment_n;
}
int64_t ScoredN(const Scores& s) {
  return s.scored;
}

std::optional<double> NpsValue(const Scores& s) {
  return metrics::Nps(s);
}
std::optional<double> LowShare(const Scores& s) {
  return metrics::Percent(s.low_scored, s.scored);
}
std::optional<double> NegativeShare(const Scores& s) {
  return metrics::Percent(s.negative, s.sentiment_n);
}

void SetNpsInterval(Metric& m, const Scores& s) {
  m.ci = metrics::NpsInterval(s.nps_promoters, s.nps_passives, s.nps_detractors);
}

Count MakeCount(const Context& c, std::string name,
                const std::function<int64_t(const PeriodState&)>& count) {
  Count out;
  out.name = std::move(name);
  out.count = count(c.now);
  out.previous = count(c.before);
  for (int64_t index : c.trend) out.trend.push_back(count(c.At(index)));
  return out;
}

std::string DateOfDay(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string DateOf(int64_t unix_seconds) {
  if (unix_seconds == kNoTime) return "";
  return FormatIsoUtc(unix_seconds).substr(0, 10);
}

// ---- Headline

Headline BuildHeadline(const Context& c) {
  Headline h;
  h.nps = MakeMetric(c, AllOf, NpsValue, NpsN);
  SetNpsInterval(h.nps, c.now.all);
  h.promoters = c.now.all.nps_promoters;
  h.passives = c.now.all.nps_passives;
  h.detractors = c.now.all.nps_detractors;
  h.csat = MakeMetric(c, AllOf, metrics::CsatTop2, CsatN);
  h.csat.ci = metrics::ProportionInterval(c.now.all.csat_top2, c.now.all.csat_n);
  h.csat_mean = MakeMetric(c, AllOf, metrics::CsatMean, CsatN);
  h.ces = MakeMetric(c, AllOf, metrics::CesMean, CesN);
  h.rating = MakeMetric(c, AllOf, metrics::RatingMean, RatingN);
  h.sentiment = MakeMetric(c, AllOf, metrics::SentimentMean, SentimentN);
  h.positive = MakeMetric(
      c, AllOf, [](const Scores& s) { return metrics::Percent(s.positive, s.sentiment_n); },
      SentimentN);
  h.neutral = MakeMetric(
      c, AllOf, [](const Scores& s) { return metrics::Percent(s.neutral, s.sentiment_n); },
      SentimentN);
  h.negative = MakeMetric(c, AllOf, NegativeShare, SentimentN);
  h.volume = MakeCount(c, "all", [](const PeriodState& p) { return p.all.items; });
  h.complaints = c.now.all.complaints;
  for (int k = 0; k < kKindCount; ++k) {
    Count kind =
        MakeCount(c, std::string(KindName(static_cast<Kind>(k))),
                  [k](const PeriodState& p) { return p.all.by_kind[static_cast<size_t>(k)]; });
    if (kind.count > 0 || kind.previous > 0) h.by_kind.push_back(std::move(kind));
  }
  std::set<std::string> sources;
  for (const auto& [name, n] : c.now.sources) sources.insert(name);
  for (const auto& [name, n] : c.before.sources) sources.insert(name);
  for (const std::string& name : sources) {
    h.by_source.push_back(
        MakeCount(c, name, [&name](const PeriodState& p) { return CountIn(p.sources, name); }));
  }
  std::stable_sort(h.by_source.begin(), h.by_source.end(),
                   [](const Count& a, const Count& b) { return a.count > b.count; });
  return h;
}

// ---- Quotes

std::set<std::string> Words(std::string_view text) {
  std::set<std::string> words;
  std::string w;
  for (char ch : text) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || u >= 0x80) {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      words.insert(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.insert(std::move(w));
  return words;
}

double Jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1;
  size_t common = 0;
  for (const std::string& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// The most typical quotes that are diverse: different customers always, different sources when
// possible, and no near-duplicates (word Jaccard similarity 0.6 or more).
std::vector<QuoteView> PickQuotes(const std::vector<metrics::Quote>& candidates, int k) {
  std::vector<const metrics::Quote*> chosen;
  std::vector<std::set<std::string>> chosen_words;
  for (int pass = 0; pass < 2 && static_cast<int>(chosen.size()) < k; ++pass) {
    for (const metrics::Quote& q : candidates) {
      if (static_cast<int>(chosen.size()) >= k) break;
      if (std::find(chosen.begin(), chosen.end(), &q) != chosen.end()) continue;
      bool ok = true;
      std::set<std::string> words = Words(q.text);
      for (size_t i = 0; i < chosen.size() && ok; ++i) {
        const metrics::Quote& other = *chosen[i];
        if (!q.customer_id.empty() && q.customer_id == other.customer_id) ok = false;
        if (pass == 0 && q.source == other.source) ok = false;
        if (Jaccard(words, chosen_words[i]) >= 0.6) ok = false;
      }
      if (!ok) continue;
      chosen.push_back(&q);
      chosen_words.push_back(std::move(words));
    }
  }
  // Keep the typicality order whatever the pass that picked them.
  std::sort(chosen.begin(), chosen.end(), [](const metrics::Quote* a, const metrics::Quote* b) {
    return metrics::QuoteBefore(*a, *b);
  });
  std::vector<QuoteView> out;
  for (const metrics::Quote* q : chosen) {
    QuoteView v;
    v.text = q->text;
    v.evidence = q->evidence;
    v.source = q->source;
    v.id = q->id;
    v.kind = std::string(KindName(q->kind));
    v.date = DateOf(q->created_at);
    v.score = q->score;
    out.push_back(std::move(v));
  }
  return out;
}

// ---- Causes

// The causes worth a row: known to the owner table, or a root cause somewhere in the window.
std::vector<std::string> CauseNames(const Context& c) {
  std::set<std::string> roots;
  std::vector<int64_t> window = c.trend;
  window.push_back(c.before_index);
  for (int64_t index : window) {
    for (const auto& [name, n] : c.At(index).root_causes) roots.insert(name);
  }
  std::set<std::string> names;
  for (const PeriodState* p : {&c.now, &c.before}) {
    for (const auto& [name, s] : p->causes) {
      if (roots.count(name) > 0 || c.o.owners.Find(name) != nullptr) names.insert(name);
    }
  }
  return {names.begin(), names.end()};
}

// Where a cause is worst: the segment value whose complaints are most often about it, against its
// share of all complaints (so a channel that only carries complaints, like support chat, does
// not win by volume alone). Needs min n items and 3 mentions in the value, and a lift of 1.25.
std::optional<SegmentLift> WorstSegment(const Context& c, const std::string& cause,
                                        int64_t mentions) {
  if (mentions <= 0 || c.now.all.complaints <= 0) return std::nullopt;
  double overall =
      100.0 * static_cast<double>(mentions) / static_cast<double>(c.now.all.complaints);
  std::optional<SegmentLift> best;
  const auto& fields = c.state.options.segment_fields;
  for (size_t i = 0; i < fields.size() && i < c.now.segments.size(); ++i) {
    if (fields[i] == "kind" || fields[i] == "source") continue;  // not places an ops team fixes
    for (const auto& [value, s] : c.now.segments[i]) {
      if (s.items < c.o.min_n || s.complaints <= 0) continue;
      int64_t m = 0;
      if (i < c.now.segment_causes.size()) {
        auto it = c.now.segment_causes[i].find(value);
        if (it != c.now.segment_causes[i].end()) m = CountIn(it->second, cause);
      }
      if (m < 3) continue;
      double rate = 100.0 * static_cast<double>(m) / static_cast<double>(s.complaints);
      if (rate < 1.25 * overall) continue;
      bool better =
          !best || rate > best->rate ||
          (rate == best->rate &&
           (m > best->mentions || (m == best->mentions && std::tie(fields[i], value) <
                                                              std::tie(best->field, best->value))));
      if (better) {
        best = SegmentLift{fields[i], value, rate, overall, m, s.complaints};
      }
    }
  }
  return best;
}

CauseRow BuildCause(const Context& c, const std::string& name) {
  CauseRow r;
  r.cause = name;
  r.label = c.o.owners.Label(name);
  if (const CauseOwner* owner = c.o.owners.Find(name)) {
    r.owner = owner->owner;
    r.kpi = owner->kpi;
  }
  ScoresOf of = [name](const PeriodState& p) -> const Scores& {
    return Lookup(p.causes, name, kNoScores);
  };
  const Scores& now = of(c.now);
  const Scores& before = of(c.before);
  r.mentions = now.items;
  r.root_count = CountIn(c.now.root_causes, name);
  r.previous_mentions = before.items;
  r.share = c.now.all.items > 0
                ? 100.0 * static_cast<double>(now.items) / static_cast<double>(c.now.all.items)
                : 0;
  r.detractor_share = metrics::Percent(now.nps_detractors, c.now.all.nps_detractors);
  r.nps = MakeMetric(c, of, NpsValue, NpsN);
  SetNpsInterval(r.nps, now);
  r.csat = MakeMetric(c, of, metrics::CsatTop2, CsatN);
  r.sentiment = MakeMetric(c, of, metrics::SentimentMean, SentimentN);
  r.rating = MakeMetric(c, of, metrics::RatingMean, RatingN);

  metrics::NpsImpact impact_now = metrics::ImpactOnNps(c.now.all, now);
  metrics::NpsImpact impact_before = metrics::ImpactOnNps(c.before.all, before);
  r.nps_impact.value = impact_now.impact;
  r.nps_impact.n = now.nps_n();
  r.nps_impact.low_n = r.nps_impact.n < c.o.min_n;
  r.nps_impact.ci = impact_now.ci;
  r.nps_impact.previous = impact_before.impact;
  r.nps_impact.previous_n = before.nps_n();
  for (int64_t index : c.trend) {
    const PeriodState& p = c.At(index);
    r.nps_impact.trend.push_back(metrics::ImpactOnNps(p.all, of(p)).impact);
  }
  r.csat_impact = metrics::ImpactOnCsat(c.now.all, now);
  r.rating_impact = metrics::ImpactOnRating(c.now.all, now);
  if (std::optional<metrics::EffectSplit> e = metrics::SplitChange(impact_before, impact_now)) {
    r.change = EffectView{e->total, e->volume, e->score};
  }
  if (r.previous_mentions > 0) {
    r.growth = static_cast<double>(r.mentions) / static_cast<double>(r.previous_mentions);
  }
  r.low_n = r.mentions < c.o.min_n;
  for (int64_t index : c.trend)
    r.trend.push_back(Lookup(c.At(index).causes, name, kNoScores).items);
  r.worst_segment = WorstSegment(c, name, r.mentions);
  auto quotes = c.now.quotes.find(name);
  if (quotes != c.now.quotes.end()) r.quotes = PickQuotes(quotes->second, c.o.quotes_per_cause);
  return r;
}

// Ranks by impact the causes whose impact rests on at least min n NPS answers, and by volume
// those with at least min n mentions.
void RankCauses(std::vector<CauseRow>& rows) {
  std::vector<CauseRow*> by_impact, by_volume;
  for (CauseRow& r : rows) {
    if (r.low_n || r.mentions == 0) continue;
    by_volume.push_back(&r);
    if (r.nps_impact.value && r.nps_impact.n > 0 && !r.nps_impact.low_n) by_impact.push_back(&r);
  }
  std::sort(by_impact.begin(), by_impact.end(), [](const CauseRow* a, const CauseRow* b) {
    if (*a->nps_impact.value != *b->nps_impact.value)
      return *a->nps_impact.value < *b->nps_impact.value;
    if (a->mentions != b->mentions) return a->mentions > b->mentions;
    return a->cause < b->cause;
  });
  std::sort(by_volume.begin(), by_volume.end(), [](const CauseRow* a, const CauseRow* b) {
    if (a->mentions != b->mentions) return a->mentions > b->mentions;
    return a->cause < b->cause;
  });
  for (size_t i = 0; i < by_impact.size(); ++i) by_impact[i]->impact_rank = static_cast<int>(i + 1);
  for (size_t i = 0; i < by_volume.size(); ++i) by_volume[i]->volume_rank = static_cast<int>(i + 1);
  // Impact-ranked rows first, then the other rows with enough mentions by volume (their impact,
  // if any, rests on too few answers), then the small ones.
  auto group = [](const CauseRow& r) {
    return r.impact_rank > 0 ? 0 : (r.volume_rank > 0 ? 1 : 2);
  };
  std::sort(rows.begin(), rows.end(), [&](const CauseRow& a, const CauseRow& b) {
    if (group(a) != group(b)) return group(a) < group(b);
    if (group(a) == 0) return a.impact_rank < b.impact_rank;
    if (a.mentions != b.mentions) return a.mentions > b.mentions;
    return a.cause < b.cause;
  });
}

// ---- Emerging issues

std::optional<EmergingRow> TestEmerging(const Context& c, const std::string& type,
                                        const std::string& name,
                                        const std::function<int64_t(const PeriodState&)>& count) {
  EmergingRow row;
  row.type = type;
  row.name = name;
  row.count = count(c.now);
  if (row.count <= 0 || c.now.all.items <= 0) return std::nullopt;
  int64_t base_count = 0, base_volume = 0, base_max = 0, periods_with_data = 0;
  for (int64_t i = c.now_index - c.o.emerging_window; i < c.now_index; ++i) {
    const PeriodState& p = c.At(i);
    int64_t n = count(p);
    row.baseline.push_back(n);
    if (p.all.items <= 0) continue;
    ++periods_with_data;
    base_count += n;
    base_volume += p.all.items;
    base_max = std::max(base_max, n);
  }
  if (periods_with_data == 0) return std::nullopt;  // nothing to compare with
  // Expected count: this period's volume at the baseline's rate, at least 0.5 so that a cause
  // never seen before needs a few mentions to stand out.
  double expected = static_cast<double>(c.now.all.items) * static_cast<double>(base_count) /
                    static_cast<double>(base_volume);
  row.expected = expected;
  double lambda = std::max(expected, 0.5);
  row.p_value = metrics::PoissonUpperTail(row.count, lambda);
  row.z = (static_cast<double>(row.count) - lambda) / std::sqrt(lambda);
  bool rare_jump = base_max <= c.o.rare_max && row.count >= c.o.rare_min;
  bool poisson = row.count >= c.o.emerging_min_count && row.p_value <= c.o.emerging_alpha;
  if (!rare_jump && !poisson) return std::nullopt;
  row.rule = rare_jump ? "rare-jump" : "poisson";
  return row;
}

std::vector<EmergingRow> BuildEmerging(const Context& c, const std::vector<std::string>& causes) {
  std::vector<EmergingRow> out;
  // Causes are tested on their root-cause counts: the classifier's decision per item is a
  // cleaner signal than mentions, which also count tag categories of other complaints.
  for (const std::string& name : causes) {
    auto count = [&name](const PeriodState& p) { return CountIn(p.root_causes, name); };
    if (std::optional<EmergingRow> r = TestEmerging(c, "cause", name, count)) {
      r->label = c.o.owners.Label(name);
      if (const CauseOwner* o = c.o.owners.Find(name)) r->owner = o->owner;
      out.push_back(std::move(*r));
    }
  }
  for (const auto& [name, n] : c.now.tags) {
    const std::string& tag = name;
    auto count = [&tag](const PeriodState& p) { return CountIn(p.tags, tag); };
    if (std::optional<EmergingRow> r = TestEmerging(c, "tag", tag, count)) {
      std::string_view category = metrics::TagCategory(tag);
      r->label = category.size() < tag.size()
                     ? c.o.owners.Label(category) + ": " + tag.substr(category.size() + 1)
                     : tag;
      if (const CauseOwner* o = c.o.owners.Find(metrics::TagCategory(tag))) r->owner = o->owner;
      out.push_back(std::move(*r));
    }
  }
  std::sort(out.begin(), out.end(), [](const EmergingRow& a, const EmergingRow& b) {
    if (a.p_value != b.p_value) return a.p_value < b.p_value;
    if (a.count != b.count) return a.count > b.count;
    return a.name < b.name;
  });
  return out;
}

// ---- SKUs and segments

template <class Counts>
std::vector<std::pair<std::string, int64_t>> TopCauses(const Counts& causes, size_t k) {
  std::vector<std::pair<std::string, int64_t>> v(causes.begin(), causes.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  if (v.size() > k) v.resize(k);
  return v;
}

std::vector<SkuRow> BuildSkus(const Context& c) {
  std::vector<SkuRow> rows;
  for (const auto& [sku, s] : c.now.skus) {
    SkuRow r;
    r.sku = sku;
    r.items = s.items;
    r.scored = s.scored;
    const std::string& key = sku;
    ScoresOf of = [&key](const PeriodState& p) -> const Scores& {
      return Lookup(p.skus, key, kNoScores);
    };
    r.low_share = MakeMetric(c, of, LowShare, ScoredN);
    r.low_share.ci = metrics::ProportionInterval(s.low_scored, s.scored);
    r.nps = MakeMetric(c, of, NpsValue, NpsN);
    r.negative_share = MakeMetric(c, of, NegativeShare, SentimentN);
    r.complaints = s.complaints;
    auto causes = c.now.sku_causes.find(sku);
    if (causes != c.now.sku_causes.end()) r.top_causes = TopCauses(causes->second, 3);
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const SkuRow& a, const SkuRow& b) {
    bool ra = !a.low_share.low_n && a.low_share.value, rb = !b.low_share.low_n && b.low_share.value;
    if (ra != rb) return ra;
    double va = a.low_share.value.value_or(-1), vb = b.low_share.value.value_or(-1);
    if (va != vb) return va > vb;
    if (a.items != b.items) return a.items > b.items;
    return a.sku < b.sku;
  });
  int rank = 0;
  for (SkuRow& r : rows) {
    if (!r.low_share.low_n && r.low_share.value) r.rank = ++rank;
  }
  return rows;
}

// SKU x cause pairs where the cause is at least twice as frequent as overall, with 5 mentions or
// more; ranked by the mentions above what the overall rate predicts.
std::vector<Hotspot> BuildHotspots(const Context& c) {
  std::vector<Hotspot> out;
  if (c.now.all.items <= 0) return out;
  for (const auto& [sku, causes] : c.now.sku_causes) {
    const Scores& s = Lookup(c.now.skus, sku, kNoScores);
    if (s.items <= 0) continue;
    for (const auto& [cause, m] : causes) {
      if (m < 5) continue;
      double overall = static_cast<double>(Lookup(c.now.causes, cause, kNoScores).items) /
                       static_cast<double>(c.now.all.items);
      double rate = static_cast<double>(m) / static_cast<double>(s.items);
      if (overall <= 0 || rate < 2 * overall) continue;
      Hotspot h;
      h.sku = sku;
      h.cause = cause;
      h.label = c.o.owners.Label(cause);
      if (const CauseOwner* o = c.o.owners.Find(cause)) h.owner = o->owner;
      h.mentions = m;
      h.items = s.items;
      h.rate = 100 * rate;
      h.overall = 100 * overall;
      h.excess = static_cast<double>(m) - overall * static_cast<double>(s.items);
      out.push_back(std::move(h));
    }
  }
  std::sort(out.begin(), out.end(), [](const Hotspot& a, const Hotspot& b) {
    if (a.excess != b.excess) return a.excess > b.excess;
    return std::tie(a.sku, a.cause) < std::tie(b.sku, b.cause);
  });
  if (out.size() > 10) out.resize(10);
  return out;
}

std::vector<SegmentTable> BuildSegments(const Context& c) {
  std::vector<SegmentTable> tables;
  const auto& fields = c.state.options.segment_fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    SegmentTable t;
    t.field = fields[i];
    if (i < c.now.segments.size()) {
      for (const auto& [value, s] : c.now.segments[i]) {
        SegmentRow r;
        r.value = value;
        r.items = s.items;
        const std::string& key = value;
        ScoresOf of = [i, &key](const PeriodState& p) -> const Scores& {
          return i < p.segments.size() ? Lookup(p.segments[i], key, kNoScores) : kNoScores;
        };
        r.nps = MakeMetric(c, of, NpsValue, NpsN);
        SetNpsInterval(r.nps, s);
        r.low_share = MakeMetric(c, of, LowShare, ScoredN);
        r.negative_share = MakeMetric(c, of, NegativeShare, SentimentN);
        r.low_n = s.items < c.o.min_n;
        if (i < c.now.segment_causes.size()) {
          auto it = c.now.segment_causes[i].find(value);
          if (it != c.now.segment_causes[i].end()) {
            std::vector<std::pair<std::string, int64_t>> top = TopCauses(it->second, 1);
            if (!top.empty()) r.top_cause = top.front();
          }
        }
        t.rows.push_back(std::move(r));
      }
    }
    std::sort(t.rows.begin(), t.rows.end(), [](const SegmentRow& a, const SegmentRow& b) {
      if (a.low_n != b.low_n) return !a.low_n;
      double va = a.low_share.value.value_or(-1), vb = b.low_share.value.value_or(-1);
      if (va != vb) return va > vb;
      if (a.items != b.items) return a.items > b.items;
      return a.value < b.value;
    });
    tables.push_back(std::move(t));
  }
  return tables;
}

// ---- Transcripts

TranscriptView BuildTranscripts(const Context& c) {
  TranscriptView v;
  const metrics::TranscriptStats& t = c.now.transcripts;
  v.conversations = t.conversations;
  v.answered = t.answered;
  v.unanswered = t.conversations - t.answered;
  auto quantile = [&c](double q, Metric* m, bool* open) {
    auto at = [q](const PeriodState& p) {
      return metrics::HistogramQuantile(p.transcripts.first_response, q);
    };
    m->value = metrics::HistogramQuantile(c.now.transcripts.first_response, q, open);
    m->n = c.now.transcripts.answered;
    m->low_n = m->n < c.o.min_n;
    m->previous = at(c.before);
    m->previous_n = c.before.transcripts.answered;
    for (int64_t index : c.trend) m->trend.push_back(at(c.At(index)));
  };
  quantile(0.5, &v.first_response_median, nullptr);
  quantile(0.9, &v.first_response_p90, &v.p90_open_ended);
  auto metric =
      [&c](const std::function<std::optional<double>(const metrics::TranscriptStats&)>& value,
           const std::function<int64_t(const metrics::TranscriptStats&)>& n) {
        Metric m;
        m.value = value(c.now.transcripts);
        m.n = n(c.now.transcripts);
        m.low_n = m.n < c.o.min_n;
        m.previous = value(c.before.transcripts);
        m.previous_n = n(c.before.transcripts);
        for (int64_t index : c.trend) m.trend.push_back(value(c.At(index).transcripts));
        return m;
      };
  using TS = metrics::TranscriptStats;
  v.resolution = metric([](const TS& s) { return metrics::Percent(s.resolved, s.conversations); },
                        [](const TS& s) { return s.conversations; });
  v.resolution.ci = metrics::ProportionInterval(t.resolved, t.conversations);
  v.post_chat_csat = metric([](const TS& s) { return metrics::Percent(s.rated_top2, s.rated); },
                            [](const TS& s) { return s.rated; });
  auto mean = [](int64_t sum, int64_t n) -> std::optional<double> {
    if (n <= 0) return std::nullopt;
    return metrics::FromFixed(sum) / static_cast<double>(n);
  };
  v.start_sentiment = metric([&](const TS& s) { return mean(s.start_sum, s.sentiment_pairs); },
                             [](const TS& s) { return s.sentiment_pairs; });
  v.end_sentiment = metric([&](const TS& s) { return mean(s.end_sum, s.sentiment_pairs); },
                           [](const TS& s) { return s.sentiment_pairs; });
  v.ended_better = t.ended_better;
  v.ended_worse = t.ended_worse;
  v.ended_same = t.sentiment_pairs - t.ended_better - t.ended_worse;
  v.causes = TopCauses(t.causes, 5);
  v.histogram.assign(t.first_response.begin(), t.first_response.end());
  return v;
}

// ---- Save list

std::vector<SaveRow> BuildSaveList(const Context& c) {
  std::vector<SaveRow> rows;
  for (const auto& [customer, now] : c.now.customers) {
    metrics::CustomerRisk total;
    for (int64_t i = c.now_index - c.o.save_lookback + 1; i <= c.now_index; ++i) {
      if (const metrics::CustomerRisk* risk = metrics::FindCustomer(c.At(i).customers, customer))
        total.Merge(*risk);
    }
    SaveRow r;
    r.customer_id = customer;
    r.risk = metrics::FromFixed(total.risk);
    r.complaints = total.complaints;
    r.complaints_period = now.complaints;
    // The cause they complain about most; ties go to their latest complaint's cause.
    std::vector<std::pair<std::string, int64_t>> causes =
        TopCauses(total.causes, total.causes.size());
    if (!causes.empty()) {
      r.cause = causes.front().first;
      for (const auto& [name, n] : causes) {
        if (n == causes.front().second && name == total.last_cause) r.cause = name;
      }
    }
    if (const CauseOwner* o = c.o.owners.Find(r.cause)) r.owner = o->owner;
    std::vector<std::string> reasons;
    if (total.worst_nps >= 0)
      reasons.push_back("NPS " + std::to_string(total.worst_nps) + " (detractor)");
    if (total.reasons & metrics::kRiskLowScore) reasons.push_back("low rating");
    if (total.reasons & metrics::kRiskUnresolved)
      reasons.push_back("unresolved support conversation");
    if ((total.reasons & metrics::kRiskNegativeCause) && !r.cause.empty()) {
      reasons.push_back("negative about " + c.o.owners.Label(r.cause));
    }
    if (total.complaints > 1) {
      reasons.push_back(
          Plural(total.complaints, "complaint") + " in " +
          Plural(c.o.save_lookback, std::string(GranularityName(c.state.options.granularity))));
    }
    if (reasons.empty()) reasons.push_back("complaint");
    for (size_t i = 0; i < reasons.size(); ++i) r.reason += (i ? "; " : "") + reasons[i];
    r.last_date = DateOf(total.last_at);
    r.last_source = total.last_source;
    r.last_id = total.last_id;
    r.last_kind = std::string(KindName(total.last_kind));
    r.last_score = total.last_score;
    r.quote = total.last_text;
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const SaveRow& a, const SaveRow& b) {
    if (a.risk != b.risk) return a.risk > b.risk;
    if (a.last_date != b.last_date) return a.last_date > b.last_date;
    return a.customer_id < b.customer_id;
  });
  return rows;
}

// ---- Actions

std::string Fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string ActionLine(const Context& c, const CauseRow& r) {
  std::vector<std::string> parts;
  if (r.detractor_share && c.now.all.nps_detractors > 0) {
    parts.push_back(Fixed(*r.detractor_share, 0) + "% of detractors");
  } else {
    parts.push_back(Fixed(r.share, 0) + "% of feedback");
  }
  if (r.nps_impact.value && r.nps_impact.n > 0) {
    parts.push_back(r.nps_impact.low_n
                        ? "NPS impact n too small (" + Plural(r.nps_impact.n, "NPS answer") + ")"
                        : "NPS impact " + FormatSigned(r.nps_impact.value, 1));
  }
  if (r.low_n) parts.push_back("only " + std::to_string(r.mentions) + " mentions");
  std::string since = " since " + FormatPeriod(Period{c.state.options.granularity, c.before_index});
  if (r.previous_mentions == 0 && r.mentions > 0) {
    parts.push_back("new" + since);
  } else if (r.growth && *r.growth >= 1.2) {
    parts.push_back("up " + Fixed(*r.growth, 1) + "x" + since);
  } else if (r.growth && *r.growth <= 0.8) {
    parts.push_back("down " + Fixed(100 * (1 - *r.growth), 0) + "%" + since);
  } else {
    parts.push_back("steady" + since);
  }
  if (r.worst_segment) {
    parts.push_back("worst in " + r.worst_segment->field + " " + r.worst_segment->value + " (" +
                    Fixed(r.worst_segment->rate, 0) + "% of its complaints vs " +
                    Fixed(r.worst_segment->overall, 0) + "%)");
  }
  std::string line = r.label + ": ";
  for (size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : "") + parts[i];
  if (!r.owner.empty()) {
    line += " \xE2\x80\x94 owner: " + r.owner;  // em dash
    if (!r.kpi.empty()) line += ", KPI: " + r.kpi;
  }
  return r.emerging ? "Emerging \xE2\x80\x94 " + line : line;
}

std::vector<Action> BuildActions(const Context& c, const std::vector<CauseRow>& causes) {
  std::vector<const CauseRow*> picked;
  for (const CauseRow& r : causes) {
    if (static_cast<int>(picked.size()) >= c.o.max_actions) break;
    if (r.impact_rank > 0 && *r.nps_impact.value < 0) picked.push_back(&r);
  }
  // Emerging causes always get a line, even below min n: the test already says they stand out.
  for (const CauseRow& r : causes) {
    if (r.emerging && std::find(picked.begin(), picked.end(), &r) == picked.end()) {
      picked.push_back(&r);
    }
  }
  // Up to max_actions, the biggest causes by volume: those without a ranked impact (no NPS
  // answers, or fewer than min n).
  for (const CauseRow& r : causes) {
    if (static_cast<int>(picked.size()) >= c.o.max_actions) break;
    if (r.volume_rank > 0 && std::find(picked.begin(), picked.end(), &r) == picked.end())
      picked.push_back(&r);
  }
  // The lines without a ranked impact go after those with one, the causes that most detractors
  // mention first (then by mentions): "42% of detractors" before "15%", whatever the volume.
  auto ranked = [](const CauseRow* r) { return r->impact_rank > 0 && *r->nps_impact.value < 0; };
  std::stable_sort(picked.begin(), picked.end(), [&](const CauseRow* a, const CauseRow* b) {
    if (ranked(a) != ranked(b)) return ranked(a);
    if (ranked(a)) return a->impact_rank < b->impact_rank;
    const double da = a->detractor_share.value_or(-1), db = b->detractor_share.value_or(-1);
    if (da != db) return da > db;
    return a->mentions > b->mentions;
  });
  std::vector<Action> out;
  for (const CauseRow* r : picked)
    out.push_back(Action{r->cause, ActionLine(c, *r), r->owner, r->kpi});
  return out;
}

HeatMap BuildHeat(const Context& c, const std::vector<CauseRow>& causes) {
  HeatMap h;
  std::vector<std::pair<int64_t, std::string>> totals;
  for (const CauseRow& r : causes) {
    int64_t total = 0;
    for (int64_t n : r.trend) total += n;
    if (total > 0) totals.emplace_back(-total, r.cause);
  }
  std::sort(totals.begin(), totals.end());
  if (totals.size() > 12) totals.resize(12);
  for (int64_t index : c.trend) h.has_data.push_back(c.At(index).all.items > 0);
  for (const auto& [neg, name] : totals) {
    h.causes.push_back(name);
    std::vector<int64_t> counts;
    std::vector<double> shares;
    for (int64_t index : c.trend) {
      const PeriodState& p = c.At(index);
      int64_t n = Lookup(p.causes, name, kNoScores).items;
      counts.push_back(n);
      shares.push_back(
          p.all.items > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(p.all.items) : 0);
    }
    h.counts.push_back(std::move(counts));
    h.shares.push_back(std::move(shares));
  }
  return h;
}

}  // namespace

bool PeriodComplete(const AggregateState& state, const PeriodClock& clock, Period period) {
  int64_t latest = state.Latest();
  return latest != kNoTime && clock.Completes(period, latest);
}

std::optional<Period> LatestPeriod(const AggregateState& state, const PeriodClock& clock,
                                   bool* complete) {
  std::vector<int64_t> with_data;
  for (auto it = state.periods.rbegin(); it != state.periods.rend() && with_data.size() < 2; ++it) {
    if (it->second.all.items > 0) with_data.push_back(it->first);
  }
  if (with_data.empty()) return std::nullopt;
  Period latest{state.options.granularity, with_data[0]};
  if (PeriodComplete(state, clock, latest) || with_data.size() == 1) {
    if (complete != nullptr) *complete = PeriodComplete(state, clock, latest);
    return latest;
  }
  if (complete != nullptr) *complete = true;
  return Period{state.options.granularity, with_data[1]};
}

std::string Plural(int64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string SaveQuoteText(const SaveRow& row) {
  if (!row.quote.empty()) return row.quote;
  return row.last_score ? "(score only, no comment)" : "(no comment)";
}

std::string FormatNumber(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return "\xE2\x80\x94";  // em dash
  char buf[48];
  double x = *v;
  if (std::fabs(x) < 0.5 * std::pow(10.0, -decimals)) x = 0;  // no "-0.0"
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, x);
  return buf;
}

std::string FormatSigned(std::optional<double> v, int decimals) {
  std::string s = FormatNumber(v, decimals);
  if (v && std::isfinite(*v) && s[0] != '-' && s.find_first_not_of("0.") != std::string::npos)
    s = "+" + s;
  return s;
}

std::string FormatMinutes(std::optional<double> minutes) {
  if (!minutes) return "\xE2\x80\x94";
  double m = *minutes;
  char buf[48];
  if (m < 120) {
    std::snprintf(buf, sizeof(buf), "%.0f min", m);
  } else if (m < 48 * 60) {
    std::snprintf(buf, sizeof(buf), "%.1f h", m / 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f d", m / 1440);
  }
  return buf;
}

Result<Report> BuildReport(const AggregateState& state, const ReportOptions& o) {
  if (o.period.granularity != state.options.granularity) {
    return Status::Usage("period " + FormatPeriod(o.period) + " does not match the " +
                         std::string(GranularityName(state.options.granularity)) +
                         " periods of the data");
  }
  if (o.compare_back < 1)
    return Status::Usage("--compare must be 'previous' or a number of periods >= 1");
  if (o.min_n < 1) return Status::Usage("--min-n must be at least 1");
  if (o.trend_periods < 1 || o.emerging_window < 1 || o.save_lookback < 1) {
    return Status::Usage("trend, emerging window and save look-back must be at least 1 period");
  }
  const int64_t now_index = o.period.index;
  const int64_t before_index = now_index - o.compare_back;
  auto find = [&](int64_t index) -> const PeriodState& {
    auto it = state.periods.find(index);
    return it == state.periods.end() ? kNoPeriod : it->second;
  };
  Context c{state, o, now_index, before_index, {}, find(now_index), find(before_index)};
  for (int64_t i = now_index - o.trend_periods + 1; i <= now_index; ++i) c.trend.push_back(i);

  Report r;
  r.options = o;
  r.period = FormatPeriod(o.period);
  r.compare = c.Label(before_index);
  r.period_start = DateOfDay(PeriodStartDay(o.period));
  r.period_end = DateOfDay(PeriodStartDay(o.period.Plus(1)) - 1);
  r.granularity = std::string(GranularityName(state.options.granularity));
  r.time_zone = state.options.time_zone;
  r.period_rule = o.period_rule;
  r.min_n = o.min_n;
  r.period_complete = o.period_complete;
  for (int64_t index : c.trend) r.trend_labels.push_back(c.Label(index));
  r.provenance = o.provenance;
  r.owners_source = o.owners.source();

  r.headline = BuildHeadline(c);
  for (const std::string& name : CauseNames(c)) r.causes.push_back(BuildCause(c, name));
  r.emerging = BuildEmerging(c, CauseNames(c));
  // A cause is emerging when its root-cause count is, or one of its category's tags is.
  for (CauseRow& row : r.causes) {
    for (const EmergingRow& e : r.emerging) {
      bool own = e.type == "cause" && e.name == row.cause;
      bool tag = e.type == "tag" && metrics::TagCategory(e.name) == row.cause;
      if (own || tag) row.emerging = true;
    }
  }
  RankCauses(r.causes);
  r.skus = BuildSkus(c);
  r.hotspots = BuildHotspots(c);
  r.segments = BuildSegments(c);
  r.transcripts = BuildTranscripts(c);
  r.save_list = BuildSaveList(c);
  r.actions = BuildActions(c, r.causes);
  r.heat = BuildHeat(c, r.causes);

  if (c.now.all.items == 0) r.notes.push_back("No feedback in " + r.period + ".");
  if (c.now.all.items > 0 && c.now.all.sentiment_n == 0 && c.now.root_causes.empty()) {
    r.notes.push_back("No item of " + r.period + " is analyzed: run `feedloop analyze` first.");
  }
  if (c.now.all.items > 0 && c.now.all.nps_n() == 0)
    r.notes.push_back("No NPS answers in " + r.period + ".");
  // An empty period has its own note: "not complete" would only say the data lies elsewhere.
  if (!o.period_complete && c.now.all.items > 0) {
    r.notes.push_back(r.period + " is not complete: the data ends before its last day.");
  }
  if (c.before.all.items == 0)
    r.notes.push_back("No feedback in the comparison period " + r.compare + ".");
  if (c.now.all.items > 0 && o.provenance.analyze_run == 0 && o.provenance.shards == 0 &&
      !o.provenance.database.empty()) {
    r.notes.push_back("The store has no analyze run on record.");
  }
  return r;
}

}  // namespace feedloop::report
