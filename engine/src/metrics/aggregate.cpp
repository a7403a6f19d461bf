#include "feedloop/metrics/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

#include "feedloop/core/hash.hpp"
#include "feedloop/metrics/redact.hpp"

namespace feedloop::metrics {
namespace {

// Finds or inserts `key` without building a std::string for lookups that hit.
template <class V>
V& At(StringMap<V>& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), V{}).first;
  return it->second;
}

template <class V, class Fn>
void MergeMap(StringMap<V>& into, const StringMap<V>& from, Fn&& merge) {
  for (const auto& [key, value] : from) merge(At(into, key), value);
}

void MergeCounts(StringMap<int64_t>& into, const StringMap<int64_t>& from) {
  MergeMap(into, from, [](int64_t& a, int64_t b) { a += b; });
}

void MergeScores(StringMap<Scores>& into, const StringMap<Scores>& from) {
  MergeMap(into, from, [](Scores& a, const Scores& b) { a.Merge(b); });
}

void MergeNested(StringMap<StringMap<int64_t>>& into, const StringMap<StringMap<int64_t>>& from) {
  MergeMap(into, from,
           [](StringMap<int64_t>& a, const StringMap<int64_t>& b) { MergeCounts(a, b); });
}

uint64_t ItemHash(std::string_view source, std::string_view id) {
  std::string key;
  key.reserve(source.size() + id.size() + 1);
  key.append(source).push_back('\0');
  key.append(id);
  return Hash64(key);
}

// How typical an item is of its root cause, in [0, 1]: a confident classification with evidence,
// a readable length and a clearly negative tone make a representative quote. Computed from the
// item alone so the sample is the same however the items are split.
double Typicality(const ItemFacts& f) {
  double confidence = std::clamp(f.root_confidence, 0.0, 1.0);
  double evidence = f.evidence.empty() ? 0.0 : 1.0;
  double length = static_cast<double>(f.text.size());
  double fit = 1.0;
  if (length < 40) fit = length / 40.0;
  if (length > 280) fit = std::max(0.0, 1.0 - (length - 280.0) / 720.0);
  double tone = f.sentiment ? std::clamp(-*f.sentiment, 0.0, 1.0) : 0.5;
  return 0.45 * confidence + 0.2 * evidence + 0.2 * fit + 0.15 * tone;
}

bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

enum class FieldKind { kChannel, kRegion, kSource, kKind, kLanguage, kSku, kAttr };

bool FieldKindOf(std::string_view field, FieldKind* kind) {
  static constexpr std::pair<std::string_view, FieldKind> kFields[] = {
      {"channel", FieldKind::kChannel},   {"region", FieldKind::kRegion},
      {"source", FieldKind::kSource},     {"kind", FieldKind::kKind},
      {"language", FieldKind::kLanguage}, {"sku", FieldKind::kSku}};
  for (const auto& [name, k] : kFields) {
    if (field == name) {
      *kind = k;
      return true;
    }
  }
  if (field.size() > 6 && field.substr(0, 6) == "attrs." &&
      field.find_first_of("\"\\") == std::string_view::npos) {
    *kind = FieldKind::kAttr;
    return true;
  }
  return false;
}

}  // namespace

int64_t ToFixed(double v) {
  return static_cast<int64_t>(std::llround(v * kFixedScale));
}

// ---- Scores

void Scores::Add(const ItemFacts& f, bool complaint) {
  ++items;
  ++by_kind[static_cast<size_t>(f.kind)];
  if (f.score) {
    double s = *f.score;
    switch (f.kind) {
      case Kind::kNps:
        if (s >= 9) {
          ++nps_promoters;
        } else if (s >= 7) {
          ++nps_passives;
        } else {
          ++nps_detractors;
        }
        break;
      case Kind::kCsat:
        ++csat_n;
        if (s >= 4) ++csat_top2;
        csat_sum += ToFixed(s);
        break;
      case Kind::kCes:
        ++ces_n;
        ces_sum += ToFixed(s);
        break;
      case Kind::kReview:
        ++rating_n;
        rating_sum += ToFixed(s);
        break;
      case Kind::kTranscript:
        break;  // post-chat ratings are counted with the transcripts
    }
    ++scored;
    if (IsLowScore(f.kind, s)) ++low_scored;
  }
  if (f.sentiment) {
    ++sentiment_n;
    sentiment_sum += ToFixed(*f.sentiment);
    switch (ClassifySentiment(*f.sentiment)) {
      case SentimentClass::kPositive:
        ++positive;
        break;
      case SentimentClass::kNeutral:
        ++neutral;
        break;
      case SentimentClass::kNegative:
        ++negative;
        break;
    }
  }
  if (complaint) ++complaints;
}

