#include "feedloop/ingest/json_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::ingest {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kExcerptBytes = 200;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string DescribeJsonError(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::DEPTH_ERROR:
      return "JSON nested too deeply";
    case simdjson::INCORRECT_TYPE:
      return "malformed JSON (a value has an unexpected type)";
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "malformed JSON (invalid number)";
    case simdjson::STRING_ERROR:
    case simdjson::UNESCAPED_CHARS:
      return "malformed JSON (invalid string)";
    case simdjson::UNCLOSED_STRING:
      return "malformed JSON (unterminated string)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "malformed JSON (invalid literal; NaN and Infinity are not JSON)";
    case simdjson::EMPTY:
      return "empty record";
    default:
      return std::string("malformed JSON (") + simdjson::error_message(code) + ")";
  }
}

namespace od = simdjson::ondemand;

// Turns an On-Demand object into a FlatRecord in one pass over its fields.
class Flattener {
 public:
  Flattener(FlatRecord* out, int max_depth) : out_(out), max_depth_(max_depth) {}

  simdjson::error_code Object(od::object obj, std::string_view prefix, FlatRecord* into,
                              int depth) {
    if (depth > max_depth_) return simdjson::DEPTH_ERROR;
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return err;
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return err;
      std::string_view name = key;
      if (!prefix.empty()) {
        std::string joined(prefix);
        joined += '.';
        joined += key;
        name = out_->Own(std::move(joined));
      }
      od::value value = field.value();
      if (auto err = Value(value, name, into, depth)) return err;
    }
    return simdjson::SUCCESS;
  }

 private:
  simdjson::error_code Value(od::value value, std::string_view name, FlatRecord* into, int depth) {
    od::json_type type;
    if (auto err = value.type().get(type)) return err;
    if (type == od::json_type::object) {
      od::object obj;
      if (auto err = value.get_object().get(obj)) return err;
      return Object(obj, name, into, depth + 1);
    }
    // Filled in place: a FieldValue built aside, moved in and destroyed cost more than reading
    // the value. (ParseWith clears the record after an error.)
    auto& [field_name, fv] = into->fields.emplace_back();
    field_name = name;
    switch (type) {
      case od::json_type::object:
        break;  // above
      case od::json_type::array: {
        od::array arr;
        if (auto err = value.get_array().get(arr)) return err;
        fv.type = FieldValue::Type::kArray;
        if (auto err = Array(arr, &fv, depth + 1)) return err;
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto err = value.get_string().get(s)) return err;
        fv.type = FieldValue::Type::kString;
        fv.text = s;
        break;
      }
      case od::json_type::number: {
        double d;
        if (auto err = value.get_double().get(d)) {
          // Integers too large for a double (long ids) are still usable as text.
          if (err != simdjson::NUMBER_OUT_OF_RANGE) return err;
        }
        std::string_view raw = value.raw_json_token();
        fv.type = FieldValue::Type::kNumber;
        fv.text = TrimRight(raw);
        break;
      }
      case od::json_type::boolean: {
        bool b;
        if (auto err = value.get_bool().get(b)) return err;
        fv.type = FieldValue::Type::kBool;
        fv.text = b ? "true" : "false";
        break;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto err = value.is_null().get(is_null)) return err;
        if (!is_null) return simdjson::N_ATOM_ERROR;
        fv.type = FieldValue::Type::kNull;
        break;
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code Array(od::array arr, FieldValue* fv, int depth) {
    if (depth > max_depth_) return simdjson::DEPTH_ERROR;
    for (auto element_result : arr) {
      od::value element;
      if (auto err = std::move(element_result).get(element)) return err;
      od::json_type type;
      if (auto err = element.type().get(type)) return err;
      if (type == od::json_type::object) {
        od::object obj;
        if (auto err = element.get_object().get(obj)) return err;
        FlatRecord& child = fv->items.emplace_back();
        if (auto err = Object(obj, {}, &child, depth + 1)) return err;
      } else if (type == od::json_type::string) {
        std::string_view s;
        if (auto err = element.get_string().get(s)) return err;
        fv->scalars.push_back(s);
      } else if (type == od::json_type::array) {
        // Arrays of arrays carry nothing feedloop maps; skip them but check they are well formed.
        od::array inner;
        if (auto err = element.get_array().get(inner)) return err;
        FieldValue ignored;
        if (auto err = Array(inner, &ignored, depth + 1)) return err;
      } else {
        fv->scalars.push_back(TrimRight(element.raw_json_token()));
      }
    }
    return simdjson::SUCCESS;
  }

  FlatRecord* out_;
  int max_depth_;
};

