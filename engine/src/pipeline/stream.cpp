#include "feedloop/pipeline/stream.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "feedloop/core/json_writer.hpp"
#include "feedloop/ingest/json_reader.hpp"
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::pipeline {
namespace {

// Lines of the input, in one buffer: line i is data[begin(i), ends[i]).
struct LineBatch {
  uint64_t seq = 0;
  int64_t first_line = 1;
  std::string data;
  std::vector<size_t> ends;

  size_t size() const { return ends.size(); }
  bool empty() const { return ends.empty(); }
  std::string_view line(size_t i) const {
    size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(data).substr(begin, ends[i] - begin);
  }
};

// Shared state of the reader, the workers and the writer.
struct Channel {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<LineBatch> input;
  std::map<uint64_t, std::string> output;
  uint64_t next_write = 0;
  uint64_t read_seq = 0;
  bool reader_done = false;
  bool stop = false;
  size_t max_in_flight = 4;
  Status read_error;
  // Buffers of finished batches, kept for the next ones: a batch's lines and its output text
  // each take a few hundred KB, and fresh memory costs a page fault per 4 KB on first touch
  // (docs/performance.md, "Memory allocator"). At most max_in_flight + 1 of each circulate.
  std::vector<LineBatch> spare_batches;
  std::vector<std::string> spare_outputs;

  // Keeps `b`'s buffers for a later batch (emptied, capacity kept); the caller holds `mu`.
  void Recycle(LineBatch&& b) {
    if (b.data.capacity() > kMaxSpareBytes) return;  // after a giant line: let it go
    b.data.clear();
    b.ends.clear();
    spare_batches.push_back(std::move(b));
  }
  void Recycle(std::string&& out) {
    if (out.capacity() > kMaxSpareBytes) return;
    out.clear();
    spare_outputs.push_back(std::move(out));
  }
  static constexpr size_t kMaxSpareBytes = 8u << 20;
};

// A spare buffer from `spares`, or a new one; the caller holds the channel's lock.
template <typename T>
T TakeSpare(std::vector<T>& spares) {
  if (spares.empty()) return T();
  T t = std::move(spares.back());
  spares.pop_back();
  return t;
}

// The output line is appended directly, its keys as literals: a tenth of `stream`'s work per item
// went into writing it through JsonWriter, a third of that quoting keys. The bytes are the same
// (PluginOutputJson.TheAnnotatedLineIsWhatAJsonWriterWrites).
void AppendScore(std::string& out, double v) {
  AppendJsonFixed(out, v, 4);
}

// Whether the spans of an item refer to a text the input line does not hold: a transcript's is
// built from its customer turns, and another item's is the input's text after normalization
// (NFC, CRLF -> LF, control characters dropped) and redaction. The mapper does not say which
// member it read the text from, so an item's text counts as the input's when some string member
// of the line holds exactly those bytes.
bool AnalysedTextDiffers(const ingest::FlatRecord& record, const Item& item) {
  if (item.kind == Kind::kTranscript) return true;
  if (item.text.empty()) return false;  // nothing to point into
  for (const auto& [key, value] : record.fields) {
    if (value.type == ingest::FieldValue::Type::kString && value.text == item.text) return false;
  }
  return true;
}

// How long the first line of a batch may wait for more lines when the input is slower than the
// analysis. A short wait lets a fast producer's next write join the batch (`cat big.jsonl |`
// keeps full batches) and is nothing to a reader waiting for an answer.
constexpr std::chrono::milliseconds kMaxBatchDelay(5);

// True when a read from `fd` would not block within `timeout`: more input, or its end.
bool InputReady(int fd, std::chrono::milliseconds timeout) {
  pollfd pfd{fd, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  return ready != 0;  // an error is for read to report
}

// Parses, validates and analyzes one batch of lines; returns its output text.
class BatchProcessor {
 public:
  BatchProcessor(const AnalysisPlan& plan, const StreamOptions& options,
                 std::unique_ptr<BatchAnalyzer> analyzer)
      : plan_(plan),
        options_(options),
        members_(AnnotatedLineMembers::Of(plan)),
        analyzer_(std::move(analyzer)),
        mapper_(ingest::Mapping(), MakeValidation(options)) {}

  // Appends the batch's output text to `out` (empty, perhaps with capacity from an earlier batch).
  void Process(const LineBatch& batch, int worker, const ItemCallback& on_item, int64_t* items,
               int64_t* errors, std::string& out) {
    const size_t lines = batch.size();
    line_errors_.resize(lines);
    slot_.assign(lines, -1);
    // Items are mapped in place, so their strings' memory serves batch after batch; the vector
    // shrinks only by the lines that were not items.
    if (items_.size() < lines) items_.resize(lines);
    show_text_.resize(lines);
    size_t n = 0;
    for (size_t i = 0; i < lines; ++i) {
      int64_t number = batch.first_line + static_cast<int64_t>(i);
      line_errors_[i] = ParseLine(batch.line(i), number, &items_[n]);
      if (!line_errors_[i].empty()) continue;
      show_text_[n] = AnalysedTextDiffers(record_, items_[n]);
      slot_[i] = static_cast<int>(n++);
    }
    items_.resize(n);
    analyzer_->Analyze(items_, nullptr, &outputs_);
    out.reserve(lines * 192);  // about the mean line; a recycled buffer has this already
    for (size_t i = 0; i < lines; ++i) {
      if (slot_[i] < 0) {
        ++*errors;
        if (!options_.emit_annotations) continue;
        JsonWriter w(out);
        w.BeginObject().Field("line", batch.first_line + static_cast<int64_t>(i));
        w.Field("error", options_.error_redactor
                             ? options_.error_redactor->Redact(line_errors_[i], nullptr)
                             : line_errors_[i]);
        w.EndObject();
        out += '\n';
        continue;
      }
      ++*items;
      const size_t slot = static_cast<size_t>(slot_[i]);
      const Item& item = items_[slot];
      MergedAnalysis merged = Merge(plan_, outputs_[slot]);
      if (on_item) on_item(worker, item, merged);
      if (options_.emit_annotations) {
        AnnotatedLineMembers members = members_;
        members.text = show_text_[slot] != 0;
        AppendAnnotatedLine(out, item, merged, members);
        out += '\n';
      }
    }
  }

 private:
  static ingest::ValidationOptions MakeValidation(const StreamOptions& o) {
    ingest::ValidationOptions v;
    v.kind = Kind::kReview;
    v.source = o.default_source;
    v.dates = o.dates;
    v.max_text_bytes = o.max_text_bytes;
    v.redactor = o.redactor;
    v.redacted_fields = o.redacted_fields;
    return v;
  }

  std::string ParseLine(std::string_view line, int64_t number, Item* item) {
    if (line.size() > options_.max_line_bytes) {
      return "line is longer than " + std::to_string(options_.max_line_bytes >> 20) + " MiB";
    }
    std::string_view view(line);
    while (!view.empty() && (view.back() == '\r' || view.back() == ' ' || view.back() == '\t')) {
      view.remove_suffix(1);
    }
    if (view.empty()) return "empty line";
    if (std::optional<size_t> bad = text::FindInvalidUtf8(view)) {
      return "invalid UTF-8 at byte " + std::to_string(*bad);
    }
    std::string err = parser_.Parse(view, &record_);
    if (!err.empty()) return err;
    return mapper_.Map(record_, item, std::to_string(number));
  }

  const AnalysisPlan& plan_;
  const StreamOptions& options_;
  const AnnotatedLineMembers members_;
  std::unique_ptr<BatchAnalyzer> analyzer_;
  ingest::Mapper mapper_;
  ingest::JsonObjectParser parser_;
  ingest::FlatRecord record_;
  std::vector<Item> items_;
  std::vector<std::string> line_errors_;
  std::vector<int> slot_;
  std::vector<char> show_text_;  // per item: its line carries the analysed text
  std::vector<std::vector<PluginOutput>> outputs_;
};

void ReaderLoop(int fd, Channel& ch, const StreamOptions& options) {
  std::vector<char> buf(1 << 20);
  LineBatch batch;
  size_t line_start = 0;  // of the line being read, in batch.data
  int64_t line_no = 1;
  bool skipping = false;  // inside a line longer than the limit: keep only its head
  const size_t batch_bytes_hint = static_cast<size_t>(options.batch_lines) * 256;
  std::string tail;
  // Hands the complete lines over (when the batch is full, or with `force`); the head of a line
  // still being read stays for the next batch.
  auto push = [&](bool force) {
    if (batch.empty() || (!force && batch.size() < static_cast<size_t>(options.batch_lines)))
      return true;
    tail.assign(batch.data, batch.ends.back());
    batch.data.resize(batch.ends.back());
    std::unique_lock<std::mutex> lock(ch.mu);
    ch.cv.wait(lock, [&] { return ch.stop || ch.read_seq - ch.next_write < ch.max_in_flight; });
    if (ch.stop) return false;
    batch.seq = ch.read_seq++;
    ch.input.push_back(std::move(batch));
    batch = TakeSpare(ch.spare_batches);
    batch.first_line = line_no;
    batch.data.reserve(std::max(batch_bytes_hint, tail.size()));
    batch.data.append(tail);
    line_start = 0;
    ch.cv.notify_all();
    return true;
  };
  std::chrono::steady_clock::time_point batch_begun;  // when the batch got its first line
  auto finish_line = [&] {
    if (batch.empty()) {
      batch.first_line = line_no;
      batch_begun = std::chrono::steady_clock::now();
    }
    batch.ends.push_back(batch.data.size());
    line_start = batch.data.size();
    skipping = false;
    ++line_no;
  };
  batch.data.reserve(batch_bytes_hint);
  while (true) {
    // Wait for input in short slices so a stop (closed output) is noticed even on a quiet pipe.
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, 200);
    if (ready == 0) {
      std::lock_guard<std::mutex> lock(ch.mu);
      if (ch.stop) return;
      continue;
    }
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(ch.mu);
      ch.read_error = Status::IoError(std::string("stdin: read error: ") + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      const char* stop = nl ? nl : end;
      if (!skipping) {
        const size_t have = batch.data.size() - line_start;
        size_t room = options.max_line_bytes + 1 - std::min(have, options.max_line_bytes + 1);
        size_t take = std::min(room, static_cast<size_t>(stop - p));
        batch.data.append(p, take);
        if (have + take > options.max_line_bytes) skipping = true;  // reported as too long
      }
      if (nl == nullptr) break;
      finish_line();
      p = nl + 1;
      if (!push(false)) return;
    }
    // A producer writing a line at a time (`tail -f log | feedloop stream`) must not wait for a
    // full batch: when no more input comes within kMaxBatchDelay of the batch's first line, the
    // lines read so far go out. When we are the slower side, input is always ready and batches
    // stay full.
    if (!batch.empty()) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - batch_begun);
      if ((waited >= kMaxBatchDelay || !InputReady(fd, kMaxBatchDelay - waited)) && !push(true))
        return;
    }
    {
      std::lock_guard<std::mutex> lock(ch.mu);
      if (ch.stop) return;
    }
  }
  if (batch.data.size() > line_start) finish_line();
  push(true);
  std::lock_guard<std::mutex> lock(ch.mu);
  ch.reader_done = true;
  ch.cv.notify_all();
}

}  // namespace