void Scores::Merge(const Scores& o) {
  items += o.items;
  for (size_t k = 0; k < by_kind.size(); ++k) by_kind[k] += o.by_kind[k];
  nps_promoters += o.nps_promoters;
  nps_passives += o.nps_passives;
  nps_detractors += o.nps_detractors;
  csat_n += o.csat_n;
  csat_top2 += o.csat_top2;
  csat_sum += o.csat_sum;
  ces_n += o.ces_n;
  ces_sum += o.ces_sum;
  rating_n += o.rating_n;
  rating_sum += o.rating_sum;
  sentiment_n += o.sentiment_n;
  sentiment_sum += o.sentiment_sum;
  positive += o.positive;
  neutral += o.neutral;
  negative += o.negative;
  scored += o.scored;
  low_scored += o.low_scored;
  complaints += o.complaints;
}

Scores Scores::Minus(const Scores& s) const {
  Scores r = *this;
  r.items -= s.items;
  for (size_t k = 0; k < by_kind.size(); ++k) r.by_kind[k] -= s.by_kind[k];
  r.nps_promoters -= s.nps_promoters;
  r.nps_passives -= s.nps_passives;
  r.nps_detractors -= s.nps_detractors;
  r.csat_n -= s.csat_n;
  r.csat_top2 -= s.csat_top2;
  r.csat_sum -= s.csat_sum;
  r.ces_n -= s.ces_n;
  r.ces_sum -= s.ces_sum;
  r.rating_n -= s.rating_n;
  r.rating_sum -= s.rating_sum;
  r.sentiment_n -= s.sentiment_n;
  r.sentiment_sum -= s.sentiment_sum;
  r.positive -= s.positive;
  r.neutral -= s.neutral;
  r.negative -= s.negative;
  r.scored -= s.scored;
  r.low_scored -= s.low_scored;
  r.complaints -= s.complaints;
  return r;
}

// ---- Transcripts

size_t ResponseBucket(int64_t minutes) {
  auto it = std::lower_bound(kResponseBucketBounds.begin(), kResponseBucketBounds.end(),
                             minutes + 1);  // bucket i holds [bound[i-1], bound[i])
  return static_cast<size_t>(it - kResponseBucketBounds.begin());
}

void TranscriptStats::Merge(const TranscriptStats& o) {
  conversations += o.conversations;
  answered += o.answered;
  for (size_t b = 0; b < first_response.size(); ++b) first_response[b] += o.first_response[b];
  resolved += o.resolved;
  rated += o.rated;
  rated_top2 += o.rated_top2;
  rated_sum += o.rated_sum;
  sentiment_pairs += o.sentiment_pairs;
  start_sum += o.start_sum;
  end_sum += o.end_sum;
  ended_better += o.ended_better;
  ended_worse += o.ended_worse;
  MergeCounts(causes, o.causes);
}

// ---- Samples

bool QuoteBefore(const Quote& a, const Quote& b) {
  if (a.typicality != b.typicality) return a.typicality > b.typicality;
  if (a.hash != b.hash) return a.hash < b.hash;
  if (a.source != b.source) return a.source < b.source;
  return a.id < b.id;
}

std::string SampleExcerpt(std::string_view text, std::vector<Span>* spans, size_t max_bytes) {
  size_t begin = 0, end = text.size();
  if (text.size() > max_bytes) {
    if (spans != nullptr && !spans->empty() && spans->front().begin < text.size()) {
      size_t anchor = spans->front().begin;
      begin = anchor > max_bytes / 3 ? anchor - max_bytes / 3 : 0;
    }
    end = std::min(text.size(), begin + max_bytes);
    if (end - begin < max_bytes && begin > 0) begin = end > max_bytes ? end - max_bytes : 0;
    while (begin > 0 && begin < text.size() && IsUtf8Continuation(text[begin])) ++begin;
    while (end < text.size() && end > begin && IsUtf8Continuation(text[end])) --end;
  }
  std::string prefix = begin > 0 ? "\xE2\x80\xA6" : "";  // "…"
  std::string out = prefix;
  out.append(text.substr(begin, end - begin));
  if (end < text.size()) out += "\xE2\x80\xA6";
  // Line breaks and tabs become spaces (one byte each, so spans keep their offsets).
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (spans != nullptr) {
    std::vector<Span> kept;
    for (const Span& s : *spans) {
      if (s.end <= begin || s.begin >= end || s.begin >= s.end) continue;
      uint32_t b = static_cast<uint32_t>(std::max<size_t>(s.begin, begin) - begin + prefix.size());
      uint32_t e = static_cast<uint32_t>(std::min<size_t>(s.end, end) - begin + prefix.size());
      kept.push_back({b, e});
    }
    *spans = std::move(kept);
  }
  return RedactPii(out, spans);
}

