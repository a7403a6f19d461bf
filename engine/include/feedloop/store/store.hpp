// The feedloop store: one SQLite file holding items, transcript turns, rejects, ingested files
// and the run history, with a versioned schema migrated forward on open.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/store/database.hpp"

namespace feedloop::store {

// The schema version this build writes; older databases are migrated forward on open.
int LatestSchemaVersion();

// What happened to the records of one file or one run. The invariant everyone relies on:
// read == stored + duplicates + rejected.
struct IngestCounts {
  int64_t read = 0;
  int64_t stored = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  int64_t repaired = 0;  // records whose invalid UTF-8 was replaced (with --repair-utf8)
  int64_t redacted = 0;  // PII items replaced in the stored records
  bool Reconciles() const { return read == stored + duplicates + rejected; }
  IngestCounts& operator+=(const IngestCounts& o) {
    read += o.read;
    stored += o.stored;
    duplicates += o.duplicates;
    rejected += o.rejected;
    repaired += o.repaired;
    redacted += o.redacted;
    return *this;
  }
};

enum class InsertOutcome {
  kStored,
  kDuplicate,        // same (source, id), or same text from the same customer on the same day
  kDuplicateInFile,  // the id already appeared earlier in this file: a reject
};

struct RunRow {
  int64_t id = 0;
  std::string command;
  std::string started_at;
  std::string finished_at;
  std::string status;  // running, ok, partial, failed, interrupted
  std::string config_hash;
  IngestCounts counts;
  int64_t analyzed = 0;
  int64_t failed = 0;
  std::string details_json;
};

struct RejectRow {
  int64_t run_id = 0;
  std::string file;
  int64_t record = 0;
  std::string reason;
  std::string excerpt;
};

struct FileRow {
  int64_t id = 0;
  std::string content_hash;
  std::string path;
  bool completed = false;
  int64_t run_id = 0;
};

// Owns the connection. Not thread-safe: one Store per thread (SQLite WAL lets several processes
// read while one writes).
class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const OpenOptions& options = {});

  Database& db() { return *db_; }
  int schema_version() const { return schema_version_; }

  // ---- Runs
  // Starts a run row (status "running", this process's pid).
  Result<int64_t> StartRun(std::string_view command, std::string_view config_hash);
  Status FinishRun(int64_t run_id, std::string_view status, const IngestCounts& counts,
                   int64_t analyzed, int64_t failed, std::string_view details_json);
  // Writes a running run's counts so far (and its details, unless empty) without closing it.
  // Called inside the transaction of each batch, just before it commits, the row always says
  // what the committed work is: a run killed by kill -9 leaves its true counts in the history.
  Status RecordRunProgress(int64_t run_id, const IngestCounts& counts, int64_t analyzed,
                           int64_t failed, std::string_view details_json = {});
  // Marks as "interrupted" the runs left "running" by processes that no longer exist.
  Result<int> RecoverInterruptedRuns();
  Result<std::vector<RunRow>> ListRuns(int limit);

  // ---- Files (content-addressed, so a renamed or touched copy is recognised)
  Result<std::optional<FileRow>> FindFile(std::string_view content_hash);
  Result<int64_t> RegisterFile(std::string_view content_hash, std::string_view path, int64_t size,
                               std::string_view source, std::string_view kind,
                               std::string_view format, int64_t run_id);
  Status CompleteFile(int64_t file_id, const IngestCounts& counts);

  // ---- Items (call inside a transaction; see ItemBatch)
  Result<InsertOutcome> InsertItem(const Item& item, int64_t run_id, int64_t file_id);
  // The same with the item's DedupeKey computed already (by a thread that is not the writer).
  Result<InsertOutcome> InsertItem(const Item& item, int64_t run_id, int64_t file_id,
                                   int64_t dedupe_key);
  Status AddReject(int64_t run_id, std::string_view file, int64_t record, std::string_view reason,
                   std::string_view excerpt, int64_t file_id = 0);
  // Drops the rejects recorded for a file by an earlier, interrupted reading of it.
  Status ForgetRejectsOfFile(int64_t file_id);
  Result<std::vector<RejectRow>> ListRejects(std::optional<int64_t> run_id, int limit);
  Result<int64_t> CountItems();

 private:
  explicit Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Status Migrate();
  Status PrepareStatements();

  std::unique_ptr<Database> db_;
  int schema_version_ = 0;
  // A migration edited a table's text in sqlite_schema: the connection that ran it keeps the
  // table's old definition in memory, so Open reopens the file.
  bool schema_text_edited_ = false;
  Statement insert_item_;
  Statement find_conflict_;
  Statement insert_turn_;
  Statement insert_reject_;
  Statement record_run_progress_;
};

// The dedupe fingerprint of an item: its kind, its customer, its UTC day and its
// whitespace-collapsed text; 0 (never merged) when the customer is unknown or the text is empty.
int64_t DedupeKey(const Item& item);

}  // namespace feedloop::store
