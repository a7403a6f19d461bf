// Ingester: reads feedback files of any supported format and kind, maps and validates every
// record, and stores it idempotently. Nothing is lost: for each file,
// read == stored + duplicates + rejected, and every reject is kept with its reason.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/ingest/csv_reader.hpp"
#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/store/store.hpp"
#include "feedloop/text/pii.hpp"

namespace feedloop::ingest {

struct IngestOptions {
  std::string format;  // "", "jsonl", "json" or "csv"; empty: from the extension or content
  std::optional<Kind> kind;
  std::string source;  // default: the file's name without extension
  std::string preset;  // a named export shape (see Presets())
  Mapping mapping;     // applied over the preset's
  char delimiter = 0;  // CSV; 0: detect
  bool csv_header = true;
  char csv_quote = '"';
  std::string records_member;  // JSON wrapper member holding the records
  DateOptions dates;
  size_t max_text_bytes = 64 * 1024;
  bool repair_utf8 = false;
  // PII redaction before storage (null: none), of these fields; rejects are redacted too.
  std::shared_ptr<const text::Redactor> redactor;
  RedactedFields redacted_fields;
  // Skip a file whose content was already ingested completely (weekly runs).
  bool skip_ingested_files = false;
  // Records per transaction: a crash re-reads at most one batch; larger batches rewrite fewer
  // index pages (10,000: 1.3x the speed of 1,000). FEEDLOOP_INGEST_BATCH overrides the default.
  int batch_size = 0;  // 0: FEEDLOOP_INGEST_BATCH, else 10,000
};

// What happened to one file.
struct FileOutcome {
  std::string path;
  std::string format;
  std::string format_reason;  // "from the .csv extension"
  std::string kind;           // "nps", or "per record"
  std::string kind_reason;    // "from column 'Score'"
  std::string source;
  store::IngestCounts counts;
  bool skipped = false;  // already ingested (same content)
  std::string warning;
};

// Stores records into a Store under one run. Not thread-safe.
class Ingester {
 public:
  Ingester(store::Store& store, int64_t run_id) : store_(store), run_id_(run_id) {}

  // Ingests one file. Record-level problems are rejects, not errors; an error means the file
  // could not be read at all (missing, a directory, unreadable) or the store failed.
  Result<FileOutcome> IngestFile(const std::string& path, const IngestOptions& options);

  // Called after every committed batch with the running counts of the file (for progress).
  std::function<void(const store::IngestCounts&)> on_progress;
  // Called inside every batch's transaction, just before it commits, with the running counts of
  // the file: what it writes commits with the batch (a weekly run keeps its row's counts there).
  // An error rolls the batch back and ends the file's ingest with that error.
  std::function<Status(const store::IngestCounts&)> before_commit;
  // When set, the bytes read from the files are added to it as they are read (for progress; it
  // may be read from another thread).
  std::atomic<int64_t>* bytes_read = nullptr;

 private:
  store::Store& store_;
  int64_t run_id_;
};

// "jsonl", "json" or "csv" for a path, with the reason; sniffs the content when the extension
// says nothing: from `input` when given (its bytes are peeked, not consumed; stdin), else from the
// file at `path`.
std::string DetectFormat(const std::string& path, std::string* reason, char* delimiter,
                         InputFile* input = nullptr);

}  // namespace feedloop::ingest
