#include "feedloop/metrics/stream_source.hpp"

#include <feedloop/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "feedloop/text/utf8.hpp"

namespace feedloop::metrics {
namespace {

// A JSON value as SQLite's json_extract returns it, as text; false for null (no value).
bool SqliteText(const json::Value& v, std::string* out) {
  if (v.is_null()) return false;
  if (v.is_string()) {
    *out = v.as_string();
  } else if (v.is_bool()) {
    *out = v.as_bool() ? "1" : "0";
  } else if (v.is_number()) {
    const double d = v.as_number();
    char buf[32];
    if (d == std::floor(d) && std::fabs(d) < 9.2e18) {
      std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(d));
    } else {
      std::snprintf(buf, sizeof(buf), "%.15g", d);
      // SQLite prints a real with a decimal point ("1.0e+20"): keep one where %g left none.
      std::string s(buf);
      if (s.find_first_of(".en") == std::string::npos) s += ".0";
      *out = s;
      return true;
    }
    *out = buf;
  } else {
    *out = json::Dump(v);  // an array or object: its JSON text
  }
  return true;
}

// The attrs member a segment reads, as AggregateStore's AttrColumn picks it: the member named
// exactly, else the first in byte order whose name is the same ignoring ASCII case.
const json::Value* FindAttr(const json::Value& attrs, const std::string& name) {
  if (!attrs.is_object()) return nullptr;
  if (const json::Value* exact = attrs.find(name)) return exact;
  const std::pair<std::string, json::Value>* best = nullptr;
  for (const auto& member : attrs.as_object()) {
    if (text::EqualsIgnoringAsciiCase(member.first, name) &&
        (best == nullptr || member.first < best->first))
      best = &member;
  }
  return best == nullptr ? nullptr : &best->second;
}

}  // namespace

StreamFacts::StreamFacts(const std::vector<std::string>& segment_fields) {
  for (const std::string& f : segment_fields) {
    if (f.rfind("attrs.", 0) == 0) attrs_.push_back(f.substr(6));
  }
  values_.resize(attrs_.size());
}

const ItemFacts& StreamFacts::Of(const Item& item, const pipeline::MergedAnalysis& m) {
  ItemFacts& f = facts_;
  f.Clear();
  f.source = item.source;
  f.id = item.id;
  f.kind = item.kind;
  f.created_at = item.created_at;
  f.score = item.score;
  f.text = item.text;
  f.customer_id = item.customer_id;
  f.sku = item.sku;
  f.channel = item.channel;
  f.region = item.region;
  f.language = item.language;
  f.sentiment = m.sentiment;
  if (m.root_cause) {
    f.root_cause = m.root_cause->label;
    f.root_confidence = m.root_cause->confidence;
    for (const feedloop_span& s : m.root_cause->spans) {
      if (s.end >= s.begin) f.evidence.push_back({s.begin, s.end});
    }
  }
  for (const pipeline::Label& t : m.tags) f.tags.push_back(t.label);
  if (!m.turns.empty()) {
    // As stored: the sentiments of the first and the last customer turn, by turn index.
    auto [first, last] = std::minmax_element(m.turns.begin(), m.turns.end());
    f.first_turn_sentiment = first->second;
    f.last_turn_sentiment = last->second;
  }
  if (item.kind == Kind::kTranscript) {
    for (const Turn& t : item.turns) f.turns.push_back({ParseTurnRole(t.role), t.at});
  }
  if (!attrs_.empty() && item.attrs_json.size() > 2) {
    try {
      const json::Value attrs = json::Parse(item.attrs_json);
      for (size_t i = 0; i < attrs_.size(); ++i) {
        const json::Value* v = FindAttr(attrs, attrs_[i]);
        if (v != nullptr && SqliteText(*v, &values_[i]))
          f.attrs.emplace_back(attrs_[i], values_[i]);
      }
    } catch (const json::Error&) {
      // attrs are written by the mapper: always a JSON object.
    }
  }
  return f;
}

}  // namespace feedloop::metrics
