#include "feedloop/core/item_json.hpp"

#include "feedloop/core/json_writer.hpp"
#include "feedloop/core/time.hpp"

namespace feedloop {

void AppendItemJson(std::string& out, const Item& item) {
  JsonWriter w(out);
  w.BeginObject()
      .Field("id", item.id)
      .Field("kind", KindName(item.kind))
      .Field("source", item.source);
  if (item.created_at != kNoTime) w.Field("created_at", item.created_at);
  if (item.score) w.Key("score").Number(*item.score);
  w.Field("text", item.text);
  auto optional = [&](const char* key, const std::string& v) {
    if (!v.empty()) w.Field(key, v);
  };
  optional("customer_id", item.customer_id);
  optional("order_id", item.order_id);
  optional("sku", item.sku);
  optional("channel", item.channel);
  optional("region", item.region);
  optional("language", item.language);
  w.Key("attrs").Raw(item.attrs_json.empty() ? "{}" : item.attrs_json);
  if (!item.turns.empty()) {
    w.Key("turns").BeginArray();
    for (const Turn& t : item.turns) {
      w.BeginObject().Field("role", t.role).Field("text", t.text);
      if (t.at != kNoTime) w.Field("at", t.at);
      w.EndObject();
    }
    w.EndArray();
  }
  if (item.redactions != 0) w.Field("redactions", static_cast<int64_t>(item.redactions));
  w.EndObject();
}

Result<Item> ItemFromJson(const json::Value& v) {
  try {
    Item item;
    item.id = v.get_string("id");
    std::optional<Kind> kind = ParseKind(v.get_string("kind", "review"));
    if (!kind) return Status::InvalidInput("unknown kind in item JSON");
    item.kind = *kind;
    item.source = v.get_string("source");
    if (const json::Value* t = v.find("created_at"))
      item.created_at = static_cast<int64_t>(t->as_number());
    if (const json::Value* s = v.find("score"); s != nullptr && !s->is_null())
      item.score = s->as_number();
    item.text = v.get_string("text");
    item.customer_id = v.get_string("customer_id");
    item.order_id = v.get_string("order_id");
    item.sku = v.get_string("sku");
    item.channel = v.get_string("channel");
    item.region = v.get_string("region");
    item.language = v.get_string("language");
    if (const json::Value* a = v.find("attrs")) item.attrs_json = json::Dump(*a);
    if (const json::Value* turns = v.find("turns")) {
      for (const json::Value& t : turns->as_array()) {
        Turn turn;
        turn.role = t.get_string("role");
        turn.text = t.get_string("text");
        if (const json::Value* at = t.find("at")) turn.at = static_cast<int64_t>(at->as_number());
        item.turns.push_back(std::move(turn));
      }
    }
    item.redactions = static_cast<int32_t>(v.get_number("redactions", 0));
    return item;
  } catch (const json::Error& e) {
    return Status::InvalidInput(std::string("item JSON: ") + e.what());
  }
}

}  // namespace feedloop
