// `bad`: the malformed-input set (samples/bad). Each file mixes valid records with records the
// engine must reject, one per validation rule, and EXPECTED.md is written from the same table,
// so the documented line numbers and reasons cannot drift from the files.
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "modes.hpp"
#include "output.hpp"

namespace feedloop::samples {
namespace {

// One physical record of a bad file.
struct BadRecord {
  std::string raw;  // the bytes of the record, without its line end
  bool accept;
  std::string id;      // for the table ("-" when it has none)
  std::string reason;  // key words of the reject reason, or what is accepted
  std::string tests;   // the rule it exercises
};

struct BadFile {
  std::string name;
  std::string what;     // one line for EXPECTED.md
  std::string command;  // how to ingest it
  std::string header;   // CSV header line ("" for JSONL)
  std::vector<BadRecord> records;
  bool final_newline = true;
};

BadRecord Accept(std::string raw, std::string id, std::string tests) {
  return {std::move(raw), true, std::move(id), "", std::move(tests)};
}
BadRecord Reject(std::string raw, std::string id, std::string reason, std::string tests) {
  return {std::move(raw), false, std::move(id), std::move(reason), std::move(tests)};
}

// A canonical review line: {"id": ..., "kind": "review", "created_at": ..., "score": ..., "text":
// ...}
std::string Review(std::string_view id, std::string_view score, std::string_view text,
                   std::string_view created = "2026-11-16T09:12:00Z") {
  std::string s = "{\"id\": \"" + std::string(id) + "\", \"kind\": \"review\", \"created_at\": \"" +
                  std::string(created) + "\"";
  if (!score.empty()) s += ", \"score\": " + std::string(score);
  if (!text.empty()) s += ", \"text\": " + std::string(text);
  return s + "}";
}

std::string Quote(std::string_view text) {
  std::string s;
  AppendJsonString(s, text);
  return s;
}

BadFile BadReviews() {
  BadFile f{"bad_reviews.jsonl",
            "Canonical JSONL reviews: ids, kinds, scores, dates, JSON syntax",
            "feedloop ingest samples/bad/bad_reviews.jsonl",
            "",
            {}};
  auto& r = f.records;
  r.push_back(Accept(Review("r-1", "2", Quote("Box arrived crushed and a week late.")), "r-1",
                     "a valid review"));
  r.push_back(Reject(
      R"({"kind": "review", "created_at": "2026-11-16T09:20:00Z", "score": 4, "text": "Lovely kettle, but this record has no id."})",
      "-", "missing id", "missing id"));
  r.push_back(Reject(R"({"id": "", "kind": "review", "score": 3, "text": "An empty id is no id."})",
                     "(empty)", "missing id", "empty id"));
  r.push_back(Reject(R"({"id": "r-4", "kind": "review", "created_at": "2026-11-16T09:30:00Z"})",
                     "r-4", "missing text", "missing text and no score"));
  r.push_back(
      Accept(R"({"id": "r-5", "kind": "review", "created_at": "2026-11-16T09:31:00Z", "score": 5})",
             "r-5", "a rating without text (score only)"));
  r.push_back(Reject(
      R"({"id": "r-6", "kind": "tweet", "created_at": "2026-11-16T09:40:00Z", "text": "@shop where is my order"})",
      "r-6", "unknown kind 'tweet'", "unknown kind"));
  r.push_back(Reject(Review("r-7", "6", Quote("Six stars, that's how good it is!")), "r-7",
                     "score 6 is outside 1-5", "review score out of range (6)"));
  r.push_back(Reject(Review("r-8", "0", Quote("Zero stars if I could.")), "r-8",
                     "score 0 is outside 1-5", "review score out of range (0)"));
  r.push_back(Reject(Review("r-9", "\"five\"", Quote("Score written as a word.")), "r-9",
                     "score 'five' is not a number", "score not a number"));
  r.push_back(Reject(Review("r-10", "\"NaN\"", Quote("NaN as a string.")), "r-10",
                     "'NaN' is not a finite number", "NaN as a string"));
  r.push_back(Reject(Review("r-11", "NaN", Quote("NaN as a bare literal.")), "r-11",
                     "malformed JSON", "NaN literal (not JSON)"));
  r.push_back(Reject(Review("r-12", "true", Quote("Score is a boolean.")), "r-12",
                     "score is not a number", "score is a boolean"));
  r.push_back(Reject(Review("r-13", "2", Quote("Impossible date."), "2026-13-45T10:00:00Z"), "r-13",
                     "has a month outside 1-12", "bad date (month 13)"));
  r.push_back(Reject(Review("r-14", "2", Quote("Relative date."), "yesterday"), "r-14",
                     "'yesterday' is not a date", "bad date (words)"));
  r.push_back(Reject(Review("r-15", "3", Quote("February has no 30th."), "2026-02-30"), "r-15",
                     "does not exist in its month", "bad date (day 30 of February)"));
  r.push_back(Accept(
      Review("r-16", "\"4\"", Quote("Score as a string and a date without a time."), "2026-11-17"),
      "r-16", "a numeric string score; a date without time is UTC midnight"));
  r.push_back(Reject(Review("r-1", "1", Quote("Same id as line 1, different text.")), "r-1",
                     "duplicate id 'r-1' within the file", "duplicate id within the file"));
  r.push_back(Reject(
      R"({"id": "r-18", "kind": "review" "score": 2, "text": "A comma is missing before score."})",
      "r-18", "malformed JSON", "malformed JSON line"));
  r.push_back(Reject(R"({"id": "r-19", "kind": "review", "score": 3, "text": 42})", "r-19",
                     "field 'text' is a number", "text is not a string"));
  r.push_back(Reject(
      R"({"id": "r-20", "kind": "review", "score": 4, "text": "Fine.", "language": "english!"})",
      "r-20", "language 'english!' is not a language tag", "bad language tag"));
  r.push_back(Accept(
      Review("r-21", "1",
             Quote("He said \"never again\" \\ C:\\temp\ttab, line\nbreak, Grüße, café, 日本, 😡")),
      "r-21", "escaped quotes, backslashes, tab, newline and non-ASCII text"));
  r.push_back(Accept(
      R"({"id": "r-22", "kind": "review", "score": 5, "text": "Escapes: caf\u00e9 \ud83d\ude21 \u2014 fine"})",
      "r-22", "\\u escapes, including a surrogate pair (emoji)"));
  return f;
}

BadFile BadSurveys() {
  BadFile f{"bad_surveys.csv",
            "Canonical CSV survey answers (NPS, CSAT, CES): score ranges and whole numbers",
            "feedloop ingest samples/bad/bad_surveys.csv",
            "id,kind,source,created_at,score,text,customer_id",
            {}};
  auto& r = f.records;
  r.push_back(Accept("n-1,nps,survey,2026-11-16T09:00:00Z,9,Great service,c-1001", "n-1",
                     "a valid NPS answer"));
  r.push_back(Reject("n-2,nps,survey,2026-11-16T09:05:00Z,11,Eleven out of ten!,c-1002", "n-2",
                     "score 11 is outside 0-10", "NPS score out of range (11)"));
  r.push_back(Reject("n-3,nps,survey,2026-11-16T09:10:00Z,-1,Negative,c-1003", "n-3",
                     "score -1 is outside 0-10", "NPS score out of range (-1)"));
  r.push_back(Reject("n-4,nps,survey,2026-11-16T09:15:00Z,7.5,Pretty good,c-1004", "n-4",
                     "score 7.5 is not a whole number", "non-integer NPS score"));
  r.push_back(Reject("n-5,nps,survey,2026-11-16T09:20:00Z,,Forgot to pick a score,c-1005", "n-5",
                     "missing score", "survey answer without a score"));
  r.push_back(Accept("n-6,nps,survey,2026-11-16T09:25:00Z,0,,c-1006", "n-6",
                     "an NPS score with an empty comment"));
  r.push_back(Reject("n-7,nps,survey,2026-11-16T09:30:00Z,ten,Score in words,c-1007", "n-7",
                     "score 'ten' is not a number", "score not a number"));
  r.push_back(Reject("n-8,nps,survey,2026-11-16T09:35:00Z,NaN,NaN as a string,c-1008", "n-8",
                     "'NaN' is not a finite number", "NaN as a string"));
  r.push_back(Reject("n-9,nps,survey,yesterday,8,Relative date,c-1009", "n-9",
                     "'yesterday' is not a date", "bad date"));
  r.push_back(Reject("n-1,nps,survey,2026-11-16T09:45:00Z,10,Same id as line 2,c-1010", "n-1",
                     "duplicate id 'n-1' within the file", "duplicate id within the file"));
  r.push_back(
      Accept("n-11,nps,survey,2026-11-16T09:50:00Z,\"8\",\"Quoted, with a comma and "
             "\"\"quotes\"\" inside\",c-1011",
             "n-11", "quoted fields with a comma and doubled quotes"));
  r.push_back(Accept("n-12,nps,survey,2026-11-16T09:55:00Z,6,\"A comment over\ntwo lines\",c-1012",
                     "n-12", "a quoted line break (the record spans two lines)"));
  r.push_back(Reject(",nps,survey,2026-11-16T10:00:00Z,5,No id here,c-1013", "-", "missing id",
                     "missing id"));
  r.push_back(Reject("x-1,survey,survey,2026-11-16T10:05:00Z,5,Kind is not a kind,c-1014", "x-1",
                     "unknown kind 'survey'", "unknown kind"));
  r.push_back(Accept("s-1,csat,survey,2026-11-16T10:10:00Z,4,Quick refund thanks,c-1015", "s-1",
                     "a valid CSAT answer"));
  r.push_back(Reject("s-2,csat,survey,2026-11-16T10:15:00Z,0,Zero is not a CSAT score,c-1016",
                     "s-2", "score 0 is outside 1-5", "CSAT score out of range (0)"));
  r.push_back(Reject("s-3,csat,survey,2026-11-16T10:20:00Z,6,Six on a five-point scale,c-1017",
                     "s-3", "score 6 is outside 1-5", "CSAT score out of range (6)"));
  r.push_back(Accept("e-1,ces,survey,2026-11-16T10:25:00Z,6,Sorted in one call,c-1018", "e-1",
                     "a valid CES answer"));
  r.push_back(Reject("e-2,ces,survey,2026-11-16T10:30:00Z,8,Very very easy,c-1019", "e-2",
                     "score 8 is outside 1-7", "CES score out of range (8)"));
  r.push_back(Reject("e-3,ces,survey,2026-11-16T10:35:00Z,0,Zero effort score,c-1020", "e-3",
                     "score 0 is outside 1-7", "CES score out of range (0)"));
  r.push_back(Accept("r-1,review,survey,2026-11-16T10:40:00Z,5,A review in a survey file,c-1021",
                     "r-1", "a review among survey answers (kind per record)"));
  return f;
}

std::string Transcript(std::string_view id, std::string_view rest) {
  return "{\"id\": \"" + std::string(id) + "\", \"kind\": \"transcript\", " + std::string(rest) +
         "}";
}

BadFile BadTranscripts() {
  BadFile f{"bad_transcripts.jsonl",
            "Canonical JSONL transcripts: turns and roles",
            "feedloop ingest samples/bad/bad_transcripts.jsonl",
            "",
            {}};
  auto& r = f.records;
  r.push_back(Accept(
      Transcript(
          "t-1",
          R"("created_at": "2026-11-16T09:00:00Z", "turns": [{"role": "customer", "at": "2026-11-16T09:00:00Z", "text": "Where is my order o-65001?"}, {"role": "agent", "at": "2026-11-16T10:30:00Z", "text": "It ships today, sorry for the wait."}])"),
      "t-1", "a valid transcript"));
  r.push_back(Reject(Transcript("t-2", R"("created_at": "2026-11-16T09:05:00Z", "turns": [])"),
                     "t-2", "empty transcript", "empty transcript (no turns)"));
  r.push_back(Reject(Transcript("t-3", R"("created_at": "2026-11-16T09:06:00Z")"), "t-3",
                     "empty transcript", "transcript without turns or text"));
  r.push_back(Reject(
      Transcript(
          "t-4",
          R"("created_at": "2026-11-16T09:10:00Z", "turns": [{"role": "bot", "at": "2026-11-16T09:10:00Z", "text": "Hi! How can I help?"}, {"role": "agent", "at": "2026-11-16T09:12:00Z", "text": "Hello, are you still there?"}])"),
      "t-4", "transcript has no customer message", "transcript with no customer message"));
  r.push_back(Reject(
      Transcript("t-5",
                 R"("turns": [{"role": "customer", "text": ""}, {"role": "agent", "text": ""}])"),
      "t-5", "every message is empty", "every message empty"));
  r.push_back(Reject(
      Transcript(
          "t-6",
          R"("turns": [{"role": "robot", "text": "beep"}, {"role": "customer", "text": "My kettle leaks."}])"),
      "t-6", "role 'robot' is not customer, agent or bot", "unknown role"));
  r.push_back(Reject(
      Transcript("t-7", R"("turns": [{"role": "customer", "at": "not a time", "text": "Hello?"}])"),
      "t-7", "'not a time' is not a date", "bad message time"));
  r.push_back(Reject(Transcript("t-8", R"("turns": "customer: where is my order")"), "t-8",
                     "turns must be a list of messages", "turns is not a list"));
  r.push_back(Reject(
      Transcript(
          "t-9",
          R"("score": 6, "turns": [{"role": "customer", "text": "Rated six out of five."}])"),
      "t-9", "score 6 is outside 1-5", "post-chat rating out of range"));
  r.push_back(Accept(
      Transcript(
          "t-10",
          R"("created_at": "2026-11-16T09:30:00Z", "text": "My parcel never came and nobody answers.")"),
      "t-10", "a transcript given as plain text (one customer message)"));
  r.push_back(Accept(
      Transcript(
          "t-11",
          R"("score": 4, "turns": [{"role": "user", "at": "2026-11-16T09:40:00Z", "text": "Charged twice for my subscription."}, {"role": "agent", "at": "2026-11-17T14:00:00Z", "text": "Refunded, sorry."}])"),
      "t-11", "role 'user' is a customer; a post-chat rating"));
  r.push_back(
      Reject(Transcript("t-1", R"("turns": [{"role": "customer", "text": "Same id as line 1."}])"),
             "t-1", "duplicate id 't-1' within the file", "duplicate id within the file"));
  return f;
}

BadFile BadUtf8Jsonl() {
  BadFile f{"bad_utf8.jsonl",
            "JSONL with invalid UTF-8 byte sequences (raw bytes in strings)",
            "feedloop ingest samples/bad/bad_utf8.jsonl",
            "",
            {}};
  auto& r = f.records;
  r.push_back(Accept(Review("u-1", "4", Quote("Plain ASCII text.")), "u-1", "valid ASCII"));
  r.push_back(Accept(Review("u-2", "5", Quote("Café crème, Grüße, señor, 日本語, 😡 👍")), "u-2",
                     "valid multi-byte UTF-8"));
  r.push_back(Reject(Review("u-3", "2", "\"Latin-1 caf\xE9 is not UTF-8\""), "u-3", "invalid UTF-8",
                     "Latin-1 byte 0xE9"));
  r.push_back(Reject(Review("u-4", "2", "\"A stray \xFF byte\""), "u-4", "invalid UTF-8",
                     "byte 0xFF (never valid)"));
  r.push_back(Reject(Review("u-5", "2", "\"Overlong slash \xC0\xAF here\""), "u-5", "invalid UTF-8",
                     "overlong encoding C0 AF"));
  r.push_back(Reject(Review("u-6", "2", "\"Encoded surrogate \xED\xA0\x80 here\""), "u-6",
                     "invalid UTF-8", "UTF-16 surrogate encoded in UTF-8 (ED A0 80)"));
  r.push_back(Reject(Review("u-7", "2", "\"Truncated euro sign \xE2\x82\""), "u-7", "invalid UTF-8",
                     "truncated 3-byte sequence (E2 82)"));
  r.push_back(Reject(Review("u-8", "2", "\"Above U+10FFFF \xF4\x90\x80\x80\""), "u-8",
                     "invalid UTF-8", "code point above U+10FFFF (F4 90 80 80)"));
  r.push_back(
      Accept(Review("u-9", "3", Quote("Valid again after the bad lines.")), "u-9", "valid"));
  return f;
}

BadFile BadUtf8Csv() {
  BadFile f{"bad_utf8.csv",
            "CSV with an invalid UTF-8 byte in one row",
            "feedloop ingest samples/bad/bad_utf8.csv",
            "id,kind,score,text",
            {}};
  auto& r = f.records;
  r.push_back(Accept("v-1,review,4,Plain ASCII", "v-1", "valid"));
  r.push_back(
      Reject("v-2,review,2,Latin-1 caf\xE9 in a CSV", "v-2", "invalid UTF-8", "Latin-1 byte 0xE9"));
  r.push_back(Accept("v-3,review,5,\"Grüße, café, 😡\"", "v-3", "valid multi-byte UTF-8"));
  return f;
}

BadFile LongText() {
  BadFile f{"long_text.jsonl",
            "Texts at and over the 64 KiB (65,536-byte) limit",
            "feedloop ingest samples/bad/long_text.jsonl",
            "",
            {}};
  std::string at_limit;
  while (at_limit.size() + 15 <= 65535) at_limit += "Lovely kettle. ";
  while (at_limit.size() < 65536) at_limit += '!';
  std::string over = at_limit + "!";
  std::string way_over;
  while (way_over.size() < 100000) way_over += "Still waiting for my refund. ";
  auto& r = f.records;
  r.push_back(Accept(Review("l-1", "4", Quote("A short text.")), "l-1", "valid"));
  r.push_back(Accept(Review("l-2", "5", Quote(at_limit)), "l-2", "text of exactly 65,536 bytes"));
  r.push_back(Reject(Review("l-3", "5", Quote(over)), "l-3", "text is 65537 bytes",
                     "text of 65,537 bytes"));
  r.push_back(Reject(Review("l-4", "1", Quote(way_over)), "l-4",
                     "text is " + std::to_string(way_over.size()) + " bytes", "text of ~100 KB"));
  r.push_back(Accept(Review("l-5", "3", Quote("Another short text.")), "l-5", "valid"));
  return f;
}

BadFile Truncated() {
  BadFile f{"truncated.jsonl",
            "JSONL whose last line is cut off (no closing brace, no newline)",
            "feedloop ingest samples/bad/truncated.jsonl",
            "",
            {}};
  f.final_newline = false;
  auto& r = f.records;
  r.push_back(Accept(Review("tr-1", "2", Quote("Late again.")), "tr-1", "valid"));
  r.push_back(Accept(Review("tr-2", "5", Quote("Lovely mugs.")), "tr-2", "valid"));
  r.push_back(Accept(Review("tr-3", "4", Quote("Good coffee.")), "tr-3", "valid"));
  r.push_back(Reject(
      R"({"id": "tr-4", "kind": "review", "score": 1, "text": "The export stopped in the middle of this sen)",
      "tr-4", "truncated", "truncated last line"));
  return f;
}

BadFile Ragged() {
  BadFile f{"ragged.csv",
            "CSV rows with fewer or more fields than the header",
            "feedloop ingest samples/bad/ragged.csv",
            "id,kind,score,text",
            {}};
  auto& r = f.records;
  r.push_back(Accept("g-1,review,4,Nice toaster", "g-1", "valid"));
  r.push_back(Reject("g-2,review,3", "g-2", "3 fields, but the header has 4", "too few fields"));
  r.push_back(Reject("g-3,review,2,Box crushed, kettle dented", "g-3",
                     "5 fields, but the header has 4", "too many fields (an unquoted comma)"));
  r.push_back(
      Accept("g-4,review,5,\"Box fine, kettle fine\"", "g-4", "valid (the comma is quoted)"));
  return f;
}

BadFile Unterminated() {
  BadFile f{"unterminated_quote.csv",
            "CSV whose last field opens a quote that never closes",
            "feedloop ingest samples/bad/unterminated_quote.csv",
            "id,kind,score,text",
            {}};
  auto& r = f.records;
  r.push_back(Accept("q-1,review,4,Arrived on time", "q-1", "valid"));
  r.push_back(Accept("q-2,review,2,\"Quoted, and closed\"", "q-2", "valid"));
  r.push_back(
      Reject("q-3,review,1,\"This quote is never closed, so the rest of the file\nis "
             "swallowed into this field",
             "q-3", "unterminated quoted field", "unterminated quote at end of file"));
  return f;
}

int LinesIn(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Shows a reject reason or record id in a Markdown table cell.
std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

struct Totals {
  int accepted = 0;
  int rejected = 0;
};

bool WriteBadFile(const BadFile& f, const std::string& dir, std::string* table, Totals* totals) {
  OutputFile out((std::filesystem::path(dir) / f.name).string());
  if (!out.ok()) return Finish(out);
  int line = 1;
  int accepted = 0;
  int rejected = 0;
  if (!f.header.empty()) {
    out.Write(f.header);
    out.Write("\n");
    ++line;
  }
  std::string rows;
  for (size_t i = 0; i < f.records.size(); ++i) {
    const BadRecord& r = f.records[i];
    out.Write(r.raw);
    if (i + 1 < f.records.size() || f.final_newline) out.Write("\n");
    rows += "| ";
    rows += std::to_string(line);
    rows += " | ";
    rows += Cell(r.id);
    rows += r.accept ? " | accept | | " : " | **reject** | `";
    if (!r.accept) {
      rows += Cell(r.reason);
      rows += "` | ";
    }
    rows += Cell(r.tests);
    rows += " |\n";
    (r.accept ? accepted : rejected)++;
    (r.accept ? totals->accepted : totals->rejected)++;
    line += 1 + LinesIn(r.raw);
  }
  *table += "\n## " + f.name + "\n\n" + f.what + ". `" + f.command + "`: read " +
            std::to_string(accepted + rejected) + " = stored " + std::to_string(accepted) +
            " + rejected " + std::to_string(rejected) + ".\n\n" +
            "| line | id | verdict | reject reason (key words) | tests |\n"
            "|---:|---|---|---|---|\n" +
            rows;
  return Finish(out);
}

constexpr const char* kIntro = R"(# Malformed samples: what the engine must do

Generated by `feedloop-samples bad --out samples/bad` (do not edit by hand: change
`samples/generator/bad.cpp` and regenerate). Every file mixes valid records with records that
break one validation rule each. Ingesting a file must store exactly the records marked
*accept* and reject exactly the records marked **reject**, each with a reason that contains the
key words shown (compare case-insensitively: the full wording may change, the key words name
the rule); `feedloop rejects` lists them as `line N: reason`. Nothing stops the run, and
for every file read = stored + duplicates + rejected, with no duplicates here.

Line numbers are physical lines of the file (a CSV header is line 1; a quoted line break makes a
record span two lines, and the record is reported at its first line). All records use canonical
field names, so no mapping is needed; the kind comes from each record's `kind` field. Ingest each
file into a fresh database, or all of them at once (`feedloop ingest samples/bad/*.jsonl
samples/bad/*.csv`; not this file): ids only collide within a file, and no two records share a
customer, day and text.
)";

}  // namespace

int RunBad(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "feedloop-samples: cannot create %s: %s\n", dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  std::string table = kIntro;
  Totals totals;
  bool ok = true;
  for (const BadFile& f : {BadReviews(), BadSurveys(), BadTranscripts(), BadUtf8Jsonl(),
                           BadUtf8Csv(), LongText(), Truncated(), Ragged(), Unterminated()}) {
    ok = WriteBadFile(f, dir, &table, &totals) && ok;
  }
  table +=
      "\n## All files at once\n\n`feedloop ingest samples/bad/*.jsonl samples/bad/*.csv`: read " +
      std::to_string(totals.accepted + totals.rejected) + " = stored " +
      std::to_string(totals.accepted) + " + duplicates 0 + rejected " +
      std::to_string(totals.rejected) + ".\n";
  OutputFile expected((std::filesystem::path(dir) / "EXPECTED.md").string());
  expected.Write(table);
  ok = Finish(expected) && ok;
  return ok ? 0 : 1;
}

}  // namespace feedloop::samples