// Follows JSON text byte by byte and says which bytes are structure, not part of a string
// literal: the scans that cut records out of a stream, before any parser sees them.
class StringTracker {
 public:
  // Feeds the next byte; true when it is outside every string literal (quotes count as inside).
  bool Outside(char c) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return false;
    }
    if (c == '"') {
      in_string_ = true;
      return false;
    }
    return true;
  }
  bool in_string() const { return in_string_; }

 private:
  bool in_string_ = false;
  bool escape_ = false;
};

// Where the first top-level JSON value of `s` ends (one past its closing bracket), or npos when it
// never closes. Only used to word an error precisely.
size_t TopLevelEnd(std::string_view s) {
  int depth = 0;
  StringTracker strings;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!strings.Outside(c)) continue;
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// What the top-level members of `object` (the text of one JSON object on one line) say about it:
// whether one holds an array of records (the member `name`; or, when `name` is empty, any member
// whose value is an array of objects or an empty array), and whether it has fields of a record
// itself ("id", "text", "kind", "score", "turns"), as a JSON Lines record does.
struct ObjectShape {
  bool records_array = false;
  bool record_fields = false;
};

ObjectShape ScanObject(std::string_view object, std::string_view name) {
  ObjectShape shape;
  auto skip_space = [&](size_t i) {
    while (i < object.size() && (object[i] == ' ' || object[i] == '\t' || object[i] == '\r')) ++i;
    return i;
  };
  int depth = 0;
  bool expect_key = false;
  for (size_t i = 0; i < object.size(); ++i) {
    char c = object[i];
    if (c == '"') {
      size_t end = i + 1;
      while (end < object.size() && object[end] != '"') end += object[end] == '\\' ? 2 : 1;
      if (end >= object.size()) return shape;
      if (depth == 1 && expect_key) {
        expect_key = false;
        const std::string_view key = object.substr(i + 1, end - i - 1);
        size_t colon = skip_space(end + 1);
        if (colon < object.size() && object[colon] == ':') {
          size_t value = skip_space(colon + 1);
          const bool array = value < object.size() && object[value] == '[';
          const size_t first = array ? skip_space(value + 1) : value;
          const bool of_objects =
              array && first < object.size() && (object[first] == '{' || object[first] == ']');
          if (name.empty() ? of_objects && key != "turns" : array && key == name) {
            shape.records_array = true;
          }
          shape.record_fields = shape.record_fields || key == "id" || key == "text" ||
                                key == "kind" || key == "score" || key == "turns";
        }
      }
      i = end;
    } else if (c == '{' || c == '[') {
      ++depth;
      expect_key = c == '{' && depth == 1;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
  }
  return shape;
}

// True when NaN or Infinity appears outside strings (JavaScript's, not JSON's).
bool HasNonJsonNumber(std::string_view s) {
  StringTracker strings;
  for (size_t i = 0; i < s.size(); ++i) {
    if (strings.Outside(s[i]) &&
        (s.compare(i, 3, "NaN") == 0 || s.compare(i, 8, "Infinity") == 0)) {
      return true;
    }
  }
  return false;
}

std::string DescribeParseFailure(simdjson::error_code err, std::string_view text) {
  if (HasNonJsonNumber(text)) return "malformed JSON (NaN and Infinity are not JSON numbers)";
  size_t end = TopLevelEnd(text);
  if (end == std::string_view::npos) {
    // Only a record that opens can have been cut short; other text is simply not JSON.
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) {
      return DescribeJsonError(err);
    }
    return "malformed JSON (the record is truncated: a string, object or array never closes)";
  }
  for (size_t i = end; i < text.size(); ++i) {
    char c = text[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
      return "unexpected text after the JSON object";
  }
  return DescribeJsonError(err);
}

// Parses one padded JSON text as an object into `out`. Returns "" or an error message.
inline std::string ParseWith(od::parser& parser, const char* data, size_t size, size_t capacity,
                             FlatRecord* out, int max_depth) {
  out->Clear();
  od::document doc;
  if (auto err = parser.iterate(data, size, capacity).get(doc)) {
    if (err == simdjson::UTF8_ERROR) {
      std::optional<size_t> at = text::FindInvalidUtf8(std::string_view(data, size));
      return "invalid UTF-8 at byte " + std::to_string(at.value_or(0));
    }
    return DescribeParseFailure(err, std::string_view(data, size));
  }
  od::json_type type;
  if (auto err = doc.type().get(type))
    return DescribeParseFailure(err, std::string_view(data, size));
  if (type != od::json_type::object) return "expected a JSON object for each record";
  od::object obj;
  if (auto err = doc.get_object().get(obj)) {
    return DescribeParseFailure(err, std::string_view(data, size));
  }
  Flattener flattener(out, max_depth);
  if (auto err = flattener.Object(obj, {}, out, 0)) {
    out->Clear();  // nothing of a record that failed half way
    return DescribeParseFailure(err, std::string_view(data, size));
  }
  // After the root object the iterator must be at the end of the input.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return "unexpected text after the JSON object";
  }
  return {};
}

