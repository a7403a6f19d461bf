// `feedloop stream`: JSON Lines in, one annotated JSON object per input line out, in input order,
// with no database. Parsing, analysis and serialization run on all cores in batches; memory is
// bounded by the number of batches in flight, whatever the input size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/text/pii.hpp"

namespace feedloop::pipeline {

struct StreamOptions {
  int threads = 0;  // 0: all cores
  int batch_lines = 512;
  std::string default_source = "stream";
  size_t max_line_bytes = 16u << 20;
  size_t max_text_bytes = 64 * 1024;
  DateOptions dates;
  // false: nothing is written, not even the error lines (a partial aggregate is built through
  // `on_item`; the lines that are not items are counted in StreamCounts::errors).
  bool emit_annotations = true;
  // PII redaction of each item before it is analysed (null: none), as ingest does before storing.
  std::shared_ptr<const text::Redactor> redactor;
  bool redact_attrs = true;
};

struct StreamCounts {
  int64_t lines = 0;
  int64_t items = 0;
  int64_t errors = 0;
  bool output_closed = false;  // the reader of our output went away
};

// Called for every analyzed item, from worker threads (`worker` is the thread's index, so a
// caller can keep per-thread state without locks).
using ItemCallback = std::function<void(int worker, const Item&, const MergedAnalysis&)>;

// Reads JSON Lines from `input_fd` and writes annotated lines to `output`.
Result<StreamCounts> RunStream(int input_fd, std::FILE* output, const AnalysisPlan& plan,
                               const StreamOptions& options, const ItemCallback& on_item = {});

// Appends the annotated JSON line of one item (no newline).
void AppendAnnotatedLine(std::string& out, const Item& item, const MergedAnalysis& analysis);

}  // namespace feedloop::pipeline
