#include "feedloop/ingest/mapping.hpp"

#include <feedloop/bytes.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::ingest {
namespace {

// Compares field names ignoring case and treating ' ', '-' and '_' alike ("Response ID" matches
// response_id).
bool SameFieldName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto fold = [](char c) { return c == ' ' || c == '-' ? '_' : text::AsciiLower(c); };
  for (size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Scores are short decimals ("9", "4.5"): read them exactly without strtod. With at most 15
// significant digits and 22 decimals, mantissa / 10^k is one correctly rounded division, the same
// double strtod gives (Clinger's fast path). Anything else returns false.
bool ParseSimpleDecimal(std::string_view s, double* out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  uint64_t mantissa = 0;
  int digits = 0, decimals = 0;
  bool dot = false, any = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any = true;
    if (mantissa != 0 || c != '0') ++digits;
    if (digits > 15) return false;
    mantissa = mantissa * 10 + static_cast<uint64_t>(c - '0');
    if (dot) ++decimals;
  }
  if (!any || decimals > 22) return false;
  double v = static_cast<double>(mantissa) / kPow10[decimals];
  *out = negative ? -v : v;
  return true;
}

std::string Quoted(std::string_view s) {
  // At most 40 bytes, cut between characters: the reason must stay valid UTF-8.
  size_t n = std::min<size_t>(s.size(), 40);
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string q(s.substr(0, n));
  return "'" + q + (s.size() > 40 ? "...'" : "'");
}

// Names looked up when a field is not mapped explicitly (case-insensitively).
const std::map<std::string_view, std::vector<std::string_view>>& DefaultAliases() {
  static const auto* aliases = new std::map<std::string_view, std::vector<std::string_view>>{
      {"id", {"id", "response_id", "review_id", "ticket_id", "conversation_id"}},
      {"kind", {"kind"}},
      {"source", {"source"}},
      {"created_at", {"created_at", "date", "timestamp", "submitted_at", "created"}},
      {"score", {"score", "rating", "stars"}},
      {"text", {"text", "comment", "review", "body", "message", "feedback", "content"}},
      {"customer_id", {"customer_id", "customer", "user_id"}},
      {"order_id", {"order_id", "order"}},
      {"sku", {"sku", "product_sku", "product"}},
      {"channel", {"channel"}},
      {"region", {"region", "country"}},
      {"language", {"language", "lang", "locale"}},
      {"turns", {"turns", "messages", "comments"}},
      {"turn.role", {"role", "author_role", "sender"}},
      {"turn.text", {"text", "body", "message"}},
      {"turn.at", {"at", "created_at", "time", "timestamp"}},
  };
  return *aliases;
}

// RedactedFields by name, in the order of RedactedFields::Names().
constexpr std::pair<std::string_view, bool RedactedFields::*> kRedactedFields[] = {
    {"text", &RedactedFields::text},        {"turns", &RedactedFields::turns},
    {"attrs", &RedactedFields::attrs},      {"order_id", &RedactedFields::order_id},
    {"sku", &RedactedFields::sku},          {"channel", &RedactedFields::channel},
    {"region", &RedactedFields::region},    {"source", &RedactedFields::source},
    {"language", &RedactedFields::language}};

}  // namespace

const std::vector<std::string_view>& RedactedFields::Names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const auto& [name, member] : kRedactedFields) names.push_back(name);
    return names;
  }();
  return kNames;
}

Result<RedactedFields> RedactedFields::FromNames(const std::vector<std::string>& names) {
  RedactedFields fields;
  for (const auto& [name, member] : kRedactedFields) fields.*member = false;
  for (const std::string& name : names) {
    if (name == "id") {
      return Status::Usage("pii fields: 'id' is never redacted (ingest recognises records by it)");
    }
    if (name == "customer_id") {
      return Status::Usage(
          "pii fields: 'customer_id' is never redacted (the save list calls customers back by "
          "it); \"customer_ids\": \"hash\" pseudonymizes it");
    }
    auto it = std::find_if(std::begin(kRedactedFields), std::end(kRedactedFields),
                           [&](const auto& f) { return f.first == name; });
    if (it == std::end(kRedactedFields)) {
      std::string known;
      for (std::string_view n : Names()) known += (known.empty() ? "" : ", ") + std::string(n);
      return Status::Usage("pii fields: '" + name + "' is not one of " + known);
    }
    fields.*(it->second) = true;
  }
  return fields;
}