// Owns an On-Demand parser (simdjson's built-in implementation for the compile target).
class ObjectParser {
 public:
  std::string Parse(const char* data, size_t size, size_t capacity, FlatRecord* out,
                    int max_depth) {
    return ParseWith(parser_, data, size, capacity, out, max_depth);
  }

 private:
  od::parser parser_;
};

std::string MakeExcerpt(std::string_view raw) {
  return text::DisplayExcerpt(raw, kExcerptBytes);
}
}  // namespace

// The reader's buffer: [begin, end) holds unread bytes; the vector always keeps
// SIMDJSON_PADDING bytes beyond `end` so lines can be parsed in place.
class JsonReader::Impl {
 public:
  std::unique_ptr<ObjectParser> parser = std::make_unique<ObjectParser>();
  std::vector<char> buf = std::vector<char>(kChunk + simdjson::SIMDJSON_PADDING);
  size_t begin = 0;
  size_t end = 0;
  bool eof = false;
  int64_t line = 1;     // line number at `begin`
  int64_t records = 0;  // records handed out
  std::string element;  // an array element being assembled
  simdjson::padded_string scratch;
  bool in_array = false;
  bool array_done = false;
  // The wrapping object: opened, where, the member holding the records and whether it was seen,
  // and whether the named member was there but not an array.
  bool object_open = false;
  int64_t object_line = 1;
  std::string records_key;
  bool records_found = false;
  bool named_but_not_array = false;

  // Reads more input; returns false at end of file.
  bool Fill(InputFile& input) {
    if (eof) return false;
    if (begin > 0) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (buf.size() - end < kChunk + simdjson::SIMDJSON_PADDING) {
      buf.resize(end + kChunk + simdjson::SIMDJSON_PADDING);
    }
    size_t n = input.Read(buf.data() + end, buf.size() - end - simdjson::SIMDJSON_PADDING);
    if (n == 0) {
      eof = true;
      return false;
    }
    end += n;
    return true;
  }

  // Skips whitespace (and a UTF-8 BOM at the very start), refilling as needed. Returns the next
  // byte or -1 at the end.
  int PeekNonSpace(InputFile& input) {
    while (true) {
      while (begin < end) {
        unsigned char c = static_cast<unsigned char>(buf[begin]);
        if (c == '\n') {
          ++line;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          if (c == 0xEF && end - begin >= 3 && buf[begin + 1] == '\xBB' &&
              buf[begin + 2] == '\xBF') {
            begin += 3;
            continue;
          }
          return c;
        }
        ++begin;
      }
      if (!Fill(input)) return -1;
    }
  }
};

JsonReader::JsonReader(std::unique_ptr<InputFile> input, JsonReaderOptions options)
    : input_(std::move(input)), options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

JsonReader::~JsonReader() = default;