void CustomerRisk::Merge(const CustomerRisk& o) {
  complaints += o.complaints;
  risk += o.risk;
  reasons |= o.reasons;
  if (o.worst_nps >= 0 && (worst_nps < 0 || o.worst_nps < worst_nps)) worst_nps = o.worst_nps;
  for (const auto& [name, n] : o.causes) {
    auto it = std::lower_bound(
        causes.begin(), causes.end(), name,
        [](const auto& entry, const std::string& key) { return entry.first < key; });
    if (it != causes.end() && it->first == name) {
      it->second += n;
    } else {
      causes.emplace(it, name, n);
    }
  }
  bool later = o.last_at > last_at || (o.last_at == last_at && o.last_hash < last_hash);
  if (later) {
    last_at = o.last_at;
    last_hash = o.last_hash;
    last_source = o.last_source;
    last_id = o.last_id;
    last_cause = o.last_cause;
    last_kind = o.last_kind;
    last_score = o.last_score;
    last_text = o.last_text;
  }
}

void KeepRiskiest(CustomerList* list, int64_t keep) {
  if (keep < 0 || list->size() <= static_cast<size_t>(keep)) return;
  auto riskier = [](const std::pair<std::string, CustomerRisk>& a,
                    const std::pair<std::string, CustomerRisk>& b) {
    if (a.second.risk != b.second.risk) return a.second.risk > b.second.risk;
    if (a.second.last_at != b.second.last_at) return a.second.last_at > b.second.last_at;
    return a.first < b.first;
  };
  std::nth_element(list->begin(), list->begin() + keep, list->end(), riskier);
  list->resize(static_cast<size_t>(keep));
  std::sort(list->begin(), list->end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
}

const CustomerRisk* FindCustomer(const CustomerList& list, std::string_view id) {
  auto it =
      std::lower_bound(list.begin(), list.end(), id,
                       [](const auto& entry, std::string_view key) { return entry.first < key; });
  return it != list.end() && it->first == id ? &it->second : nullptr;
}

int64_t ComplaintWeight(const ItemFacts& f, bool unresolved) {
  double w = 1.0;
  if (f.score) {
    double s = *f.score;
    if (f.kind == Kind::kNps && s <= 6) {
      w = std::max(w, 2.0 + 2.0 * (6.0 - s) / 6.0);
    } else if (f.kind != Kind::kNps && IsLowScore(f.kind, s)) {
      w = std::max(w, 2.0);
    }
  }
  if (f.sentiment && !f.root_cause.empty() &&
      ClassifySentiment(*f.sentiment) == SentimentClass::kNegative) {
    w = std::max(w, 1.0 + 2.0 * std::min(1.0, -*f.sentiment));
  }
  if (unresolved) w = std::max(w, 3.0);
  return ToFixed(w);
}

Status ValidateSegmentField(std::string_view field) {
  FieldKind kind;
  if (FieldKindOf(field, &kind)) return Status::Ok();
  return Status::Usage("segment field '" + std::string(field) +
                       "' is not one of channel, region, source, kind, language, sku or "
                       "attrs.NAME");
}

int64_t AggregateState::Latest() const {
  int64_t latest = kNoTime;
  for (const auto& [index, p] : periods) latest = std::max(latest, p.latest);
  return latest;
}

Status MergeInto(AggregateState& into, const AggregateState& other) {
  if (!(into.options == other.options)) {
    return Status::InvalidInput(
        "aggregate states differ in period granularity, time zone, segment fields or sample size; "
        "build them with the same options to merge them");
  }
  if (into.producer.shards > 0 && other.producer.shards > 0 &&
      into.producer.plugins != other.producer.plugins) {
    auto names = [](const Producer& p) {
      std::string out;
      for (const auto& [name, version] : p.plugins)
        out += (out.empty() ? "" : ", ") + name + " " + version;
      return out.empty() ? std::string("no plugins") : out;
    };
    return Status::InvalidInput("aggregate states were analysed by different plugins (" +
                                names(into.producer) + " against " + names(other.producer) +
                                "); run every shard with the same plugins and versions");
  }
  if (into.producer.shards == 0) into.producer.plugins = other.producer.plugins;
  into.producer.shards += other.producer.shards;
  into.producer.lines += other.producer.lines;
  into.producer.errors += other.producer.errors;
  into.producer.redactions += other.producer.redactions;
  into.items += other.items;
  into.undated += other.undated;
  const int quotes = into.options.quotes_per_cause;
  for (const auto& [index, o] : other.periods) {
    auto [it, inserted] = into.periods.try_emplace(index);
    PeriodState& p = it->second;
    if (inserted) {
      p = o;
      continue;
    }
    p.all.Merge(o.all);
    p.latest = std::max(p.latest, o.latest);
    MergeCounts(p.sources, o.sources);
    MergeScores(p.causes, o.causes);
    MergeCounts(p.root_causes, o.root_causes);
    MergeCounts(p.tags, o.tags);
    MergeScores(p.skus, o.skus);
    MergeNested(p.sku_causes, o.sku_causes);
    p.segments.resize(std::max(p.segments.size(), o.segments.size()));
    p.segment_causes.resize(std::max(p.segment_causes.size(), o.segment_causes.size()));
    for (size_t i = 0; i < o.segments.size(); ++i) MergeScores(p.segments[i], o.segments[i]);
    for (size_t i = 0; i < o.segment_causes.size(); ++i) {
      MergeNested(p.segment_causes[i], o.segment_causes[i]);
    }
    p.transcripts.Merge(o.transcripts);
    MergeMap(p.quotes, o.quotes, [&](std::vector<Quote>& a, const std::vector<Quote>& b) {
      a.insert(a.end(), b.begin(), b.end());
      std::sort(a.begin(), a.end(), QuoteBefore);
      a.erase(std::unique(a.begin(), a.end(),
                          [](const Quote& x, const Quote& y) {
                            return x.source == y.source && x.id == y.id;
                          }),
              a.end());
      if (a.size() > static_cast<size_t>(quotes)) a.resize(static_cast<size_t>(quotes));
    });
    CustomerList merged;
    merged.reserve(p.customers.size() + o.customers.size());
    auto a = p.customers.begin();
    auto b = o.customers.begin();
    while (a != p.customers.end() || b != o.customers.end()) {
      if (b == o.customers.end() || (a != p.customers.end() && a->first < b->first)) {
        merged.push_back(std::move(*a++));
      } else if (a == p.customers.end() || b->first < a->first) {
        merged.push_back(*b++);
      } else {
        a->second.Merge(b->second);
        merged.push_back(std::move(*a++));
        ++b;
      }
    }
    p.customers = std::move(merged);
    KeepRiskiest(&p.customers, into.options.save_candidates);
  }
  return Status::Ok();
}

// ---- Aggregator

namespace {

// Strings to dense ids and back. Ids are stable for the life of the aggregator.
class Interner {
 public:
  uint32_t Id(std::string_view s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(s);
    ids_.emplace(names_.back(), id);
    return id;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }

 private:
  StringMap<uint32_t> ids_;
  std::deque<std::string> names_;
};

template <class T>
T& Slot(std::vector<T>& v, uint32_t id) {
  if (id >= v.size()) v.resize(static_cast<size_t>(id) + 1);
  return v[id];
}

constexpr int32_t kNoCause = -1;

// A save-list candidate while counting: CustomerRisk with ids for its strings.
struct CustomerAcc {
  std::string id;
  int64_t complaints = 0;
  int64_t risk = 0;
  uint32_t reasons = 0;
  int64_t worst_nps = -1;
  std::vector<std::pair<uint32_t, int64_t>> causes;  // cause id, complaints
  int64_t last_at = kNoTime;
  uint64_t last_hash = 0;
  uint32_t last_source = 0;
  std::string last_id;
  int32_t last_cause = kNoCause;
  Kind last_kind = Kind::kReview;
  std::optional<double> last_score;
  std::string last_text;
};

// A period's customers: entries in a vector, found through an open-addressing index of id hashes
// (one probe in a compact array, where a node-based map costs several cache misses per item).
class CustomerTable {
 public:
  CustomerAcc& Get(std::string_view id) {
    if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
    uint64_t h = Hash64(id) | 1;  // 0 marks an empty slot
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.hash == 0) {
        s = {h, static_cast<uint32_t>(entries_.size())};
        entries_.emplace_back().id = id;
        return entries_.back();
      }
      if (s.hash == h && entries_[s.index].id == id) return entries_[s.index];
    }
  }
  const std::vector<CustomerAcc>& entries() const { return entries_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = 0;
  };
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.hash == 0) continue;
      size_t i = s.hash & mask;
      while (slots_[i].hash != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::vector<CustomerAcc> entries_;
};

