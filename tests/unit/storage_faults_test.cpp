// Storage faults: a full disk, a read-only database (opened read-only, and a file that cannot be
// written), a locked database and injected I/O errors (writes, reads, syncs), during ingest and
// during analyze. Each must give a clear error, leave the database consistent, and let a re-run
// finish the work once the fault is gone.
#include <grp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <feedloop/sdk.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include "db_test_util.hpp"
#include "feedloop/ingest/ingester.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/plugins/host.hpp"
#include "feedloop/store/store.hpp"
#include "test_util.hpp"

namespace {

// The plugin the analyze faults run: a tag and a sentiment for every item, in this process.
class FaultTestTagger : public feedloop::sdk::Plugin {
 public:
  void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
    out.SetSentiment(item.text().find("crushed") != std::string_view::npos ? -0.5 : 0.5);
    out.AddTag("packaging", 0.9);
  }
};

}  // namespace

FEEDLOOP_PLUGIN(FaultTestTagger, "fault-test-tagger", "1.0.0", "Tags every item", "MIT",
                "sentiment,tags", "")

namespace feedloop::store {
namespace {

// ---- A VFS that fails writes, reads or syncs on demand.

// How many more calls of each kind succeed, counted over every file opened through the VFS (the
// database and its log): -1 never fails; at 0 every call fails from then on, as a failing disk
// does, until the test lifts the fault.
std::atomic<int> g_writes_left{-1};
std::atomic<int> g_reads_left{-1};
std::atomic<int> g_syncs_left{-1};
std::atomic<int> g_syncs_failed{0};  // how many syncs were failed (a test checks it reached one)
sqlite3_vfs* g_base = nullptr;

// Sets how many more calls of one kind succeed, and lifts the fault when the scope ends, a failed
// assertion included.
class Fault {
 public:
  Fault(std::atomic<int>& calls_left, int calls) : calls_left_(calls_left) { calls_left_ = calls; }
  ~Fault() { Lift(); }
  Fault(const Fault&) = delete;
  Fault& operator=(const Fault&) = delete;
  void Lift() { calls_left_ = -1; }

 private:
  std::atomic<int>& calls_left_;
};

// Whether this call fails; a call that succeeds spends one of the calls left.
bool Fails(std::atomic<int>& calls_left) {
  int left = calls_left.load();
  if (left == 0) return true;
  if (left > 0) calls_left.fetch_sub(1);
  return false;
}

struct FaultFile {
  sqlite3_file base;  // must be first: SQLite sees this struct as an sqlite3_file
  sqlite3_file* real;
};

int FaultWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 off) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  if (Fails(g_writes_left)) return SQLITE_IOERR_WRITE;
  return ff->real->pMethods->xWrite(ff->real, data, n, off);
}

int FaultRead(sqlite3_file* f, void* data, int n, sqlite3_int64 off) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  if (Fails(g_reads_left)) return SQLITE_IOERR_READ;
  return ff->real->pMethods->xRead(ff->real, data, n, off);
}

int FaultSync(sqlite3_file* f, int flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  if (Fails(g_syncs_left)) {
    ++g_syncs_failed;
    return SQLITE_IOERR_FSYNC;
  }
  return ff->real->pMethods->xSync(ff->real, flags);
}

// Every other method forwards to the real file.
int xClose(sqlite3_file* f) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  int rc = ff->real->pMethods->xClose(ff->real);
  sqlite3_free(ff->real);
  return rc;
}
int xTruncate(sqlite3_file* f, sqlite3_int64 s) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  return ff->real->pMethods->xTruncate(ff->real, s);
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
                                     FaultRead,
                                     FaultWrite,
                                     xTruncate,
                                     FaultSync,
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

