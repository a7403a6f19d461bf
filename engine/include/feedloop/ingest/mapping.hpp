// Mapping: how the fields of an export (CSV columns, JSON members) become feedloop's item schema,
// and the validation every record passes before it is stored. See docs/ingest.md.
#pragma once

#include <feedloop/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/ingest/record.hpp"
#include "feedloop/text/pii.hpp"

namespace feedloop::ingest {

// The canonical names a mapping may target: the item schema plus transcript helpers.
// "attrs.NAME" targets are allowed too.
const std::vector<std::string_view>& CanonicalFields();

struct Mapping {
  // canonical name -> source field names. Several names for `text` are joined with a blank line
  // (a review title and its body); for other fields the first present one wins.
  std::map<std::string, std::vector<std::string>, std::less<>> fields;
  // Source role values -> "customer", "agent" or "bot" (e.g. "end-user" -> "customer").
  std::map<std::string, std::string, std::less<>> roles;
  // Textual scores -> numbers, or no score (nullopt): {"good": 5, "bad": 1, "offered": null}.
  std::map<std::string, std::optional<double>, std::less<>> scores;
  // Fields that are not mapped become attrs (scalars and lists of scalars).
  bool extra_fields_to_attrs = true;

  // Adds "FIELD=COLUMN" (the --map flag). Refuses unknown canonical names.
  Status Add(std::string_view assignment);
  Status Set(std::string_view canonical, std::vector<std::string> sources);
  bool Has(std::string_view canonical) const { return fields.count(canonical) != 0; }
  // Reads {"map": {...}, "roles": {...}, "scores": {...}} members of a source or preset object.
  static Result<Mapping> FromJson(const json::Value& source);
  // Later assignments override this mapping's.
  void Merge(const Mapping& other);
};

// A named export shape a CX team really has, with its default kind and format.
struct Preset {
  std::string name;
  std::string description;
  std::string format;  // csv, json, jsonl
  std::optional<Kind> kind;
  std::string records_member;  // JSON wrapper member holding the records
  Mapping mapping;
};
const std::vector<Preset>& Presets();
const Preset* FindPreset(std::string_view name);

// The fields of an item PII redaction covers (the workspace's "pii": {"fields": [...]}). By default
// every field a person writes or an export fills freely; never `id`, the key that makes ingest
// idempotent, nor `customer_id`, which the save list needs to call customers back and which is
// pseudonymized instead (PiiOptions::customer_id_secret).
struct RedactedFields {
  bool text = true;   // the item's text (a transcript's is made of its messages: see `turns`)
  bool turns = true;  // every transcript message, and so a transcript's text
  bool attrs = true;  // string values of attrs
  bool order_id = true;
  bool sku = true;
  bool channel = true;
  bool region = true;
  bool source = true;
  bool language = true;

  // The names a configuration may list, in order: text, turns, attrs, order_id, ...
  static const std::vector<std::string_view>& Names();
  // Exactly the fields `names` lists; an unknown name is an error listing the known ones.
  static Result<RedactedFields> FromNames(const std::vector<std::string>& names);
};

struct ValidationOptions {
  std::optional<Kind> kind;  // when the records do not say
  std::string source;        // default source name
  DateOptions dates;
  size_t max_text_bytes = 64 * 1024;
  // PII redaction of accepted items (null: none), and which fields it applies to.
  std::shared_ptr<const text::Redactor> redactor;
  RedactedFields redacted_fields;
};

// Maps and validates records. One per file being read; not thread-safe.
class Mapper {
 public:
  Mapper(Mapping mapping, ValidationOptions options);

  // Maps one record into `item`; returns "" or the reason the record is rejected, phrased for the
  // user ("score 11 is outside 0-10 for an nps answer").
  // `default_id` is used when the record has no id (stream input numbers its lines).
  std::string Map(const FlatRecord& record, Item* item, std::string_view default_id = {}) const;

  // CSV transcripts: rows of one conversation share the `conversation` column.
  bool GroupsRows() const { return mapping_.Has("conversation"); }
  std::string_view ConversationOf(const FlatRecord& record) const;
  // Adds the row's message to `item` (first row: also the item's fields). Returns "" or why not.
  std::string AddRow(const FlatRecord& record, bool first, Item* item) const;
  // Final checks of an assembled item (shared by every format).
  std::string Validate(Item* item) const;

  const Mapping& mapping() const { return mapping_; }

 private:
  const FieldValue* Lookup(const FlatRecord& record, std::string_view canonical) const;
  const FieldValue* LookupSlow(const FlatRecord& record, std::string_view canonical) const;
  // Resolves the canonical fields for `record`'s shape (its field names in order), reusing the
  // resolution of a shape met among the last kKnownShapes (mapping.cpp): records of one export
  // share a few shapes.
  void ResolveShape(const FlatRecord& record) const;
  std::string ShapeError(const FlatRecord& record) const;
  std::string Text(const FlatRecord& record, std::string_view canonical, std::string* out) const;
  std::string MapTurns(const FieldValue& turns, const Item& item, std::vector<Turn>* out) const;
  std::string MapTurn(const FlatRecord& record, const Item& item, Turn* out) const;
  std::string MapScore(const FieldValue& value, std::optional<double>* out) const;
  void Redact(Item* item) const;

  Mapping mapping_;
  ValidationOptions options_;
  mutable uint64_t shape_hash_ = 0;
  mutable std::vector<int> shape_index_;  // canonical (see mapping.cpp) -> field index, or -1
  mutable const FlatRecord* shape_record_ = nullptr;
  // Why records of this shape cannot be mapped ("field 'score' appears twice"), or "".
  mutable std::string shape_error_;
  // The last shapes resolved: a file of several kinds (reviews and surveys, some with optional
  // fields) alternates between a few shapes.
  struct KnownShape {
    uint64_t hash = 0;
    std::vector<int> index;
    std::string error;
  };
  mutable std::vector<KnownShape> known_shapes_;
  mutable size_t next_known_shape_ = 0;      // the one replaced next once the list is full
  std::vector<std::string> mapped_sources_;  // every source name the mapping uses
  // Scratch space of Map, kept between records for its memory.
  mutable std::vector<const FieldValue*> used_;
  mutable std::string kind_;
  mutable std::string created_;
  mutable std::vector<std::string_view> written_;
  mutable std::unordered_set<std::string_view> written_set_;
};

// Guesses the kind of a file's records from its field names; `why` names the field that decided.
std::optional<Kind> InferKind(const std::vector<std::string_view>& field_names, std::string* why);

}  // namespace feedloop::ingest
