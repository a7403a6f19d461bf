// Labelled texts for training and evaluation: the text and label fields of every record of a
// CSV, TSV or JSON/JSONL file, read with the engine's streaming readers.
#pragma once

#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/ingest/csv_reader.hpp"
#include "feedloop/store/store.hpp"

namespace feedloop::ingest {

struct LabelledText {
  std::string text;
  std::string label;  // empty when the record has none; list labels joined with the separator
  int64_t line = 0;
};

struct LabelledReadOptions {
  std::string format;  // "csv", "json", "jsonl"; empty: from the extension
  std::string text_field;
  std::string label_field;    // may be empty: unlabelled texts
  char list_separator = '|';  // joins JSON label lists
  CsvOptions csv;             // delimiter, quoting and header of CSV/TSV input
};

struct LabelledReadCounts {
  size_t read = 0;
  size_t malformed = 0;     // unreadable records (skipped)
  size_t without_text = 0;  // records whose text is empty
  bool has_labels = false;  // some record has the label field
};

// Reads every record; malformed records are counted and skipped (the first few are described in
// `warnings`). A file with no `text_field` at all is a usage error naming the field.
Result<std::vector<LabelledText>> ReadLabelled(const std::string& path,
                                               const LabelledReadOptions& options,
                                               LabelledReadCounts* counts,
                                               std::vector<std::string>* warnings);

// The stored items that carry a human label: the attr `label_field` of their attrs, or else the
// labels of the custom annotation of that name (several joined with `separator`). Texts are the
// items' analysis texts; unlabelled items are not returned.
Result<std::vector<LabelledText>> ReadLabelledFromStore(store::Store& store,
                                                        const std::string& label_field,
                                                        char separator, LabelledReadCounts* counts);

}  // namespace feedloop::ingest
