#include "feedloop/store/store.hpp"

#include "feedloop/core/hash.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "db_test_util.hpp"
#include "test_util.hpp"

namespace feedloop::store {
namespace {

Item MakeItem(std::string id, std::string text, std::string customer = "") {
  Item item;
  item.id = std::move(id);
  item.source = "test";
  item.kind = Kind::kReview;
  item.text = std::move(text);
  item.customer_id = std::move(customer);
  item.created_at = 1794820320;
  return item;
}

TEST(Store, CreatesAVersionedPrivateDatabase) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("f.db"));
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->schema_version(), LatestSchemaVersion());
  struct stat st;
  ASSERT_EQ(::stat(dir.File("f.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST(Store, RefusesOtherFiles) {
  testing::TempDir dir;
  auto not_db = Store::Open(dir.Write("junk.db", std::string(4096, 'x')));
  EXPECT_FALSE(not_db.ok());
  OpenOptions no_create;
  no_create.create_if_missing = false;
  auto missing = Store::Open(dir.File("missing.db"), no_create);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(Store::Open(dir.path()).ok());  // a directory
}

TEST(Store, RefusesANewerSchema) {
  testing::TempDir dir;
  {
    auto db = Database::Open(dir.File("new.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE x(a); PRAGMA user_version=999").ok());
  }
  auto store = Store::Open(dir.File("new.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("newer than this feedloop supports"), std::string::npos);
}

TEST(Store, InsertIsIdempotentByIdAndByContent) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("test", "").value();
  ASSERT_TRUE(store->db().Begin().ok());
  EXPECT_EQ(store->InsertItem(MakeItem("1", "late"), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(MakeItem("1", "other text"), run, 0).value(),
            InsertOutcome::kDuplicate);
  // Same customer, same day, same text (spacing aside): a duplicate under another id.
  EXPECT_EQ(store->InsertItem(MakeItem("2", "box crushed", "c-1"), run, 0).value(),
            InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(MakeItem("3", "box   crushed", "c-1"), run, 0).value(),
            InsertOutcome::kDuplicate);
  // Anonymous identical texts are different people.
  EXPECT_EQ(store->InsertItem(MakeItem("4", "late"), run, 0).value(), InsertOutcome::kStored);
  ASSERT_TRUE(store->db().Commit().ok());
  EXPECT_EQ(store->CountItems().value(), 3);
}

// The content key holds the day of created_at (its floor, before 1970 too) and the index
// leads with that day: times anywhere in one day conflict, the next day's do not, and items
// without a time conflict with each other only.
TEST(Store, ContentDuplicatesAreFoundWithinADayWhateverTheTime) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("test", "").value();
  auto at = [](std::string id, int64_t t) {
    Item item = MakeItem(std::move(id), "box crushed", "c-1");
    item.created_at = t;
    return item;
  };
  const int64_t day = 1794787200;  // a midnight, UTC
  ASSERT_TRUE(store->db().Begin().ok());
  EXPECT_EQ(store->InsertItem(at("a", day), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("b", day + 86399), run, 0).value(), InsertOutcome::kDuplicate);
  EXPECT_EQ(store->InsertItem(at("c", day + 86400), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("d", day - 1), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("e", -86400), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("f", -1), run, 0).value(), InsertOutcome::kDuplicate);
  EXPECT_EQ(store->InsertItem(at("g", -86401), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("h", 0), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("i", kNoTime), run, 0).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(at("j", kNoTime), run, 0).value(), InsertOutcome::kDuplicate);
  ASSERT_TRUE(store->db().Commit().ok());
  EXPECT_EQ(store->CountItems().value(), 7);
}

// The content key is stored: the same item must give the same key in every release, or a
// re-ingest after an upgrade would store duplicates. Pinned to its definition: the hash of kind,
// customer, day and the text with its spaces collapsed (for a transcript, its customer turns).
TEST(Store, TheContentKeyIsTheHashOfKindCustomerDayAndCollapsedText) {
  using namespace std::string_literals;
  Item item = MakeItem("a", "  box \t crushed\n\n again ", "c-1");
  item.created_at = 1794820320;  // day 20773
  EXPECT_EQ(DedupeKey(item), static_cast<int64_t>(Hash64("review\0c-1\0"s
                                                         "20773\0box crushed again"s)));
  item.created_at = -1;  // the day before the epoch
  EXPECT_EQ(DedupeKey(item), static_cast<int64_t>(Hash64("review\0c-1\0"s
                                                         "-1\0box crushed again"s)));
  item.created_at = kNoTime;
  EXPECT_EQ(DedupeKey(item), static_cast<int64_t>(Hash64("review\0c-1\0\0box crushed again"s)));
  // A longer text after a shorter one, and a shorter after a longer: the key's buffer is reused.
  item.text = std::string(300, 'x');
  EXPECT_EQ(DedupeKey(item),
            static_cast<int64_t>(Hash64("review\0c-1\0\0"s + std::string(300, 'x'))));
  item.text = "ok";
  EXPECT_EQ(DedupeKey(item), static_cast<int64_t>(Hash64("review\0c-1\0\0ok"s)));
  item.kind = Kind::kTranscript;
  item.text = "agent: hello\ncustomer: where is it";
  item.turns = {{"agent", kNoTime, "hello "},
                {"customer", kNoTime, " where  is it "},
                {"customer", kNoTime, "late"}};
  EXPECT_EQ(DedupeKey(item), static_cast<int64_t>(Hash64("transcript\0c-1\0\0where is it late"s)));
  item.customer_id.clear();
  EXPECT_EQ(DedupeKey(item), 0);
}

// Version 6 re-creates the content-key index; a version 5 store upgrades with its items kept and
// their duplicates still found.
TEST(Store, AStoreOfSchemaVersionFiveUpgradesItsContentIndex) {
  testing::TempDir dir;
  {
    auto store = std::move(Store::Open(dir.File("f.db"))).value();
    int64_t run = store->StartRun("test", "").value();
    ASSERT_TRUE(store->db().Begin().ok());
    ASSERT_EQ(store->InsertItem(MakeItem("1", "box crushed", "c-1"), run, 0).value(),
              InsertOutcome::kStored);
    ASSERT_TRUE(store->db().Commit().ok());
    ASSERT_TRUE(store->db()
                    .Exec("DROP INDEX items_dedupe; CREATE UNIQUE INDEX items_dedupe ON "
                          "items(dedupe_key) WHERE dedupe_key IS NOT NULL; PRAGMA user_version=5")
                    .ok());
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  Result<Statement> sql =
      store->db().Prepare("SELECT sql FROM sqlite_master WHERE name = 'items_dedupe'");
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(sql->Step().value());
  EXPECT_NE(sql->Text(0).find("coalesce((created_at"), std::string::npos) << sql->Text(0);
  int64_t run = store->StartRun("test", "").value();
  ASSERT_TRUE(store->db().Begin().ok());
  EXPECT_EQ(store->InsertItem(MakeItem("2", "box  crushed", "c-1"), run, 0).value(),
            InsertOutcome::kDuplicate);
  ASSERT_TRUE(store->db().Commit().ok());
  EXPECT_EQ(store->CountItems().value(), 1);
}

// The opcodes SQLite runs for one stored item: no temporary b-tree per row (an IN list of more
// than two constants in a CHECK builds one for every insert).
std::string InsertProgram(Database& db) {
  Result<Statement> plan = db.Prepare(
      "EXPLAIN INSERT OR IGNORE INTO items(source, ext_id, kind, created_at, text) "
      "VALUES (?,?,?,?,?)");
  EXPECT_TRUE(plan.ok());
  std::string ops;
  while (plan->Step().value()) (ops += plan->Text(1)) += ' ';
  return ops;
}

TEST(Store, StoringAnItemBuildsNoTemporaryTable) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  std::string ops = InsertProgram(store->db());
  EXPECT_NE(ops.find("Insert"), std::string::npos) << ops;
  EXPECT_EQ(ops.find("OpenEphemeral"), std::string::npos) << ops;
}

TEST(Store, AStoreOfSchemaVersionSixUpgradesItsKindCheckAndStillRefusesUnknownKinds) {
  testing::TempDir dir;
  const std::string in_list =
      "CHECK (kind IN (''review'',''nps'',''csat'',''ces'',''transcript''))";
  {
    auto store = std::move(Store::Open(dir.File("f.db"))).value();
    int64_t run = store->StartRun("test", "").value();
    ASSERT_EQ(store->InsertItem(MakeItem("1", "box crushed", "c-1"), run, 0).value(),
              InsertOutcome::kStored);
    // Back to version 6's text of the table, as a store written by an older feedloop has it.
    ASSERT_TRUE(store->db()
                    .Exec("PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = "
                          "replace(sql, 'CHECK (kind = ''review'' OR kind = ''nps'' OR kind = "
                          "''csat'' OR kind = ''ces'' OR kind = ''transcript'')', '" +
                          in_list +
                          "') WHERE name = 'items'; PRAGMA writable_schema=OFF; "
                          "PRAGMA user_version=6")
                    .ok());
  }
  {
    auto old = std::move(Database::Open(dir.File("f.db"), {})).value();
    EXPECT_NE(InsertProgram(*old).find("OpenEphemeral"), std::string::npos)
        << "the downgrade above did not restore version 6's check";
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_EQ(store->schema_version(), LatestSchemaVersion());
  Result<Statement> sql = store->db().Prepare("SELECT sql FROM sqlite_master WHERE name = 'items'");
  ASSERT_TRUE(sql.ok());
  ASSERT_TRUE(sql->Step().value());
  EXPECT_EQ(sql->Text(0).find(" IN ("), std::string::npos) << sql->Text(0);
  EXPECT_EQ(InsertProgram(store->db()).find("OpenEphemeral"), std::string::npos);
  EXPECT_TRUE(testing::IntegrityOk(store->db()));
  // Every kind is still accepted, anything else still refused by the database itself.
  for (const char* kind : {"review", "nps", "csat", "ces", "transcript"}) {
    Result<Statement> ins = store->db().Prepare(
        "INSERT INTO items(source, ext_id, kind, text) VALUES ('raw', ?, ?, 'x')");
    ASSERT_TRUE(ins.ok());
    ins->Bind(1, std::string_view(kind)).Bind(2, std::string_view(kind));
    EXPECT_TRUE(ins->Run().ok()) << kind;
  }
  Result<Statement> bad = store->db().Prepare(
      "INSERT INTO items(source, ext_id, kind, text) VALUES ('raw', 'b', 'tweet', 'x')");
  ASSERT_TRUE(bad.ok());
  Status refused = bad->Run();
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("CHECK"), std::string::npos) << refused.message();
  EXPECT_EQ(store->CountItems().value(), 6);
}

TEST(Store, DuplicateIdWithinOneFileIsReportedAsSuch) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("test", "").value();
  int64_t file = store->RegisterFile("hash", "a.jsonl", 10, "test", "review", "jsonl", run).value();
  ASSERT_TRUE(store->db().Begin().ok());
  EXPECT_EQ(store->InsertItem(MakeItem("1", "a"), run, file).value(), InsertOutcome::kStored);
  EXPECT_EQ(store->InsertItem(MakeItem("1", "b"), run, file).value(),
            InsertOutcome::kDuplicateInFile);
  ASSERT_TRUE(store->db().Commit().ok());
  // In a later run the same id is an ordinary duplicate.
  int64_t run2 = store->StartRun("test", "").value();
  EXPECT_EQ(store->InsertItem(MakeItem("1", "a"), run2, file).value(), InsertOutcome::kDuplicate);
}

TEST(Store, TranscriptTurnsAreStored) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("test", "").value();
  Item t = MakeItem("t1", "where is it");
  t.kind = Kind::kTranscript;
  t.turns = {{"customer", 100, "where is it"}, {"agent", 200, "on its way"}};
  ASSERT_EQ(store->InsertItem(t, run, 0).value(), InsertOutcome::kStored);
  auto q = store->db().Prepare("SELECT count(*), max(at) FROM turns");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->Step().value());
  EXPECT_EQ(q->Int(0), 2);
  EXPECT_EQ(q->Int(1), 200);
}

TEST(Store, RunsAndRejects) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("ingest", "abc").value();
  ASSERT_TRUE(store->AddReject(run, "a.csv", 3, "line 3: missing id", "x,y").ok());
  IngestCounts c{5, 3, 1, 1, 0};
  ASSERT_TRUE(store->FinishRun(run, "partial", c, 0, 0, "{}").ok());
  auto runs = store->ListRuns(10).value();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "partial");
  EXPECT_EQ(runs[0].counts.read, 5);
  EXPECT_TRUE(runs[0].counts.Reconciles());
  auto rejects = store->ListRejects(std::nullopt, 10).value();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].reason, "line 3: missing id");
}

TEST(Store, RecoversRunsOfDeadProcesses) {
  testing::TempDir dir;
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  int64_t run = store->StartRun("run", "").value();
  auto dead = store->db().Prepare("UPDATE runs SET pid = 999999999 WHERE id = ?");
  ASSERT_TRUE(dead.ok());
  ASSERT_TRUE(dead->Bind(1, run).Run().ok());
  EXPECT_EQ(store->RecoverInterruptedRuns().value(), 1);
  EXPECT_EQ(store->ListRuns(1).value()[0].status, "interrupted");
}

}  // namespace
}  // namespace feedloop::store