const std::vector<std::string_view>& CanonicalFields() {
  static const std::vector<std::string_view> kFields = {
      "id",        "kind",      "source",  "created_at",  "score",       "text",  "customer_id",
      "order_id",  "sku",       "channel", "region",      "language",    "attrs", "turns",
      "turn.role", "turn.text", "turn.at", "turn.author", "conversation"};
  return kFields;
}

Status Mapping::Set(std::string_view canonical, std::vector<std::string> sources) {
  bool known = canonical.substr(0, 6) == "attrs." && canonical.size() > 6;
  for (std::string_view f : CanonicalFields()) known = known || f == canonical;
  if (!known) {
    std::string list;
    for (std::string_view f : CanonicalFields())
      list += (list.empty() ? "" : ", ") + std::string(f);
    return Status::Usage("cannot map '" + std::string(canonical) +
                         "': not a field of the item schema (" + list + ", or attrs.NAME)");
  }
  if (sources.empty() || sources.front().empty()) {
    return Status::Usage("mapping for '" + std::string(canonical) + "' names no column");
  }
  fields[std::string(canonical)] = std::move(sources);
  return Status::Ok();
}

Status Mapping::Add(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return Status::Usage("--map expects FIELD=COLUMN, got '" + std::string(assignment) + "'");
  }
  std::string_view field = Trim(assignment.substr(0, eq));
  std::string_view columns = assignment.substr(eq + 1);
  // "text=Title+Body" joins several columns.
  std::vector<std::string> sources;
  size_t start = 0;
  while (true) {
    size_t plus = field == "text" ? columns.find('+', start) : std::string_view::npos;
    sources.emplace_back(Trim(columns.substr(start, plus - start)));
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return Set(field, std::move(sources));
}

void Mapping::Merge(const Mapping& other) {
  for (const auto& [k, v] : other.fields) fields[k] = v;
  for (const auto& [k, v] : other.roles) roles[k] = v;
  for (const auto& [k, v] : other.scores) scores[k] = v;
  extra_fields_to_attrs = other.extra_fields_to_attrs;
}

Result<Mapping> Mapping::FromJson(const json::Value& source) {
  Mapping m;
  try {
    if (const json::Value* map = source.find("map")) {
      for (const auto& [field, value] : map->as_object()) {
        std::vector<std::string> sources;
        if (value.is_array()) {
          for (const json::Value& v : value.as_array()) sources.push_back(v.as_string());
        } else {
          sources.push_back(value.as_string());
        }
        Status st = m.Set(field, std::move(sources));
        if (!st.ok())
          return Status::Usage("line " + std::to_string(value.line()) + ": " + st.message());
      }
    }
    if (const json::Value* roles = source.find("roles")) {
      for (const auto& [from, to] : roles->as_object()) {
        const std::string& role = to.as_string();
        if (role != "customer" && role != "agent" && role != "bot") {
          return Status::Usage("line " + std::to_string(to.line()) + ": role '" + role +
                               "' is not customer, agent or bot");
        }
        m.roles[from] = role;
      }
    }
    if (const json::Value* scores = source.find("scores")) {
      for (const auto& [from, to] : scores->as_object()) {
        m.scores[text::AsciiLower(from)] =
            to.is_null() ? std::nullopt : std::optional<double>(to.as_number());
      }
    }
    m.extra_fields_to_attrs = source.get_bool("extra_fields_to_attrs", true);
  } catch (const json::Error& e) {
    return Status::Usage(e.what());
  }
  return m;
}