// One period while counting: the tables of PeriodState indexed by interned ids.
struct PeriodAcc {
  Scores all;
  int64_t latest = kNoTime;
  std::vector<int64_t> sources;
  std::vector<Scores> causes;
  std::vector<int64_t> root_causes;
  std::vector<int64_t> tags;
  std::vector<Scores> skus;
  std::vector<std::vector<int64_t>> sku_causes;                   // [sku][cause]
  std::vector<std::vector<Scores>> segments;                      // [field][value]
  std::vector<std::vector<std::vector<int64_t>>> segment_causes;  // [field][value][cause]
  TranscriptStats transcripts;                                    // without causes
  std::vector<int64_t> transcript_causes;
  std::vector<std::vector<Quote>> quotes;  // by cause
  CustomerTable customers;
};

}  // namespace

struct Aggregator::Impl {
  AggregateOptions options;
  std::shared_ptr<PeriodClock> clock;
  bool utc = true;
  std::vector<FieldKind> field_kinds;
  int64_t items = 0;
  int64_t undated = 0;
  std::map<int64_t, PeriodAcc> periods;
  int64_t last_period = 0;
  PeriodAcc* last_acc = nullptr;
  // Quarter hour -> period, for zones with offsets (all are whole quarter hours).
  std::unordered_map<int64_t, int64_t> quarter_period;
  Interner sources, causes, tags, skus;
  std::vector<Interner> values;                // per segment field
  std::vector<uint32_t> mention_ids, tag_ids;  // scratch

