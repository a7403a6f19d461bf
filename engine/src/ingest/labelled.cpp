#include "feedloop/ingest/labelled.hpp"

#include <algorithm>

#include "feedloop/ingest/json_reader.hpp"

namespace feedloop::ingest {
namespace {

// Text of a scalar field, or the scalars of an array joined with `separator`.
std::string FieldText(const FieldValue* v, char separator) {
  if (v == nullptr || v->type == FieldValue::Type::kNull) return "";
  if (v->type != FieldValue::Type::kArray) return std::string(v->text);
  std::string joined;
  for (std::string_view s : v->scalars) {
    if (!joined.empty()) joined.push_back(separator);
    joined.append(s);
  }
  return joined;
}

}  // namespace

Result<std::vector<LabelledText>> ReadLabelled(const std::string& path,
                                               const LabelledReadOptions& options,
                                               LabelledReadCounts* counts,
                                               std::vector<std::string>* warnings) {
  std::string format = options.format;
  if (format.empty()) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    format = lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt")
                 ? "csv"
                 : "jsonl";
  }
  if (format != "csv" && format != "jsonl" && format != "json") {
    return Status::Usage("format '" + format + "' is not csv, json or jsonl");
  }
  Result<std::unique_ptr<InputFile>> input = InputFile::Open(path);
  if (!input.ok()) return input.status();

  std::vector<LabelledText> rows;
  bool seen_text_field = false;
  auto take = [&](const RawRecord& r) {
    ++counts->read;
    if (!r.error.empty()) {
      if (counts->malformed++ < 5 && warnings != nullptr) {
        warnings->push_back(path + ": line " + std::to_string(r.line) + ": " + r.error);
      }
      return;
    }
    const FieldValue* text = r.record.Find(options.text_field);
    seen_text_field |= text != nullptr;
    LabelledText row{FieldText(text, options.list_separator), "", r.line};
    if (!options.label_field.empty()) {
      const FieldValue* label = r.record.Find(options.label_field);
      counts->has_labels |= label != nullptr;
      row.label = FieldText(label, options.list_separator);
    }
    if (row.text.empty()) ++counts->without_text;
    rows.push_back(std::move(row));
  };
  RawRecord record;
  Status status;
  if (format == "csv") {
    Result<std::unique_ptr<CsvReader>> reader =
        CsvReader::Open(std::move(input).value(), options.csv);
    if (!reader.ok()) return reader.status();
    while (reader.value()->Next(&record)) take(record);
    status = reader.value()->status();
  } else {
    Result<std::unique_ptr<JsonReader>> reader = JsonReader::Open(std::move(input).value());
    if (!reader.ok()) return reader.status();
    while (reader.value()->Next(&record)) take(record);
    status = reader.value()->status();
  }
  if (!status.ok()) return status;
  if (counts->read > counts->malformed && !seen_text_field) {
    return Status::Usage(path + ": no field named '" + options.text_field + "'");
  }
  return rows;
}

Result<std::vector<LabelledText>> ReadLabelledFromStore(store::Store& store,
                                                        const std::string& label_field,
                                                        char separator,
                                                        LabelledReadCounts* counts) {
  // The attr wins; the annotation's labels are the fallback. The field name is a bound value.
  Result<store::Statement> q = store.db().Prepare(
      "SELECT i.id, i.text, coalesce(json_extract(i.attrs, '$.\"' || ?1 || '\"'), "
      "(SELECT group_concat(l.label, ?2) FROM labels l WHERE l.item_id = i.id AND l.annotation = "
      "?1)) "
      "FROM items i ORDER BY i.id");
  if (!q.ok()) return q.status();
  q->Bind(1, label_field).Bind(2, std::string_view(&separator, 1));
  std::vector<LabelledText> rows;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    ++counts->read;
    if (q->IsNull(2)) continue;
    counts->has_labels = true;
    LabelledText t{q->String(1), q->String(2), q->Int(0)};
    if (t.text.empty()) ++counts->without_text;
    rows.push_back(std::move(t));
  }
  return rows;
}

}  // namespace feedloop::ingest
