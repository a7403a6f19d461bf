// Storage faults: a full disk, a read-only database, a locked database and injected I/O errors.
// Each must give a clear error, leave the database consistent, and let a re-run finish the work
// once the fault is gone.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <fstream>

#include "db_test_util.hpp"
#include "feedloop/ingest/ingester.hpp"
#include "feedloop/store/store.hpp"
#include "test_util.hpp"

namespace feedloop::store {
namespace {

// ---- A VFS that fails writes on demand (after N successful writes to the main database).

std::atomic<int> g_writes_left{-1};  // -1: never fail
sqlite3_vfs* g_base = nullptr;

struct FaultFile {
  sqlite3_file base;  // must be first: SQLite sees this struct as an sqlite3_file
  sqlite3_file* real;
};

int FaultWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 off) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  int left = g_writes_left.load();
  if (left == 0) return SQLITE_IOERR_WRITE;
  if (left > 0) g_writes_left.fetch_sub(1);
  return ff->real->pMethods->xWrite(ff->real, data, n, off);
}

// Every other method forwards to the real file.
int xClose(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  int rc = ff->real->pMethods->xClose(ff->real);
  sqlite3_free(ff->real);
  return rc;
}
int xRead(sqlite3_file* f, void* d, int n, sqlite3_int64 o) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xRead(ff->real, d, n, o);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 s) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xTruncate(ff->real, s);
}
int xSync(sqlite3_file* f, int flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xSync(ff->real, flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* s) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xFileSize(ff->real, s);
}
int xLock(sqlite3_file* f, int l) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xLock(ff->real, l);
}
int xUnlock(sqlite3_file* f, int l) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xUnlock(ff->real, l);
}
int xCheckReservedLock(sqlite3_file* f, int* r) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xCheckReservedLock(ff->real, r);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xFileControl(ff->real, op, arg);
}
int xSectorSize(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xSectorSize(ff->real);
}
int xDeviceCharacteristics(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xDeviceCharacteristics(ff->real);
}
int xShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xShmMap(ff->real, pg, sz, extend, p);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xShmLock(ff->real, offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  ff->real->pMethods->xShmBarrier(ff->real);
}
int xShmUnmap(sqlite3_file* f, int del) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xShmUnmap(ff->real, del);
}

const sqlite3_io_methods kMethods = {2,
                                     xClose,
                                     xRead,
                                     FaultWrite,
                                     xTruncate,
                                     xSync,
                                     xFileSize,
                                     xLock,
                                     xUnlock,
                                     xCheckReservedLock,
                                     xFileControl,
                                     xSectorSize,
                                     xDeviceCharacteristics,
                                     xShmMap,
                                     xShmLock,
                                     xShmBarrier,
                                     xShmUnmap,
                                     nullptr,
                                     nullptr};

int FaultOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  ff->real = static_cast<sqlite3_file*>(sqlite3_malloc(g_base->szOsFile));
  std::memset(ff->real, 0, static_cast<size_t>(g_base->szOsFile));
  int rc = g_base->xOpen(g_base, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK || ff->real->pMethods == nullptr) {
    sqlite3_free(ff->real);
    ff->base.pMethods = nullptr;
    return rc;
  }
  ff->base.pMethods = &kMethods;
  return SQLITE_OK;
}

sqlite3_vfs* FaultVfs() {
  static sqlite3_vfs vfs = [] {
    g_base = sqlite3_vfs_find(nullptr);
    sqlite3_vfs v = *g_base;
    v.zName = "feedloop-fault";
    v.szOsFile = static_cast<int>(sizeof(FaultFile));
    v.xOpen = FaultOpen;
    v.pNext = nullptr;
    return v;
  }();
  static bool registered = [] { return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK; }();
  EXPECT_TRUE(registered);
  return &vfs;
}

// ---- Helpers

std::string WriteJsonl(const testing::TempDir& dir, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "{\"id\": \"r" + std::to_string(i) +
            "\", \"kind\": \"review\", \"score\": 2, \"text\": \"box " + std::to_string(i) +
            " arrived crushed and late, " + std::string(200, 'x') + "\"}\n";
  }
  return dir.Write("items.jsonl", text);
}

Result<ingest::FileOutcome> Ingest(Store& store, const std::string& path) {
  Result<int64_t> run = store.StartRun("test", "");
  if (!run.ok()) return run.status();
  ingest::Ingester ingester(store, run.value());
  ingest::IngestOptions options;
  options.batch_size = 100;
  return ingester.IngestFile(path, options);
}

bool IntegrityOk(Store& store) {
  return testing::IntegrityOk(store.db());
}

int64_t Items(Store& store) {
  return store.CountItems().value();
}

TEST(StorageFaults, FullDiskFailsCleanlyAndTheRerunFinishes) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 3000);
  {
    auto store = std::move(Store::Open(dir.File("f.db"))).value();
    ASSERT_TRUE(store->db().Exec("PRAGMA max_page_count = 60").ok());  // about 240 KB
    Result<ingest::FileOutcome> r = Ingest(*store, file);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kStorage);
    EXPECT_NE(r.status().message().find("the disk is full"), std::string::npos)
        << r.status().message();
    EXPECT_TRUE(IntegrityOk(*store));
    EXPECT_EQ(Items(*store) % 100, 0);  // whole batches only: the failing one was rolled back
    EXPECT_LT(Items(*store), 3000);
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Items(*store), 3000);
  EXPECT_TRUE(again->counts.Reconciles());
  EXPECT_EQ(again->counts.stored + again->counts.duplicates, 3000);
}

TEST(StorageFaults, InjectedWriteErrorsRollBackAndTheRerunFinishes) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 2000);
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  {
    auto store = std::move(Store::Open(dir.File("f.db"), faulty)).value();
    g_writes_left = 40;
    Result<ingest::FileOutcome> r = Ingest(*store, file);
    g_writes_left = -1;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kStorage);
    EXPECT_NE(r.status().message().find("the disk reported an error"), std::string::npos)
        << r.status().message();
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Items(*store), 2000);
}

TEST(StorageFaults, ALockedDatabaseIsNamedAndTheRerunFinishes) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 500);
  ASSERT_TRUE(Store::Open(dir.File("f.db")).ok());
  auto holder = std::move(Database::Open(dir.File("f.db"))).value();
  ASSERT_TRUE(holder->Exec("BEGIN IMMEDIATE").ok());  // another process is writing
  OpenOptions impatient;
  impatient.busy_timeout_ms = 100;
  {
    auto store = Store::Open(dir.File("f.db"), impatient);
    ASSERT_TRUE(store.ok());
    Result<ingest::FileOutcome> r = Ingest(**store, file);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("another process is writing to it"), std::string::npos)
        << r.status().message();
  }
  ASSERT_TRUE(holder->Exec("COMMIT").ok());
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Items(*store), 500);
  EXPECT_TRUE(IntegrityOk(*store));
}

TEST(StorageFaults, AReadOnlyDatabaseIsRefusedClearly) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 10);
  ASSERT_TRUE(Store::Open(dir.File("f.db")).ok());
  OpenOptions ro;
  ro.read_only = true;
  ro.create_if_missing = false;
  auto store = Store::Open(dir.File("f.db"), ro);
  ASSERT_TRUE(store.ok()) << store.status().message();
  Result<ingest::FileOutcome> r = Ingest(**store, file);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot be written"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Items(**store), 0);
}

}  // namespace
}  // namespace feedloop::store
