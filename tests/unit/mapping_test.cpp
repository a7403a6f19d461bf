#include "feedloop/ingest/mapping.hpp"

#include <gtest/gtest.h>

#include "feedloop/ingest/json_reader.hpp"

namespace feedloop::ingest {
namespace {

// Maps one JSON object with a mapper; returns the error ("" when accepted).
class MapperTest : public ::testing::Test {
 protected:
  std::string Map(const std::string& json, Item* item, Mapping mapping = {},
                  ValidationOptions options = {}) {
    FlatRecord record;
    std::string err = parser_.Parse(json, &record);
    EXPECT_EQ(err, "") << json;
    if (options.source.empty()) options.source = "test";
    Mapper mapper(std::move(mapping), options);
    return mapper.Map(record, item);
  }
  std::string Error(const std::string& json, ValidationOptions options = {}) {
    Item item;
    return Map(json, &item, {}, options);
  }
  JsonObjectParser parser_;
};

TEST_F(MapperTest, CanonicalItem) {
  Item item;
  ASSERT_EQ(Map(R"({"id": "tp-1", "kind": "review", "source": "trustpilot",
      "created_at": "2026-11-16T09:12:00Z", "score": 2, "text": "Box arrived crushed.",
      "customer_id": "c-1", "order_id": "o-1", "sku": "KETTLE-2L", "channel": "web",
      "region": "UK", "language": "en", "attrs": {"plan": "monthly"}})",
                &item),
            "");
  EXPECT_EQ(item.id, "tp-1");
  EXPECT_EQ(item.kind, Kind::kReview);
  EXPECT_EQ(item.source, "trustpilot");
  EXPECT_EQ(item.created_at, 1794820320);
  EXPECT_EQ(item.score, 2.0);
  EXPECT_EQ(item.sku, "KETTLE-2L");
  EXPECT_EQ(item.attrs_json, R"({"plan":"monthly"})");
}

TEST_F(MapperTest, EveryValidationRule) {
  ValidationOptions o;
  o.max_text_bytes = 100;
  EXPECT_EQ(Error(R"({"kind": "review", "text": "x"})"), "missing id");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review"})"), "missing text (and no score)");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "tweet", "text": "x"})"),
            "unknown kind 'tweet' (expected review, nps, csat, ces or transcript)");
  EXPECT_EQ(Error(R"({"id": "1", "text": "x"})"),
            "no kind: give --kind, a kind field, or a preset");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "nps", "score": 11, "text": "x"})"),
            "score 11 is outside 0-10 for an NPS answer");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review", "score": 6, "text": "x"})"),
            "score 6 is outside 1-5 for a review");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "csat", "score": 0, "text": "x"})"),
            "score 0 is outside 1-5 for a CSAT answer");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "ces", "score": 8, "text": "x"})"),
            "score 8 is outside 1-7 for a CES answer");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "nps", "score": 7.5, "text": "x"})"),
            "score 7.5 is not a whole number for an NPS answer");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "nps", "score": "nine", "text": "x"})"),
            "score 'nine' is not a number");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "nps", "score": "Infinity", "text": "x"})"),
            "score 'Infinity' is not a finite number");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "nps", "text": "x"})"), "missing score for an NPS answer");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review", "text": "x", "created_at": "yesterday"})"),
            "date 'yesterday' is not a date (expected e.g. 2026-11-16T09:12:00Z)");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review", "text": 5})"),
            "field 'text' is a number, expected text");
  EXPECT_EQ(
      Error(R"({"id": "1", "kind": "review", "text": ")" + std::string(101, 'a') + R"("})", o),
      "text is 101 bytes, over the 100-byte limit");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "transcript", "turns": []})"),
            "empty transcript (no messages)");
  EXPECT_EQ(
      Error(R"({"id": "1", "kind": "transcript", "turns": [{"role": "agent", "text": "hi"}]})"),
      "transcript has no customer message");
  EXPECT_EQ(
      Error(R"({"id": "1", "kind": "transcript", "turns": [{"role": "robot", "text": "hi"}]})"),
      "message 1: message role 'robot' is not customer, agent or bot (map it with \"roles\")");
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review", "text": "x", "language": "en us!"})"),
            "language 'en us!' is not a language tag (e.g. en, pt-BR)");
}

