#include "feedloop/store/checkpointer.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "db_test_util.hpp"
#include "test_util.hpp"

namespace feedloop::store {
namespace {

int64_t Scalar(Database& db, std::string_view sql) {
  Result<Statement> q = db.Prepare(sql);
  EXPECT_TRUE(q.ok()) << sql;
  EXPECT_TRUE(q->Step().value()) << sql;
  return q->Int(0);
}

// `n` transactions of `rows` rows of 3,000 bytes: a page each.
void Write(Database& db, int n, int rows, int* next) {
  Result<Statement> ins = db.Prepare("INSERT INTO t(id, v) VALUES (?, randomblob(3000))");
  ASSERT_TRUE(ins.ok());
  for (int t = 0; t < n; ++t) {
    ASSERT_TRUE(db.Begin().ok());
    for (int r = 0; r < rows; ++r) {
      ins->Bind(1, static_cast<int64_t>((*next)++));
      ASSERT_TRUE(ins->Run().ok());
    }
    ASSERT_TRUE(db.Commit().ok());
  }
}

uintmax_t WalBytes(const std::string& db) {
  std::error_code ec;
  uintmax_t n = std::filesystem::file_size(db + "-wal", ec);
  return ec ? 0 : n;
}

TEST(BackgroundCheckpointer, CheckpointsOnItsOwnConnectionAndKeepsTheLogBounded) {
  testing::TempDir dir;
  const std::string path = dir.File("c.db");
  auto db = std::move(Database::Open(path)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)").ok());
  int next = 0;
  uintmax_t longest = 0;
  int64_t passes = 0;
  {
    auto checkpoints = std::move(BackgroundCheckpointer::Start(db.get(), 50)).value();
    // The writer's connection no longer checkpoints by itself.
    EXPECT_EQ(Scalar(*db, "PRAGMA wal_autocheckpoint"), 0);
    for (int round = 0; round < 40; ++round) {
      Write(*db, 1, 30, &next);  // about 31 pages a commit, with the b-tree's
      longest = std::max(longest, WalBytes(path));
    }
    passes = checkpoints->passes();
  }
  EXPECT_GT(passes, 5);
  // 1,240 pages were written; the log never held more than the 4 x 50 pages at which a commit
  // waits, plus the commit that crossed it, plus SQLite's headers.
  const uintmax_t page = static_cast<uintmax_t>(Scalar(*db, "PRAGMA page_size"));
  EXPECT_LT(longest, (4 * 50 + 40) * (page + 24) + 32) << longest;
  EXPECT_GT(longest, 50 * page) << longest;
  // Back to the connection's own checkpoints, SQLite's default.
  EXPECT_EQ(Scalar(*db, "PRAGMA wal_autocheckpoint"), 1000);
  // Everything committed is there, for this connection and any other.
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM t"), next);
  auto other = std::move(Database::Open(path)).value();
  EXPECT_EQ(Scalar(*other, "SELECT count(*) FROM t"), next);
  EXPECT_TRUE(testing::IntegrityOk(*other));
}

TEST(BackgroundCheckpointer, WithoutItTheLogGrowsUntilTheWritersOwnCheckpoint) {
  // The reference the test above is measured against: with automatic checkpoints off and no
  // checkpointer, the log holds every page written.
  testing::TempDir dir;
  const std::string path = dir.File("c.db");
  auto db = std::move(Database::Open(path)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)").ok());
  ASSERT_TRUE(db->Exec("PRAGMA wal_autocheckpoint=0").ok());
  int next = 0;
  for (int round = 0; round < 40; ++round) Write(*db, 1, 30, &next);
  const uintmax_t page = static_cast<uintmax_t>(Scalar(*db, "PRAGMA page_size"));
  EXPECT_GT(WalBytes(path), 1000 * page);
}

TEST(BackgroundCheckpointer, RefusesAFileItCannotOpen) {
  testing::TempDir dir;
  const std::string path = dir.File("c.db");
  auto db = std::move(Database::Open(path)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY)").ok());
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);
  Result<std::unique_ptr<BackgroundCheckpointer>> c = BackgroundCheckpointer::Start(db.get());
  EXPECT_FALSE(c.ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace feedloop::store