// Reviews r<first> to r<first + n - 1>, each of its own text, in `name`.
std::string WriteJsonl(const testing::TempDir& dir, int n, int first = 0,
                       const std::string& name = "items.jsonl") {
  std::string text;
  for (int i = first; i < first + n; ++i) {
    text += "{\"id\": \"r" + std::to_string(i) +
            "\", \"kind\": \"review\", \"score\": 2, \"text\": \"box " + std::to_string(i) +
            " arrived crushed and late, " + std::string(200, 'x') + "\"}\n";
  }
  return dir.Write(name, text);
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

int64_t Count(Store& store, const std::string& sql) {
  Result<Statement> q = store.db().Prepare(sql);
  EXPECT_TRUE(q.ok()) << sql;
  if (!q.ok()) return -1;
  Result<bool> row = q->Step();
  return row.ok() && row.value() ? q->Int(0) : -1;
}

Status IngestStatus(Store& store, const std::string& path) {
  Result<ingest::FileOutcome> r = Ingest(store, path);
  return r.ok() ? Status::Ok() : r.status();
}

// Runs `work` in a child process as user nobody when the tests run as root (whom file modes do not
// stop), and returns what it returned. The child leaves with _exit, so nothing of this process
// (GoogleTest's state, a database it has open) runs twice.
Status RunAsNobody(const std::function<Status()>& work) {
  constexpr uid_t kNobody = 65534;
  constexpr gid_t kNogroup = 65534;
  int fds[2];
  if (::pipe(fds) != 0) return Status::Internal(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    Status st = Status::Ok();
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(kNogroup) != 0 ||
                             ::setuid(kNobody) != 0 || ::setuid(0) == 0)) {
      st = Status::Internal(std::string("cannot run as nobody: ") + std::strerror(errno));
    } else {
      st = work();
    }
    const std::string& message = st.message();
    size_t done = 0;
    while (done < message.size()) {
      const ssize_t n = ::write(fds[1], message.data() + done, message.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::_exit(st.ok() ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;) {
    message.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  return Status::Storage(message.empty() ? "the child ended abnormally" : message);
}

// The plan of the in-process tagger above.
pipeline::AnalysisPlan TaggerPlan() {
  Result<std::shared_ptr<plugins::PluginLibrary>> lib = plugins::PluginLibrary::FromEntryPoints(
      &feedloop_plugin_abi, &feedloop_plugin_get_descriptor, "<fault-test-tagger>");
  EXPECT_TRUE(lib.ok()) << lib.status().message();
  pipeline::PlannedPlugin tagger;
  tagger.library = lib.value();
  Result<pipeline::AnalysisPlan> plan = pipeline::AnalysisPlan::Create({tagger}, false, nullptr);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return std::move(plan).value();
}

Result<pipeline::AnalyzeCounts> Analyze(Store& store) {
  Result<int64_t> run = store.StartRun("analyze", "");
  if (!run.ok()) return run.status();
  pipeline::AnalyzeOptions options;
  options.threads = 2;
  options.batch_size = 50;
  return pipeline::AnalyzeStore(store, TaggerPlan(), options, run.value());
}

// Whether every analysed item is whole: a results row and an analysis row, or neither.
bool NoHalfWrittenResults(Store& store) {
  return Count(store,
               "SELECT count(*) FROM results r LEFT JOIN analysis a ON a.item_id = r.item_id "
               "WHERE a.item_id IS NULL") == 0 &&
         Count(store,
               "SELECT count(*) FROM analysis a LEFT JOIN results r ON r.item_id = a.item_id "
               "WHERE r.item_id IS NULL") == 0 &&
         Count(store,
               "SELECT count(*) FROM results WHERE instr(versions, ',fault-test-tagger@') = 0") ==
             0;
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
    Fault fault(g_writes_left, 40);
    Result<ingest::FileOutcome> r = Ingest(*store, file);
    fault.Lift();
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

// The database file and its folder cannot be written by whoever runs the command (as root, file
// modes stop nobody, so the command runs as user nobody).
TEST(StorageFaults, ADatabaseFileThatCannotBeWrittenFailsCleanlyAndTheRerunFinishes) {
  namespace fs = std::filesystem;
  testing::TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  const std::string folder = dir.File("ws"), db = dir.File("ws/f.db");
  fs::create_directory(folder);
  const std::string first = WriteJsonl(dir, 300, 0, "first.jsonl");
  const std::string second = WriteJsonl(dir, 200, 300, "second.jsonl");
  ASSERT_EQ(::chmod(second.c_str(), 0644), 0);
  {
    auto store = std::move(Store::Open(db)).value();
    ASSERT_TRUE(IngestStatus(*store, first).ok());
  }
  ASSERT_FALSE(fs::exists(db + "-wal")) << "the log outlived its last connection";
  ASSERT_EQ(::chmod(db.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(folder.c_str(), 0555), 0);

  Status refused = RunAsNobody([&] {
    Result<std::unique_ptr<Store>> store = Store::Open(db);
    return store.ok() ? IngestStatus(**store, second) : store.status();
  });
  EXPECT_EQ(refused.code(), Status::Code::kStorage);
  EXPECT_NE(refused.message().find(
                "database " + db +
                ": attempt to write a readonly database (it cannot be written: check the file's "
                "and its folder's permissions)"),
            std::string::npos)
      << refused.message();

  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(db.c_str(), 0600), 0);
  auto store = std::move(Store::Open(db)).value();
  EXPECT_TRUE(IntegrityOk(*store));
  EXPECT_EQ(Items(*store), 300);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM runs"), 1) << "the refused run left a row";
  Result<ingest::FileOutcome> again = Ingest(*store, second);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->counts.stored, 200);
  EXPECT_EQ(Items(*store), 500);
}

TEST(StorageFaults, InjectedReadErrorsFailCleanlyAndTheRerunFinishes) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 2000);
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  {
    auto store = std::move(Store::Open(dir.File("f.db"), faulty)).value();
    // A cache of a few pages, so that the writer reads pages back from the disk as it goes.
    ASSERT_TRUE(store->db().Exec("PRAGMA cache_size = 8").ok());
    Fault fault(g_reads_left, 300);
    Result<ingest::FileOutcome> r = Ingest(*store, file);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kStorage);
    EXPECT_NE(r.status().message().find("disk I/O error (the disk reported an error)"),
              std::string::npos)
        << r.status().message();
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  EXPECT_EQ(Items(*store) % 100, 0);  // whole batches only
  EXPECT_GT(Items(*store), 0) << "the fault came before the first batch was stored";
  EXPECT_LT(Items(*store), 2000);
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Items(*store), 2000);
  EXPECT_EQ(again->counts.stored + again->counts.duplicates, 2000);
}

