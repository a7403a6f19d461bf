#include "feedloop/metrics/store_source.hpp"

#include <feedloop/json.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <string>
#include <thread>

namespace feedloop::metrics {
namespace {

// Columns of the item query, in order.
enum Column {
  kSource,
  kExtId,
  kKind,
  kCreatedAt,
  kScore,
  kText,
  kCustomer,
  kSku,
  kChannel,
  kRegion,
  kLanguage,
  kSentiment,
  kRootCause,
  kRootConfidence,
  kFirstTurn,
  kLastTurn,
  kEvidence,
  kTags,
  kTurns,
  kFirstAttr,
};

// Tags come from the analysis row (its merged "tags" JSON, the same tags as the labels table
// without a join), turns as "seq:role:at" records; ASCII separators keep the fields apart.
// `{scan}` is "+" to read the items table in rowid order instead of through the created_at index
// (see AggregateStore).
constexpr std::string_view kItemQuery =
    "SELECT i.source, i.ext_id, i.kind, i.created_at, i.score, i.text, i.customer_id, i.sku, "
    "i.channel, i.region, i.language, a.sentiment, a.root_cause, a.root_confidence, "
    "a.first_turn_sentiment, a.last_turn_sentiment, a.evidence, a.tags, "
    "CASE WHEN i.kind = 'transcript' THEN (SELECT group_concat(t.seq || char(30) || t.role || "
    "char(30) || coalesce(t.at, ''), char(31)) FROM turns t WHERE t.item_id = i.id) END";
// One column per attrs segment; its name is bound to parameter ?6, ?7, ... The member named
// exactly, else (no such member) the first in byte order whose name is the same ignoring ASCII
// case, so "Plan" of one export and "plan" of another are one segment. StreamFacts reads attrs
// by the same rule.
constexpr int kFirstAttrParam = 6;
std::string AttrColumn(size_t i) {
  const std::string n = std::string("?").append(std::to_string(kFirstAttrParam + i));
  const std::string path = "'$.\"' || " + n + " || '\"'";
  std::string column = ", CASE WHEN NOT json_valid(i.attrs) THEN NULL";
  column += " WHEN json_type(i.attrs, " + path + ") IS NOT NULL";
  column += " THEN json_extract(i.attrs, " + path + ")";
  column += " WHEN json_type(i.attrs) = 'object' THEN (SELECT j.value FROM json_each(i.attrs) j";
  column += " WHERE lower(j.key) = lower(" + n + ") ORDER BY j.key LIMIT 1)";
  return column + " END";
}
constexpr std::string_view kItemFrom =
    " FROM items i LEFT JOIN analysis a ON a.item_id = i.id WHERE ";
constexpr std::string_view kIndexedWindow =
    "(?1 IS NULL OR i.created_at >= ?1) AND (?2 IS NULL OR i.created_at < ?2) AND "
    "(?3 OR i.created_at IS NOT NULL) AND i.id BETWEEN ?4 AND ?5";
constexpr std::string_view kScannedWindow =
    "(?1 IS NULL OR +i.created_at >= ?1) AND (?2 IS NULL OR +i.created_at < ?2) AND "
    "(?3 OR +i.created_at IS NOT NULL) AND i.id BETWEEN ?4 AND ?5";

std::optional<double> OptionalDouble(const store::Statement& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return q.Double(col);
}

void SplitInto(std::string_view s, char sep, std::vector<std::string_view>* out) {
  out->clear();
  if (s.empty()) return;
  size_t start = 0;
  while (true) {
    size_t cut = s.find(sep, start);
    out->push_back(
        s.substr(start, cut == std::string_view::npos ? std::string_view::npos : cut - start));
    if (cut == std::string_view::npos) return;
    start = cut + 1;
  }
}

int64_t ParseInt(std::string_view s, int64_t fallback) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

// "seq\x1Erole\x1Eat" records, sorted by seq.
void ParseTurns(std::string_view text, std::vector<std::string_view>* scratch,
                std::vector<TurnFact>* out) {
  out->clear();
  SplitInto(text, '\x1F', scratch);
  std::vector<std::pair<int64_t, TurnFact>> turns;
  for (std::string_view record : *scratch) {
    size_t a = record.find('\x1E');
    size_t b = a == std::string_view::npos ? a : record.find('\x1E', a + 1);
    if (b == std::string_view::npos) continue;
    TurnFact t;
    t.role = ParseTurnRole(record.substr(a + 1, b - a - 1));
    std::string_view at = record.substr(b + 1);
    t.at = at.empty() ? kNoTime : ParseInt(at, kNoTime);
    turns.emplace_back(ParseInt(record.substr(0, a), 0), t);
  }
  std::stable_sort(turns.begin(), turns.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [seq, t] : turns) out->push_back(t);
}

// Whether to read the whole items table in rowid order rather than the window through the
// created_at index: the index visits rows in time order, which is random I/O when items were not
// stored in time order, so it only pays when the window holds a small part of the store.
Result<bool> PreferScan(store::Database& db, const StoreReadOptions& options) {
  if (options.since == kNoTime && options.until == kNoTime) return true;
  Result<store::Statement> q = db.Prepare(
      "SELECT (SELECT count(*) FROM items WHERE created_at >= coalesce(?1, created_at) AND "
      "created_at < coalesce(?2, created_at + 1)), (SELECT count(*) FROM items)");
  if (!q.ok()) return q.status();
  if (options.since == kNoTime) {
    q->BindNull(1);
  } else {
    q->Bind(1, options.since);
  }
  if (options.until == kNoTime) {
    q->BindNull(2);
  } else {
    q->Bind(2, options.until);
  }
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return q->Int(0) * 4 > q->Int(1);
}

}  // namespace

void ParseSpans(std::string_view json, std::vector<Span>* out) {
  out->clear();
  // Numbers in pairs; anything but digits, brackets, commas and spaces ends the parse.
  std::vector<int64_t> numbers;
  for (size_t i = 0; i < json.size();) {
    char c = json[i];
    if (c >= '0' && c <= '9') {
      size_t j = i;
      while (j < json.size() && json[j] >= '0' && json[j] <= '9') ++j;
      numbers.push_back(ParseInt(json.substr(i, j - i), 0));
      i = j;
      continue;
    }
    if (c != '[' && c != ']' && c != ',' && c != ' ') {
      out->clear();
      return;
    }
    ++i;
  }
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) {
    if (numbers[i + 1] >= numbers[i] && numbers[i + 1] <= UINT32_MAX) {
      out->push_back({static_cast<uint32_t>(numbers[i]), static_cast<uint32_t>(numbers[i + 1])});
    }
  }
}