AnnotatedLineMembers AnnotatedLineMembers::Of(const AnalysisPlan& plan) {
  AnnotatedLineMembers m;
  m.sentiment = plan.LastProvider("sentiment") >= 0;
  m.tags = plan.LastProvider("tags") >= 0;
  m.root_cause = plan.LastProvider("root_cause") >= 0;
  return m;
}

void AppendAnnotatedLine(std::string& out, const Item& item, const MergedAnalysis& m,
                         const AnnotatedLineMembers& members) {
  out += "{\"id\":";
  AppendJsonString(out, item.id);
  if (m.sentiment) {
    out += ",\"sentiment\":{\"score\":";
    AppendScore(out, *m.sentiment);
    out += ",\"label\":";
    AppendJsonString(out, SentimentLabel(*m.sentiment));
    out += '}';
  } else if (members.sentiment) {
    out += ",\"sentiment\":null";
  }
  if (members.tags || !m.tags.empty()) {
    out += ",\"tags\":";
    AppendJsonList(
        out, '[', m.tags, [&](const Label& t) { AppendLabelJson(out, "\"tag\":", t, 4); }, ']');
  }
  if (m.root_cause) {
    out += ",\"root_cause\":";
    AppendLabelJson(out, "\"label\":", *m.root_cause, 4);
  } else if (members.root_cause) {
    out += ",\"root_cause\":null";
  }
  if (!m.turns.empty()) {
    out += ",\"turns\":";
    AppendJsonList(
        out, '[', m.turns,
        [&](const std::pair<uint32_t, double>& turn) {
          out += "{\"turn\":";
          AppendJsonInt(out, turn.first);
          out += ",\"score\":";
          AppendScore(out, turn.second);
          out += '}';
        },
        ']');
  }
  if (!m.labels.empty()) {
    out += ",\"labels\":";
    AppendJsonList(
        out, '[', m.labels,
        [&](const std::pair<std::string, Label>& label) {
          out += "{\"annotation\":";
          AppendJsonString(out, label.first);
          out += ",\"label\":";
          AppendJsonString(out, label.second.label);
          out += ",\"confidence\":";
          AppendScore(out, label.second.confidence);
          out += '}';
        },
        ']');
  }
  if (!m.json.empty()) {
    out += ",\"annotations\":";
    AppendJsonList(
        out, '{', m.json,
        [&](const std::pair<std::string, std::string>& value) {
          AppendJsonString(out, value.first);
          out += ':';
          out += value.second;
        },
        '}');
  }
  if (!m.errors.empty()) {
    out += ",\"errors\":";
    AppendJsonList(
        out, '[', m.errors,
        [&](const std::pair<std::string, std::string>& error) {
          out += "{\"plugin\":";
          AppendJsonString(out, error.first);
          out += ",\"error\":";
          AppendJsonString(out, error.second);
          out += '}';
        },
        ']');
  }
  if (members.text) {
    out += ",\"text\":";
    AppendJsonString(out, item.text);
  }
  out += '}';
}

