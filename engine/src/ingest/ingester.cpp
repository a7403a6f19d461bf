#include "feedloop/ingest/ingester.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "feedloop/core/fault.hpp"
#include "feedloop/ingest/input.hpp"
#include "feedloop/store/checkpointer.hpp"
#include "feedloop/text/normalize.hpp"

namespace feedloop::ingest {
namespace {

std::string Extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

// A uniform pull interface over the readers.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual bool Next(RawRecord* out) = 0;
  virtual const Status& status() const = 0;
  virtual std::string warning() const { return {}; }
};

class JsonSource : public RecordSource {
 public:
  explicit JsonSource(std::unique_ptr<JsonReader> r) : r_(std::move(r)) {}
  bool Next(RawRecord* out) override { return r_->Next(out); }
  const Status& status() const override { return r_->status(); }
  std::string warning() const override { return r_->warning(); }

 private:
  std::unique_ptr<JsonReader> r_;
};

class CsvSource : public RecordSource {
 public:
  explicit CsvSource(std::unique_ptr<CsvReader> r) : r_(std::move(r)) {}
  bool Next(RawRecord* out) override { return r_->Next(out); }
  const Status& status() const override { return r_->status(); }
  const std::vector<std::string>& header() const { return r_->header(); }

 private:
  std::unique_ptr<CsvReader> r_;
};

// Writes one file's records in batches of transactions and keeps its counts.
class FileWriter {
 public:
  // `redactor` (may be null: redaction off) masks the rejects, as the mapper masks the items.
  FileWriter(store::Store& store, int64_t run_id, int64_t file_id, std::string file_label,
             int batch_size, const text::Redactor* redactor,
             std::function<void(const store::IngestCounts&)>* progress)
      : store_(store),
        run_id_(run_id),
        file_id_(file_id),
        label_(std::move(file_label)),
        batch_size_(batch_size),
        redactor_(redactor),
        progress_(progress) {}

  Status Begin() { return store_.db().Begin(); }

  // A rejected record is kept with its reason and an excerpt of its bytes, both redacted: the
  // excerpt is the record as written, and a reason can quote a value ("score '...' is not a
  // number").
  Status Reject(int64_t line, std::string_view reason, std::string_view excerpt) {
    ++counts.read;
    ++counts.rejected;
    std::string why = "line " + std::to_string(line) + ": ";
    if (redactor_ == nullptr) {
      why += reason;
      FEEDLOOP_RETURN_IF_ERROR(store_.AddReject(run_id_, label_, line, why, excerpt, file_id_));
    } else {
      why += redactor_->Redact(reason, nullptr);
      FEEDLOOP_RETURN_IF_ERROR(store_.AddReject(
          run_id_, label_, line, why, redactor_->RedactExcerpt(excerpt, nullptr), file_id_));
    }
    return Tick();
  }

  Status Store(const Item& item, int64_t line, std::string_view raw, bool repaired,
               std::optional<int64_t> dedupe_key = std::nullopt) {
    Result<store::InsertOutcome> outcome =
        dedupe_key ? store_.InsertItem(item, run_id_, file_id_, *dedupe_key)
                   : store_.InsertItem(item, run_id_, file_id_);
    if (!outcome.ok()) return outcome.status();
    switch (outcome.value()) {
      case store::InsertOutcome::kStored:
        ++counts.read;
        ++counts.stored;
        counts.redacted += item.redactions;
        if (repaired) ++counts.repaired;
        break;
      case store::InsertOutcome::kDuplicate:
        ++counts.read;
        ++counts.duplicates;
        break;
      case store::InsertOutcome::kDuplicateInFile:
        return Reject(line,
                      "duplicate id '" + text::Excerpt(item.id, 60) +
                          "' within the file (an earlier record has the same id)",
                      text::DisplayExcerpt(raw));
    }
    return Tick();
  }

  Status Finish() {
    FEEDLOOP_RETURN_IF_ERROR(store_.CompleteFile(file_id_, counts));
    FEEDLOOP_RETURN_IF_ERROR(BeforeCommit());
    FEEDLOOP_RETURN_IF_ERROR(store_.db().Commit());
    if (progress_ != nullptr && *progress_) (*progress_)(counts);
    return Status::Ok();
  }

  store::IngestCounts counts;
  // Ingester::before_commit (may be null or empty).
  const std::function<Status(const store::IngestCounts&)>* before_commit = nullptr;