void ParseTagLabels(std::string_view json, std::vector<std::string_view>* out,
                    std::deque<std::string>* decoded) {
  out->clear();
  auto space = [&](size_t i) {
    while (i < json.size() &&
           (json[i] == ' ' || json[i] == '\n' || json[i] == '\t' || json[i] == '\r'))
      ++i;
    return i;
  };
  // Reads the string literal opening at `i`; returns the index after it, or npos when malformed.
  auto string_at = [&](size_t i, std::string_view* raw, bool* escaped) {
    size_t j = i + 1;
    *escaped = false;
    while (j < json.size() && json[j] != '"') {
      if (json[j] == '\\') {
        *escaped = true;
        ++j;
      }
      ++j;
    }
    if (j >= json.size()) return std::string_view::npos;
    *raw = json.substr(i + 1, j - i - 1);
    return j + 1;
  };
  int depth = 0;
  for (size_t i = 0; i < json.size();) {
    char c = json[i];
    if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == '"') {
      std::string_view key;
      bool escaped = false;
      size_t next = string_at(i, &key, &escaped);
      if (next == std::string_view::npos) return;
      size_t colon = space(next);
      i = next;
      // A member of a tag object (depth 2: the array, then the object) named "label".
      if (depth != 2 || colon >= json.size() || json[colon] != ':' || key != "label") continue;
      size_t value = space(colon + 1);
      if (value >= json.size() || json[value] != '"') continue;
      std::string_view label;
      next = string_at(value, &label, &escaped);
      if (next == std::string_view::npos) return;
      if (escaped) {
        // Labels with escapes are rare: let the JSON parser decode the literal.
        try {
          decoded->push_back(json::Parse("\"" + std::string(label) + "\"").as_string());
        } catch (const json::Error&) {
          decoded->push_back(std::string(label));
        }
        label = decoded->back();
      }
      out->push_back(label);
      i = next;
      continue;
    }
    ++i;
  }
}

