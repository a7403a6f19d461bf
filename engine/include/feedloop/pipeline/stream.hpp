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
#include "feedloop/ingest/mapping.hpp"
#include "feedloop/pipeline/analyzer.hpp"
#include "feedloop/text/pii.hpp"

namespace feedloop::pipeline {

struct StreamOptions {
  int threads = 0;  // 0: all cores
  // The most lines analysed together. A batch also goes out with fewer lines when no more input
  // is ready (a producer writing a line at a time is answered at once); the output is the same
  // whatever the batches.
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
  ingest::RedactedFields redacted_fields;
  // Redaction of the reasons of the error lines, which can quote a value (null: none). Set
  // without `redactor`, the items are analysed as given (their spans point into the given text)
  // while no error line repeats an e-mail address or a card number.
  std::shared_ptr<const text::Redactor> error_redactor;
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

// Which members an annotated line has (docs/schema.md, "The annotated line"). The members of an
// annotation that no planned plugin provides are left out: `"tags": []` would read as "tagged,
// and found nothing". `text` is the analysed text, written when the spans cannot refer to the
// input's text (it was normalized or redacted, or the item is a transcript).
struct AnnotatedLineMembers {
  bool sentiment = true;
  bool tags = true;
  bool root_cause = true;
  bool text = false;

  // The members of the plan's providers (`text` false).
  static AnnotatedLineMembers Of(const AnalysisPlan& plan);
};

// Appends the annotated JSON line of one item (no newline).
void AppendAnnotatedLine(std::string& out, const Item& item, const MergedAnalysis& analysis,
                         const AnnotatedLineMembers& members = {});

}  // namespace feedloop::pipeline
