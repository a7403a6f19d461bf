// The JSON of a plugin's output, as the results rows of the store and the worker process of
// --isolate-plugins carry it: the bytes a general JSON writer gives, and read back to the same
// output.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/analyzer.hpp"

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

}  // namespace
}  // namespace feedloop::pipeline