TEST_F(MapperTest, ScoreOnlySurveyAnswersAreKept) {
  Item item;
  EXPECT_EQ(Map(R"({"id": "1", "kind": "nps", "score": "9"})", &item), "");
  EXPECT_EQ(item.score, 9.0);
  EXPECT_EQ(item.text, "");
}

TEST_F(MapperTest, TranscriptText) {
  Item item;
  ASSERT_EQ(Map(R"({"id": "t", "kind": "transcript", "turns": [
      {"role": "customer", "text": "Where is my order?", "at": "2026-11-16T09:00:00Z"},
      {"role": "agent", "text": "Checking.", "at": "2026-11-16T10:00:00Z"},
      {"role": "user", "text": "Still nothing."}]})",
                &item),
            "");
  ASSERT_EQ(item.turns.size(), 3u);
  EXPECT_EQ(item.turns[2].role, "customer");
  EXPECT_EQ(item.text, "Where is my order?\nStill nothing.");
  EXPECT_EQ(item.created_at, 1794819600);  // the first message
}

void ExpectSameItem(const Item& a, const Item& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.customer_id, b.customer_id);
  EXPECT_EQ(a.order_id, b.order_id);
  EXPECT_EQ(a.sku, b.sku);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.language, b.language);
  EXPECT_EQ(a.attrs_json, b.attrs_json);
  ASSERT_EQ(a.turns.size(), b.turns.size());
  for (size_t i = 0; i < a.turns.size(); ++i) {
    EXPECT_EQ(a.turns[i].role, b.turns[i].role);
    EXPECT_EQ(a.turns[i].at, b.turns[i].at);
    EXPECT_EQ(a.turns[i].text, b.turns[i].text);
  }
  EXPECT_EQ(a.redactions, b.redactions);
}

// The readers map millions of records into one reused Item: nothing of a record may stay behind
// for the next one, whatever the first had and the second lacks.
TEST_F(MapperTest, AReusedItemKeepsNothingOfThePreviousRecord) {
  const std::string full = R"({"id": "t-1", "kind": "transcript", "source": "chat",
      "created_at": "2026-11-16T09:00:00Z", "score": 4, "customer_id": "c-9", "order_id": "o-9",
      "sku": "KETTLE-2L", "channel": "web", "region": "UK", "language": "en",
      "attrs": {"plan": "annual"}, "note": "call me on +44 20 7946 0958", "turns": [
      {"role": "customer", "text": "Where is my order?"}, {"role": "agent", "text": "Here."}]})";
  const std::string minimal = R"({"id": "r-2", "kind": "nps", "score": 9})";
  ValidationOptions o;
  o.source = "test";
  auto redactor = text::Redactor::Create(text::PiiOptions{});
  ASSERT_TRUE(redactor.ok());
  o.redactor = redactor.value();
  Mapper mapper(Mapping(), o);
  FlatRecord first, second;
  ASSERT_EQ(parser_.Parse(full, &first), "");
  Item reused;
  ASSERT_EQ(mapper.Map(first, &reused), "");
  EXPECT_FALSE(reused.turns.empty());
  EXPECT_GT(reused.redactions, 0);
  ASSERT_EQ(parser_.Parse(minimal, &second), "");
  ASSERT_EQ(mapper.Map(second, &reused), "");
  Item fresh;
  ASSERT_EQ(Mapper(Mapping(), o).Map(second, &fresh), "");
  ExpectSameItem(reused, fresh);
  EXPECT_EQ(reused.attrs_json, "{}");
  EXPECT_EQ(reused.source, "test");
}