  int64_t PeriodIndexOf(int64_t unix_seconds);
  PeriodAcc& AccOf(int64_t index);
  std::string_view SegmentValue(const ItemFacts& f, size_t field) const;
  void AddTranscript(const ItemFacts& f, PeriodAcc& p, bool* unresolved);
  void OfferQuote(const ItemFacts& f, PeriodAcc& p, uint32_t cause);
  void AddCustomer(const ItemFacts& f, PeriodAcc& p, bool unresolved, int32_t cause);
  PeriodState Materialize(const PeriodAcc& acc) const;
};

Aggregator::Aggregator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Aggregator::~Aggregator() = default;

Result<std::unique_ptr<Aggregator>> Aggregator::Create(const AggregateOptions& options) {
  for (const std::string& field : options.segment_fields) {
    FEEDLOOP_RETURN_IF_ERROR(ValidateSegmentField(field));
  }
  if (options.quotes_per_cause < 1) return Status::Usage("quotes per cause must be at least 1");
  if (options.save_candidates < 1) {
    return Status::Usage("save-list candidates per period must be at least 1");
  }
  if (options.segment_fields.size() > 255) return Status::Usage("at most 255 segment fields");
  Result<std::shared_ptr<PeriodClock>> clock =
      PeriodClock::Create(options.time_zone, options.granularity);
  if (!clock.ok()) return clock.status();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->clock = std::move(clock).value();
  impl->options.time_zone = impl->clock->zone();
  impl->utc = impl->clock->zone() == "UTC" || impl->clock->zone() == "Etc/UTC";
  for (const std::string& field : options.segment_fields) {
    FieldKind kind = FieldKind::kChannel;
    (void)FieldKindOf(field, &kind);
    impl->field_kinds.push_back(kind);
  }
  impl->values.resize(options.segment_fields.size());
  return std::unique_ptr<Aggregator>(new Aggregator(std::move(impl)));
}

const AggregateOptions& Aggregator::options() const {
  return impl_->options;
}