Result<std::unique_ptr<JsonReader>> JsonReader::Open(std::unique_ptr<InputFile> input,
                                                     JsonReaderOptions options) {
  std::unique_ptr<JsonReader> r(new JsonReader(std::move(input), std::move(options)));
  Impl& im = *r->impl_;
  int first = im.PeekNonSpace(*r->input_);
  if (!r->input_->status().ok()) return r->input_->status();
  if (first < 0) {
    r->layout_ = JsonLayout::kEmpty;
  } else if (first == '[') {
    r->layout_ = JsonLayout::kArray;
  } else if (first == '{') {
    // JSON Lines if the first line holds a complete value; otherwise one object spread over lines
    // that wraps the records.
    while (true) {
      const char* nl =
          static_cast<const char*>(std::memchr(im.buf.data() + im.begin, '\n', im.end - im.begin));
      if (nl != nullptr || im.eof || im.end - im.begin > r->options_.max_record_bytes) {
        size_t len = nl ? static_cast<size_t>(nl - (im.buf.data() + im.begin)) : im.end - im.begin;
        std::string_view first_line(im.buf.data() + im.begin, len);
        int depth = 0;
        bool closed = false;
        StringTracker strings;
        for (char c : first_line) {
          if (!strings.Outside(c)) continue;
          if (c == '{' || c == '[') {
            ++depth;
          } else if (c == '}' || c == ']') {
            if (--depth == 0) closed = true;
          }
        }
        if (r->options_.lines) {
          r->layout_ = JsonLayout::kLines;
        } else if (!closed && nl != nullptr) {
          r->layout_ = JsonLayout::kWrapped;  // one object spread over lines
        } else if (!closed) {
          // A first line longer than any record (a minified export), or a file that is one
          // unclosed line (truncated: rejected as such).
          r->layout_ = im.eof ? JsonLayout::kLines : JsonLayout::kWrapped;
        } else {
          // One closed object on the first line: a JSON Lines record, or a wrapping object
          // written on one line ({"count": 3, "tickets": [...]}).
          const ObjectShape shape = ScanObject(first_line, r->options_.records_member);
          const bool wrapper =
              shape.records_array && (!r->options_.records_member.empty() || !shape.record_fields);
          r->layout_ = wrapper ? JsonLayout::kWrapped : JsonLayout::kLines;
        }
        break;
      }
      im.Fill(*r->input_);
    }
  } else {
    r->layout_ = JsonLayout::kLines;  // each line will be rejected with a precise reason
  }
  return r;
}

std::string JsonReader::ParseObject(const char* data, size_t size, size_t capacity,
                                    FlatRecord* out) {
  return impl_->parser->Parse(data, size, capacity, out, options_.max_depth);
}

namespace {

// Validates (or repairs) UTF-8 before parsing so the reject names the exact byte; returns the
// error or "" and sets `repaired` when bytes were replaced into `scratch`.
std::string CheckUtf8(std::string_view raw, bool repair, simdjson::padded_string* scratch,
                      bool* repaired) {
  std::optional<size_t> bad = text::FindInvalidUtf8(raw);
  if (!bad) return {};
  if (!repair) return "invalid UTF-8 at byte " + std::to_string(*bad);
  size_t count = 0;
  std::string fixed = text::RepairUtf8(raw, &count);
  *scratch = simdjson::padded_string(fixed);
  *repaired = true;
  return {};
}

}  // namespace

bool JsonReader::SeekRecordsArray(RawRecord* out) {
  Impl& im = *impl_;
  auto fail = [&](int64_t line, std::string error) {
    im.array_done = true;
    out->number = ++im.records;
    out->line = line;
    out->error = std::move(error);
    return true;
  };
  if (!im.object_open) {
    im.PeekNonSpace(*input_);
    ++im.begin;  // '{'
    im.object_open = true;
    im.object_line = im.line;
  }
  while (true) {
    int c = im.PeekNonSpace(*input_);
    if (c == ',') {
      ++im.begin;
      continue;
    }
    if (c == '}') {
      ++im.begin;
      if (im.records_found) {
        // Done; but text after the object would otherwise go unread without a word.
        im.array_done = true;
        if (im.PeekNonSpace(*input_) < 0) return false;
        out->excerpt = MakeExcerpt(
            std::string_view(im.buf.data() + im.begin, std::min<size_t>(im.end - im.begin, 256)));
        return fail(im.line, "unexpected text after the JSON object (not read)");
      }
      // The object ends without an array of records: its content is not records, and the reader
      // says so rather than read nothing.
      const std::string& member = options_.records_member;
      if (im.named_but_not_array) {
        return fail(im.object_line,
                    "member '" + member + "' of the JSON object is not an array of records");
      }
      if (!member.empty()) {
        return fail(im.object_line,
                    "the JSON object has no member '" + member + "' holding the records");
      }
      return fail(im.object_line,
                  "no member of the JSON object holds an array of records (a JSON "
                  "Lines record must be on one line)");
    }
    if (c != '"') {
      return fail(im.line, c < 0
                               ? "truncated JSON (the file ends inside the wrapping object)"
                               : "malformed JSON (expected a member name in the wrapping object)");
    }
    // Read the member name.
    std::string key;
    ++im.begin;
    bool escape = false;
    while (true) {
      if (im.begin >= im.end && !im.Fill(*input_)) break;
      char ch = im.buf[im.begin++];
      if (escape) {
        key += ch;
        escape = false;
      } else if (ch == '\\') {
        escape = true;
      } else if (ch == '"') {
        break;
      } else {
        key += ch;
      }
    }
    if (im.PeekNonSpace(*input_) != ':')
      return fail(im.line, "malformed JSON (expected ':' after a member name)");
    ++im.begin;
    // The records: the named member; else the first array of objects, and any later member of
    // the same name.
    const std::string& wanted =
        options_.records_member.empty() ? im.records_key : options_.records_member;
    int depth = 0;  // of the value being skipped, once inside it
    if (im.PeekNonSpace(*input_) == '[') {
      bool take = !wanted.empty() && key == wanted;
      if (wanted.empty()) {
        ++im.begin;  // '[': look at the first element
        depth = 1;
        const int first = im.PeekNonSpace(*input_);
        take = first == '{' || first == ']';
      } else if (take) {
        ++im.begin;
      }
      if (take) {
        im.records_key = key;
        im.records_found = true;
        im.in_array = true;
        return false;
      }
    } else {
      im.named_but_not_array = im.named_but_not_array || key == options_.records_member;
    }
    // Skip this member's value.
    StringTracker strings;
    while (true) {
      if (im.begin >= im.end && !im.Fill(*input_)) break;
      char ch = im.buf[im.begin];
      if (ch == '\n') ++im.line;
      if (strings.Outside(ch)) {
        if (ch == '{' || ch == '[') {
          ++depth;
        } else if (ch == '}' || ch == ']') {
          if (depth == 0) break;  // end of the wrapping object: leave it for the loop
          --depth;
        } else if (ch == ',' && depth == 0) {
          break;
        }
      }
      ++im.begin;
    }
  }
}

