#include "feedloop/core/json_writer.hpp"

#include <feedloop/json.hpp>

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <random>
#include <string>

namespace feedloop {
namespace {

// The rounding AppendJsonFixed is specified by, written out with std::pow.
std::string ReferenceFixed(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == 0) r = 0;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), r, std::chars_format::fixed, decimals);
  std::string text(buf, res.ptr);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

TEST(JsonWriter, FixedRoundsAsWithPowAtEveryPrecision) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_real_distribution<double> wide(-1e6, 1e6);
  for (int decimals = 0; decimals <= 17; ++decimals) {
    // Edges of the integer path (at most 6 decimals, below 1e6): rounding up to a whole number
    // or across 1e6, a negative that rounds to zero, a fraction with inner and trailing zeros.
    for (double v : {0.0,      -0.0,    0.5,     -0.5,    0.125,    0.00005,        -0.00005,
                     0.62345,  1e-9,    123.456, 0.99995, -0.99995, 999999.9999995, -999999.49,
                     -0.00004, 0.10203, 7.0,     -12.5,   1e6,      123456.000001}) {
      std::string out;
      AppendJsonFixed(out, v, decimals);
      EXPECT_EQ(out, ReferenceFixed(v, decimals)) << v << " " << decimals;
    }
    for (int i = 0; i < 2000; ++i) {
      double v = i % 2 ? unit(rng) : wide(rng);
      std::string out;
      AppendJsonFixed(out, v, decimals);
      ASSERT_EQ(out, ReferenceFixed(v, decimals)) << v << " " << decimals;
    }
  }
  std::string out;
  AppendJsonFixed(out, std::nan(""), 4);
  EXPECT_EQ(out, "null");
}

TEST(JsonWriter, CommasKeysAndNesting) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Field("id", "a\"b").Key("score").Fixed(-0.62, 4);
  w.Key("tags").BeginArray();
  w.BeginObject().Field("tag", "delivery/late").Key("spans").BeginArray();
  w.BeginArray().Int(10).Int(22).EndArray().BeginArray().Int(30).Int(34).EndArray();
  w.EndArray().EndObject().EndArray();
  w.Key("root_cause").Null().EndObject();
  EXPECT_EQ(out, R"({"id":"a\"b","score":-0.62,"tags":[{"tag":"delivery/late","spans":[[10,22],)"
                 R"([30,34]]}],"root_cause":null})");
}

// A document the writer wrote dumps back as it was: stored results of one plugin are rewritten
// unchanged when another plugin's are replaced.
TEST(JsonWriter, WhatItWritesParsesAndDumpsToTheSameText) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::string text;
  JsonWriter w(text);
  w.BeginObject().Field("short", 0.1).Field("negative", -0.62).Field("whole", 3.0);
  w.Field("tiny", 1e-7).Field("large", 123456.789).Key("random").BeginArray();
  for (int i = 0; i < 1000; ++i) w.Number(unit(rng));
  w.EndArray().EndObject();
  EXPECT_NE(text.find("\"short\":0.1,"), std::string::npos) << text.substr(0, 80);
  EXPECT_EQ(json::Dump(json::Parse(text)), text);
}

// A parse error names a byte it cannot show by its code: the message stays valid UTF-8, as every
// message the engine prints or stores must (a plugin's schema, a config file).
TEST(JsonParse, ErrorsShowOddBytesByTheirCode) {
  auto error_of = [](const std::string& text) {
    try {
      json::Parse(text);
    } catch (const json::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of("x"), "line 1: unexpected character 'x'");
  EXPECT_EQ(error_of("\xC3\xA9"), "line 1: unexpected character 0xC3");
  EXPECT_EQ(error_of("\x01"), "line 1: unexpected character 0x01");
  EXPECT_EQ(error_of(R"(["\q"])"), "line 1: invalid escape '\\q'");
  EXPECT_EQ(error_of("[\"\\\xC3\xA9\"]"), "line 1: invalid escape: \\ before 0xC3");
}

}  // namespace
}  // namespace feedloop
