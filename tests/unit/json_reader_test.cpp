#include "feedloop/ingest/json_reader.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace feedloop::ingest {
namespace {

struct Records {
  JsonLayout layout = JsonLayout::kEmpty;
  std::vector<std::string> ids;     // the "id" field of good records
  std::vector<std::string> errors;  // "line N: reason"
  std::string warning;
};

Records ReadJson(const std::string& content, JsonReaderOptions options = {}) {
  testing::TempDir dir;
  std::string path = dir.Write("in.json", content);
  auto input = InputFile::Open(path);
  EXPECT_TRUE(input.ok());
  auto reader = JsonReader::Open(std::move(input).value(), options);
  EXPECT_TRUE(reader.ok());
  Records out;
  out.layout = (*reader)->layout();
  RawRecord r;
  while ((*reader)->Next(&r)) {
    if (!r.error.empty()) {
      out.errors.push_back("line " + std::to_string(r.line) + ": " + r.error);
      continue;
    }
    const FieldValue* id = r.record.Find("id");
    out.ids.emplace_back(id ? std::string(id->text) : "?");
  }
  out.warning = (*reader)->warning();
  return out;
}

TEST(JsonReader, JsonLines) {
  Records r = ReadJson("{\"id\": \"a\"}\n{\"id\": \"b\"}\n\n{\"id\": 3}\n");
  EXPECT_EQ(r.layout, JsonLayout::kLines);
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a", "b", "3"}));
}

TEST(JsonReader, MalformedLineIsRejectedAndTheRestIsRead) {
  Records r = ReadJson("{\"id\": \"a\"}\n{\"id\": \n{\"id\": \"c\"}\n");
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].substr(0, 7), "line 2:");
}

TEST(JsonReader, TruncatedLastLine) {
  Records r = ReadJson("{\"id\": \"a\"}\n{\"id\": \"b\", \"text\": \"cut");
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("truncated"), std::string::npos) << r.errors[0];
}

TEST(JsonReader, TextAfterTheObject) {
  Records r = ReadJson("{\"id\": \"a\"} extra\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 1: unexpected text after the JSON object");
}

TEST(JsonReader, NotAnObject) {
  Records r = ReadJson("{\"id\": \"a\"}\n[1, 2]\n\"text\"\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "line 2: expected a JSON object for each record");
}

TEST(JsonReader, NanIsNotJson) {
  Records r = ReadJson("{\"id\": \"a\", \"score\": NaN}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("malformed JSON"), std::string::npos);
}

TEST(JsonReader, InvalidUtf8NamesTheByte) {
  Records r = ReadJson("{\"id\": \"a\xC0\xAF\"}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 1: invalid UTF-8 at byte 9");
}

TEST(JsonReader, VeryLongLine) {
  std::string text(3 << 20, 'x');
  Records r = ReadJson("{\"id\": \"long\", \"text\": \"" + text + "\"}\n{\"id\": \"next\"}\n");
  EXPECT_EQ(r.ids, (std::vector<std::string>{"long", "next"}));
}

TEST(JsonReader, LineOverTheRecordLimitIsSkipped) {
  JsonReaderOptions o;
  o.max_record_bytes = 1 << 20;
  std::string text(3 << 20, 'x');
  Records r = ReadJson("{\"id\": \"a\"}\n{\"text\": \"" + text + "\"}\n{\"id\": \"c\"}\n", o);
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 2: record is longer than 1 MiB");
}

TEST(JsonReader, DeepNestingIsRefused) {
  std::string deep = "{\"id\": \"d\", \"x\": ";
  for (int i = 0; i < 100; ++i) deep += "{\"y\": ";
  deep += "1";
  for (int i = 0; i < 100; ++i) deep += "}";
  deep += "}\n";
  Records r = ReadJson(deep);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("nested too deeply"), std::string::npos) << r.errors[0];
}

TEST(JsonReader, Array) {
  Records r = ReadJson("[\n {\"id\": \"a\"},\n {\"id\": \"b\", \"t\": \"x,]\"}\n]\n");
  EXPECT_EQ(r.layout, JsonLayout::kArray);
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a", "b"}));
}

TEST(JsonReader, WrappedArrayPicksTheRecordsMember) {
  Records r =
      ReadJson("{\"count\": 2, \"meta\": {\"x\": [1]},\n \"tickets\": [{\"id\": 1}, {\"id\": 2}]}");
  EXPECT_EQ(r.layout, JsonLayout::kWrapped);
  EXPECT_EQ(r.ids, (std::vector<std::string>{"1", "2"}));
}

TEST(JsonReader, TruncatedArray) {
  Records r = ReadJson("[{\"id\": \"a\"}, {\"id\": \"b\", \"te");
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("truncated"), std::string::npos);
}

TEST(JsonReader, ArrayWithoutClosingBracketWarns) {
  Records r = ReadJson("[{\"id\": \"a\"}, {\"id\": \"b\"}");
  EXPECT_EQ(r.ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(r.warning.empty());
}

TEST(JsonReader, FlattensNestedObjectsAndKeepsMessageLists) {
  testing::TempDir dir;
  std::string path =
      dir.Write("t.jsonl",
                "{\"id\": \"t\", \"via\": {\"channel\": \"email\"}, \"tags\": [\"a\", \"b\"], "
                "\"turns\": [{\"role\": \"customer\", \"text\": \"hi\"}, {\"role\": \"agent\", "
                "\"text\": \"yo\"}]}\n");
  auto reader = JsonReader::Open(std::move(InputFile::Open(path)).value());
  RawRecord r;
  ASSERT_TRUE((*reader)->Next(&r));
  ASSERT_EQ(r.error, "");
  ASSERT_NE(r.record.Find("via.channel"), nullptr);
  EXPECT_EQ(r.record.Find("via.channel")->text, "email");
  EXPECT_EQ(r.record.Find("tags")->scalars.size(), 2u);
  const FieldValue* turns = r.record.Find("turns");
  ASSERT_NE(turns, nullptr);
  ASSERT_EQ(turns->items.size(), 2u);
  EXPECT_EQ(turns->items[1].Find("role")->text, "agent");
}

TEST(JsonReader, EmptyFile) {
  Records r = ReadJson("  \n");
  EXPECT_EQ(r.layout, JsonLayout::kEmpty);
  EXPECT_TRUE(r.ids.empty());
}

}  // namespace
}  // namespace feedloop::ingest
