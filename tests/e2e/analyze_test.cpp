// End-to-end: `feedloop analyze` on the samples with the built-in plugins — the same results on
// any number of threads, and the planted problems tagged where they were planted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "e2e_util.hpp"
#include "feedloop/store/store.hpp"

namespace feedloop::e2e {
namespace {

const std::string kSamples = FEEDLOOP_SAMPLES_DIR;

bool BuiltInPluginsPresent() {
  for (const char* p : {"sentiment", "taxonomy", "root-cause"}) {
    if (!fs::exists(std::string(FEEDLOOP_BUILD_DIR) + "/lib/feedloop/plugins/feedloop-" + p +
                    ".so"))
      return false;
  }
  return true;
}

std::string IngestSamples(const Scratch& ws, const std::string& name) {
  std::string db = ws / name;
  std::vector<std::string> args = {"--db", db, "ingest", "--config", kSamples + "/feedloop.json"};
  for (const auto& e : fs::directory_iterator(kSamples + "/data"))
    args.push_back(e.path().string());
  EXPECT_EQ(Feedloop(args).exit_code, 0);
  return db;
}

// Items of a week (Monday 00:00 UTC to the next Monday) matching a condition.
int64_t InWeek(const std::string& db, const std::string& monday, const std::string& condition) {
  return Count(
      db,
      "SELECT count(*) FROM items i JOIN analysis a ON a.item_id = i.id WHERE i.created_at >= "
      "CAST(strftime('%s', '" +
          monday + "') AS INTEGER) AND i.created_at < CAST(strftime('%s', '" + monday +
          "', '+7 days') AS INTEGER) AND " + condition);
}

std::string Tagged(const std::string& tag) {
  return "EXISTS (SELECT 1 FROM labels l WHERE l.item_id = i.id AND l.annotation = 'tags' AND "
         "l.label = '" +
         tag + "')";
}

// One thread: the thread that reads and writes the store analyses every batch itself. Two and
// three: it analyses beside one and two workers whenever it has nothing to read or write.
TEST(Analyze, SameResultsOnOneTwoOrThreeThreadsAndNothingTwice) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  std::string one = IngestSamples(ws, "one.db"), two = IngestSamples(ws, "two.db"),
              three = IngestSamples(ws, "three.db");
  Output a = Feedloop({"--db", one, "analyze", "--threads", "1"});
  Output b = Feedloop({"--db", two, "analyze", "--threads", "2"});
  Output c = Feedloop({"--db", three, "analyze", "--threads", "3"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(ContentDigest(one), ContentDigest(two));
  EXPECT_EQ(ContentDigest(one), ContentDigest(three));
  int64_t items = Count(one, "SELECT count(*) FROM items");
  EXPECT_EQ(Count(one, "SELECT count(*) FROM analysis"), items);
  EXPECT_EQ(Count(one, "SELECT count(*) FROM annotations WHERE status = 'failed'"), 0);
  // The writer skips foreign-key enforcement while it writes: every row it wrote has its parents.
  EXPECT_EQ(Count(one, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(Count(two, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  Output again = Feedloop({"--db", one, "analyze"});
  EXPECT_NE(again.out.find(": 0 items analyzed"), std::string::npos) << again.out;
  // Every transcript has its sentiment at the start and the end of the conversation.
  EXPECT_EQ(Count(one,
                  "SELECT count(*) FROM items i JOIN analysis a ON a.item_id = i.id WHERE i.kind = "
                  "'transcript' AND a.last_turn_sentiment IS NULL"),
            0);
}

void ExecSql(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

// A write refused half-way through (a trigger stands in for a failing disk: it refuses the
// analysis rows of the last 300 items) stops analyze while later batches are read or being
// analysed: a clear error, exit 1, no hang, and only whole transactions in the store. Once the
// fault is gone, a re-run finishes with what a run never interrupted stores.
// A plugin's config and the files it names are part of what its results depend on: another
// taxonomy, or the same taxonomy file edited, analyses the stored items again, for that plugin
// and the plugins that read it, and then nothing more.
TEST(Analyze, AChangedTaxonomyAnalysesItemsAgainForItAndItsReaders) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  const std::string db = ws / "f.db";
  ASSERT_EQ(Feedloop({"--db", db, "ingest", kSamples + "/data/app_reviews.jsonl"}).exit_code, 0);
  const int64_t items = Count(db, "SELECT count(*) FROM items");
  ASSERT_GT(items, 100);
  auto analyze = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--db", db, "analyze"};
    args.insert(args.end(), extra.begin(), extra.end());
    Output r = Feedloop(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_NE(analyze({}).find(": " + std::to_string(items) + " items analyzed (" +
                             std::to_string(3 * items) + " plugin runs"),
            std::string::npos);
  const std::string taxonomy = ws / "airline.json";
  fs::copy_file(std::string(FEEDLOOP_SOURCE_DIR) + "/plugins/taxonomy/examples/airline.json",
                taxonomy);
  std::ofstream(ws / "feedloop.json")
      << "{\"plugins\": [{\"name\": \"sentiment\"}, {\"name\": \"taxonomy\", \"config\": "
         "{\"taxonomy\": \""
      << taxonomy << "\"}}, {\"name\": \"root-cause\"}]}";
  const std::vector<std::string> configured = {"--config", ws / "feedloop.json"};
  // Taxonomy and root cause again; sentiment kept.
  const std::string again =
      std::to_string(items) + " items analyzed (" + std::to_string(2 * items) + " plugin runs";
  EXPECT_NE(analyze(configured).find(again), std::string::npos);
  EXPECT_NE(analyze(configured).find(": 0 items analyzed"), std::string::npos);
  // The same path, the file edited: analysed again.
  std::string text = ReadFile(taxonomy);
  const size_t version = text.find("\"version\": \"1.0.0\"");
  ASSERT_NE(version, std::string::npos);
  text.replace(version, 18, "\"version\": \"1.0.1\"");
  std::ofstream(taxonomy, std::ios::trunc) << text;
  EXPECT_NE(analyze(configured).find(again), std::string::npos);
  // Back to the default taxonomy: its results are stored under the plain version again.
  EXPECT_NE(analyze({}).find(again), std::string::npos);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM results WHERE versions LIKE '%taxonomy@1.0.0,%'"),
            items);
}

TEST(Analyze, AWriteRefusedMidRunStopsCleanlyAndTheRerunFinishes) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  std::string clean = IngestSamples(ws, "clean.db");
  ASSERT_EQ(Feedloop({"--db", clean, "analyze"}).exit_code, 0);
  const int64_t items = Count(clean, "SELECT count(*) FROM items");
  ASSERT_GT(items, 2000);  // several transactions of 1,024 items before the refusal
  for (const char* threads : {"1", "2", "3"}) {
    std::string db = IngestSamples(ws, std::string("refused-") + threads + ".db");
    ExecSql(db,
            "CREATE TRIGGER refuse BEFORE INSERT ON analysis WHEN NEW.item_id > (SELECT max(id) "
            "- 300 FROM items) BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    Output failed = Feedloop({"--db", db, "analyze", "--threads", threads});
    EXPECT_EQ(failed.exit_code, 1) << threads << failed.err;
    EXPECT_NE(failed.err.find("refused by the test"), std::string::npos) << failed.err;
    const int64_t stored = Count(db, "SELECT count(*) FROM analysis");
    EXPECT_GT(stored, 0) << threads;
    EXPECT_LE(stored, items - 300) << threads;
    EXPECT_EQ(Count(db, "SELECT count(*) FROM results"), stored) << threads;
    ExecSql(db, "DROP TRIGGER refuse");
    Output rerun = Feedloop({"--db", db, "analyze", "--threads", threads});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(ContentDigest(db), ContentDigest(clean)) << threads;
  }
}

// A store of schema version 4 kept one annotations row per (item, plugin) and one labels row per
// label; version 5 keeps one results row per item and shows the same columns as views. A version
// 4 store upgrades with every result kept, and nothing is pending after.
TEST(Analyze, AStoreOfSchemaVersionFourUpgradesWithEveryResultKept) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  std::string db = IngestSamples(ws, "old.db");
  ASSERT_EQ(Feedloop({"--db", db, "analyze"}).exit_code, 0);
  const std::string before = ContentDigest(db);
  ASSERT_GT(Count(db, "SELECT count(*) FROM labels"), 0);
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  const char* to_v4 = R"sql(
CREATE TABLE annotations_v4(
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  plugin TEXT NOT NULL, version TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
  status TEXT NOT NULL CHECK (status IN ('ok','failed')), error TEXT, sentiment REAL,
  root_cause TEXT, root_confidence REAL, detail TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY(item_id, plugin)) WITHOUT ROWID;
INSERT INTO annotations_v4 SELECT * FROM annotations;
CREATE TABLE labels_v4(
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, plugin TEXT NOT NULL,
  annotation TEXT NOT NULL, label TEXT NOT NULL, confidence REAL NOT NULL,
  PRIMARY KEY(item_id, plugin, annotation, label)) WITHOUT ROWID;
INSERT INTO labels_v4 SELECT * FROM labels;
DROP VIEW annotations;
DROP VIEW labels;
DROP TABLE results;
ALTER TABLE annotations_v4 RENAME TO annotations;
ALTER TABLE labels_v4 RENAME TO labels;
CREATE INDEX labels_by_label ON labels(annotation, label);
PRAGMA user_version=4;
)sql";
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, to_v4, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
  ASSERT_EQ(Count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results'"), 0);

  Output again = Feedloop({"--db", db, "analyze"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(": 0 items analyzed"), std::string::npos) << again.out;
  EXPECT_EQ(Count(db, "PRAGMA user_version"), store::LatestSchemaVersion());
  EXPECT_EQ(Count(db, "SELECT count(*) FROM results"), Count(db, "SELECT count(*) FROM items"));
  EXPECT_EQ(ContentDigest(db), before);
}

// Items analysed for the first time are inserted, the others replaced. An item whose results row
// is gone but whose analysis row is still there, or whose results row is damaged (no version of
// any plugin, unreadable JSON), is analysed again and both its rows rewritten, in the same
// transaction as the items around it.
TEST(Analyze, ItemsWithAMissingOrDamagedResultsRowAreAnalysedAgainInPlace) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  std::string db = IngestSamples(ws, "rows.db");
  ASSERT_EQ(Feedloop({"--db", db, "analyze", "--threads", "2"}).exit_code, 0);
  const std::string before = ContentDigest(db);
  const int64_t items = Count(db, "SELECT count(*) FROM items");
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  const char* damage = R"sql(
DELETE FROM results WHERE item_id IN (SELECT id FROM items ORDER BY id LIMIT 3 OFFSET 10);
UPDATE results SET versions = ',', data = '{"sentiment":' WHERE item_id IN
  (SELECT id FROM items ORDER BY id LIMIT 2 OFFSET 500);
UPDATE analysis SET sentiment = 42 WHERE item_id IN
  (SELECT id FROM items ORDER BY id LIMIT 3 OFFSET 10);
)sql";
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, damage, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
  ASSERT_EQ(Count(db, "SELECT count(*) FROM results"), items - 3);
  ASSERT_EQ(Count(db, "SELECT count(*) FROM analysis WHERE sentiment = 42"), 3);

  Output again = Feedloop({"--db", db, "analyze", "--threads", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(": 5 items analyzed"), std::string::npos) << again.out;
  EXPECT_EQ(Count(db, "SELECT count(*) FROM results"), items);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM analysis"), items);
  EXPECT_EQ(ContentDigest(db), before);
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  Output third = Feedloop({"--db", db, "analyze"});
  EXPECT_NE(third.out.find(": 0 items analyzed"), std::string::npos) << third.out;
}

TEST(Analyze, ThePlantedProblemsAreTaggedWhereTheyWerePlanted) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  std::string db = IngestSamples(ws, "f.db");
  ASSERT_EQ(Feedloop({"--db", db, "analyze"}).exit_code, 0);
  // 1. Late deliveries surge in 2026-W45, mostly in the UK.
  int64_t w45 = InWeek(db, "2026-11-02", Tagged("delivery/late"));
  int64_t w44 = InWeek(db, "2026-10-26", Tagged("delivery/late"));
  EXPECT_GT(w45, 2 * w44) << w45 << " vs " << w44;
  EXPECT_GT(InWeek(db, "2026-11-02", Tagged("delivery/late") + " AND i.region = 'UK'") * 2, w45);
  // 2. Damaged KETTLE-2L boxes from W41, above any other SKU.
  int64_t kettle =
      Count(db,
            "SELECT count(*) FROM items i WHERE i.sku = 'KETTLE-2L' AND i.created_at >= "
            "CAST(strftime('%s', '2026-10-05') AS INTEGER) AND " +
                Tagged("packaging/damaged"));
  int64_t other =
      Count(db,
            "SELECT max(n) FROM (SELECT count(*) AS n FROM items i WHERE i.sku <> 'KETTLE-2L' AND "
            "i.created_at >= CAST(strftime('%s', '2026-10-05') AS INTEGER) AND " +
                Tagged("packaging/damaged") + " GROUP BY i.sku)");
  EXPECT_GT(kettle, 2 * other) << kettle << " vs " << other;
  // 3. Duplicate subscription charges start in W43.
  EXPECT_EQ(
      Count(
          db,
          "SELECT count(*) FROM items i WHERE i.created_at < CAST(strftime('%s', '2026-10-19') AS "
          "INTEGER) AND " +
              Tagged("subscription/duplicate-charge")),
      0);
  EXPECT_GE(InWeek(db, "2026-10-19", Tagged("subscription/duplicate-charge")), 5);
  // 4. Slow support in transcripts from W44.
  int64_t slow_before =
      InWeek(db, "2026-10-19", "i.kind = 'transcript' AND " + Tagged("support/slow-response"));
  int64_t slow_after =
      InWeek(db, "2026-11-02", "i.kind = 'transcript' AND " + Tagged("support/slow-response"));
  EXPECT_GT(slow_after, 3 * slow_before + 5) << slow_after << " vs " << slow_before;
}

// `stream` maps each batch's lines into reused items and hands the plugins reused buffers: an
// item's answer must not depend on its neighbours. Every kind of item (transcripts, attrs) with
// broken lines between them, streamed forwards on two threads and backwards on one, gets the
// same answer line for line.
TEST(Stream, EachLineIsAnsweredAsIfItWereAlone) {
  if (!BuiltInPluginsPresent()) GTEST_SKIP() << "built without the built-in plugins";
  Scratch ws;
  const std::string bulk = ws / "bulk.jsonl";
  const std::string gen = std::string(FEEDLOOP_BUILD_DIR) + "/bin/feedloop-samples bulk --items " +
                          "1500 --seed 7 --out " + bulk + " > /dev/null";
  ASSERT_EQ(std::system(gen.c_str()), 0);
  std::vector<std::string> lines = Lines(ReadFile(bulk));
  ASSERT_EQ(lines.size(), 1500u);
  std::vector<std::string> input;
  for (size_t i = 0; i < lines.size(); ++i) {
    input.push_back(lines[i]);
    if (i % 7 == 3) input.push_back("{\"id\": \"broken\", \"kind\": \"nps\", \"score\": 99}");
    if (i % 11 == 5) input.push_back("{not json");
  }
  std::string forwards, backwards;
  for (const std::string& l : input) forwards += l + "\n";
  for (size_t i = input.size(); i-- > 0;) backwards += input[i] + "\n";
  Output a = Feedloop({"stream", "--threads", "2"}, ".", {}, forwards);
  Output b = Feedloop({"stream", "--threads", "1"}, ".", {}, backwards);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  std::vector<std::string> out_a = Lines(a.out), out_b = Lines(b.out);
  ASSERT_EQ(out_a.size(), input.size());
  ASSERT_EQ(out_b.size(), input.size());
  size_t errors = 0, transcripts = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    const std::string& x = out_a[i];
    const std::string& y = out_b[input.size() - 1 - i];
    if (x.rfind("{\"line\":", 0) == 0) {
      // An error names its line, which differs; the reason does not.
      ++errors;
      EXPECT_EQ(x.substr(x.find("\"error\"")), y.substr(y.find("\"error\""))) << input[i];
      continue;
    }
    transcripts += x.find("\"turns\"") != std::string::npos;
    EXPECT_EQ(x, y) << input[i];
  }
  EXPECT_EQ(errors, input.size() - lines.size());
  EXPECT_GT(transcripts, 0u);
}

}  // namespace
}  // namespace feedloop::e2e