Result<StreamCounts> RunStream(int input_fd, std::FILE* output, const AnalysisPlan& plan,
                               const StreamOptions& options, const ItemCallback& on_item) {
  const int threads = ResolveThreads(options.threads);
  std::vector<std::unique_ptr<BatchProcessor>> processors;
  for (int i = 0; i < threads; ++i) {
    Result<std::unique_ptr<BatchAnalyzer>> a = BatchAnalyzer::Create(plan);
    if (!a.ok()) return a.status();
    processors.push_back(std::make_unique<BatchProcessor>(plan, options, std::move(a).value()));
  }
  Channel ch;
  ch.max_in_flight = static_cast<size_t>(threads) * 3;
  std::vector<int64_t> items(static_cast<size_t>(threads)), errors(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      while (true) {
        LineBatch batch;
        std::string text;
        {
          std::unique_lock<std::mutex> lock(ch.mu);
          ch.cv.wait(lock, [&] { return ch.stop || !ch.input.empty() || ch.reader_done; });
          if (ch.stop || (ch.input.empty() && ch.reader_done)) return;
          batch = std::move(ch.input.front());
          ch.input.pop_front();
          text = TakeSpare(ch.spare_outputs);
        }
        processors[static_cast<size_t>(w)]->Process(batch, w, on_item,
                                                    &items[static_cast<size_t>(w)],
                                                    &errors[static_cast<size_t>(w)], text);
        std::lock_guard<std::mutex> lock(ch.mu);
        ch.output[batch.seq] = std::move(text);
        ch.Recycle(std::move(batch));
        ch.cv.notify_all();
      }
    });
  }
  std::thread reader([&] { ReaderLoop(input_fd, ch, options); });

  StreamCounts counts;
  while (true) {
    std::string text;
    {
      std::unique_lock<std::mutex> lock(ch.mu);
      ch.cv.wait(lock, [&] {
        return ch.output.count(ch.next_write) != 0 ||
               (ch.reader_done && ch.next_write == ch.read_seq);
      });
      auto it = ch.output.find(ch.next_write);
      if (it == ch.output.end()) break;  // everything read has been written
      text = std::move(it->second);
      ch.output.erase(it);
    }
    bool ok = text.empty() || std::fwrite(text.data(), 1, text.size(), output) == text.size();
    ok = ok && std::fflush(output) == 0;
    std::lock_guard<std::mutex> lock(ch.mu);
    ch.Recycle(std::move(text));
    ++ch.next_write;
    ch.cv.notify_all();
    if (!ok) {
      counts.output_closed = true;
      ch.stop = true;
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(ch.mu);
    ch.stop = true;
    ch.cv.notify_all();
  }
  reader.join();
  for (std::thread& t : workers) t.join();
  for (int w = 0; w < threads; ++w) {
    counts.items += items[static_cast<size_t>(w)];
    counts.errors += errors[static_cast<size_t>(w)];
  }
  counts.lines = counts.items + counts.errors;
  if (!ch.read_error.ok()) return ch.read_error;
  return counts;
}

}  // namespace feedloop::pipeline