Result<int64_t> AggregateStore(store::Database& db, Aggregator& aggregator,
                               const StoreReadOptions& options) {
  const std::vector<std::string>& fields = aggregator.options().segment_fields;
  std::vector<std::string> attrs;
  for (const std::string& f : fields) {
    if (f.rfind("attrs.", 0) == 0) attrs.push_back(f.substr(6));
  }
  // The statement's shape depends only on how many attrs are segments; their names are bound.
  bool ranged = options.first_row != std::numeric_limits<int64_t>::min() ||
                options.last_row != std::numeric_limits<int64_t>::max();
  Result<bool> scan = ranged ? Result<bool>(true) : PreferScan(db, options);
  if (!scan.ok()) return scan.status();
  std::string sql(kItemQuery);
  for (size_t i = 0; i < attrs.size(); ++i) sql += AttrColumn(i);
  sql += kItemFrom;
  sql += scan.value() ? kScannedWindow : kIndexedWindow;
  // sql-from-constant: kItemQuery, AttrColumn's numbered parameters and the window literals.
  Result<store::Statement> prepared = db.Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  store::Statement& q = prepared.value();
  if (options.since == kNoTime) {
    q.BindNull(1);
  } else {
    q.Bind(1, options.since);
  }
  if (options.until == kNoTime) {
    q.BindNull(2);
  } else {
    q.Bind(2, options.until);
  }
  q.Bind(3, options.include_undated ? 1 : 0);
  q.Bind(4, options.first_row).Bind(5, options.last_row);
  for (size_t i = 0; i < attrs.size(); ++i) {
    // The member's name; AttrColumn quotes it into a JSON path (a name with a quote or a
    // backslash is refused as a segment field).
    q.Bind(static_cast<int>(kFirstAttrParam + i), attrs[i]);
  }

  ItemFacts facts;
  std::vector<std::string_view> scratch;
  std::deque<std::string> decoded;  // tag labels that had JSON escapes
  int64_t count = 0;
  while (true) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    facts.Clear();
    facts.source = q.Text(kSource);
    facts.id = q.Text(kExtId);
    facts.kind = ParseKind(q.Text(kKind)).value_or(Kind::kReview);
    facts.created_at = q.IsNull(kCreatedAt) ? kNoTime : q.Int(kCreatedAt);
    facts.score = OptionalDouble(q, kScore);
    facts.text = q.Text(kText);
    facts.customer_id = q.Text(kCustomer);
    facts.sku = q.Text(kSku);
    facts.channel = q.Text(kChannel);
    facts.region = q.Text(kRegion);
    facts.language = q.Text(kLanguage);
    facts.sentiment = OptionalDouble(q, kSentiment);
    facts.root_cause = q.Text(kRootCause);
    facts.root_confidence = q.IsNull(kRootConfidence) ? 0.0 : q.Double(kRootConfidence);
    facts.first_turn_sentiment = OptionalDouble(q, kFirstTurn);
    facts.last_turn_sentiment = OptionalDouble(q, kLastTurn);
    if (!facts.root_cause.empty()) ParseSpans(q.Text(kEvidence), &facts.evidence);
    decoded.clear();
    ParseTagLabels(q.Text(kTags), &facts.tags, &decoded);
    if (facts.kind == Kind::kTranscript) ParseTurns(q.Text(kTurns), &scratch, &facts.turns);
    for (size_t i = 0; i < attrs.size(); ++i) {
      int col = kFirstAttr + static_cast<int>(i);
      if (!q.IsNull(col)) facts.attrs.emplace_back(attrs[i], q.Text(col));
    }
    aggregator.Add(facts);
    ++count;
  }
  return count;
}