const std::vector<Preset>& Presets() {
  static const std::vector<Preset>* presets = [] {
    auto* list = new std::vector<Preset>();
    auto add = [&](const char* name, const char* description, const char* format,
                   std::optional<Kind> kind, const char* records_member, const char* json_text) {
      Preset p;
      p.name = name;
      p.description = description;
      p.format = format;
      p.kind = kind;
      p.records_member = records_member;
      Result<Mapping> m = Mapping::FromJson(json::Parse(json_text));
      p.mapping = m.ok() ? m.value() : Mapping();
      list->push_back(std::move(p));
    };
    add("trustpilot", "review-site export (Trustpilot-like CSV: one row per review)", "csv",
        Kind::kReview, "", R"json({"map": {
          "id": "Review ID", "created_at": "Review Created (UTC)", "score": "Review Stars",
          "text": ["Review Title", "Review Content"], "customer_id": "Reviewer ID",
          "order_id": "Reference ID", "sku": "Product SKU", "language": "Review Language",
          "region": "Reviewer Country", "channel": "Source"}})json");
    add("delighted", "NPS survey export (Delighted- or Typeform-like CSV: one row per answer)",
        "csv", Kind::kNps, "", R"json({"map": {
          "id": "Response ID", "score": "Score", "text": "Comment", "created_at": "Created At",
          "customer_id": "Customer ID", "order_id": "Order ID", "sku": "SKU",
          "region": "Region", "channel": "Channel", "attrs.plan": "Plan"}})json");
    add("zendesk",
        "help-desk ticket export (Zendesk-like JSON: {\"tickets\": [...]}, comments as turns)",
        "json", Kind::kTranscript, "tickets", R"json({"map": {
          "id": "id", "created_at": "created_at", "customer_id": "requester_id",
          "channel": "via.channel", "score": "satisfaction_rating.score", "order_id": "order_id",
          "sku": "sku", "region": "region", "turns": "comments", "turn.text": "body",
          "turn.at": "created_at", "turn.author": "author_id"},
          "scores": {"good": 5, "bad": 1, "offered": null, "unoffered": null}})json");
    add("support-chat-csv",
        "chat transcript CSV, one row per message (conversation_id, role, text, at)", "csv",
        Kind::kTranscript, "", R"json({"map": {
          "conversation": "conversation_id", "turn.role": "role", "turn.text": "text",
          "turn.at": "at"}, "roles": {"user": "customer", "end-user": "customer",
          "operator": "agent"}})json");
    return list;
  }();
  return *presets;
}