// A commit that starts the log afresh syncs the log's header (WAL with synchronous=NORMAL syncs
// nothing else on commit): a sync that fails there fails the ingest with a clear error, and the
// re-run stores what was not stored.
TEST(StorageFaults, InjectedSyncErrorsFailCleanlyAndTheRerunFinishes) {
  testing::TempDir dir;
  const std::string first = WriteJsonl(dir, 500, 0, "first.jsonl");
  const std::string second = WriteJsonl(dir, 2000, 500, "second.jsonl");
  {
    auto store = std::move(Store::Open(dir.File("f.db"))).value();
    ASSERT_TRUE(IngestStatus(*store, first).ok());
  }
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  g_syncs_failed = 0;
  {
    auto store = std::move(Store::Open(dir.File("f.db"), faulty)).value();
    Fault fault(g_syncs_left, 0);
    Result<ingest::FileOutcome> r = Ingest(*store, second);
    ASSERT_FALSE(r.ok());
    EXPECT_GT(g_syncs_failed.load(), 0);
    EXPECT_EQ(r.status().code(), Status::Code::kStorage);
    EXPECT_NE(r.status().message().find("disk I/O error (the disk reported an error)"),
              std::string::npos)
        << r.status().message();
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  EXPECT_EQ(Items(*store) % 100, 0);  // whole batches only
  EXPECT_LT(Items(*store), 2500);
  Result<ingest::FileOutcome> again = Ingest(*store, second);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->counts.stored + again->counts.duplicates, 2000);
  EXPECT_EQ(Items(*store), 2500);
}