 private:
  Status BeforeCommit() {
    return before_commit != nullptr && *before_commit ? (*before_commit)(counts) : Status::Ok();
  }

  Status Tick() {
    if (++pending_ < batch_size_) return Status::Ok();
    pending_ = 0;
    FEEDLOOP_RETURN_IF_ERROR(BeforeCommit());
    FEEDLOOP_RETURN_IF_ERROR(store_.db().Commit());
    CrashPoint("ingest.batch");
    if (progress_ != nullptr && *progress_) (*progress_)(counts);
    return store_.db().Begin();
  }

  store::Store& store_;
  int64_t run_id_;
  int64_t file_id_;
  std::string label_;
  int batch_size_;
  const text::Redactor* redactor_;
  int pending_ = 0;
  std::function<void(const store::IngestCounts&)>* progress_;
};

int BatchSize(int requested) {
  if (requested > 0) return requested;
  const char* env = std::getenv("FEEDLOOP_INGEST_BATCH");
  const int n = env != nullptr ? std::atoi(env) : 0;
  return n > 0 ? n : 10000;
}

// One mapped record on its way from the mapping thread to the writer: an item, or why not.
struct Mapped {
  int64_t line = 0;
  std::string error;
  std::string excerpt;  // of a rejected record
  std::string raw;      // of a stored one, its head (the excerpt of an in-file duplicate)
  bool repaired = false;
  int64_t dedupe_key = 0;
  Item item;
};

// Reads and maps every record of `records` on a thread of its own, in batches through a bounded
// queue, and hands them to `writer` in file order on the calling thread. `first`: a record
// already read (the peek at the field names), handed out first.
Status MapInParallel(RecordSource& records, RawRecord* first, const Mapper& mapper,
                     FileWriter& writer) {
  constexpr size_t kBatch = 256, kQueued = 8;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::vector<Mapped>> queue;
  // Batches the writer is done with, back to the mapping thread: their records' memory is reused
  // (and freed by the thread that allocated it).
  std::deque<std::vector<Mapped>> spare;
  bool done = false, stop = false;
  std::thread producer([&] {
    RawRecord rec;
    std::vector<Mapped> batch;
    size_t used = 0;  // records of `batch` filled; the rest are kept for reuse
    auto push = [&](bool last) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return stop || queue.size() < kQueued; });
      batch.resize(used);
      if (!batch.empty() && !stop) queue.push_back(std::move(batch));
      batch.clear();
      used = 0;
      if (!spare.empty()) {
        batch = std::move(spare.front());
        spare.pop_front();
      }
      done = last;
      cv.notify_all();
      return !stop;
    };
    while (true) {
      RawRecord& r = first != nullptr ? *first : rec;
      if (first == nullptr && !records.Next(&rec)) break;
      first = nullptr;
      if (used == batch.size()) batch.emplace_back();
      Mapped& m = batch[used++];
      m.line = r.line;
      m.repaired = r.repaired;
      m.error.clear();
      m.excerpt.clear();
      m.raw.clear();
      m.dedupe_key = 0;
      if (!r.error.empty()) {
        m.error = r.error;
        m.excerpt = r.excerpt;
      } else {
        m.error = mapper.Map(r.record, &m.item);
        if (m.error.empty()) {
          m.raw.assign(text::DisplayExcerptHead(r.raw));
          m.dedupe_key = store::DedupeKey(m.item);
        } else {
          m.excerpt = text::DisplayExcerpt(r.raw);
        }
      }
      if (used >= kBatch && !push(false)) return;
    }
    push(true);
  });
  Status status;
  while (status.ok()) {
    std::vector<Mapped> batch;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !queue.empty() || done; });
      if (queue.empty()) break;
      batch = std::move(queue.front());
      queue.pop_front();
      cv.notify_all();
    }
    for (const Mapped& m : batch) {
      status = m.error.empty() ? writer.Store(m.item, m.line, m.raw, m.repaired, m.dedupe_key)
                               : writer.Reject(m.line, m.error, m.excerpt);
      if (!status.ok()) break;
    }
    std::lock_guard<std::mutex> lock(mu);
    if (spare.size() < kQueued) spare.push_back(std::move(batch));
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    cv.notify_all();
  }
  producer.join();
  return status;
}