int64_t Aggregator::Impl::PeriodIndexOf(int64_t unix_seconds) {
  if (utc) return clock->PeriodOf(unix_seconds).index;  // arithmetic only
  int64_t quarter = unix_seconds >= 0 ? unix_seconds / 900 : (unix_seconds - 899) / 900;
  auto it = quarter_period.find(quarter);
  if (it != quarter_period.end()) return it->second;
  int64_t index = clock->PeriodOf(unix_seconds).index;
  if (quarter_period.size() > (1u << 20)) quarter_period.clear();
  quarter_period.emplace(quarter, index);
  return index;
}

PeriodAcc& Aggregator::Impl::AccOf(int64_t index) {
  if (last_acc != nullptr && last_period == index) return *last_acc;
  auto [it, inserted] = periods.try_emplace(index);
  if (inserted) {
    it->second.segments.resize(options.segment_fields.size());
    it->second.segment_causes.resize(options.segment_fields.size());
  }
  last_period = index;
  last_acc = &it->second;
  return it->second;
}

std::string_view Aggregator::Impl::SegmentValue(const ItemFacts& f, size_t field) const {
  switch (field_kinds[field]) {
    case FieldKind::kChannel:
      return f.channel;
    case FieldKind::kRegion:
      return f.region;
    case FieldKind::kSource:
      return f.source;
    case FieldKind::kKind:
      return KindName(f.kind);
    case FieldKind::kLanguage:
      return f.language;
    case FieldKind::kSku:
      return f.sku;
    case FieldKind::kAttr: {
      std::string_view attr = std::string_view(options.segment_fields[field]).substr(6);
      for (const auto& [k, v] : f.attrs) {
        if (k == attr) return v;
      }
      return {};
    }
  }
  return {};
}

void Aggregator::Impl::AddTranscript(const ItemFacts& f, PeriodAcc& p, bool* unresolved) {
  TranscriptStats& t = p.transcripts;
  ++t.conversations;
  int64_t first_customer = kNoTime;
  int64_t first_agent = kNoTime;
  TurnRole last_role = TurnRole::kOther;
  for (const TurnFact& turn : f.turns) {
    last_role = turn.role;
    if (turn.at == kNoTime) continue;
    if (turn.role == TurnRole::kCustomer && first_customer == kNoTime) first_customer = turn.at;
    if (turn.role == TurnRole::kAgent && first_customer != kNoTime && first_agent == kNoTime &&
        turn.at >= first_customer) {
      first_agent = turn.at;
    }
  }
  if (first_agent != kNoTime) {
    ++t.answered;
    ++t.first_response[ResponseBucket((first_agent - first_customer) / 60)];
  }
  // Resolved: a post-chat rating of 4-5 when there is a rating; otherwise the conversation ended
  // with the company's reply (agent or bot), not with a customer still waiting.
  bool resolved =
      f.score ? *f.score >= 4 : (last_role == TurnRole::kAgent || last_role == TurnRole::kBot);
  if (resolved) ++t.resolved;
  *unresolved = !resolved;
  if (f.score) {
    ++t.rated;
    if (*f.score >= 4) ++t.rated_top2;
    t.rated_sum += ToFixed(*f.score);
  }
  if (f.first_turn_sentiment && f.last_turn_sentiment) {
    ++t.sentiment_pairs;
    t.start_sum += ToFixed(*f.first_turn_sentiment);
    t.end_sum += ToFixed(*f.last_turn_sentiment);
    double change = *f.last_turn_sentiment - *f.first_turn_sentiment;
    if (change >= 0.05) ++t.ended_better;
    if (change <= -0.05) ++t.ended_worse;
  }
  if (!f.root_cause.empty()) ++Slot(p.transcript_causes, causes.Id(f.root_cause));
}

void Aggregator::Impl::OfferQuote(const ItemFacts& f, PeriodAcc& p, uint32_t cause) {
  Quote q;
  q.typicality = ToFixed(Typicality(f));
  q.hash = ItemHash(f.source, f.id);
  q.source = f.source;
  q.id = f.id;
  std::vector<Quote>& sample = Slot(p.quotes, cause);
  const size_t k = static_cast<size_t>(options.quotes_per_cause);
  if (sample.size() >= k && !QuoteBefore(q, sample.back())) return;
  q.customer_id = f.customer_id;
  q.kind = f.kind;
  q.created_at = f.created_at;
  q.score = f.score;
  q.evidence = f.evidence;
  q.text = SampleExcerpt(f.text, &q.evidence);
  sample.insert(std::upper_bound(sample.begin(), sample.end(), q, QuoteBefore), std::move(q));
  if (sample.size() > k) sample.pop_back();
}