const Preset* FindPreset(std::string_view name) {
  for (const Preset& p : Presets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::optional<Kind> InferKind(const std::vector<std::string_view>& names, std::string* why) {
  struct Rule {
    std::string_view needle;
    Kind kind;
  };
  // Ordered: the most specific signals first.
  static const Rule kRules[] = {
      {"turns", Kind::kTranscript},    {"messages", Kind::kTranscript},
      {"comments", Kind::kTranscript}, {"conversation", Kind::kTranscript},
      {"recommend", Kind::kNps},       {"nps", Kind::kNps},
      {"csat", Kind::kCsat},           {"satisf", Kind::kCsat},
      {"effort", Kind::kCes},          {"ces", Kind::kCes},
      {"stars", Kind::kReview},        {"rating", Kind::kReview},
      {"review", Kind::kReview},
  };
  for (const Rule& rule : kRules) {
    for (std::string_view name : names) {
      std::string lower = text::AsciiLower(name);
      bool match = rule.needle == "ces" ? lower == "ces" || lower.rfind("ces ", 0) == 0 ||
                                              lower.rfind("ces_", 0) == 0
                                        : lower.find(rule.needle) != std::string::npos;
      if (match) {
        if (why != nullptr) *why = "field '" + std::string(name) + "'";
        return rule.kind;
      }
    }
  }
  return std::nullopt;
}

Mapper::Mapper(Mapping mapping, ValidationOptions options)
    : mapping_(std::move(mapping)), options_(std::move(options)) {
  for (const auto& [canonical, sources] : mapping_.fields) {
    if (canonical.rfind("turn.", 0) == 0) continue;  // names inside each message
    for (const std::string& s : sources) mapped_sources_.push_back(s);
  }
}

namespace {

// Ids, SKUs, channels and the like are names, not texts: longer is a broken export.
constexpr size_t kMaxIdBytes = 512;

// The canonical fields Map looks up on every record; their resolution is cached per record shape.
constexpr std::string_view kCached[] = {
    "id",       "kind", "source",  "created_at", "score",    "text",  "customer_id",
    "order_id", "sku",  "channel", "region",     "language", "turns", "conversation"};
constexpr size_t kCachedCount = sizeof(kCached) / sizeof(kCached[0]);

int CachedIndex(std::string_view canonical) {
  for (size_t i = 0; i < kCachedCount; ++i) {
    if (kCached[i] == canonical) return static_cast<int>(i);
  }
  return -1;
}

// How many resolved shapes a mapper remembers.
constexpr size_t kKnownShapes = 32;

// A fingerprint of a record's field names, in order: records of one export share it.
uint64_t ShapeOf(const FlatRecord& record) {
  uint64_t h = 0x243F6A8885A308D3ull ^ record.fields.size();
  for (const auto& [key, value] : record.fields) {
    h = (h ^ bytes::Hash(key)) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  return h;
}

}  // namespace

const FieldValue* Mapper::Lookup(const FlatRecord& record, std::string_view canonical) const {
  // Fast path: the record whose shape was resolved at the start of Map.
  if (&record == shape_record_) {
    int k = CachedIndex(canonical);
    if (k >= 0) {
      int field = shape_index_[static_cast<size_t>(k)];
      return field < 0 ? nullptr : &record.fields[static_cast<size_t>(field)].second;
    }
  }
  return LookupSlow(record, canonical);
}

void Mapper::ResolveShape(const FlatRecord& record) const {
  uint64_t shape = ShapeOf(record);
  if (shape != shape_hash_ || shape_index_.empty()) {
    auto known = std::find_if(known_shapes_.begin(), known_shapes_.end(),
                              [&](const KnownShape& k) { return k.hash == shape; });
    if (known != known_shapes_.end()) {
      shape_index_ = known->index;
      shape_error_ = known->error;
    } else {
      shape_record_ = nullptr;  // resolve with the slow path
      shape_index_.assign(kCachedCount, -1);
      for (size_t k = 0; k < kCachedCount; ++k) {
        const FieldValue* v = LookupSlow(record, kCached[k]);
        if (v == nullptr) continue;
        for (size_t f = 0; f < record.fields.size(); ++f) {
          if (&record.fields[f].second == v) shape_index_[k] = static_cast<int>(f);
        }
      }
      shape_error_ = ShapeError(record);
      KnownShape resolved{shape, shape_index_, shape_error_};
      if (known_shapes_.size() < kKnownShapes) {
        known_shapes_.push_back(std::move(resolved));
      } else {
        known_shapes_[next_known_shape_] = std::move(resolved);
        next_known_shape_ = (next_known_shape_ + 1) % kKnownShapes;
      }
    }
    shape_hash_ = shape;
  }
  shape_record_ = &record;
}

// A schema field given twice ({"score": 4, "score": 99}) or as an object ({"score": {"value": 4}},
// flattened to "score.value"): which value is meant cannot be known, so the record is refused
// rather than mapped from a guess. A property of the shape, so checked once per shape.
std::string Mapper::ShapeError(const FlatRecord& record) const {
  for (size_t k = 0; k < kCachedCount; ++k) {
    const int f = shape_index_[k];
    if (f >= 0) {
      std::string_view key = record.fields[static_cast<size_t>(f)].first;
      for (size_t g = 0; g < record.fields.size(); ++g) {
        if (static_cast<int>(g) != f && record.fields[g].first == key) {
          return "field " + Quoted(key) + " appears twice in the record";
        }
      }
      continue;
    }
    const std::string_view canonical = kCached[k];
    if (canonical != "id" && canonical != "kind" && canonical != "created_at" &&
        canonical != "score" && canonical != "text") {
      continue;
    }
    std::vector<std::string> names{std::string(canonical)};
    if (auto it = mapping_.fields.find(canonical); it != mapping_.fields.end()) names = it->second;
    for (const std::string& name : names) {
      const std::string prefix = name + ".";
      for (const auto& [key, value] : record.fields) {
        if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) {
          return "field " + Quoted(name) + " is an object, expected " +
                 (canonical == "score" ? "a number" : "text");
        }
      }
    }
  }
  return {};
}

const FieldValue* Mapper::LookupSlow(const FlatRecord& record, std::string_view canonical) const {
  auto it = mapping_.fields.find(canonical);
  if (it != mapping_.fields.end()) {
    for (const std::string& name : it->second) {
      if (const FieldValue* v = record.Find(name)) return v;
    }
    for (const std::string& name : it->second) {
      for (const auto& [key, value] : record.fields) {
        if (SameFieldName(key, name)) return &value;
      }
    }
    return nullptr;
  }
  auto alias = DefaultAliases().find(canonical);
  if (alias == DefaultAliases().end()) return nullptr;
  // A column the mapping gives to another field is not up for grabs ("Source" mapped to channel
  // is not also the source).
  auto claimed = [&](std::string_view key) {
    for (const std::string& m : mapped_sources_) {
      if (SameFieldName(m, key)) return true;
    }
    return false;
  };
  for (std::string_view name : alias->second) {
    if (const FieldValue* v = record.Find(name); v != nullptr && !claimed(name)) return v;
  }
  for (std::string_view name : alias->second) {
    for (const auto& [key, value] : record.fields) {
      if (SameFieldName(key, name) && !claimed(key)) return &value;
    }
  }
  return nullptr;
}

// Reads a text field (all its mapped columns, for `text`); returns "" or an error.
std::string Mapper::Text(const FlatRecord& record, std::string_view canonical,
                         std::string* out) const {
  out->clear();
  const bool is_text = canonical == "text";
  // Appends one value; returns "" or why the field cannot be text.
  auto add = [&](const FieldValue* v) -> std::string {
    if (v == nullptr || v->type == FieldValue::Type::kNull) return {};
    if (v->type == FieldValue::Type::kArray) {
      return "field '" + std::string(canonical) + "' is a list, expected text";
    }
    if (is_text && v->type != FieldValue::Type::kString) {
      return "field 'text' is a " +
             std::string(v->type == FieldValue::Type::kNumber ? "number" : "boolean") +
             ", expected text";
    }
    std::string_view value = v->text;
    const std::string_view trimmed = Trim(value);
    if (trimmed.empty()) return {};  // a text of blanks is no text
    if (!is_text) value = trimmed;
    if (!out->empty()) out->append("\n\n");
    text::AppendNormalizedText(value, out);
    return {};
  };
  if (is_text) {
    if (auto it = mapping_.fields.find(canonical); it != mapping_.fields.end()) {
      for (const std::string& name : it->second) {
        if (std::string err = add(record.Find(name)); !err.empty()) return err;
      }
      return {};
    }
  }
  return add(Lookup(record, canonical));
}

std::string Mapper::MapScore(const FieldValue& value, std::optional<double>* out) const {
  *out = std::nullopt;
  if (value.type == FieldValue::Type::kNull) return {};
  if (value.type == FieldValue::Type::kArray || value.type == FieldValue::Type::kBool) {
    return "score is not a number";
  }
  std::string_view s = Trim(value.text);
  if (s.empty()) return {};
  if (!mapping_.scores.empty()) {
    auto it = mapping_.scores.find(text::AsciiLower(s));
    if (it != mapping_.scores.end()) {
      *out = it->second;
      return {};
    }
  }
  double d = 0;
  if (!ParseSimpleDecimal(s, &d)) {
    auto res = std::from_chars(s.data(), s.data() + s.size(), d);
    if (res.ec != std::errc() || res.ptr != s.data() + s.size()) {
      return "score " + Quoted(s) + " is not a number";
    }
  }
  if (!std::isfinite(d)) return "score " + Quoted(s) + " is not a finite number";
  *out = d;
  return {};
}

std::string Mapper::MapTurn(const FlatRecord& record, const Item& item, Turn* out) const {
  std::string role;
  if (std::string err = Text(record, "turn.role", &role); !err.empty()) return err;
  if (role.empty() && mapping_.Has("turn.author")) {
    std::string author;
    if (std::string err = Text(record, "turn.author", &author); !err.empty()) return err;
    role = !author.empty() && author == item.customer_id ? "customer" : "agent";
  }
  std::string lowered = text::AsciiLower(role);
  if (auto it = mapping_.roles.find(role); it != mapping_.roles.end()) {
    lowered = it->second;
  } else if (auto it2 = mapping_.roles.find(lowered); it2 != mapping_.roles.end()) {
    lowered = it2->second;
  }
  if (lowered == "user" || lowered == "end-user" || lowered == "client") lowered = "customer";
  if (lowered == "operator" || lowered == "admin" || lowered == "staff") lowered = "agent";
  if (lowered.empty()) return "a message has no role";
  if (lowered != "customer" && lowered != "agent" && lowered != "bot") {
    return "message role " + Quoted(role) +
           " is not customer, agent or bot (map it with \"roles\")";
  }
  out->role = lowered;
  if (std::string err = Text(record, "turn.text", &out->text); !err.empty()) return err;
  std::string at;
  if (std::string err = Text(record, "turn.at", &at); !err.empty()) return err;
  out->at = kNoTime;
  if (!at.empty()) {
    Result<int64_t> t = ParseDate(at, options_.dates);
    if (!t.ok()) return "message time: " + t.status().message();
    out->at = t.value();
  }
  return {};
}

std::string Mapper::MapTurns(const FieldValue& turns, const Item& item,
                             std::vector<Turn>* out) const {
  if (turns.type == FieldValue::Type::kNull) return {};
  if (turns.type != FieldValue::Type::kArray || !turns.scalars.empty()) {
    return "turns must be a list of messages";
  }
  for (const FlatRecord& message : turns.items) {
    Turn turn;
    if (std::string err = MapTurn(message, item, &turn); !err.empty()) {
      return "message " + std::to_string(out->size() + 1) + ": " + err;
    }
    out->push_back(std::move(turn));
  }
  return {};
}

namespace {

// Collects unmapped scalar fields into a JSON object.
void AppendAttr(JsonWriter& w, std::string_view name, const FieldValue& v) {
  w.Key(name);
  switch (v.type) {
    case FieldValue::Type::kNull:
      w.Null();
      break;
    case FieldValue::Type::kBool:
      w.Bool(v.text == "true");
      break;
    case FieldValue::Type::kNumber:
      w.Raw(v.text);
      break;
    case FieldValue::Type::kString:
      w.String(text::NormalizeText(v.text));
      break;
    case FieldValue::Type::kArray:
      w.BeginArray();
      for (std::string_view s : v.scalars) w.String(text::NormalizeText(s));
      w.EndArray();
      break;
  }
}

}  // namespace

std::string Mapper::AddRow(const FlatRecord& record, bool first, Item* item) const {
  if (first) {
    std::string err = Map(record, item);
    // The row's message fields are mapped below; a missing text is not an error for a row.
    if (!err.empty()) return err;
    if (item->id.empty()) item->id = std::string(ConversationOf(record));
    item->text.clear();
  }
  Turn turn;
  if (std::string err = MapTurn(record, *item, &turn); !err.empty()) return err;
  if (first && item->created_at == kNoTime) item->created_at = turn.at;
  item->turns.push_back(std::move(turn));
  return {};
}

std::string_view Mapper::ConversationOf(const FlatRecord& record) const {
  const FieldValue* v = Lookup(record, "conversation");
  return v == nullptr ? std::string_view() : Trim(v->text);
}

std::string Mapper::Map(const FlatRecord& record, Item* item, std::string_view default_id) const {
  item->Reset();
  ResolveShape(record);
  if (!shape_error_.empty()) return shape_error_;
  std::vector<const FieldValue*>& used = used_;
  used.clear();
  auto take = [&](std::string_view canonical, std::string* out) -> std::string {
    if (const FieldValue* v = Lookup(record, canonical)) used.push_back(v);
    return Text(record, canonical, out);
  };
  if (std::string err = take("id", &item->id); !err.empty()) return err;
  if (item->id.empty()) item->id.assign(default_id);
  std::string& kind = kind_;
  if (std::string err = take("kind", &kind); !err.empty()) return err;
  if (!kind.empty()) {
    std::optional<Kind> k = ParseKind(text::AsciiLower(kind));
    if (!k)
      return "unknown kind " + Quoted(kind) + " (expected review, nps, csat, ces or transcript)";
    item->kind = *k;
  } else if (options_.kind) {
    item->kind = *options_.kind;
  } else {
    return "no kind: give --kind, a kind field, or a preset";
  }
  if (std::string err = take("source", &item->source); !err.empty()) return err;
  if (item->source.empty()) item->source = options_.source;
  std::string& created = created_;
  if (std::string err = take("created_at", &created); !err.empty()) return err;
  if (!created.empty()) {
    Result<int64_t> t = ParseDate(created, options_.dates);
    if (!t.ok()) return t.status().message();
    item->created_at = t.value();
  }
  if (const FieldValue* score = Lookup(record, "score")) {
    used.push_back(score);
    if (std::string err = MapScore(*score, &item->score); !err.empty()) return err;
  }
  if (mapping_.Has("text")) {
    for (const std::string& name : mapping_.fields.at("text")) {
      if (const FieldValue* v = record.Find(name)) used.push_back(v);
    }
  } else if (const FieldValue* v = Lookup(record, "text")) {
    used.push_back(v);
  }
  if (std::string err = Text(record, "text", &item->text); !err.empty()) return err;
  std::string* optional_fields[] = {&item->customer_id, &item->order_id, &item->sku,
                                    &item->channel,     &item->region,   &item->language};
  const char* optional_names[] = {"customer_id", "order_id", "sku",
                                  "channel",     "region",   "language"};
  for (size_t i = 0; i < 6; ++i) {
    if (std::string err = take(optional_names[i], optional_fields[i]); !err.empty()) return err;
  }
  if (const FieldValue* turns = Lookup(record, "turns")) {
    used.push_back(turns);
    if (std::string err = MapTurns(*turns, *item, &item->turns); !err.empty()) return err;
  }
  if (const FieldValue* conv = Lookup(record, "conversation")) used.push_back(conv);

  // attrs: explicit attrs.* mappings, an "attrs" object, and unmapped scalars.
  item->attrs_json.clear();
  JsonWriter w(item->attrs_json);
  w.BeginObject();
  // The names written so far: a list while short, then a set (a CSV export can have 100,000
  // columns, each an attribute).
  constexpr size_t kListed = 64;
  written_.clear();
  written_set_.clear();
  auto write_attr = [&](std::string_view name, const FieldValue& v) {
    if (written_.size() < kListed) {
      if (std::find(written_.begin(), written_.end(), name) != written_.end()) return;
      written_.push_back(name);
      if (written_.size() == kListed) written_set_.insert(written_.begin(), written_.end());
    } else if (!written_set_.insert(name).second) {
      return;
    }
    AppendAttr(w, name, v);
  };
  for (const auto& [canonical, sources] : mapping_.fields) {
    if (canonical.rfind("attrs.", 0) != 0) continue;
    for (const std::string& s : sources) {
      if (const FieldValue* v = record.Find(s)) {
        used.push_back(v);
        write_attr(std::string_view(canonical).substr(6), *v);
        break;
      }
    }
  }
  for (const auto& [key, value] : record.fields) {
    if (std::find(used.begin(), used.end(), &value) != used.end()) continue;
    if (key.rfind("attrs.", 0) == 0) {
      write_attr(key.substr(6), value);
      continue;
    }
    if (!mapping_.extra_fields_to_attrs) continue;
    if (std::find(mapped_sources_.begin(), mapped_sources_.end(), key) != mapped_sources_.end())
      continue;
    if (value.type == FieldValue::Type::kArray && !value.items.empty()) continue;
    if (value.type == FieldValue::Type::kNull) continue;
    write_attr(key, value);
  }
  w.EndObject();
  return GroupsRows() ? std::string() : Validate(item);
}

void Mapper::Redact(Item* item) const {
  const text::Redactor* r = options_.redactor.get();
  if (r == nullptr) return;
  if (r->pseudonymizes_ids()) item->customer_id = r->PseudonymizeId(item->customer_id);
  const RedactedFields& f = options_.redacted_fields;
  text::PiiCounts counts;
  const bool transcript = item->kind == Kind::kTranscript;
  if (f.text || (transcript && f.turns)) r->RedactInPlace(&item->text, &counts);
  if (f.turns) {
    for (Turn& t : item->turns) r->RedactInPlace(&t.text, &counts);
  }
  const std::pair<bool, std::string*> short_fields[] = {
      {f.order_id, &item->order_id}, {f.sku, &item->sku},       {f.channel, &item->channel},
      {f.region, &item->region},     {f.source, &item->source}, {f.language, &item->language}};
  for (const auto& [on, value] : short_fields) {
    if (on && !value->empty()) r->RedactInPlace(value, &counts);
  }
  // attrs: only string values, and only when something in them could be PII.
  if (f.attrs && item->attrs_json.size() > 2 &&
      item->attrs_json.find_first_of("@0123456789") != std::string::npos) {
    try {
      json::Value attrs = json::Parse(item->attrs_json);
      std::string out;
      JsonWriter w(out);
      w.BeginObject();
      for (const auto& [key, value] : attrs.as_object()) {
        w.Key(key);
        if (value.is_string()) {
          w.String(r->Redact(value.as_string(), &counts));
        } else {
          w.Raw(json::Dump(value));
        }
      }
      w.EndObject();
      item->attrs_json = std::move(out);
    } catch (const json::Error&) {
      // attrs are written by the mapper: always valid JSON.
    }
  }
  item->redactions += static_cast<int32_t>(counts.total());
}

std::string Mapper::Validate(Item* item) const {
  if (item->id.empty()) return "missing id";
  if (item->id.size() > kMaxIdBytes) return "id is longer than 512 bytes";
  const std::pair<const char*, const std::string*> short_fields[] = {
      {"customer_id", &item->customer_id},
      {"order_id", &item->order_id},
      {"sku", &item->sku},
      {"channel", &item->channel},
      {"region", &item->region},
      {"source", &item->source}};
  for (const auto& [name, value] : short_fields) {
    if (value->size() > kMaxIdBytes) return std::string(name) + " is longer than 512 bytes";
  }
  if (item->source.empty()) item->source = "unknown";
  // "an NPS answer", "a review": the words a user reads in the reject.
  static const char* const kWhat[] = {"a review", "an NPS answer", "a CSAT answer", "a CES answer",
                                      "a post-chat rating"};
  const char* const what = kWhat[static_cast<int>(item->kind)];
  if (item->score) {
    ScoreRange range = ScoreRangeOf(item->kind);
    double s = *item->score;
    auto number = [](double v) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%g", v);
      return std::string(buf);
    };
    if (s < range.low || s > range.high) {
      return "score " + number(s) + " is outside " + number(range.low) + "-" + number(range.high) +
             " for " + what;
    }
    if (item->kind != Kind::kReview && s != std::floor(s)) {
      return "score " + number(s) + " is not a whole number for " + what;
    }
  } else if (item->kind == Kind::kNps || item->kind == Kind::kCsat || item->kind == Kind::kCes) {
    // A survey answer is its score; a comment without one cannot be counted.
    return std::string("missing score for ") + what;
  }
  if (item->kind == Kind::kTranscript) {
    if (item->turns.empty()) {
      if (item->text.empty()) return "empty transcript (no messages)";
      // A transcript given as plain text: one customer message.
      item->turns.push_back(Turn{"customer", item->created_at, item->text});
    }
    size_t total = 0;
    bool customer = false;
    for (const Turn& t : item->turns) {
      total += t.text.size();
      customer = customer || IsCustomerRole(t.role);
    }
    if (total == 0) return "empty transcript (every message is empty)";
    if (!customer) return "transcript has no customer message";
    if (item->created_at == kNoTime) {
      for (const Turn& t : item->turns) {
        if (t.at != kNoTime && (item->created_at == kNoTime || t.at < item->created_at)) {
          item->created_at = t.at;
        }
      }
    }
    item->text = AnalysisText(*item);
    if (total > options_.max_text_bytes * 4) {
      return "transcript text is " + std::to_string(total) + " bytes, over the " +
             std::to_string(options_.max_text_bytes * 4) + "-byte limit";
    }
  } else {
    if (item->text.empty() && !item->score) return "missing text (and no score)";
    if (item->text.size() > options_.max_text_bytes) {
      return "text is " + std::to_string(item->text.size()) + " bytes, over the " +
             std::to_string(options_.max_text_bytes) + "-byte limit";
    }
  }
  // Redacted before the language is checked: "0044-20-7946-0958" reads as a tag, "[phone]" does
  // not, and the reason then quotes the placeholder, not the number.
  Redact(item);
  if (!item->language.empty()) {
    bool ok = item->language.size() <= 35;
    for (char c : item->language) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_');
    }
    if (!ok)
      return "language " + Quoted(item->language) + " is not a language tag (e.g. en, pt-BR)";
  }
  return {};
}

}  // namespace feedloop::ingest