// Rows of one conversation (CSV transcripts) being assembled into one item.
struct Conversation {
  int64_t line = 0;      // of its first row
  int64_t last_row = 0;  // the record number of its latest row
  std::string error;
  std::string excerpt;
  bool repaired = false;
  Item item;
};

// A conversation's rows need not be adjacent: chat exports are often sorted by time, so the
// messages of many conversations interleave. A conversation stays open until this many records
// have passed without one of its rows, then it is stored; memory is bounded by the conversations
// open within that window, whatever the file's size. A row of a conversation stored already
// starts it again, and the second one is rejected as a duplicate id, by its line.
constexpr int64_t kConversationWindow = 50000;

}  // namespace

std::string DetectFormat(const std::string& path, std::string* reason, char* delimiter,
                         InputFile* input) {
  std::string ext = Extension(path);
  if (ext == ".jsonl" || ext == ".ndjson") {
    *reason = "from the " + ext + " extension";
    return "jsonl";
  }
  if (ext == ".json") {
    *reason = "from the .json extension";
    return "json";
  }
  if (ext == ".csv") {
    *reason = "from the .csv extension";
    return "csv";
  }
  if (ext == ".tsv" || ext == ".tab") {
    *reason = "from the " + ext + " extension";
    *delimiter = '\t';
    return "csv";
  }
  // Sniff: JSON starts with '{' or '['.
  std::unique_ptr<InputFile> opened;
  if (input == nullptr && path != "-") {
    Result<std::unique_ptr<InputFile>> in = InputFile::Open(path);
    if (in.ok()) opened = std::move(in).value();
    input = opened.get();
  }
  if (input != nullptr) {
    for (char c : input->Peek(512)) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c == '{' || c == '[') {
        *reason = "from its content (starts with '" + std::string(1, c) + "')";
        return "json";
      }
      break;
    }
  }
  *reason = "from its content (not JSON)";
  return "csv";
}