// A mapper remembers the resolution of the last shapes (field names in order) it met. Records of
// 40 shapes, more than it keeps: the same field at other positions, another name for it, a shape
// that cannot be mapped (a field twice) among good ones. Every record maps as a fresh mapper maps
// it.
TEST_F(MapperTest, RecordsOfManyAlternatingShapesMapAsAFreshMapperMapsThem) {
  std::vector<std::string> records;
  for (int k = 0; k < 40; ++k) {
    std::string extra = "\"x" + std::to_string(k) + "\": " + std::to_string(k);
    std::string id_name = k % 3 == 0 ? "review_id" : "id";
    std::string score = k % 4 == 0 ? "" : ", \"score\": " + std::to_string(1 + k % 5);
    if (k % 2 == 0) {
      records.push_back("{\"" + id_name + "\": \"r-" + std::to_string(k) +
                        "\", \"kind\": \"review\", \"text\": \"late " + std::to_string(k) + "\", " +
                        extra + score + "}");
    } else {
      records.push_back("{" + extra + score + ", \"text\": \"box " + std::to_string(k) +
                        "\", \"kind\": \"review\", \"" + id_name + "\": \"r-" + std::to_string(k) +
                        "\"}");
    }
    if (k % 13 == 5)
      records.push_back(R"({"id": "d-1", "kind": "review", "text": "a", "text": "b"})");
  }
  // The first ten twice (shapes it knows), all of them (more than it keeps), the first ten again.
  std::vector<std::string> sequence;
  for (int pass = 0; pass < 2; ++pass)
    sequence.insert(sequence.end(), records.begin(), records.begin() + 10);
  sequence.insert(sequence.end(), records.begin(), records.end());
  for (int pass = 0; pass < 2; ++pass)
    sequence.insert(sequence.end(), records.begin(), records.begin() + 10);
  ValidationOptions o;
  o.source = "test";
  Mapper reused(Mapping(), o);
  size_t refused = 0;
  for (const std::string& json : sequence) {
    FlatRecord record;
    ASSERT_EQ(parser_.Parse(json, &record), "") << json;
    Item a, b;
    const std::string err = reused.Map(record, &a);
    EXPECT_EQ(err, Mapper(Mapping(), o).Map(record, &b)) << json;
    if (!err.empty()) {
      ++refused;
      EXPECT_EQ(err, "field 'text' appears twice in the record");
      continue;
    }
    ExpectSameItem(a, b);
    EXPECT_EQ(a.attrs_json, b.attrs_json) << json;
    EXPECT_EQ(a.id.substr(0, 2), "r-") << json;
  }
  EXPECT_EQ(refused, 4u + 3u);  // k = 5 in each pass over the first ten; k = 5, 18, 31 in all
}

// Unmapped fields become attrs, each name once (the first value wins): checked in a list for the
// first 64 names and in a set after, as a wide CSV export has thousands.
TEST_F(MapperTest, AttrNamesAreWrittenOnceBeforeAndAfterTheSixtyFourth) {
  std::string json = R"({"id": "1", "kind": "review", "text": "ok")";
  std::string expected = "{";
  for (int i = 0; i < 80; ++i) {
    json += ", \"f" + std::to_string(i) + "\": " + std::to_string(i);
    expected += (i ? "," : "") + std::string("\"f") + std::to_string(i) + "\":" + std::to_string(i);
  }
  json += R"(, "f3": 1003, "f70": 1070})";
  expected += "}";
  Item item;
  ASSERT_EQ(Map(json, &item), "");
  EXPECT_EQ(item.attrs_json, expected);
}

TEST_F(MapperTest, ExplicitMappingJoinsColumnsAndKeepsExtrasAsAttrs) {
  Mapping m;
  ASSERT_TRUE(m.Add("text=Title+Body").ok());
  ASSERT_TRUE(m.Add("score=Stars").ok());
  ASSERT_TRUE(m.Add("id=Review ID").ok());
  ValidationOptions o;
  o.kind = Kind::kReview;
  Item item;
  ASSERT_EQ(
      Map(R"({"Review ID": "r1", "Title": "Meh", "Body": "Late.", "Stars": "2", "Plan": "annual"})",
          &item, m, o),
      "");
  EXPECT_EQ(item.text, "Meh\n\nLate.");
  EXPECT_EQ(item.score, 2.0);
  EXPECT_EQ(item.attrs_json, R"({"Plan":"annual"})");
}