bool JsonReader::Next(RawRecord* out) {
  Impl& im = *impl_;
  out->error.clear();
  out->excerpt.clear();
  out->repaired = false;
  out->record.Clear();
  if (layout_ == JsonLayout::kEmpty) return false;

  if (layout_ == JsonLayout::kLines) {
    while (true) {
      // Find the end of the next non-blank line.
      const char* base = im.buf.data();
      const char* nl =
          static_cast<const char*>(std::memchr(base + im.begin, '\n', im.end - im.begin));
      if (nl == nullptr && !im.eof) {
        if (im.end - im.begin > options_.max_record_bytes) {
          // Too long: skip to the end of the line without keeping it.
          int64_t line = im.line;
          std::string excerpt = MakeExcerpt(std::string_view(base + im.begin, 256));
          while (true) {
            im.begin = im.end;
            if (!im.Fill(*input_)) break;
            const char* p = static_cast<const char*>(
                std::memchr(im.buf.data() + im.begin, '\n', im.end - im.begin));
            if (p != nullptr) {
              im.begin = static_cast<size_t>(p - im.buf.data()) + 1;
              break;
            }
          }
          im.line = line + 1;
          out->number = ++im.records;
          out->line = line;
          out->error =
              "record is longer than " + std::to_string(options_.max_record_bytes >> 20) + " MiB";
          out->excerpt = excerpt;
          return true;
        }
        im.Fill(*input_);
        continue;
      }
      size_t line_begin = im.begin;
      size_t line_end = nl ? static_cast<size_t>(nl - base) : im.end;
      if (line_begin == line_end && nl == nullptr) return false;  // end of input
      int64_t line_no = im.line;
      im.begin = nl ? line_end + 1 : line_end;
      ++im.line;
      std::string_view raw(base + line_begin, line_end - line_begin);
      std::string_view trimmed = TrimRight(raw);
      size_t lead = 0;
      while (lead < trimmed.size() && (trimmed[lead] == ' ' || trimmed[lead] == '\t')) ++lead;
      trimmed.remove_prefix(lead);
      if (line_no == 1 && trimmed.substr(0, 3) == "\xEF\xBB\xBF") trimmed.remove_prefix(3);
      if (trimmed.empty()) {
        if (nl == nullptr) return false;
        continue;  // blank lines are not records
      }
      out->number = ++im.records;
      out->line = line_no;
      out->raw = trimmed;
      bool repaired = false;
      std::string err = CheckUtf8(trimmed, options_.repair_utf8, &im.scratch, &repaired);
      if (err.empty()) {
        if (repaired) {
          err = im.parser->Parse(im.scratch.data(), im.scratch.size(),
                                 im.scratch.size() + simdjson::SIMDJSON_PADDING, &out->record,
                                 options_.max_depth);
          out->repaired = true;
        } else {
          size_t offset = static_cast<size_t>(trimmed.data() - im.buf.data());
          err = im.parser->Parse(trimmed.data(), trimmed.size(), im.buf.size() - offset,
                                 &out->record, options_.max_depth);
        }
      }
      if (!err.empty()) {
        out->error = err;
        out->excerpt = MakeExcerpt(trimmed);
      }
      return true;
    }
  }

  // Arrays, bare or wrapped: cut the next element out of the stream, then parse it.
  int c = 0;
  while (true) {
    if (im.array_done) return false;
    if (!im.in_array) {
      if (layout_ == JsonLayout::kArray) {
        im.PeekNonSpace(*input_);
        ++im.begin;  // '['
        im.in_array = true;
      } else if (SeekRecordsArray(out)) {
        return true;
      }
      continue;
    }
    c = im.PeekNonSpace(*input_);
    if (c == ',') {
      ++im.begin;
      c = im.PeekNonSpace(*input_);
    }
    if (c != ']') break;
    ++im.begin;
    if (layout_ == JsonLayout::kWrapped) {
      im.in_array = false;  // on to the wrapping object's other members
      continue;
    }
    // A bare array is the whole file: anything after it (a second array, `cat a.json b.json`)
    // would otherwise go unread without a word.
    im.array_done = true;
    if (im.PeekNonSpace(*input_) < 0) return false;
    out->number = ++im.records;
    out->line = im.line;
    out->error = "unexpected text after the JSON array (not read)";
    out->excerpt = MakeExcerpt(
        std::string_view(im.buf.data() + im.begin, std::min<size_t>(im.end - im.begin, 256)));
    return true;
  }
  if (c < 0) {
    im.array_done = true;
    warning_ = "the file ends before the array's closing ']' (truncated?)";
    return false;
  }
  out->number = ++im.records;
  out->line = im.line;
  im.element.clear();
  int depth = 0;
  bool too_long = false;
  StringTracker strings;
  while (true) {
    if (im.begin >= im.end && !im.Fill(*input_)) {
      im.array_done = true;
      if (depth == 0 && !strings.in_string() && !im.element.empty()) {
        // The element is complete; only the array's closing bracket is missing.
        warning_ = "the file ends before the array's closing ']' (truncated?)";
        break;
      }
      out->error = "truncated JSON (the file ends inside this record)";
      out->excerpt = MakeExcerpt(im.element);
      return true;
    }
    char ch = im.buf[im.begin];
    if (!strings.in_string() && depth == 0 && (ch == ',' || ch == ']') && !im.element.empty())
      break;
    ++im.begin;
    if (ch == '\n') ++im.line;
    if (im.element.size() < options_.max_record_bytes) {
      im.element += ch;
    } else {
      too_long = true;
    }
    if (!strings.Outside(ch)) continue;
    if (ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ']') {
      --depth;
    }
  }
  if (too_long) {
    out->error =
        "record is longer than " + std::to_string(options_.max_record_bytes >> 20) + " MiB";
    out->excerpt = MakeExcerpt(im.element);
    return true;
  }
  std::string_view raw = TrimRight(im.element);
  out->raw = raw;
  bool repaired = false;
  std::string err = CheckUtf8(raw, options_.repair_utf8, &im.scratch, &repaired);
  if (err.empty()) {
    if (!repaired) im.scratch = simdjson::padded_string(raw);
    out->repaired = repaired;
    err = im.parser->Parse(im.scratch.data(), im.scratch.size(),
                           im.scratch.size() + simdjson::SIMDJSON_PADDING, &out->record,
                           options_.max_depth);
  }
  if (!err.empty()) {
    out->error = err;
    out->excerpt = MakeExcerpt(raw);
  }
  return true;
}

class JsonObjectParser::Impl {
 public:
  std::unique_ptr<ObjectParser> parser = std::make_unique<ObjectParser>();
  std::vector<char> buffer;
};

JsonObjectParser::JsonObjectParser() : impl_(std::make_unique<Impl>()) {}
JsonObjectParser::~JsonObjectParser() = default;

std::string JsonObjectParser::Parse(std::string_view text, FlatRecord* out, int max_depth) {
  // Reuse one padded buffer: no allocation per line on the hot path.
  if (impl_->buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    impl_->buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(impl_->buffer.data(), text.data(), text.size());
  return impl_->parser->Parse(impl_->buffer.data(), text.size(), impl_->buffer.size(), out,
                              max_depth);
}

}  // namespace feedloop::ingest
