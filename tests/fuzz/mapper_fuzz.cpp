// Fuzz target: the item validator. A JSON object goes through JsonObjectParser and Mapper::Map
// (or, for row-per-message CSV transcripts, Mapper::AddRow + Validate) under one of several
// mappings and presets.
//
// Input: one option byte, then the JSON text of one record.
//   bits 0-2  mapping: 0 default (kind review), 1 default (kind nps), 2 default (no kind: the
//             record must say), 3 preset trustpilot, 4 preset delighted, 5 preset zendesk,
//             6 a custom mapping (joined text columns, textual scores, roles, attrs.*, no extra
//             attrs; kind csat), 7 preset support-chat-csv (rows grouped into conversations)
//   bit 3     PII redaction on
//   bit 4     day-first slashed dates
//   bit 5     max_text_bytes 64 instead of 64 KiB
//
// Invariants: a rejected record has a reason in valid UTF-8; an accepted item has an id of at
// most 512 bytes, only valid UTF-8, normalized text, attrs that parse as a JSON object, a finite
// score inside its kind's range (whole unless a review), a score when it is a survey answer, a
// text within the limit, and for a transcript at least one customer message and the analysis text
// made of the customer messages.
#include <cmath>
#include <cstdint>
#include <string>

#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/text/normalize.hpp"
#include "feedloop/text/pii.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {
namespace {

struct Setup {
  ingest::Mapping mapping;
  std::optional<Kind> kind;
};

Setup SetupFor(int mode) {
  Setup s;
  auto preset = [&](const char* name) {
    const ingest::Preset* p = ingest::FindPreset(name);
    FUZZ_CHECK(p != nullptr, name);
    s.mapping = p->mapping;
    s.kind = p->kind;
  };
  switch (mode) {
    case 0:
      s.kind = Kind::kReview;
      break;
    case 1:
      s.kind = Kind::kNps;
      break;
    case 2:
      break;
    case 3:
      preset("trustpilot");
      break;
    case 4:
      preset("delighted");
      break;
    case 5:
      preset("zendesk");
      break;
    case 6: {
      Result<ingest::Mapping> m = ingest::Mapping::FromJson(json::Parse(R"json({
        "map": {"text": ["Title", "Body"], "score": "Rating", "id": "Ref", "attrs.plan": "plan",
                "turns": "thread", "turn.role": "from", "turn.text": "says", "turn.at": "when",
                "created_at": "Submitted"},
        "roles": {"end-user": "customer", "Support": "agent"},
        "scores": {"good": 5, "bad": 1, "n/a": null},
        "extra_fields_to_attrs": false})json"));
      FUZZ_CHECK(m.ok(), m.status().message());
      s.mapping = m.value();
      s.kind = Kind::kCsat;
      break;
    }
    case 7:
      preset("support-chat-csv");
      break;
  }
  return s;
}

void CheckItem(const Item& item, const ingest::ValidationOptions& options, bool redacted) {
  FUZZ_CHECK(!item.id.empty() && item.id.size() <= 512, "id " + Show(item.id));
  const std::string* strings[] = {&item.id,          &item.source,   &item.text,
                                  &item.customer_id, &item.order_id, &item.sku,
                                  &item.channel,     &item.region,   &item.language};
  for (const std::string* s : strings) FUZZ_CHECK(ValidUtf8(*s), Show(*s));
  FUZZ_CHECK(!item.source.empty(), "no source");
  if (!redacted)
    FUZZ_CHECK(text::NormalizeText(item.text) == item.text,
               "text not normalized: " + Show(item.text));
  json::Value attrs;
  std::string why;
  FUZZ_CHECK(ParsesAsJson(item.attrs_json, &attrs, &why) && attrs.is_object(),
             why + ": " + Show(item.attrs_json));
  FUZZ_CHECK(ValidUtf8(item.attrs_json), Show(item.attrs_json));
  if (item.score) {
    const double s = *item.score;
    const ScoreRange range = ScoreRangeOf(item.kind);
    FUZZ_CHECK(std::isfinite(s) && s >= range.low && s <= range.high, std::to_string(s));
    FUZZ_CHECK(item.kind == Kind::kReview || s == std::floor(s), std::to_string(s));
  } else {
    FUZZ_CHECK(item.kind != Kind::kNps && item.kind != Kind::kCsat && item.kind != Kind::kCes,
               "a survey answer without a score");
  }
  for (char c : item.language) {
    FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_',
               Show(item.language));
  }
  if (item.kind != Kind::kTranscript) {
    FUZZ_CHECK(item.text.size() <= options.max_text_bytes, std::to_string(item.text.size()));
    FUZZ_CHECK(!item.text.empty() || item.score, "neither text nor score");
    return;
  }
  bool customer = false;
  for (const Turn& t : item.turns) {
    FUZZ_CHECK(t.role == "customer" || t.role == "agent" || t.role == "bot",
               "role " + Show(t.role));
    FUZZ_CHECK(ValidUtf8(t.text), Show(t.text));
    customer = customer || IsCustomerRole(t.role);
  }
  FUZZ_CHECK(customer, "a transcript without a customer message");
  if (!redacted) FUZZ_CHECK(item.text == AnalysisText(item), "analysis text " + Show(item.text));
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  static ingest::JsonObjectParser parser;
  static const std::shared_ptr<const text::Redactor> redactor =
      text::Redactor::Create(text::PiiOptions()).value();

  Input in(data, size);
  const uint8_t opts = in.Byte();
  const std::string_view json_text = in.Rest();
  Setup setup = SetupFor(opts & 7);
  ingest::ValidationOptions options;
  options.kind = setup.kind;
  options.source = "fuzz";
  if (opts & 8) options.redactor = redactor;
  if (opts & 16) options.dates.slashed = DateOrder::kDayFirst;
  if (opts & 32) options.max_text_bytes = 64;
  const bool redacted = options.redactor != nullptr;
  ingest::Mapper mapper(setup.mapping, options);

  ingest::FlatRecord record;
  std::string err = parser.Parse(json_text, &record);
  if (!err.empty()) {
    FUZZ_CHECK(ValidUtf8(err), Show(err));
    return 0;
  }
  Item item;
  if (mapper.GroupsRows()) {
    // One row of a conversation: the first message, then the checks every item passes.
    err = mapper.AddRow(record, true, &item);
    if (err.empty()) err = mapper.Validate(&item);
  } else {
    err = mapper.Map(record, &item, "7");
  }
  if (!err.empty()) {
    FUZZ_CHECK(ValidUtf8(err), Show(err));
    return 0;
  }
  CheckItem(item, options, redacted);
  return 0;
}