TEST_F(MapperTest, DefaultNamesMatchLooselyAndTextualScoresMap) {
  Mapping m;
  m.scores["good"] = 5;
  m.scores["offered"] = std::nullopt;
  ValidationOptions o;
  o.kind = Kind::kCsat;
  Item item;
  ASSERT_EQ(Map(R"({"Response ID": "7", "Rating": "good", "Comment": "ok"})", &item, m, o), "");
  EXPECT_EQ(item.id, "7");
  EXPECT_EQ(item.score, 5.0);
  o.kind = Kind::kReview;
  ASSERT_EQ(Map(R"({"id": "8", "rating": "offered", "text": "fine"})", &item, m, o), "");
  EXPECT_FALSE(item.score.has_value());
}

ValidationOptions Redacting(RedactedFields fields = {}) {
  ValidationOptions o;
  o.redactor = text::Redactor::Create(text::PiiOptions{}).value();
  o.redacted_fields = fields;
  return o;
}

const char* const kPiiEverywhere = R"({"id": "4111111111111111", "kind": "review",
    "source": "x@example.com", "text": "mail jane@example.com",
    "customer_id": "jane@example.com", "order_id": "+44 20 7946 0958",
    "sku": "4111111111111111", "channel": "a.b@example.com", "region": "0044 20 7946 0958",
    "language": "en", "attrs": {"note": "card 4111 1111 1111 1111"}})";

// Every field a person or an export fills freely is redacted by default; `id` and `customer_id`
// never are (customer ids are pseudonymized instead).
TEST_F(MapperTest, EveryFreeFieldIsRedactedByDefault) {
  Item item;
  ASSERT_EQ(Map(kPiiEverywhere, &item, {}, Redacting()), "");
  EXPECT_EQ(item.text, "mail [email]");
  EXPECT_EQ(item.source, "[email]");
  EXPECT_EQ(item.order_id, "[phone]");
  EXPECT_EQ(item.sku, "[card]");
  EXPECT_EQ(item.channel, "[email]");
  EXPECT_EQ(item.region, "[phone]");
  EXPECT_EQ(item.language, "en");
  EXPECT_EQ(item.attrs_json, R"({"note":"card [card]"})");
  EXPECT_EQ(item.id, "4111111111111111");
  EXPECT_EQ(item.customer_id, "jane@example.com");
  EXPECT_EQ(item.redactions, 7);
}

TEST_F(MapperTest, RedactionCoversOnlyTheListedFields) {
  Result<RedactedFields> sku_only = RedactedFields::FromNames({"sku"});
  ASSERT_TRUE(sku_only.ok()) << sku_only.status().message();
  Item item;
  ASSERT_EQ(Map(kPiiEverywhere, &item, {}, Redacting(sku_only.value())), "");
  EXPECT_EQ(item.sku, "[card]");
  EXPECT_EQ(item.text, "mail jane@example.com");
  EXPECT_EQ(item.order_id, "+44 20 7946 0958");
  EXPECT_EQ(item.channel, "a.b@example.com");
  EXPECT_EQ(item.attrs_json, R"({"note":"card 4111 1111 1111 1111"})");
  EXPECT_EQ(item.redactions, 1);

  Result<RedactedFields> text_only = RedactedFields::FromNames({"text", "attrs"});
  ASSERT_TRUE(text_only.ok());
  ASSERT_EQ(Map(kPiiEverywhere, &item, {}, Redacting(text_only.value())), "");
  EXPECT_EQ(item.text, "mail [email]");
  EXPECT_EQ(item.attrs_json, R"({"note":"card [card]"})");
  EXPECT_EQ(item.sku, "4111111111111111");
  EXPECT_EQ(item.region, "0044 20 7946 0958");
}

