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