void Aggregator::Impl::AddCustomer(const ItemFacts& f, PeriodAcc& p, bool unresolved,
                                   int32_t cause) {
  CustomerAcc& c = p.customers.Get(f.customer_id);
  ++c.complaints;
  c.risk += ComplaintWeight(f, unresolved);
  if (f.score && f.kind == Kind::kNps && *f.score <= 6) {
    c.reasons |= kRiskDetractor;
    int64_t s = static_cast<int64_t>(*f.score);
    if (c.worst_nps < 0 || s < c.worst_nps) c.worst_nps = s;
  }
  if (f.score && f.kind != Kind::kNps && IsLowScore(f.kind, *f.score)) c.reasons |= kRiskLowScore;
  if (f.sentiment && cause != kNoCause &&
      ClassifySentiment(*f.sentiment) == SentimentClass::kNegative) {
    c.reasons |= kRiskNegativeCause;
  }
  if (unresolved) c.reasons |= kRiskUnresolved;
  if (cause != kNoCause) {
    auto it = std::find_if(c.causes.begin(), c.causes.end(),
                           [&](const auto& e) { return e.first == static_cast<uint32_t>(cause); });
    if (it == c.causes.end()) {
      c.causes.emplace_back(static_cast<uint32_t>(cause), 1);
    } else {
      ++it->second;
    }
  }
  if (f.created_at < c.last_at) return;
  uint64_t hash = ItemHash(f.source, f.id);
  if (f.created_at > c.last_at || hash < c.last_hash) {
    c.last_at = f.created_at;
    c.last_hash = hash;
    c.last_source = sources.Id(f.source);
    c.last_id = f.id;
    c.last_cause = cause;
    c.last_kind = f.kind;
    c.last_score = f.score;
    c.last_text = SampleExcerpt(f.text, nullptr, 280);
  }
}

void Aggregator::Add(const ItemFacts& f) {
  Impl& m = *impl_;
  ++m.items;
  if (f.created_at == kNoTime) {
    ++m.undated;
    return;
  }
  PeriodAcc& p = m.AccOf(m.PeriodIndexOf(f.created_at));
  p.latest = std::max(p.latest, f.created_at);
  const bool complaint = IsComplaint(f);
  bool unresolved = false;
  if (f.kind == Kind::kTranscript) m.AddTranscript(f, p, &unresolved);
  p.all.Add(f, complaint);
  ++Slot(p.sources, m.sources.Id(f.source));

  // The causes an item mentions: its root cause, and for a complaint the categories of its tags.
  // Tags count once each, even when several plugins gave the same one.
  m.mention_ids.clear();
  m.tag_ids.clear();
  int32_t root = kNoCause;
  if (!f.root_cause.empty()) {
    root = static_cast<int32_t>(m.causes.Id(f.root_cause));
    m.mention_ids.push_back(static_cast<uint32_t>(root));
  }
  for (std::string_view tag : f.tags) {
    if (tag.empty()) continue;
    uint32_t id = m.tags.Id(tag);
    if (std::find(m.tag_ids.begin(), m.tag_ids.end(), id) != m.tag_ids.end()) continue;
    m.tag_ids.push_back(id);
    std::string_view category = TagCategory(tag);
    if (complaint && !category.empty()) m.mention_ids.push_back(m.causes.Id(category));
  }
  std::sort(m.mention_ids.begin(), m.mention_ids.end());
  m.mention_ids.erase(std::unique(m.mention_ids.begin(), m.mention_ids.end()), m.mention_ids.end());
  for (uint32_t cause : m.mention_ids) Slot(p.causes, cause).Add(f, complaint);
  if (root != kNoCause) ++Slot(p.root_causes, static_cast<uint32_t>(root));
  for (uint32_t tag : m.tag_ids) ++Slot(p.tags, tag);

  if (!f.sku.empty()) {
    uint32_t sku = m.skus.Id(f.sku);
    Slot(p.skus, sku).Add(f, complaint);
    std::vector<int64_t>& causes = Slot(p.sku_causes, sku);
    for (uint32_t cause : m.mention_ids) ++Slot(causes, cause);
  }
  for (size_t i = 0; i < m.options.segment_fields.size(); ++i) {
    std::string_view value = m.SegmentValue(f, i);
    if (value.empty()) continue;
    uint32_t id = m.values[i].Id(value);
    Slot(p.segments[i], id).Add(f, complaint);
    std::vector<int64_t>& causes = Slot(p.segment_causes[i], id);
    for (uint32_t cause : m.mention_ids) ++Slot(causes, cause);
  }
  if (m.last_period < m.options.samples_from) return;
  if (root != kNoCause && !f.text.empty()) m.OfferQuote(f, p, static_cast<uint32_t>(root));
  if (!f.customer_id.empty() && (complaint || unresolved)) m.AddCustomer(f, p, unresolved, root);
}

