// The JSON of a plugin's output, as the results rows of the store and the worker process of
// --isolate-plugins carry it, and of `stream`'s annotated lines: the bytes a general JSON writer
// gives, and a plugin's output read back the same.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/pipeline/stream.hpp"

namespace feedloop::pipeline {
namespace {

// The reference: the same members through JsonWriter, which tracks commas and quotes its keys.
void WriteLabel(JsonWriter& w, const Label& l) {
  w.BeginObject().Field("label", l.label).Key("confidence").Number(l.confidence).Key("spans");
  w.BeginArray();
  for (const feedloop_span& s : l.spans) w.BeginArray().Int(s.begin).Int(s.end).EndArray();
  w.EndArray().EndObject();
}

std::string Reference(const PluginOutput& o) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  if (o.sentiment) w.Key("sentiment").Number(*o.sentiment);
  if (!o.sentences.empty()) {
    w.Key("sentences").BeginArray();
    for (const auto& [span, score] : o.sentences)
      w.BeginArray().Int(span.begin).Int(span.end).Number(score).EndArray();
    w.EndArray();
  }
  if (!o.turns.empty()) {
    w.Key("turns").BeginArray();
    for (const auto& [turn, score] : o.turns) w.BeginArray().Int(turn).Number(score).EndArray();
    w.EndArray();
  }
  if (!o.tags.empty()) {
    w.Key("tags").BeginArray();
    for (const Label& l : o.tags) WriteLabel(w, l);
    w.EndArray();
  }
  if (o.root_cause) {
    w.Key("root_cause");
    WriteLabel(w, *o.root_cause);
  }
  if (!o.labels.empty()) {
    w.Key("labels").BeginArray();
    for (const auto& [name, l] : o.labels) {
      w.BeginArray().String(name);
      WriteLabel(w, l);
      w.EndArray();
    }
    w.EndArray();
  }
  if (!o.json.empty()) {
    w.Key("json").BeginArray();
    for (const auto& [name, j] : o.json) w.BeginArray().String(name).Raw(j).EndArray();
    w.EndArray();
  }
  w.EndObject();
  return out;
}

PluginOutput Full() {
  PluginOutput o;
  o.sentiment = -0.3141592653589793;
  o.sentences = {{{0, 12}, 0.1}, {{13, 4000000000u}, -1.0 / 3}};
  o.turns = {{0, 0.25}, {7, -0.125}};
  o.tags = {{"late_delivery", 0.9, {{3, 9}, {20, 31}}}, {"say \"hi\"\n", 1, {}}};
  o.root_cause = Label{"refund", 0.75, {{1, 2}}};
  o.labels = {{"urgency", {"high", 0.5, {{0, 1}}}}, {"t\u00e9", {"x", 0, {}}}};
  o.json = {{"entities", R"({"a":[1,2]})"}, {"n", "3"}};
  return o;
}

TEST(PluginOutputJson, WritesWhatAJsonWriterWritesForEveryMember) {
  PluginOutput full = Full();
  EXPECT_EQ(OutputToJson(full), Reference(full));
  // Each member alone, so that the commas between members are checked at every position.
  PluginOutput none;
  EXPECT_EQ(OutputToJson(none), "{}");
  EXPECT_EQ(OutputToJson(none), Reference(none));
  for (int member = 0; member < 7; ++member) {
    PluginOutput one;
    if (member == 0) one.sentiment = full.sentiment;
    if (member == 1) one.sentences = full.sentences;
    if (member == 2) one.turns = full.turns;
    if (member == 3) one.tags = full.tags;
    if (member == 4) one.root_cause = full.root_cause;
    if (member == 5) one.labels = full.labels;
    if (member == 6) one.json = full.json;
    EXPECT_EQ(OutputToJson(one), Reference(one)) << "member " << member;
    // And every member but that one.
    PluginOutput rest = full;
    if (member == 0) rest.sentiment.reset();
    if (member == 1) rest.sentences.clear();
    if (member == 2) rest.turns.clear();
    if (member == 3) rest.tags.clear();
    if (member == 4) rest.root_cause.reset();
    if (member == 5) rest.labels.clear();
    if (member == 6) rest.json.clear();
    EXPECT_EQ(OutputToJson(rest), Reference(rest)) << "all but member " << member;
  }
  // Appending leaves what was there.
  std::string out = "x";
  AppendOutputJson(out, full);
  EXPECT_EQ(out, std::string("x").append(Reference(full)));
  // A non-finite score is written as null, as the writer does.
  PluginOutput nan;
  nan.sentiment = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(OutputToJson(nan), R"({"sentiment":null})");
}

TEST(PluginOutputJson, ReadsBackTheSameOutputAtFullPrecision) {
  PluginOutput full = Full();
  PluginOutput back = OutputFromJson(OutputToJson(full));
  ASSERT_TRUE(back.sentiment.has_value());
  EXPECT_EQ(*back.sentiment, *full.sentiment);
  ASSERT_EQ(back.sentences.size(), 2u);
  EXPECT_EQ(back.sentences[1].first.end, 4000000000u);
  EXPECT_EQ(back.sentences[1].second, -1.0 / 3);
  ASSERT_EQ(back.turns.size(), 2u);
  EXPECT_EQ(back.turns[1].first, 7u);
  ASSERT_EQ(back.tags.size(), 2u);
  EXPECT_EQ(back.tags[1].label, "say \"hi\"\n");
  ASSERT_EQ(back.tags[0].spans.size(), 2u);
  EXPECT_EQ(back.tags[0].spans[1].begin, 20u);
  ASSERT_TRUE(back.root_cause.has_value());
  EXPECT_EQ(back.root_cause->label, "refund");
  ASSERT_EQ(back.labels.size(), 2u);
  EXPECT_EQ(back.labels[1].first, "t\u00e9");
  ASSERT_EQ(back.json.size(), 2u);
  EXPECT_EQ(back.json[0].second, R"({"a":[1,2]})");
  // Written again, the same bytes.
  EXPECT_EQ(OutputToJson(back), OutputToJson(full));
}

// The reference for `stream`'s line, through JsonWriter.
void WriteStreamLabel(JsonWriter& w, std::string_view key, const Label& l) {
  w.BeginObject().Field(key, l.label).Key("confidence").Fixed(l.confidence, 4);
  w.Key("spans").BeginArray();
  for (const feedloop_span& s : l.spans) w.BeginArray().Int(s.begin).Int(s.end).EndArray();
  w.EndArray().EndObject();
}

std::string ReferenceLine(const Item& item, const MergedAnalysis& m,
                          const AnnotatedLineMembers& members = {}) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Field("id", item.id);
  if (m.sentiment) {
    w.Key("sentiment").BeginObject().Key("score").Fixed(*m.sentiment, 4);
    w.Field("label", SentimentLabel(*m.sentiment)).EndObject();
  } else if (members.sentiment) {
    w.Key("sentiment").Null();
  }
  if (members.tags || !m.tags.empty()) {
    w.Key("tags").BeginArray();
    for (const Label& t : m.tags) WriteStreamLabel(w, "tag", t);
    w.EndArray();
  }
  if (m.root_cause) {
    w.Key("root_cause");
    WriteStreamLabel(w, "label", *m.root_cause);
  } else if (members.root_cause) {
    w.Key("root_cause").Null();
  }
  if (!m.turns.empty()) {
    w.Key("turns").BeginArray();
    for (const auto& [turn, score] : m.turns)
      w.BeginObject()
          .Field("turn", static_cast<int64_t>(turn))
          .Key("score")
          .Fixed(score, 4)
          .EndObject();
    w.EndArray();
  }
  if (!m.labels.empty()) {
    w.Key("labels").BeginArray();
    for (const auto& [name, l] : m.labels) {
      w.BeginObject().Field("annotation", name).Field("label", l.label);
      w.Key("confidence").Fixed(l.confidence, 4).EndObject();
    }
    w.EndArray();
  }
  if (!m.json.empty()) {
    w.Key("annotations").BeginObject();
    for (const auto& [name, j] : m.json) w.Key(name).Raw(j);
    w.EndObject();
  }
  if (!m.errors.empty()) {
    w.Key("errors").BeginArray();
    for (const auto& [plugin, message] : m.errors)
      w.BeginObject().Field("plugin", plugin).Field("error", message).EndObject();
    w.EndArray();
  }
  if (members.text) w.Field("text", item.text);
  w.EndObject();
  return out;
}