Result<FileOutcome> Ingester::IngestFile(const std::string& path, const IngestOptions& options) {
  FileOutcome out;
  out.path = path;

  // Resolve the preset, then the flags over it.
  Mapping mapping;
  std::optional<Kind> kind = options.kind;
  std::string format = options.format;
  std::string records_member = options.records_member;
  if (!options.preset.empty()) {
    const Preset* preset = FindPreset(options.preset);
    if (preset == nullptr) {
      std::string names;
      for (const Preset& p : Presets()) names += (names.empty() ? "" : ", ") + p.name;
      return Status::Usage("unknown preset '" + options.preset + "' (known: " + names + ")");
    }
    mapping = preset->mapping;
    if (!kind) kind = preset->kind;
    if (format.empty()) {
      format = preset->format;
      out.format_reason = "from preset " + preset->name;
    }
    if (records_member.empty()) records_member = preset->records_member;
  }
  mapping.Merge(options.mapping);

  // stdin is opened now, so that its first bytes can tell its format and still be read.
  std::unique_ptr<InputFile> stdin_input;
  if (path == "-") {
    Result<std::unique_ptr<InputFile>> in = InputFile::Open(path);
    if (!in.ok()) return in.status();
    stdin_input = std::move(in).value();
  }
  char delimiter = options.delimiter;
  if (format.empty()) {
    format = DetectFormat(path, &out.format_reason, &delimiter, stdin_input.get());
  } else if (out.format_reason.empty()) {
    out.format_reason = "as given";
  }
  // The JSON reader tells lines, arrays and wrapping objects apart itself; a file known to be
  // JSON Lines is only ever read as lines.
  const bool json_lines = format == "jsonl";
  if (format == "jsonl") format = "json";
  if (format != "json" && format != "csv") {
    return Status::Usage("unknown format '" + format + "' (expected jsonl, json or csv)");
  }

  // Content hash: a file already ingested (even renamed or touched) is recognised.
  std::string hash = "stdin";
  int64_t size = 0;
  if (path != "-") {
    Result<std::string> h = HashFile(path, &size);
    if (!h.ok()) return h.status();
    hash = h.value();
  }
  Result<std::optional<store::FileRow>> existing = store_.FindFile(hash);
  if (!existing.ok()) return existing.status();
  if (options.skip_ingested_files && existing.value() && existing.value()->completed) {
    out.skipped = true;
    out.format = format;
    return out;
  }

  Result<std::unique_ptr<InputFile>> input = InputFile::Open(path);
  if (stdin_input) input = std::move(stdin_input);
  if (!input.ok()) return input.status();
  (*input)->CountReadsInto(bytes_read);

  std::unique_ptr<RecordSource> records;
  std::vector<std::string_view> field_names;
  RawRecord first;
  bool have_first = false;
  if (format == "csv") {
    CsvOptions csv;
    csv.delimiter = delimiter;
    csv.header = options.csv_header;
    csv.quote = options.csv_quote;
    csv.repair_utf8 = options.repair_utf8;
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(std::move(input).value(), csv);
    if (!reader.ok()) return reader.status();
    auto source = std::make_unique<CsvSource>(std::move(reader).value());
    for (const std::string& h : source->header()) field_names.push_back(h);
    records = std::move(source);
  } else {
    JsonReaderOptions json;
    json.records_member = records_member;
    json.lines = json_lines;
    json.repair_utf8 = options.repair_utf8;
    Result<std::unique_ptr<JsonReader>> reader = JsonReader::Open(std::move(input).value(), json);
    if (!reader.ok()) return reader.status();
    if (json_lines || (*reader)->layout() == JsonLayout::kLines) out.format = "jsonl";
    records = std::make_unique<JsonSource>(std::move(reader).value());
    // Peek at the first record for its field names.
    have_first = records->Next(&first);
    if (have_first && first.error.empty()) {
      for (const auto& [name, value] : first.record.fields) field_names.push_back(name);
    }
  }
  if (out.format.empty()) out.format = format;

  // Kind: given, per record, or inferred from the field names.
  bool per_record = std::any_of(field_names.begin(), field_names.end(), [&](std::string_view n) {
    return n == "kind" || (mapping.Has("kind") && n == mapping.fields.at("kind").front());
  });
  if (kind) {
    out.kind = std::string(KindName(*kind));
    out.kind_reason = options.kind ? "as given" : "from preset " + options.preset;
  } else if (per_record) {
    out.kind = "per record";
    out.kind_reason = "from the kind field";
  } else if (std::optional<Kind> inferred = InferKind(field_names, &out.kind_reason)) {
    kind = inferred;
    out.kind = std::string(KindName(*kind));
    out.kind_reason = "from " + out.kind_reason;
  } else if (std::optional<Kind> named = InferKind(
                 {std::string_view(std::filesystem::path(path).filename().native())}, nullptr)) {
    kind = named;
    out.kind = std::string(KindName(*kind));
    out.kind_reason = "from the file name";
  } else {
    out.kind = "unknown";
    out.kind_reason = "no field says; give --kind";
  }

  ValidationOptions vopts;
  vopts.kind = kind;
  vopts.source =
      options.source.empty() ? std::filesystem::path(path).stem().string() : options.source;
  if (path == "-" && options.source.empty()) vopts.source = "stdin";
  vopts.dates = options.dates;
  vopts.max_text_bytes = options.max_text_bytes;
  vopts.redactor = options.redactor;
  vopts.redacted_fields = options.redacted_fields;
  out.source = vopts.source;
  // CSV transcripts with one row per message and no explicit grouping column: group by the
  // conversation id column when there is one.
  if (kind == Kind::kTranscript && format == "csv" && !mapping.Has("conversation")) {
    for (std::string_view n : field_names) {
      if (n == "conversation_id" || n == "conversation" || n == "ticket_id") {
        (void)mapping.Set("conversation", {std::string(n)});
        break;
      }
    }
  }
  Mapper mapper(mapping, vopts);
  // Without a preset or a mapping, a file whose columns are those a preset reads is named, in
  // case nothing of it can be stored (a Trustpilot export's text is in "Review Content").
  std::string preset_hint;
  if (options.preset.empty() && options.mapping.fields.empty()) {
    for (const Preset& p : Presets()) {
      auto text = p.mapping.fields.find("text");
      if (p.format != format || text == p.mapping.fields.end()) continue;
      const bool has_text =
          std::all_of(text->second.begin(), text->second.end(), [&](const std::string& column) {
            return std::find(field_names.begin(), field_names.end(), column) != field_names.end();
          });
      if (has_text) {
        preset_hint = p.name;
        break;
      }
    }
  }

  // Register the file and stream its records.
  Result<int64_t> file_id =
      store_.RegisterFile(hash, path, size, vopts.source, out.kind, out.format, run_id_);
  if (!file_id.ok()) return file_id.status();
  // The log's checkpoints run beside this thread, not in its commits (see checkpointer.hpp); if
  // the second connection cannot open, the commits checkpoint as usual.
  Result<std::unique_ptr<store::BackgroundCheckpointer>> checkpoints =
      store::BackgroundCheckpointer::Start(&store_.db());
  FileWriter writer(store_, run_id_, file_id.value(), path, BatchSize(options.batch_size),
                    options.redactor.get(), &on_progress);
  writer.before_commit = &before_commit;
  FEEDLOOP_RETURN_IF_ERROR(writer.Begin());
  if (existing.value() && !existing.value()->completed) {
    // An earlier reading was interrupted: its stored items come back as duplicates, and its
    // rejects are recorded again by this reading, so drop the old ones.
    Status st = store_.ForgetRejectsOfFile(file_id.value());
    if (!st.ok()) {
      store_.db().Rollback();
      return st;
    }
  }

  auto fail = [&](Status st) {
    store_.db().Rollback();
    return st;
  };

  // Open conversations by id, and the record numbers of their rows in arrival order (entries of
  // a conversation that got a later row are stale, and skipped).
  std::unordered_map<std::string, Conversation> open;
  std::deque<std::pair<int64_t, std::string>> arrivals;
  auto store_conversation = [&](Conversation& conv) -> Status {
    if (conv.error.empty()) conv.error = mapper.Validate(&conv.item);
    if (!conv.error.empty()) return writer.Reject(conv.line, conv.error, conv.excerpt);
    return writer.Store(conv.item, conv.line, conv.excerpt, conv.repaired);
  };
  // Stores the conversations with no row since `before` (all of them at the end of the file).
  auto store_quiet = [&](int64_t before) -> Status {
    while (!arrivals.empty() && arrivals.front().first < before) {
      auto it = open.find(arrivals.front().second);
      if (it != open.end() && it->second.last_row == arrivals.front().first) {
        FEEDLOOP_RETURN_IF_ERROR(store_conversation(it->second));
        open.erase(it);
      }
      arrivals.pop_front();
    }
    return Status::Ok();
  };

  // After the last record: the reader's own error, the file's counts, one commit.
  auto finish = [&]() -> Result<FileOutcome> {
    if (!records->status().ok()) return fail(records->status());
    Status st = writer.Finish();
    if (!st.ok()) return fail(st);
    CrashPoint("ingest.file");
    out.counts = writer.counts;
    out.warning = records->warning();
    if (!preset_hint.empty() && out.counts.read > 0 && out.counts.stored == 0 &&
        out.counts.duplicates == 0) {
      out.warning += std::string(out.warning.empty() ? "" : "; ") +
                     "no record could be stored, and the columns are those of the export the '" +
                     preset_hint + "' preset reads: try --preset " + preset_hint;
    }
    return out;
  };

  if (!mapper.GroupsRows()) {
    // One record, one item: reading, parsing, mapping, normalizing and redacting run on a
    // second thread while this one writes to the store, its single writer.
    Status st = MapInParallel(*records, have_first ? &first : nullptr, mapper, writer);
    if (!st.ok()) return fail(st);
    return finish();
  }

  RawRecord rec;
  while (true) {
    RawRecord& r = have_first ? first : rec;
    if (!have_first && !records->Next(&rec)) break;
    have_first = false;
    Status st = store_quiet(r.number - kConversationWindow);
    if (!st.ok()) return fail(st);
    if (!r.error.empty()) {
      st = writer.Reject(r.line, r.error, r.excerpt);
      if (!st.ok()) return fail(st);
      continue;
    }
    std::string_view id = mapper.ConversationOf(r.record);
    if (id.empty()) {
      st = writer.Reject(r.line, "message row without a conversation id",
                         text::DisplayExcerpt(r.raw));
      if (!st.ok()) return fail(st);
      continue;
    }
    auto [it, first_row] = open.try_emplace(std::string(id));
    Conversation& conv = it->second;
    if (first_row) {
      conv.line = r.line;
      conv.excerpt = text::DisplayExcerpt(r.raw);
    }
    conv.last_row = r.number;
    arrivals.emplace_back(r.number, it->first);
    conv.repaired = conv.repaired || r.repaired;
    if (conv.error.empty()) conv.error = mapper.AddRow(r.record, first_row, &conv.item);
  }
  Status st = store_quiet(std::numeric_limits<int64_t>::max());
  if (!st.ok()) return fail(st);
  return finish();
}

}  // namespace feedloop::ingest
