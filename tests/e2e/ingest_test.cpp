// End-to-end: `feedloop ingest` on the shipped samples and on the malformed set.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <utility>

#include "e2e_util.hpp"

namespace feedloop::e2e {
namespace {

const std::string kSamples = FEEDLOOP_SAMPLES_DIR;

std::vector<std::string> SampleFiles(const std::string& folder,
                                     const std::string& skip_ext = ".md") {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kSamples + "/" + folder)) {
    if (e.path().extension() != skip_ext) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The counts of the "ingest run N: read R = stored S + duplicates D + rejected X" line.
std::vector<int64_t> Totals(const std::string& out) {
  std::smatch m;
  std::regex re(
      "ingest run \\d+: read (\\d+) = stored (\\d+) \\+ duplicates (\\d+) \\+ rejected (\\d+)");
  if (!std::regex_search(out, m, re)) return {};
  return {std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4])};
}

TEST(IngestSamples, EveryKindIngestsCleanlyAndTwiceStoresNothingNew) {
  Scratch ws;
  std::vector<std::string> args = {"--db", ws / "f.db", "ingest", "--config",
                                   kSamples + "/feedloop.json"};
  for (const std::string& f : SampleFiles("data")) args.push_back(f);
  Output first = Feedloop(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<int64_t> t = Totals(first.out);
  ASSERT_EQ(t.size(), 4u) << first.out;
  EXPECT_GT(t[0], 4000);
  EXPECT_EQ(t[0], t[1]) << "the samples must have no rejects:\n" << first.out;
  EXPECT_EQ(Count(ws / "f.db", "SELECT count(*) FROM items"), t[1]);
  // Every kind and every export shape arrived.
  EXPECT_EQ(Query(ws / "f.db", "SELECT DISTINCT kind FROM items ORDER BY 1"),
            (std::vector<std::string>{"ces", "csat", "nps", "review", "transcript"}));
  EXPECT_EQ(Count(ws / "f.db", "SELECT count(DISTINCT source) FROM items"), 7);
  EXPECT_GT(Count(ws / "f.db", "SELECT count(*) FROM turns"), 1000);
  EXPECT_EQ(
      Count(ws / "f.db", "SELECT count(*) FROM items WHERE kind = 'transcript' AND text = ''"), 0);
  // Score-only NPS answers are kept: they count in the NPS.
  EXPECT_GT(Count(ws / "f.db", "SELECT count(*) FROM items WHERE kind = 'nps' AND text = ''"), 0);

  Output second = Feedloop(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::vector<int64_t> t2 = Totals(second.out);
  ASSERT_EQ(t2.size(), 4u);
  EXPECT_EQ(t2[0], t[0]);
  EXPECT_EQ(t2[1], 0);
  EXPECT_EQ(t2[2], t[0]);
  EXPECT_EQ(Count(ws / "f.db", "SELECT count(*) FROM items"), t[1]);
}

// Every malformed record is rejected with its line and reason; the rest are stored.
TEST(IngestSamples, TheMalformedSetIsRejectedExactly) {
  Scratch ws;
  std::vector<std::string> args = {"--db", ws / "bad.db", "ingest"};
  for (const std::string& f : SampleFiles("bad")) args.push_back(f);
  Output r = Feedloop(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<int64_t> t = Totals(r.out);
  ASSERT_EQ(t.size(), 4u) << r.out;
  EXPECT_EQ(t[0], t[1] + t[2] + t[3]);

  std::map<std::string, std::vector<std::string>> expected = {
      {"bad_reviews.jsonl",
       {"line 2: missing id", "line 3: missing id", "line 4: missing text (and no score)",
        "line 6: unknown kind 'tweet'", "line 7: score 6 is outside 1-5 for a review",
        "line 8: score 0 is outside 1-5 for a review", "line 9: score 'five' is not a number",
        "line 10: score 'NaN' is not a finite number", "line 11: malformed JSON",
        "line 12: score is not a number",
        "line 13: date '2026-13-45T10:00:00Z' has a month outside 1-12",
        "line 14: date 'yesterday' is not a date",
        "line 15: date '2026-02-30' has a day that does not exist",
        "line 17: duplicate id 'r-1' within the file", "line 18: malformed JSON",
        "line 19: field 'text' is a number, expected text",
        "line 20: language 'english!' is not a language tag"}},
      {"bad_surveys.csv",
       {"line 3: score 11 is outside 0-10 for an NPS answer",
        "line 4: score -1 is outside 0-10 for an NPS answer",
        "line 5: score 7.5 is not a whole number for an NPS answer",
        "line 6: missing score for an NPS answer", "line 8: score 'ten' is not a number",
        "line 9: score 'NaN' is not a finite number", "line 10: date 'yesterday' is not a date",
        "line 11: duplicate id 'n-1' within the file", "line 15: missing id",
        "line 16: unknown kind 'survey'", "line 18: score 0 is outside 1-5 for a CSAT answer",
        "line 19: score 6 is outside 1-5 for a CSAT answer",
        "line 21: score 8 is outside 1-7 for a CES answer",
        "line 22: score 0 is outside 1-7 for a CES answer"}},
      {"bad_transcripts.jsonl",
       {"line 2: empty transcript (no messages)", "line 3: empty transcript (no messages)",
        "line 4: transcript has no customer message",
        "line 5: empty transcript (every message is empty)",
        "line 6: message 1: message role 'robot' is not customer, agent or bot",
        "line 7: message 1: message time: date 'not a time' is not a date",
        "line 8: turns must be a list of messages",
        "line 9: score 6 is outside 1-5 for a post-chat rating",
        "line 12: duplicate id 't-1' within the file"}},
      {"bad_utf8.csv", {"line 3: invalid UTF-8 in column 'text' at byte 11"}},
      {"bad_utf8.jsonl",
       {"line 3: invalid UTF-8 at byte 102", "line 4: invalid UTF-8 at byte 99",
        "line 5: invalid UTF-8 at byte 106", "line 6: invalid UTF-8 at byte 109",
        "line 7: invalid UTF-8 at byte 111", "line 8: invalid UTF-8 at byte 106"}},
      {"long_text.jsonl",
       {"line 3: text is 65537 bytes, over the 65536-byte limit",
        "line 4: text is 100021 bytes, over the 65536-byte limit"}},
      {"ragged.csv",
       {"line 3: 3 fields, but the header has 4 (ragged row)",
        "line 4: 5 fields, but the header has 4 (ragged row)"}},
      {"truncated.jsonl", {"line 4: malformed JSON (the record is truncated"}},
      {"unterminated_quote.csv", {"line 4: unterminated quoted field starting on line 4"}},
  };
  std::map<std::string, std::vector<std::string>> got;
  for (const std::string& row :
       Query(ws / "bad.db", "SELECT file, reason FROM rejects ORDER BY id")) {
    size_t bar = row.find('|');
    got[fs::path(row.substr(0, bar)).filename().string()].push_back(row.substr(bar + 1));
  }
  size_t total = 0;
  for (const auto& [file, reasons] : expected) {
    ASSERT_EQ(got[file].size(), reasons.size()) << file;
    for (size_t i = 0; i < reasons.size(); ++i) {
      EXPECT_EQ(got[file][i].rfind(reasons[i], 0), 0u) << file << ": got '" << got[file][i] << "'";
    }
    total += reasons.size();
  }
  EXPECT_EQ(static_cast<int64_t>(total), t[3]);
  // Excerpts are short, valid text.
  EXPECT_EQ(Count(ws / "bad.db",
                  "SELECT count(*) FROM rejects WHERE length(CAST(excerpt AS BLOB)) > 200"),
            0);
  // With --strict the same input exits 1; a second ingest stores nothing new.
  args.insert(args.begin() + 3, "--strict");
  Output strict = Feedloop(args);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(Totals(strict.out)[1], 0);
}

TEST(IngestErrors, FileProblemsAreNamedAndTheRestGoesOn) {
  Scratch ws;
  std::string good = ws / "good.jsonl";
  std::ofstream(good) << "{\"id\": \"1\", \"kind\": \"review\", \"text\": \"fine\"}\n";
  fs::create_directories(ws / "a-folder.jsonl");
  Output r =
      Feedloop({"--db", ws / "f.db", "ingest", ws / "a-folder.jsonl", ws / "missing.csv", good});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("a-folder.jsonl: is a directory, not a file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  EXPECT_EQ(Count(ws / "f.db", "SELECT count(*) FROM items"), 1);
  Output usage = Feedloop({"--db", ws / "f.db", "ingest", "--kind", "tweet", good});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(std::count(usage.err.begin(), usage.err.end(), '\n'), 1) << usage.err;
  Output no_args = Feedloop({"ingest"});
  EXPECT_EQ(no_args.exit_code, 2);
}

// stdin has no extension: its first bytes tell JSON from CSV, and are still read as records.
TEST(IngestStdin, TheFormatIsToldFromTheContent) {
  Scratch ws;
  Output one = Feedloop({"--db", ws / "a.db", "ingest", "-"}, ".", {},
                        "{\"id\": \"1\", \"kind\": \"review\", \"text\": \"late box\"}\n");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("from its content (starts with '{')"), std::string::npos) << one.out;
  EXPECT_EQ(Totals(one.out), (std::vector<int64_t>{1, 1, 0, 0})) << one.out;
  std::string lines;
  for (int i = 0; i < 3000; ++i) {  // more than the bytes peeked, so reading goes on past them
    lines += "{\"id\": \"" + std::to_string(i) + "\", \"kind\": \"nps\", \"score\": 9}\n";
  }
  Output many = Feedloop({"--db", ws / "b.db", "ingest", "-"}, ".", {}, lines);
  EXPECT_EQ(Totals(many.out), (std::vector<int64_t>{3000, 3000, 0, 0})) << many.out;
  Output csv = Feedloop({"--db", ws / "c.db", "ingest", "--kind", "review", "-"}, ".", {},
                        "id,text,score\nx,fine,4\ny,late,2\n");
  EXPECT_NE(csv.out.find("csv (from its content (not JSON))"), std::string::npos) << csv.out;
  EXPECT_EQ(Totals(csv.out), (std::vector<int64_t>{2, 2, 0, 0})) << csv.out;
}

// An export read without its preset stores nothing: the warning names the preset to use.
TEST(IngestErrors, AnExportOfAPresetsShapeNamesThePreset) {
  Scratch ws;
  Output r = Feedloop({"--db", ws / "a.db", "ingest", kSamples + "/data/reviews_trustpilot.csv"});
  EXPECT_NE(r.err.find("try --preset trustpilot"), std::string::npos) << r.err;
  Output with = Feedloop({"--db", ws / "b.db", "ingest", "--preset", "trustpilot",
                          kSamples + "/data/reviews_trustpilot.csv"});
  EXPECT_EQ(with.err.find("try --preset"), std::string::npos) << with.err;
}

// Mistakes on the command line are one line on stderr, exit 2, and touch nothing.
TEST(IngestErrors, CommandLineMistakesAreOneLineAndTouchNothing) {
  Scratch ws;
  Output bogus = Feedloop({"bogus"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_NE(bogus.err.find("unknown command 'bogus'"), std::string::npos) << bogus.err;
  Output flag = Feedloop({"ingest", "--kindd", "x"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(std::count(flag.err.begin(), flag.err.end(), '\n'), 1) << flag.err;
  Output preset = Feedloop(
      {"--db", ws / "p.db", "ingest", "--preset", "nope", kSamples + "/data/app_reviews.jsonl"});
  EXPECT_EQ(preset.exit_code, 2);
  EXPECT_NE(preset.err.find("unknown preset 'nope'"), std::string::npos) << preset.err;
  EXPECT_FALSE(fs::exists(ws / "p.db"));
  ASSERT_EQ(
      Feedloop({"--db", ws / "r.db", "ingest", kSamples + "/data/app_reviews.jsonl"}).exit_code, 0);
  Output run = Feedloop({"--db", ws / "r.db", "rejects", "--run", "99"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no run 99"), std::string::npos) << run.err;
  Output plugins = Feedloop({"--db", ws / "r.db", "analyze", "--plugins", "nosuch"});
  EXPECT_EQ(plugins.exit_code, 2);
  EXPECT_NE(plugins.err.find("none of the plugins asked for can run"), std::string::npos)
      << plugins.err;
}

TEST(IngestErrors, InvalidUtf8CanBeRepaired) {
  Scratch ws;
  std::string f = ws / "x.jsonl";
  std::ofstream(f, std::ios::binary)
      << "{\"id\": \"1\", \"kind\": \"review\", \"text\": \"caf\xe9 late\"}\n";
  Output strict = Feedloop({"--db", ws / "a.db", "ingest", f});
  EXPECT_NE(strict.out.find("rejected 1"), std::string::npos) << strict.out;
  Output repaired = Feedloop({"--db", ws / "b.db", "ingest", "--repair-utf8", f});
  EXPECT_NE(repaired.out.find("(1 repaired UTF-8)"), std::string::npos) << repaired.out;
  EXPECT_EQ(Query(ws / "b.db", "SELECT text FROM items")[0], "caf\xEF\xBF\xBD late");
}

// Chat exports sorted by time interleave their conversations' messages: each conversation is
// one transcript with all its messages, in file order.
TEST(IngestTranscripts, InterleavedChatRowsGroupByConversation) {
  Scratch ws;
  std::ofstream(ws / "chats.csv") << "conversation_id,at,role,text\n"
                                  << "a,2026-11-16T09:00:00Z,user,where is my order\n"
                                  << "b,2026-11-16T09:01:00Z,user,the box arrived crushed\n"
                                  << "a,2026-11-16T09:05:00Z,agent,it ships today\n"
                                  << "c,2026-11-16T09:06:00Z,user,refund please\n"
                                  << "b,2026-11-16T09:07:00Z,agent,sorry about that\n"
                                  << "a,2026-11-16T09:09:00Z,user,thanks\n";
  Output r =
      Feedloop({"--db", ws / "c.db", "ingest", "--preset", "support-chat-csv", ws / "chats.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Totals(r.out), (std::vector<int64_t>{3, 3, 0, 0})) << r.out;
  EXPECT_EQ(
      Query(ws / "c.db",
            "SELECT i.ext_id, group_concat(t.role || ':' || t.text, '|') FROM items i JOIN turns t "
            "ON t.item_id = i.id GROUP BY i.id ORDER BY i.ext_id"),
      (std::vector<std::string>{"a|customer:where is my order|agent:it ships today|customer:thanks",
                                "b|customer:the box arrived crushed|agent:sorry about that",
                                "c|customer:refund please"}));
}

// A conversation stays open for 50,000 records without a row of its own; a row after that starts
// it again, and that second one is rejected as a duplicate id, by its line: memory stays bounded.
TEST(IngestTranscripts, AConversationResumedFarLaterIsADuplicateNotAMerge) {
  Scratch ws;
  {
    std::ofstream f(ws / "long.csv");
    f << "conversation_id,at,role,text\nlate,2026-11-16T09:00:00Z,user,where is it\n";
    for (int i = 0; i < 50001; ++i)
      f << "c" << i << ",2026-11-16T10:00:00Z,user,hello " << i << "\n";
    f << "late,2026-11-17T09:00:00Z,user,still nothing\n";
  }
  Output r =
      Feedloop({"--db", ws / "l.db", "ingest", "--preset", "support-chat-csv", ws / "long.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Totals(r.out), (std::vector<int64_t>{50003, 50002, 0, 1})) << r.out;
  EXPECT_EQ(
      Query(ws / "l.db", "SELECT reason FROM rejects"),
      (std::vector<std::string>{
          "line 50004: duplicate id 'late' within the file (an earlier record has the same id)"}));
  EXPECT_EQ(
      Count(
          ws / "l.db",
          "SELECT count(*) FROM turns t JOIN items i ON i.id = t.item_id WHERE i.ext_id = 'late'"),
      1);
}

// Records that carry PII in every place it can hide: a rejected record's bytes (r1), the short
// fields of a stored one (r2), a reason that quotes a value (r3), an excerpt that cuts a card
// number in two (r4: fifteen of its digits before the cut, too many for a phone number, too few
// for a card).
std::string PiiRecords() {
  const std::string r4 = R"({"id":"r4","kind":"review","score":9,"text":")";
  const std::string lines[] = {
      R"({"id":"r1","kind":"nps","score":"NaN",)"
      R"("text":"mail jane@example.com card 4111 1111 1111 1111"})",
      R"({"id":"r2","kind":"review","score":4,"created_at":"2026-11-16T09:00:00Z",)"
      R"("text":"fine kettle","sku":"4111111111111111","channel":"a.b@example.com",)"
      R"("order_id":"+44 20 7946 0958","region":"UK"})",
      R"({"id":"r3","kind":"nps","score":"call 0044 20 7946 0958","text":"x"})",
      // The excerpt keeps 197 bytes and "...": the card starts 18 bytes before the cut.
      r4 + std::string(197 - 18 - 1 - r4.size(), 'a') + R"( 4111 1111 1111 1111 and more"})"};
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// What must not be anywhere: the e-mail addresses, the card and phone numbers (or their heads).
const char* const kPiiCheck =
    "SELECT count(*) FROM %s WHERE %s LIKE '%%example.com%%' OR %s LIKE '%%1111%%' OR %s LIKE "
    "'%%7946%%'";

int64_t PiiRows(const std::string& db, const std::string& table, const std::string& column) {
  char sql[512];
  std::snprintf(sql, sizeof(sql), kPiiCheck, table.c_str(), column.c_str(), column.c_str(),
                column.c_str());
  return Count(db, sql);
}

TEST(IngestPii, RejectedRecordsAreStoredAndShownRedacted) {
  Scratch ws;
  std::ofstream(ws / "pii.jsonl") << PiiRecords();
  Output r = Feedloop({"--db", ws / "p.db", "ingest", ws / "pii.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Totals(r.out), (std::vector<int64_t>{4, 1, 0, 3})) << r.out;
  EXPECT_EQ(r.out.find("example.com"), std::string::npos) << r.out;
  for (const char* column : {"excerpt", "reason"})
    EXPECT_EQ(PiiRows(ws / "p.db", "rejects", column), 0) << column;
  std::vector<std::string> rejects =
      Query(ws / "p.db", "SELECT reason, excerpt FROM rejects ORDER BY record");
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_NE(rejects[0].find("mail [email] card [card]"), std::string::npos) << rejects[0];
  EXPECT_EQ(rejects[1].rfind("line 3: score 'call [phone]' is not a number", 0), 0u) << rejects[1];
  EXPECT_NE(rejects[2].find("aaa..."), std::string::npos) << rejects[2];
  EXPECT_LE(Count(ws / "p.db", "SELECT max(length(CAST(excerpt AS BLOB))) FROM rejects"), 200);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--db", ws / "p.db", "rejects"},
        std::vector<std::string>{"--db", ws / "p.db", "rejects", "--json"}}) {
    Output shown = Feedloop(args);
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("[email]"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("[card]"), std::string::npos) << shown.out;
    for (const char* pii : {"jane@", "1111", "7946"})
      EXPECT_EQ(shown.out.find(pii), std::string::npos) << pii << " in " << shown.out;
  }

  // Turned off, the excerpt is the record as written: redaction is what hid it.
  Output raw = Feedloop({"--db", ws / "raw.db", "ingest", "--no-redact", ws / "pii.jsonl"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_GT(PiiRows(ws / "raw.db", "rejects", "excerpt"), 0);
}

// A Luhn-valid card number in `sku` (and an e-mail address in `channel`, a phone number in
// `order_id`) never reaches the store.
TEST(IngestPii, ShortFieldsAreRedactedBeforeTheStore) {
  Scratch ws;
  std::ofstream(ws / "pii.jsonl") << PiiRecords();
  Output r = Feedloop({"--db", ws / "p.db", "ingest", ws / "pii.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Query(ws / "p.db", "SELECT ext_id, sku, channel, order_id, region FROM items"),
            (std::vector<std::string>{"r2|[card]|[email]|[phone]|UK"}));
  for (const char* column : {"sku", "channel", "order_id", "text", "attrs"})
    EXPECT_EQ(PiiRows(ws / "p.db", "items", column), 0) << column;
}

// The weekly run redacts with its config's "pii" settings, the fields it lists and no others,
// and what it leaves out of the store is out of the reports too.
TEST(RunPii, TheRunRedactsTheFieldsItsConfigLists) {
  Scratch ws;
  fs::create_directories(ws / "inbox");
  std::ofstream(ws / "inbox/pii.jsonl") << PiiRecords();
  std::ofstream(ws / "feedloop.json") << R"({"sources": [{"name": "shop", "path": "inbox/*.jsonl"}],
      "report": {"formats": ["md", "json", "csv"]},
      "pii": {"fields": ["text", "sku", "order_id"]}})";
  Output r = Feedloop({"run", "--config", ws / "feedloop.json", "-q"}, ws.path());
  ASSERT_NE(r.exit_code, 2) << r.err;
  EXPECT_EQ(Query(ws / "feedloop.db", "SELECT sku, channel, order_id FROM items"),
            (std::vector<std::string>{"[card]|a.b@example.com|[phone]"}));
  EXPECT_EQ(PiiRows(ws / "feedloop.db", "rejects", "excerpt"), 0);
  EXPECT_EQ(PiiRows(ws / "feedloop.db", "rejects", "reason"), 0);
  size_t reports = 0;
  for (const auto& e : fs::recursive_directory_iterator(ws / "reports")) {
    if (!e.is_regular_file()) continue;
    ++reports;
    const std::string text = ReadFile(e.path().string());
    EXPECT_EQ(text.find("4111111111111111"), std::string::npos) << e.path();
    EXPECT_EQ(text.find("7946"), std::string::npos) << e.path();
  }
  EXPECT_GT(reports, 0u) << r.err;
}

// `stream --partial` redacts the items before they are counted, and the reasons of its error
// lines.
TEST(StreamPii, PartialAggregatesAndErrorLinesAreRedacted) {
  Scratch ws;
  Output r = Feedloop({"stream", "--threads", "1", "--partial", ws / "state.json"}, ws.path(), {},
                      PiiRecords());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("score 'call [phone]' is not a number"), std::string::npos) << r.out;
  const std::string state = ReadFile(ws / "state.json");
  ASSERT_FALSE(state.empty());
  for (const std::string* text : {&std::as_const(r.out), &state}) {
    for (const char* pii : {"example.com", "7946", "4111111111111111"})
      EXPECT_EQ(text->find(pii), std::string::npos) << pii << " in " << *text;
  }
}

// Plain `stream` analyses the items as given (its spans point into the given text) but its error
// lines, which can quote a value, are redacted all the same; --no-redact keeps them as written.
TEST(StreamPii, PlainStreamErrorLinesAreRedacted) {
  Scratch ws;
  Output r = Feedloop({"stream", "--threads", "1"}, ws.path(), {}, PiiRecords());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("score 'call [phone]' is not a number"), std::string::npos) << r.out;
  std::istringstream lines(r.out);
  int error_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"error\"") == std::string::npos) continue;
    ++error_lines;
    for (const char* pii : {"example.com", "7946", "4111111111111111"})
      EXPECT_EQ(line.find(pii), std::string::npos) << pii << " in " << line;
  }
  EXPECT_GE(error_lines, 2) << r.out;
  Output kept = Feedloop({"stream", "--threads", "1", "--no-redact"}, ws.path(), {}, PiiRecords());
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.out.find("score 'call 0044 20 7946 0958' is not a number"), std::string::npos)
      << kept.out;
}

}  // namespace
}  // namespace feedloop::e2e
