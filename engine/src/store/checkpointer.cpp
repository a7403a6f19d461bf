#include "feedloop/store/checkpointer.hpp"

namespace feedloop::store {

Result<std::unique_ptr<BackgroundCheckpointer>> BackgroundCheckpointer::Start(Database* db,
                                                                              int pages) {
  // A connection of its own, like the writer's (same VFS); opening it reads the file, so it
  // knows the file is in WAL mode (until then a checkpoint does nothing).
  OpenOptions options;
  options.create_if_missing = false;
  options.vfs = db->vfs();
  Result<std::unique_ptr<Database>> own = Database::Open(db->path(), options);
  if (!own.ok()) {
    return Status::IoError("cannot open " + db->path() +
                           " for checkpoints: " + own.status().message());
  }
  std::unique_ptr<BackgroundCheckpointer> c(
      new BackgroundCheckpointer(db, std::move(own).value(), pages));
  // Replaces the connection's automatic checkpoints (they are a WAL hook too).
  sqlite3_wal_hook(db->raw(), &BackgroundCheckpointer::OnCommit, c.get());
  c->thread_ = std::thread([p = c.get()] { p->Loop(); });
  return c;
}

BackgroundCheckpointer::BackgroundCheckpointer(Database* db, std::unique_ptr<Database> own,
                                               int pages)
    : db_(db), own_(std::move(own)), pages_(pages < 1 ? 1 : pages) {}

BackgroundCheckpointer::~BackgroundCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  own_.reset();
  // Back to SQLite's default: the writer checkpoints every 1000 pages itself.
  sqlite3_wal_autocheckpoint(db_->raw(), 1000);
}

int64_t BackgroundCheckpointer::passes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return passes_;
}

// Called on the writer's thread after each commit, the write lock released, with the number of
// frames in the log (checkpointed ones included, until a transaction starts the log over).
int BackgroundCheckpointer::OnCommit(void* self, sqlite3*, const char*, int frames) {
  auto* c = static_cast<BackgroundCheckpointer*>(self);
  std::unique_lock<std::mutex> lock(c->mu_);
  if (frames < c->pages_ || c->stop_) return SQLITE_OK;
  c->wanted_ = true;
  c->cv_.notify_all();
  if (frames >= 4 * c->pages_) {
    // The log is long: wait for a checkpoint that starts after this commit, so that it copies
    // every frame and the next transaction can start the log over.
    int64_t target = c->passes_ + (c->running_ ? 2 : 1);
    c->cv_.wait(lock, [&] { return c->stop_ || c->passes_ >= target; });
  }
  return SQLITE_OK;
}

void BackgroundCheckpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || wanted_; });
    if (stop_) return;
    wanted_ = false;
    running_ = true;
    lock.unlock();
    // Passive: copies what no reader still needs, never waits for the writer. A failure (the
    // disk is full, another process checkpoints) leaves the frames in the log for the next one.
    (void)sqlite3_wal_checkpoint_v2(own_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
    lock.lock();
    running_ = false;
    ++passes_;
    cv_.notify_all();
  }
}

}  // namespace feedloop::store