PeriodState Aggregator::Impl::Materialize(const PeriodAcc& a) const {
  PeriodState p;
  p.all = a.all;
  p.latest = a.latest;
  auto counts = [](const std::vector<int64_t>& v, const Interner& names, StringMap<int64_t>* out) {
    for (uint32_t id = 0; id < v.size(); ++id) {
      if (v[id] != 0) out->emplace(names.Name(id), v[id]);
    }
  };
  auto scores = [](const std::vector<Scores>& v, const Interner& names, StringMap<Scores>* out) {
    for (uint32_t id = 0; id < v.size(); ++id) {
      if (v[id].items != 0) out->emplace(names.Name(id), v[id]);
    }
  };
  counts(a.sources, sources, &p.sources);
  scores(a.causes, causes, &p.causes);
  counts(a.root_causes, causes, &p.root_causes);
  counts(a.tags, tags, &p.tags);
  scores(a.skus, skus, &p.skus);
  for (uint32_t sku = 0; sku < a.sku_causes.size(); ++sku) {
    if (std::any_of(a.sku_causes[sku].begin(), a.sku_causes[sku].end(),
                    [](int64_t n) { return n != 0; })) {
      counts(a.sku_causes[sku], causes, &p.sku_causes[skus.Name(sku)]);
    }
  }
  p.segments.resize(options.segment_fields.size());
  p.segment_causes.resize(options.segment_fields.size());
  for (size_t i = 0; i < a.segments.size(); ++i) scores(a.segments[i], values[i], &p.segments[i]);
  for (size_t field = 0; field < a.segment_causes.size(); ++field) {
    const auto& by_value = a.segment_causes[field];
    for (uint32_t value = 0; value < by_value.size(); ++value) {
      if (std::any_of(by_value[value].begin(), by_value[value].end(),
                      [](int64_t n) { return n != 0; })) {
        counts(by_value[value], causes, &p.segment_causes[field][values[field].Name(value)]);
      }
    }
  }
  p.transcripts = a.transcripts;
  counts(a.transcript_causes, causes, &p.transcripts.causes);
  for (uint32_t id = 0; id < a.quotes.size(); ++id) {
    if (!a.quotes[id].empty()) p.quotes.emplace(causes.Name(id), a.quotes[id]);
  }
  auto customer = [&](const CustomerAcc& c) {
    CustomerRisk r;
    r.complaints = c.complaints;
    r.risk = c.risk;
    r.reasons = c.reasons;
    r.worst_nps = c.worst_nps;
    for (const auto& [cause, n] : c.causes) r.causes.emplace_back(causes.Name(cause), n);
    std::sort(r.causes.begin(), r.causes.end());
    r.last_at = c.last_at;
    r.last_hash = c.last_hash;
    r.last_source = sources.Name(c.last_source);
    r.last_id = c.last_id;
    if (c.last_cause != kNoCause) r.last_cause = causes.Name(static_cast<uint32_t>(c.last_cause));
    r.last_kind = c.last_kind;
    r.last_score = c.last_score;
    r.last_text = c.last_text;
    p.customers.emplace_back(c.id, std::move(r));
  };
  p.customers.reserve(a.customers.entries().size());
  for (const CustomerAcc& c : a.customers.entries()) customer(c);
  std::sort(p.customers.begin(), p.customers.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  KeepRiskiest(&p.customers, options.save_candidates);
  return p;
}

AggregateState Aggregator::Snapshot() const {
  AggregateState s;
  s.options = impl_->options;
  s.items = impl_->items;
  s.undated = impl_->undated;
  for (const auto& [index, acc] : impl_->periods) s.periods.emplace(index, impl_->Materialize(acc));
  return s;
}

AggregateState Aggregator::Take() {
  AggregateState s = Snapshot();
  impl_->periods.clear();
  impl_->last_acc = nullptr;
  impl_->items = 0;
  impl_->undated = 0;
  return s;
}

}  // namespace feedloop::metrics