// Creating a database syncs it (its switch to WAL): a sync that fails there is a clear error too,
// and the re-run creates the database.
TEST(StorageFaults, InjectedSyncErrorsWhileCreatingTheDatabaseFailCleanly) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 500);
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  {
    Fault fault(g_syncs_left, 0);
    g_syncs_failed = 0;
    Result<std::unique_ptr<Store>> store = Store::Open(dir.File("f.db"), faulty);
    ASSERT_FALSE(store.ok());
    EXPECT_GT(g_syncs_failed.load(), 0);
    EXPECT_EQ(store.status().code(), Status::Code::kStorage);
    EXPECT_NE(store.status().message().find("disk I/O error (the disk reported an error)"),
              std::string::npos)
        << store.status().message();
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(Items(*store), 500);
}

// The other syncs are the checkpoints', beside the writer and when the last connection closes.
// One that fails leaves the frames in the log, where the next open finds them: the ingest
// finishes and nothing is lost.
TEST(StorageFaults, FailedCheckpointSyncsLoseNothing) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 15000);  // about 2,500 pages of log: checkpoints run
  ASSERT_TRUE(Store::Open(dir.File("f.db")).ok());
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  g_syncs_failed = 0;
  {
    Fault fault(g_syncs_left, 1);  // the log's header, then no more; lifted after the close
    auto store = std::move(Store::Open(dir.File("f.db"), faulty)).value();
    Result<ingest::FileOutcome> r = Ingest(*store, file);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->counts.stored, 15000);
  }
  ASSERT_GT(g_syncs_failed.load(), 0) << "no checkpoint synced: nothing was tested";
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  EXPECT_EQ(Items(*store), 15000);
  Result<ingest::FileOutcome> again = Ingest(*store, file);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->counts.duplicates, 15000);
}

TEST(StorageFaults, InjectedWriteErrorsDuringAnalyzeRollBackAndTheRerunFinishes) {
  testing::TempDir dir;
  std::string file = WriteJsonl(dir, 2000);
  {
    auto store = std::move(Store::Open(dir.File("f.db"))).value();
    ASSERT_TRUE(IngestStatus(*store, file).ok());
  }
  OpenOptions faulty;
  faulty.vfs = FaultVfs()->zName;
  {
    auto store = std::move(Store::Open(dir.File("f.db"), faulty)).value();
    Fault fault(g_writes_left, 150);  // a few transactions of results pass, then none
    Result<pipeline::AnalyzeCounts> r = Analyze(*store);
    ASSERT_FALSE(r.ok()) << r->items << " items analysed through the fault";
    EXPECT_EQ(r.status().code(), Status::Code::kStorage);
    EXPECT_NE(r.status().message().find("disk I/O error (the disk reported an error)"),
              std::string::npos)
        << r.status().message();
  }
  auto store = std::move(Store::Open(dir.File("f.db"))).value();
  EXPECT_TRUE(IntegrityOk(*store));
  EXPECT_TRUE(NoHalfWrittenResults(*store));
  const int64_t before = Count(*store, "SELECT count(*) FROM results");
  EXPECT_GT(before, 0) << "the fault came before the first results were written";
  EXPECT_LT(before, 2000);
  EXPECT_EQ(before % 50, 0) << "a batch of results was written in part";
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  Result<pipeline::AnalyzeCounts> again = Analyze(*store);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->items, 2000 - before);
  EXPECT_EQ(again->failed, 0);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM results"), 2000);
  EXPECT_TRUE(NoHalfWrittenResults(*store));
  EXPECT_TRUE(IntegrityOk(*store));
}

}  // namespace
}  // namespace feedloop::store
