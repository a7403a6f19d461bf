// The "feedloop-aggregate" JSON form of an AggregateState (docs/report-schema.md).
#include <feedloop/json.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/metrics/aggregate.hpp"

namespace feedloop::metrics {
namespace {

constexpr std::string_view kFormat = "feedloop-aggregate";
constexpr int kVersion = 1;

std::string HashHex(uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, h);
  return buf;
}

void WriteInts(JsonWriter& w, std::initializer_list<int64_t> values) {
  w.BeginArray();
  for (int64_t v : values) w.Int(v);
  w.EndArray();
}

void WriteOptionalNumber(JsonWriter& w, const std::optional<double>& v) {
  if (v) {
    w.Number(*v);
  } else {
    w.Null();
  }
}

void WriteTime(JsonWriter& w, int64_t t) {
  if (t == kNoTime) {
    w.Null();
  } else {
    w.Int(t);
  }
}

void WriteScores(JsonWriter& w, const Scores& s) {
  w.BeginObject().Field("items", s.items).Key("by_kind").BeginArray();
  for (int64_t k : s.by_kind) w.Int(k);
  w.EndArray();
  w.Key("nps");
  WriteInts(w, {s.nps_promoters, s.nps_passives, s.nps_detractors});
  w.Key("csat");
  WriteInts(w, {s.csat_n, s.csat_top2, s.csat_sum});
  w.Key("ces");
  WriteInts(w, {s.ces_n, s.ces_sum});
  w.Key("rating");
  WriteInts(w, {s.rating_n, s.rating_sum});
  w.Key("sentiment");
  WriteInts(w, {s.sentiment_n, s.sentiment_sum, s.positive, s.neutral, s.negative});
  w.Key("scored");
  WriteInts(w, {s.scored, s.low_scored});
  w.Field("complaints", s.complaints).EndObject();
}

// Members in key order, so equal states serialize identically.
template <class V, class Fn>
void WriteMap(JsonWriter& w, const StringMap<V>& map, Fn&& write_value) {
  std::vector<const typename StringMap<V>::value_type*> entries;
  entries.reserve(map.size());
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  w.BeginObject();
  for (const auto* entry : entries) {
    w.Key(entry->first);
    write_value(entry->second);
  }
  w.EndObject();
}

void WriteCounts(JsonWriter& w, const StringMap<int64_t>& map) {
  WriteMap(w, map, [&](int64_t v) { w.Int(v); });
}

void WriteScoresMap(JsonWriter& w, const StringMap<Scores>& map) {
  WriteMap(w, map, [&](const Scores& s) { WriteScores(w, s); });
}

void WriteNested(JsonWriter& w, const StringMap<StringMap<int64_t>>& map) {
  WriteMap(w, map, [&](const StringMap<int64_t>& m) { WriteCounts(w, m); });
}

void WriteSpans(JsonWriter& w, const std::vector<Span>& spans) {
  w.BeginArray();
  for (const Span& s : spans) w.BeginArray().Int(s.begin).Int(s.end).EndArray();
  w.EndArray();
}

void WriteTranscripts(JsonWriter& w, const TranscriptStats& t) {
  w.BeginObject()
      .Field("conversations", t.conversations)
      .Field("answered", t.answered)
      .Key("first_response_minutes")
      .BeginArray();
  for (int64_t c : t.first_response) w.Int(c);
  w.EndArray().Field("resolved", t.resolved).Key("rated");
  WriteInts(w, {t.rated, t.rated_top2, t.rated_sum});
  w.Key("sentiment");
  WriteInts(w, {t.sentiment_pairs, t.start_sum, t.end_sum, t.ended_better, t.ended_worse});
  w.Key("causes");
  WriteCounts(w, t.causes);
  w.EndObject();
}

void WriteQuote(JsonWriter& w, const Quote& q) {
  w.BeginObject()
      .Field("typicality", q.typicality)
      .Field("hash", HashHex(q.hash))
      .Field("source", q.source)
      .Field("id", q.id)
      .Field("customer_id", q.customer_id)
      .Field("kind", KindName(q.kind))
      .Key("created_at");
  WriteTime(w, q.created_at);
  w.Key("score");
  WriteOptionalNumber(w, q.score);
  w.Field("text", q.text).Key("evidence");
  WriteSpans(w, q.evidence);
  w.EndObject();
}

void WriteCustomer(JsonWriter& w, const CustomerRisk& c) {
  w.BeginObject()
      .Field("complaints", c.complaints)
      .Field("risk", c.risk)
      .Field("reasons", static_cast<int64_t>(c.reasons))
      .Field("worst_nps", c.worst_nps)
      .Key("causes")
      .BeginObject();
  for (const auto& [name, n] : c.causes) w.Field(name, n);
  w.EndObject();
  w.Key("last").BeginObject().Key("at");
  WriteTime(w, c.last_at);
  w.Field("hash", HashHex(c.last_hash))
      .Field("source", c.last_source)
      .Field("id", c.last_id)
      .Field("cause", c.last_cause)
      .Field("kind", KindName(c.last_kind))
      .Key("score");
  WriteOptionalNumber(w, c.last_score);
  w.Field("text", c.last_text).EndObject().EndObject();
}

void WritePeriod(JsonWriter& w, const AggregateState& state, int64_t index, const PeriodState& p) {
  w.BeginObject()
      .Field("period", FormatPeriod(Period{state.options.granularity, index}))
      .Field("index", index)
      .Key("latest");
  WriteTime(w, p.latest);
  w.Key("all");
  WriteScores(w, p.all);
  w.Key("sources");
  WriteCounts(w, p.sources);
  w.Key("causes");
  WriteScoresMap(w, p.causes);
  w.Key("root_causes");
  WriteCounts(w, p.root_causes);
  w.Key("tags");
  WriteCounts(w, p.tags);
  w.Key("skus");
  WriteScoresMap(w, p.skus);
  w.Key("sku_causes");
  WriteNested(w, p.sku_causes);
  w.Key("segments").BeginArray();
  for (size_t i = 0; i < state.options.segment_fields.size(); ++i) {
    w.BeginObject().Field("field", state.options.segment_fields[i]).Key("values");
    WriteScoresMap(w, i < p.segments.size() ? p.segments[i] : StringMap<Scores>{});
    w.Key("causes");
    WriteNested(
        w, i < p.segment_causes.size() ? p.segment_causes[i] : StringMap<StringMap<int64_t>>{});
    w.EndObject();
  }
  w.EndArray().Key("transcripts");
  WriteTranscripts(w, p.transcripts);
  w.Key("quotes");
  WriteMap(w, p.quotes, [&](const std::vector<Quote>& quotes) {
    w.BeginArray();
    for (const Quote& q : quotes) WriteQuote(w, q);
    w.EndArray();
  });
  w.Key("customers");
  w.BeginObject();
  for (const auto& [id, c] : p.customers) {
    w.Key(id);
    WriteCustomer(w, c);
  }
  w.EndObject();
  w.EndObject();
}

// ---- Reading

int64_t Int(const json::Value& v) {
  double d = v.as_number();
  if (d != std::floor(d) || std::fabs(d) > 9.007199254740992e15) {
    throw json::Error(v.line(), "expected an integer");
  }
  return static_cast<int64_t>(d);
}

const json::Value& Member(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  if (m == nullptr) {
    throw json::Error(v.line(), "missing member \"" + std::string(key) + "\"");
  }
  return *m;
}

int64_t IntMember(const json::Value& v, std::string_view key) {
  return Int(Member(v, key));
}

std::vector<int64_t> Ints(const json::Value& v, size_t count) {
  const auto& a = v.as_array();
  if (a.size() != count) {
    throw json::Error(v.line(), "expected " + std::to_string(count) + " integers");
  }
  std::vector<int64_t> out;
  for (const json::Value& x : a) out.push_back(Int(x));
  return out;
}

int64_t Time(const json::Value& v) {
  return v.is_null() ? kNoTime : Int(v);
}

std::optional<double> OptionalNumber(const json::Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.as_number();
}

uint64_t Hash(const json::Value& v) {
  const std::string& s = v.as_string();
  if (s.size() != 16) throw json::Error(v.line(), "expected 16 hex digits");
  char* end = nullptr;
  uint64_t h = std::strtoull(s.c_str(), &end, 16);
  if (end != s.c_str() + s.size()) throw json::Error(v.line(), "expected 16 hex digits");
  return h;
}

Kind KindOf(const json::Value& v) {
  std::optional<Kind> k = ParseKind(v.as_string());
  if (!k) throw json::Error(v.line(), "unknown kind '" + v.as_string() + "'");
  return *k;
}

Scores ReadScores(const json::Value& v) {
  Scores s;
  s.items = IntMember(v, "items");
  std::vector<int64_t> k = Ints(Member(v, "by_kind"), kKindCount);
  for (size_t i = 0; i < k.size(); ++i) s.by_kind[i] = k[i];
  std::vector<int64_t> nps = Ints(Member(v, "nps"), 3);
  s.nps_promoters = nps[0];
  s.nps_passives = nps[1];
  s.nps_detractors = nps[2];
  std::vector<int64_t> csat = Ints(Member(v, "csat"), 3);
  s.csat_n = csat[0];
  s.csat_top2 = csat[1];
  s.csat_sum = csat[2];
  std::vector<int64_t> ces = Ints(Member(v, "ces"), 2);
  s.ces_n = ces[0];
  s.ces_sum = ces[1];
  std::vector<int64_t> rating = Ints(Member(v, "rating"), 2);
  s.rating_n = rating[0];
  s.rating_sum = rating[1];
  std::vector<int64_t> sent = Ints(Member(v, "sentiment"), 5);
  s.sentiment_n = sent[0];
  s.sentiment_sum = sent[1];
  s.positive = sent[2];
  s.neutral = sent[3];
  s.negative = sent[4];
  std::vector<int64_t> scored = Ints(Member(v, "scored"), 2);
  s.scored = scored[0];
  s.low_scored = scored[1];
  s.complaints = IntMember(v, "complaints");
  return s;
}

template <class V, class Fn>
StringMap<V> ReadMap(const json::Value& v, Fn&& read) {
  StringMap<V> out;
  for (const auto& [key, value] : v.as_object()) out.emplace(key, read(value));
  return out;
}

StringMap<int64_t> ReadCounts(const json::Value& v) {
  return ReadMap<int64_t>(v, [](const json::Value& x) { return Int(x); });
}

StringMap<Scores> ReadScoresMap(const json::Value& v) {
  return ReadMap<Scores>(v, ReadScores);
}

StringMap<StringMap<int64_t>> ReadNested(const json::Value& v) {
  return ReadMap<StringMap<int64_t>>(v, ReadCounts);
}

std::vector<Span> ReadSpans(const json::Value& v) {
  std::vector<Span> out;
  for (const json::Value& s : v.as_array()) {
    std::vector<int64_t> pair = Ints(s, 2);
    if (pair[0] < 0 || pair[1] < pair[0]) throw json::Error(s.line(), "invalid span");
    out.push_back({static_cast<uint32_t>(pair[0]), static_cast<uint32_t>(pair[1])});
  }
  return out;
}

TranscriptStats ReadTranscripts(const json::Value& v) {
  TranscriptStats t;
  t.conversations = IntMember(v, "conversations");
  t.answered = IntMember(v, "answered");
  std::vector<int64_t> buckets = Ints(Member(v, "first_response_minutes"), kResponseBuckets);
  for (size_t i = 0; i < buckets.size(); ++i) t.first_response[i] = buckets[i];
  t.resolved = IntMember(v, "resolved");
  std::vector<int64_t> rated = Ints(Member(v, "rated"), 3);
  t.rated = rated[0];
  t.rated_top2 = rated[1];
  t.rated_sum = rated[2];
  std::vector<int64_t> sent = Ints(Member(v, "sentiment"), 5);
  t.sentiment_pairs = sent[0];
  t.start_sum = sent[1];
  t.end_sum = sent[2];
  t.ended_better = sent[3];
  t.ended_worse = sent[4];
  t.causes = ReadCounts(Member(v, "causes"));
  return t;
}

Quote ReadQuote(const json::Value& v) {
  Quote q;
  q.typicality = IntMember(v, "typicality");
  q.hash = Hash(Member(v, "hash"));
  q.source = Member(v, "source").as_string();
  q.id = Member(v, "id").as_string();
  q.customer_id = Member(v, "customer_id").as_string();
  q.kind = KindOf(Member(v, "kind"));
  q.created_at = Time(Member(v, "created_at"));
  q.score = OptionalNumber(Member(v, "score"));
  q.text = Member(v, "text").as_string();
  q.evidence = ReadSpans(Member(v, "evidence"));
  for (const Span& s : q.evidence) {
    if (s.end > q.text.size()) throw json::Error(v.line(), "evidence span beyond the quote's text");
  }
  return q;
}

CustomerRisk ReadCustomer(const json::Value& v) {
  CustomerRisk c;
  c.complaints = IntMember(v, "complaints");
  c.risk = IntMember(v, "risk");
  c.reasons = static_cast<uint32_t>(IntMember(v, "reasons"));
  c.worst_nps = IntMember(v, "worst_nps");
  for (const auto& [name, n] : Member(v, "causes").as_object()) c.causes.emplace_back(name, Int(n));
  std::sort(c.causes.begin(), c.causes.end());
  const json::Value& last = Member(v, "last");
  c.last_at = Time(Member(last, "at"));
  c.last_hash = Hash(Member(last, "hash"));
  c.last_source = Member(last, "source").as_string();
  c.last_id = Member(last, "id").as_string();
  c.last_cause = Member(last, "cause").as_string();
  c.last_kind = KindOf(Member(last, "kind"));
  c.last_score = OptionalNumber(Member(last, "score"));
  c.last_text = Member(last, "text").as_string();
  return c;
}

PeriodState ReadPeriod(const json::Value& v, const AggregateOptions& options) {
  PeriodState p;
  p.latest = Time(Member(v, "latest"));
  p.all = ReadScores(Member(v, "all"));
  p.sources = ReadCounts(Member(v, "sources"));
  p.causes = ReadScoresMap(Member(v, "causes"));
  p.root_causes = ReadCounts(Member(v, "root_causes"));
  p.tags = ReadCounts(Member(v, "tags"));
  p.skus = ReadScoresMap(Member(v, "skus"));
  p.sku_causes = ReadNested(Member(v, "sku_causes"));
  const auto& segments = Member(v, "segments").as_array();
  if (segments.size() != options.segment_fields.size()) {
    throw json::Error(v.line(), "period has " + std::to_string(segments.size()) +
                                    " segment tables for " +
                                    std::to_string(options.segment_fields.size()) + " fields");
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (Member(segments[i], "field").as_string() != options.segment_fields[i]) {
      throw json::Error(segments[i].line(),
                        "segment table for another field than the options name");
    }
    p.segments.push_back(ReadScoresMap(Member(segments[i], "values")));
    p.segment_causes.push_back(ReadNested(Member(segments[i], "causes")));
  }
  p.transcripts = ReadTranscripts(Member(v, "transcripts"));
  p.quotes = ReadMap<std::vector<Quote>>(Member(v, "quotes"), [](const json::Value& a) {
    std::vector<Quote> quotes;
    for (const json::Value& q : a.as_array()) quotes.push_back(ReadQuote(q));
    std::sort(quotes.begin(), quotes.end(), QuoteBefore);
    return quotes;
  });
  for (const auto& [id, c] : Member(v, "customers").as_object())
    p.customers.emplace_back(id, ReadCustomer(c));
  std::sort(p.customers.begin(), p.customers.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  return p;
}

// Where the members of a state's top-level object are, without a parse tree: the periods are
// most of a state (a year of 1M items is a 113 MB line) and its parse tree would take about nine
// times that, so StateFromJson parses the rest and then one period at a time. The skim checks
// the structure it walks (strings, brackets, the commas and colons between members and elements);
// each piece it hands out is then parsed in full, so what it lets through the parser refuses.
class Skim {
 public:
  explicit Skim(std::string_view text) : s_(text) {}

  // Finds the top-level object's "periods" array: its value's range and its elements' ranges.
  // False when the text is no object or has no such member (the caller parses it whole).
  bool FindPeriods(std::pair<size_t, size_t>* array,
                   std::vector<std::pair<size_t, size_t>>* elements) {
    SkipSpace();
    if (!Take('{')) return false;
    bool found = false;
    SkipSpace();
    if (Take('}')) return false;
    while (true) {
      SkipSpace();
      size_t key_begin = pos_;
      SkipString();
      std::string_view key = s_.substr(key_begin + 1, pos_ - key_begin - 2);
      SkipSpace();
      if (!Take(':')) Fail("expected ':' after a member name");
      SkipSpace();
      if (key == "periods" && Peek() == '[') {
        if (found) Fail("\"periods\" appears twice");
        found = true;
        array->first = pos_;
        ++pos_;
        SkipSpace();
        if (!Take(']')) {
          while (true) {
            SkipSpace();
            size_t begin = pos_;
            SkipValue();
            elements->emplace_back(begin, pos_);
            SkipSpace();
            if (Take(']')) break;
            if (!Take(',')) Fail("expected ',' or ']' between periods");
          }
        }
        array->second = pos_;
      } else {
        SkipValue();
      }
      SkipSpace();
      if (Take('}')) return found;
      if (!Take(',')) Fail("expected ',' or '}' between members");
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& message) const {
    throw json::Error(0, message + " (at byte " + std::to_string(pos_) + ")");
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool Take(char c) {
    if (pos_ >= s_.size() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  void SkipString() {
    if (!Take('"')) Fail("expected a string");
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return;
      if (c == '\\') ++pos_;
    }
    Fail("unterminated string");
  }
  // A value of any kind: containers by their brackets (the parser checks inside them later).
  void SkipValue() {
    if (pos_ >= s_.size()) Fail("unexpected end of the state");
    char c = s_[pos_];
    if (c == '"') return SkipString();
    if (c != '{' && c != '[') {
      while (pos_ < s_.size() &&
             std::string_view(",]} \t\n\r").find(s_[pos_]) == std::string_view::npos)
        ++pos_;
      return;
    }
    std::string open;  // the brackets still open, innermost last
    while (pos_ < s_.size()) {
      c = s_[pos_];
      if (c == '"') {
        SkipString();
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') {
        open += c;
      } else if (c == '}' || c == ']') {
        if (open.back() != (c == '}' ? '{' : '[')) Fail("mismatched brackets");
        open.pop_back();
        if (open.empty()) return;
      }
    }
    Fail("unexpected end of the state");
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// Parses the pieces text[begin, end) of a text in order, with line numbers counted from the
// whole text (a state is one line; a pretty-printed one keeps its line numbers).
class PieceParser {
 public:
  explicit PieceParser(std::string_view text) : text_(text) {}
  json::Value Parse(size_t begin, size_t end) {
    newlines_ += static_cast<size_t>(std::count(text_.begin() + static_cast<long>(counted_),
                                                text_.begin() + static_cast<long>(begin), '\n'));
    counted_ = begin;
    std::string_view piece = text_.substr(begin, end - begin);
    if (newlines_ == 0) return json::Parse(piece);
    std::string padded(newlines_, '\n');
    padded += piece;
    return json::Parse(padded);
  }

 private:
  std::string_view text_;
  size_t counted_ = 0;   // text_[0, counted_) holds
  size_t newlines_ = 0;  // this many line breaks
};

}  // namespace

std::string StateToJson(const AggregateState& state) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject()
      .Field("format", kFormat)
      .Field("version", kVersion)
      .Key("options")
      .BeginObject()
      .Field("granularity", GranularityName(state.options.granularity))
      .Field("time_zone", state.options.time_zone)
      .Key("segment_fields")
      .BeginArray();
  for (const std::string& f : state.options.segment_fields) w.String(f);
  w.EndArray()
      .Field("quotes_per_cause", state.options.quotes_per_cause)
      .Field("save_candidates", state.options.save_candidates)
      .Key("samples_from");
  if (state.options.samples_from == std::numeric_limits<int64_t>::min()) {
    w.Null();
  } else {
    w.Int(state.options.samples_from);
  }
  w.EndObject();
  if (state.producer.shards > 0) {
    w.Key("producer").BeginObject().Key("plugins").BeginArray();
    for (const auto& [name, version] : state.producer.plugins) {
      w.BeginObject().Field("name", name).Field("version", version).EndObject();
    }
    w.EndArray()
        .Field("shards", state.producer.shards)
        .Field("lines", state.producer.lines)
        .Field("errors", state.producer.errors)
        .Field("redactions", state.producer.redactions)
        .EndObject();
  }
  w.Field("fixed_scale", kFixedScale).Field("items", state.items).Field("undated", state.undated);
  w.Key("periods").BeginArray();
  for (const auto& [index, p] : state.periods) WritePeriod(w, state, index, p);
  w.EndArray().EndObject();
  out += '\n';
  return out;
}

Result<AggregateState> StateFromJson(std::string_view text) {
  try {
    std::pair<size_t, size_t> periods_at;
    std::vector<std::pair<size_t, size_t>> period_at;
    const bool by_period = Skim(text).FindPeriods(&periods_at, &period_at);
    json::Value v;
    if (by_period) {
      // The state without its periods' contents; they are read one at a time below.
      std::string rest(text.substr(0, periods_at.first));
      rest += "[]";
      rest += text.substr(periods_at.second);
      v = json::Parse(rest);
    } else {
      v = json::Parse(text);
    }
    if (!v.is_object() || v.get_string("format") != kFormat) {
      return Status::InvalidInput("not a feedloop aggregate state (\"format\" is not \"" +
                                  std::string(kFormat) + "\")");
    }
    int64_t version = IntMember(v, "version");
    if (version != kVersion) {
      return Status::InvalidInput("aggregate state version " + std::to_string(version) +
                                  " is not supported (this feedloop reads version " +
                                  std::to_string(kVersion) + ")");
    }
    if (IntMember(v, "fixed_scale") != kFixedScale) {
      return Status::InvalidInput("aggregate state uses another fixed-point scale");
    }
    AggregateState state;
    const json::Value& o = Member(v, "options");
    Result<Granularity> g = ParseGranularity(Member(o, "granularity").as_string());
    if (!g.ok()) return Status::InvalidInput(g.status().message());
    state.options.granularity = g.value();
    state.options.time_zone = Member(o, "time_zone").as_string();
    state.options.segment_fields.clear();
    for (const json::Value& f : Member(o, "segment_fields").as_array()) {
      FEEDLOOP_RETURN_IF_ERROR(ValidateSegmentField(f.as_string()));
      state.options.segment_fields.push_back(f.as_string());
    }
    state.options.quotes_per_cause = static_cast<int>(IntMember(o, "quotes_per_cause"));
    // Absent from the states of feedloop 0.1.0 before the bound: they kept every candidate.
    if (const json::Value* keep = o.find("save_candidates"); keep != nullptr) {
      state.options.save_candidates = Int(*keep);
      if (state.options.save_candidates < 1) {
        return Status::InvalidInput("save_candidates must be at least 1");
      }
    } else {
      state.options.save_candidates = std::numeric_limits<int64_t>::max();
    }
    if (const json::Value* from = o.find("samples_from"); from != nullptr && !from->is_null()) {
      state.options.samples_from = Int(*from);
    }
    if (const json::Value* producer = v.find("producer")) {
      for (const json::Value& p : Member(*producer, "plugins").as_array()) {
        state.producer.plugins.emplace_back(Member(p, "name").as_string(),
                                            Member(p, "version").as_string());
      }
      state.producer.shards = IntMember(*producer, "shards");
      state.producer.lines = IntMember(*producer, "lines");
      state.producer.errors = IntMember(*producer, "errors");
      state.producer.redactions = IntMember(*producer, "redactions");
    }
    state.items = IntMember(v, "items");
    state.undated = IntMember(v, "undated");
    auto add_period = [&](const json::Value& p) {
      int64_t index = IntMember(p, "index");
      if (!state.periods.emplace(index, ReadPeriod(p, state.options)).second) {
        throw json::Error(p.line(), "period " + std::to_string(index) + " appears twice");
      }
    };
    const auto& periods = Member(v, "periods").as_array();
    for (const json::Value& p : periods) add_period(p);
    if (by_period) {
      if (!periods.empty() ||
          std::count_if(v.as_object().begin(), v.as_object().end(),
                        [](const auto& m) { return m.first == "periods"; }) != 1)
        throw json::Error(v.line(), "\"periods\" appears twice");
      PieceParser pieces(text);
      for (const auto& [begin, end] : period_at) add_period(pieces.Parse(begin, end));
    }
    return state;
  } catch (const json::Error& e) {
    return Status::InvalidInput(std::string("aggregate state: ") + e.what());
  }
}

}  // namespace feedloop::metrics
