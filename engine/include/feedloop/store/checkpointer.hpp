// Checkpoints of a writer's WAL on a thread and connection of their own.
//
// In WAL mode SQLite copies the log back into the database file (a checkpoint) on the thread of
// whichever commit crosses `wal_autocheckpoint` pages: that thread then copies pages and waits for
// two fdatasyncs. For ingest's and analyze's single writer this was a fifth of the wall time,
// spent waiting for the disk. While a BackgroundCheckpointer lives, the writer's connection does
// not checkpoint; after each commit that leaves `pages` or more in the log, a second connection
// runs a passive checkpoint, which never blocks the writer. The log stays bounded: a commit that
// leaves 4 * `pages` waits until a checkpoint that began after it has finished, so that the next
// transaction starts the log over. Durability and crash safety are SQLite's own: a checkpoint
// from another connection is an ordinary checkpoint.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "feedloop/core/status.hpp"
#include "feedloop/store/database.hpp"

namespace feedloop::store {

class BackgroundCheckpointer {
 public:
  // Takes over the checkpoints of `db` (a read-write connection in WAL mode) until destroyed,
  // when they return to `db` (every 1000 pages, SQLite's default). `db` must outlive this.
  static Result<std::unique_ptr<BackgroundCheckpointer>> Start(Database* db, int pages = 1000);
  ~BackgroundCheckpointer();
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  // Checkpoints run so far (for the tests).
  int64_t passes() const;

 private:
  BackgroundCheckpointer(Database* db, std::unique_ptr<Database> own, int pages);
  static int OnCommit(void* self, sqlite3* db, const char* name, int frames);
  void Loop();

  Database* db_;
  std::unique_ptr<Database> own_;
  const int pages_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;   // a commit left `pages_` or more in the log
  bool running_ = false;  // a checkpoint is under way
  bool stop_ = false;
  int64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace feedloop::store