std::string Line(const Item& item, const MergedAnalysis& m,
                 const AnnotatedLineMembers& members = {}) {
  std::string out;
  AppendAnnotatedLine(out, item, m, members);
  return out;
}

TEST(PluginOutputJson, TheAnnotatedLineIsWhatAJsonWriterWrites) {
  Item item;
  item.id = "rv-\"1\"";
  MergedAnalysis full;
  full.sentiment = -0.123456;
  full.turns = {{0, 0.5}, {3, -0.33333}};
  full.tags = {{"late_delivery", 0.91234, {{3, 9}, {20, 31}}}, {"odd\t", 0.5, {}}};
  full.root_cause = Label{"delivery", 0.8, {{1, 2}}};
  full.labels = {{"seen", {"sentiment", 0.75, {}}}, {"urgency", {"high", 0.1, {}}}};
  full.json = {{"entities", R"({"a":[1,2]})"}, {"n", "3"}};
  full.errors = {{"thrower", "bad \"input\""}, {"crasher", "stopped"}};
  EXPECT_EQ(Line(item, full), ReferenceLine(item, full));
  // Each member alone, and each left out (a neutral score alone: the "neutral" label).
  for (int member = 0; member < 7; ++member) {
    MergedAnalysis one;
    MergedAnalysis rest = full;
    if (member == 0) {
      one.sentiment = 0.01;
      rest.sentiment.reset();
    }
    if (member == 1) {
      one.turns = full.turns;
      rest.turns.clear();
    }
    if (member == 2) {
      one.tags = full.tags;
      rest.tags.clear();
    }
    if (member == 3) {
      one.root_cause = full.root_cause;
      rest.root_cause.reset();
    }
    if (member == 4) {
      one.labels = full.labels;
      rest.labels.clear();
    }
    if (member == 5) {
      one.json = full.json;
      rest.json.clear();
    }
    if (member == 6) {
      one.errors = full.errors;
      rest.errors.clear();
    }
    EXPECT_EQ(Line(item, one), ReferenceLine(item, one)) << "member " << member;
    EXPECT_EQ(Line(item, rest), ReferenceLine(item, rest)) << "all but member " << member;
  }
  // Appending leaves what was there.
  MergedAnalysis positive;
  positive.sentiment = 0.9;
  std::string line = "x";
  AppendAnnotatedLine(line, item, positive);
  EXPECT_EQ(line, std::string("x").append(ReferenceLine(item, positive)));
  EXPECT_NE(line.find(R"("label":"positive")"), std::string::npos) << line;
}