// A transcript's text is made of its messages: listing `turns` covers both.
TEST_F(MapperTest, RedactingTurnsCoversATranscriptsText) {
  Result<RedactedFields> turns = RedactedFields::FromNames({"turns"});
  ASSERT_TRUE(turns.ok());
  Item item;
  ASSERT_EQ(Map(R"({"id": "t", "kind": "transcript", "turns": [
      {"role": "customer", "text": "I am jane@example.com"}, {"role": "agent", "text": "ok"}]})",
                &item, {}, Redacting(turns.value())),
            "");
  EXPECT_EQ(item.turns[0].text, "I am [email]");
  EXPECT_EQ(item.text, "I am [email]");
}

// A language that redaction changed is no language tag: rejected, quoting the placeholder.
TEST_F(MapperTest, ARedactedLanguageIsRejectedWithoutTheNumber) {
  EXPECT_EQ(Error(R"({"id": "1", "kind": "review", "text": "x", "language": "0044-20-7946-0958"})",
                  Redacting()),
            "language '[phone]' is not a language tag (e.g. en, pt-BR)");
}

TEST(RedactedFields, NamesAreCheckedAndIdsAreNeverRedacted) {
  EXPECT_EQ(RedactedFields::Names().size(), 9u);
  Result<RedactedFields> none = RedactedFields::FromNames({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->text || none->turns || none->attrs || none->sku || none->source);
  Result<RedactedFields> typo = RedactedFields::FromNames({"text", "skus"});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("'skus' is not one of text, turns, attrs"),
            std::string::npos)
      << typo.status().message();
  for (const char* id : {"id", "customer_id"}) {
    Result<RedactedFields> r = RedactedFields::FromNames({id});
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_NE(r.status().message().find("never redacted"), std::string::npos);
  }
}

TEST(Mapping, RefusesUnknownTargets) {
  Mapping m;
  Status st = m.Add("txt=Comment");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("not a field of the item schema"), std::string::npos);
  EXPECT_FALSE(m.Add("no-equals-sign").ok());
  EXPECT_TRUE(m.Add("attrs.plan=Plan").ok());
}

TEST(Mapping, PresetsExist) {
  for (const char* name : {"trustpilot", "delighted", "zendesk", "support-chat-csv"}) {
    const Preset* p = FindPreset(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_FALSE(p->mapping.fields.empty()) << name;
  }
  EXPECT_EQ(FindPreset("nope"), nullptr);
}

// The Delighted-like export's "Plan" column is the attr "plan", as in the other sources, so
// `--segment attrs.plan` counts its NPS answers.
TEST_F(MapperTest, DelightedPresetMapsPlanToAttrsPlan) {
  const Preset* p = FindPreset("delighted");
  ASSERT_NE(p, nullptr);
  ValidationOptions o;
  o.kind = Kind::kNps;
  Item item;
  ASSERT_EQ(Map(R"({"Response ID": "41822014", "Score": "2", "Comment": "Unavailable again.",
                    "Created At": "2026-08-31T07:49:32Z", "Plan": "monthly", "Extra": "x"})",
                &item, p->mapping, o),
            "");
  EXPECT_EQ(item.attrs_json, R"({"plan":"monthly","Extra":"x"})");
}

TEST(InferKind, FromFieldNames) {
  std::string why;
  EXPECT_EQ(InferKind({"id", "How likely are you to recommend us?"}, &why), Kind::kNps);
  EXPECT_EQ(why, "field 'How likely are you to recommend us?'");
  EXPECT_EQ(InferKind({"id", "Review Stars"}, &why), Kind::kReview);
  EXPECT_EQ(InferKind({"conversation_id", "role", "text"}, &why), Kind::kTranscript);
  EXPECT_EQ(InferKind({"CES score"}, &why), Kind::kCes);
  EXPECT_EQ(InferKind({"id", "processes"}, &why),
            std::nullopt);  // "ces" inside a word is no signal
}

}  // namespace
}  // namespace feedloop::ingest
