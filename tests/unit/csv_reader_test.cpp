#include "feedloop/ingest/csv_reader.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace feedloop::ingest {
namespace {

struct Rows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> errors;  // "line N: reason" per bad record
  std::vector<int64_t> lines;
};

Rows ReadCsv(const std::string& content, CsvOptions options = {}) {
  testing::TempDir dir;
  std::string path = dir.Write("in.csv", content);
  auto input = InputFile::Open(path);
  EXPECT_TRUE(input.ok());
  auto reader = CsvReader::Open(std::move(input).value(), options);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  Rows out;
  if (!reader.ok()) return out;
  out.header = (*reader)->header();
  RawRecord r;
  while ((*reader)->Next(&r)) {
    out.lines.push_back(r.line);
    if (!r.error.empty()) {
      out.errors.push_back("line " + std::to_string(r.line) + ": " + r.error);
      continue;
    }
    std::vector<std::string> row;
    for (const auto& [name, value] : r.record.fields) row.emplace_back(value.text);
    out.rows.push_back(row);
  }
  return out;
}

TEST(CsvReader, PlainRows) {
  Rows r = ReadCsv("id,text,score\n1,hello,5\n2,world,3\n");
  ASSERT_EQ(r.header, (std::vector<std::string>{"id", "text", "score"}));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1], (std::vector<std::string>{"2", "world", "3"}));
  EXPECT_TRUE(r.errors.empty());
}

TEST(CsvReader, QuotedFieldWithDelimiterAndDoubledQuotes) {
  Rows r = ReadCsv("id,text\n1,\"a, \"\"quoted\"\" b\"\n");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][1], "a, \"quoted\" b");
}

TEST(CsvReader, QuotedNewline) {
  Rows r = ReadCsv("id,text\n1,\"line one\nline two\"\n2,next\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][1], "line one\nline two");
  EXPECT_EQ(r.lines[1], 4);  // the second record starts after the embedded newline
}

TEST(CsvReader, CrlfLineEnds) {
  Rows r = ReadCsv("id,text\r\n1,a\r\n2,\"b\r\nc\"\r\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][1], "a");
  EXPECT_EQ(r.rows[1][1], "b\r\nc");
}

TEST(CsvReader, ByteOrderMarkIsNotPartOfTheFirstName) {
  Rows r = ReadCsv("\xEF\xBB\xBFid,text\n1,a\n");
  ASSERT_EQ(r.header.size(), 2u);
  EXPECT_EQ(r.header[0], "id");
}

TEST(CsvReader, DetectsSemicolonAndTab) {
  Rows semi = ReadCsv("id;text;score\n1;a,b;5\n");
  ASSERT_EQ(semi.rows.size(), 1u);
  EXPECT_EQ(semi.rows[0][1], "a,b");
  Rows tab = ReadCsv("id\ttext\n1\thello, world\n");
  ASSERT_EQ(tab.rows.size(), 1u);
  EXPECT_EQ(tab.rows[0][1], "hello, world");
}

TEST(CsvReader, NoTrailingNewline) {
  Rows r = ReadCsv("id,text\n1,last");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][1], "last");
}

TEST(CsvReader, EmptyFieldsAndBlankLines) {
  Rows r = ReadCsv("id,text,score\n1,,\n\n2,b,\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0], (std::vector<std::string>{"1", "", ""}));
}

TEST(CsvReader, RaggedRowIsAnErrorAndReadingGoesOn) {
  Rows r = ReadCsv("id,text,score\n1,a\n2,b,3,4\n3,c,5\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "line 2: 2 fields, but the header has 3 (ragged row)");
  EXPECT_EQ(r.errors[1], "line 3: 4 fields, but the header has 3 (ragged row)");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], "3");
}

TEST(CsvReader, UnterminatedQuoteAtEndOfFile) {
  Rows r = ReadCsv("id,text\n1,ok\n2,\"never closed\n3,x\n");
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("unterminated quoted field starting on line 3"), std::string::npos)
      << r.errors[0];
}

TEST(CsvReader, InvalidUtf8IsRejectedWithItsOffset) {
  Rows r = ReadCsv("id,text\n1,ab\xFF\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 2: invalid UTF-8 in column 'text' at byte 2");
}

TEST(CsvReader, SequenceCutByADelimiterIsInvalidInBothFields) {
  // "\xEF\xBF" and "\xBD" are one character only if the delimiter between them is ignored.
  Rows r = ReadCsv("id,a,b\n1,x\xEF\xBF,\xBDy\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "line 2: invalid UTF-8 in column 'a' at byte 1");
}

TEST(CsvReader, HeaderWithASequenceCutByADelimiterIsRefused) {
  testing::TempDir dir;
  auto input = InputFile::Open(dir.Write("in.csv", "id,sc\xEF\xBF,\xBBtext\n1,2,3\n"));
  ASSERT_TRUE(input.ok());
  auto reader = CsvReader::Open(std::move(input).value(), CsvOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("the header row is not valid UTF-8"), std::string::npos);
}

TEST(CsvReader, InvalidUtf8RepairedOnRequest) {
  CsvOptions o;
  o.repair_utf8 = true;
  Rows r = ReadCsv(
      "id,text\n1,ab\xFF"
      "c\n",
      o);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][1],
            "ab\xEF\xBF\xBD"
            "c");
}

TEST(CsvReader, DuplicateAndEmptyHeaderNamesStayAddressable) {
  Rows r = ReadCsv("id,text,text,\n1,a,b,c\n");
  EXPECT_EQ(r.header, (std::vector<std::string>{"id", "text", "text_2", "column_4"}));
}

TEST(CsvReader, NoQuotingForPlainTsv) {
  CsvOptions o;
  o.delimiter = '\t';
  o.quote = 0;
  o.header = false;
  Rows r = ReadCsv("1\t0.5\t\"quoted\" text\n", o);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][2], "\"quoted\" text");
}

TEST(CsvReader, LongFileInBoundedChunks) {
  std::string content = "id,text\n";
  for (int i = 0; i < 50000; ++i)
    content += std::to_string(i) + ",\"row " + std::to_string(i) + "\"\n";
  Rows r = ReadCsv(content);
  ASSERT_EQ(r.rows.size(), 50000u);
  EXPECT_EQ(r.rows.back()[1], "row 49999");
}

TEST(CsvReader, EmptyFileHasNoRecords) {
  Rows r = ReadCsv("");
  EXPECT_TRUE(r.header.empty());
  EXPECT_TRUE(r.rows.empty());
}

}  // namespace
}  // namespace feedloop::ingest