Result<AggregateState> AggregateStoreParallel(store::Database& db,
                                              const AggregateOptions& aggregate,
                                              const StoreReadOptions& options, int threads,
                                              int64_t min_rows) {
  auto single = [&]() -> Result<AggregateState> {
    Result<std::unique_ptr<Aggregator>> a = Aggregator::Create(aggregate);
    if (!a.ok()) return a.status();
    Result<int64_t> n = AggregateStore(db, **a, options);
    if (!n.ok()) return n.status();
    return (*a)->Take();
  };
  if (threads <= 1) return single();
  Result<bool> scan = PreferScan(db, options);
  if (!scan.ok()) return scan.status();
  if (!scan.value()) return single();  // a small window through the index: one pass is cheap
  Result<store::Statement> bounds = db.Prepare("SELECT min(id), max(id) FROM items");
  if (!bounds.ok()) return bounds.status();
  Result<bool> row = bounds->Step();
  if (!row.ok()) return row.status();
  if (bounds->IsNull(0)) return single();
  int64_t lo = std::max(bounds->Int(0), options.first_row),
          hi = std::min(bounds->Int(1), options.last_row);
  bounds->Reset();
  if (hi - lo + 1 < min_rows || hi - lo + 1 < threads) return single();
  // One connection per extra worker; any failure (an in-memory store, no file) means one pass.
  std::vector<std::unique_ptr<store::Database>> connections;
  for (int t = 1; t < threads; ++t) {
    store::OpenOptions open;
    open.create_if_missing = false;
    open.read_only = true;
    Result<std::unique_ptr<store::Database>> c = store::Database::Open(db.path(), open);
    if (!c.ok()) return single();
    (void)(*c)->Exec("PRAGMA mmap_size=2147418112");
    connections.push_back(std::move(c).value());
  }
  std::vector<Result<AggregateState>> parts(static_cast<size_t>(threads),
                                            Status::Internal("not run"));
  auto work = [&](int t, store::Database& conn) {
    StoreReadOptions range = options;
    int64_t span = (hi - lo + 1) / threads;
    range.first_row = lo + span * t;
    range.last_row = t + 1 == threads ? hi : lo + span * (t + 1) - 1;
    Result<std::unique_ptr<Aggregator>> a = Aggregator::Create(aggregate);
    if (!a.ok()) {
      parts[static_cast<size_t>(t)] = a.status();
      return;
    }
    Result<int64_t> n = AggregateStore(conn, **a, range);
    parts[static_cast<size_t>(t)] =
        n.ok() ? Result<AggregateState>((*a)->Take()) : Result<AggregateState>(n.status());
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t)
    workers.emplace_back(work, t, std::ref(*connections[static_cast<size_t>(t - 1)]));
  work(0, db);
  for (std::thread& w : workers) w.join();
  for (Result<AggregateState>& p : parts) {
    if (!p.ok()) return p.status();
  }
  AggregateState state = std::move(parts[0]).value();
  for (size_t t = 1; t < parts.size(); ++t)
    FEEDLOOP_RETURN_IF_ERROR(MergeInto(state, parts[t].value()));
  return state;
}

Result<int64_t> LatestItemTime(store::Database& db) {
  Result<store::Statement> q = db.Prepare("SELECT max(created_at) FROM items");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!row.value() || q->IsNull(0)) return kNoTime;
  return q->Int(0);
}

}  // namespace feedloop::metrics