// Members of annotations no planned plugin provides are left out (an empty tag list would read
// as "tagged, found nothing"); a provider's empty result stays (`"root_cause": null` is "not a
// complaint"), and so does a result a plugin gave although the plan did not list it.
TEST(PluginOutputJson, TheAnnotatedLineLeavesOutWhatNoPluginProvides) {
  Item item;
  item.id = "a1";
  MergedAnalysis nothing;
  AnnotatedLineMembers sentiment_only;
  sentiment_only.tags = sentiment_only.root_cause = false;
  EXPECT_EQ(Line(item, nothing, sentiment_only), R"({"id":"a1","sentiment":null})");
  MergedAnalysis scored;
  scored.sentiment = -0.5;
  EXPECT_EQ(Line(item, scored, sentiment_only),
            R"({"id":"a1","sentiment":{"score":-0.5,"label":"negative"}})");
  AnnotatedLineMembers tags_only;
  tags_only.sentiment = tags_only.root_cause = false;
  EXPECT_EQ(Line(item, nothing, tags_only), R"({"id":"a1","tags":[]})");
  EXPECT_EQ(Line(item, nothing), R"({"id":"a1","sentiment":null,"tags":[],"root_cause":null})");
  AnnotatedLineMembers none{false, false, false, false};
  EXPECT_EQ(Line(item, nothing, none), R"({"id":"a1"})");
  MergedAnalysis tagged;
  tagged.tags = {{"delivery/late", 0.8, {{0, 4}}}};
  EXPECT_EQ(Line(item, tagged, none), ReferenceLine(item, tagged, none));
  EXPECT_NE(Line(item, tagged, none).find(R"("tags":[{"tag":"delivery/late")"), std::string::npos);
  for (int bits = 0; bits < 16; ++bits) {
    AnnotatedLineMembers m{(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0};
    EXPECT_EQ(Line(item, nothing, m), ReferenceLine(item, nothing, m)) << bits;
    EXPECT_EQ(Line(item, scored, m), ReferenceLine(item, scored, m)) << bits;
  }
}

// The analysed text, when the line carries it, comes last and is escaped like any string.
TEST(PluginOutputJson, TheAnnotatedLineCarriesTheAnalysedTextWhenAsked) {
  Item item;
  item.id = "t";
  item.text = "Caf\xC3\xA9 \"cr\xC3\xA8me\"\tbox\ncrushed \\ \x01";
  MergedAnalysis m;
  m.tags = {{"packaging/damaged", 0.8, {{21, 32}}}};
  AnnotatedLineMembers with_text;
  with_text.text = true;
  const std::string line = Line(item, m, with_text);
  EXPECT_EQ(line, ReferenceLine(item, m, with_text));
  EXPECT_NE(line.find(R"(,"text":"Café \"crème\"\tbox\ncrushed \\ \u0001"})"), std::string::npos)
      << line;
  EXPECT_EQ(Line(item, m).find("\"text\""), std::string::npos);
}

}  // namespace
}  // namespace feedloop::pipeline
