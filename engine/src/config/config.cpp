#include "feedloop/config/config.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "feedloop/core/hash.hpp"
#include "feedloop/core/time.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::config {
namespace fs = std::filesystem;

std::string WorkspaceConfig::Resolve(const std::string& p) const {
  if (p.empty() || fs::path(p).is_absolute() || dir.empty()) return p;
  return (fs::path(dir) / p).lexically_normal().string();
}

const Source* WorkspaceConfig::SourceFor(const std::string& file) const {
  std::string abs = fs::absolute(file).lexically_normal().string();
  for (const Source& s : sources) {
    for (const std::string& glob : s.paths) {
      std::string pattern = fs::absolute(Resolve(glob)).lexically_normal().string();
      if (::fnmatch(pattern.c_str(), abs.c_str(), FNM_PATHNAME) == 0) return &s;
    }
  }
  return nullptr;
}

namespace {

// The whole number `key` of `parent` within [low, high], or `fallback` when absent. Anything else
// (a fraction, a negative size, 1e300) is an error naming its line: the config is read by people,
// and a double out of an integer's range must never be cast.
int64_t WholeNumber(const json::Value& parent, std::string_view key, int64_t fallback, int64_t low,
                    int64_t high) {
  const json::Value* v = parent.find(key);
  if (v == nullptr || v->is_null()) return fallback;
  const double d = v->as_number();
  if (!(d >= static_cast<double>(low) && d <= static_cast<double>(high)) || d != std::floor(d)) {
    throw json::Error(v->line(), std::string(key) + " must be a whole number from " +
                                     std::to_string(low) + " to " + std::to_string(high));
  }
  return static_cast<int64_t>(d);
}

// Refuses a member of `object` that is not in `known`, naming it and its line: a typo ("mapp")
// must not pass silently. `where`: " in source 'x'", or "" at the top level.
void CheckKnownKeys(const json::Value& object, std::initializer_list<std::string_view> known,
                    const std::string& where) {
  for (const auto& [key, value] : object.as_object()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw json::Error(value.line(),
                      "unknown setting '" + key + "'" + where + " (known: " + list + ")");
  }
}

}  // namespace

std::optional<DateOrder> ParseDateOrder(std::string_view name) {
  const std::string lower = text::AsciiLower(name);
  if (lower == "mdy" || lower == "month-first") return DateOrder::kMonthFirst;
  if (lower == "dmy" || lower == "day-first") return DateOrder::kDayFirst;
  return std::nullopt;
}

Status ParseSourceOptions(const json::Value& v, ingest::IngestOptions* o) {
  try {
    o->format = v.get_string("format", o->format);
    if (const json::Value* kind = v.find("kind"); kind != nullptr && !kind->is_null()) {
      std::optional<Kind> k = ParseKind(kind->as_string());
      if (!k) {
        return Status::Usage("line " + std::to_string(kind->line()) + ": kind '" +
                             kind->as_string() + "' is not review, nps, csat, ces or transcript");
      }
      o->kind = k;
    }
    o->preset = v.get_string("preset", o->preset);
    if (!o->preset.empty() && ingest::FindPreset(o->preset) == nullptr) {
      return Status::Usage("line " + std::to_string(v.find("preset")->line()) +
                           ": unknown preset '" + o->preset + "'");
    }
    std::string delimiter = v.get_string("delimiter", "");
    if (delimiter == "\\t" || delimiter == "tab") delimiter = "\t";
    if (delimiter.size() > 1) return Status::Usage("delimiter must be one character");
    if (!delimiter.empty()) o->delimiter = delimiter[0];
    o->records_member = v.get_string("records", o->records_member);
    if (const json::Value* order = v.find("date_order"); order != nullptr && !order->is_null()) {
      std::optional<DateOrder> parsed = ParseDateOrder(order->as_string());
      if (!parsed) {
        return Status::Usage("line " + std::to_string(order->line()) + ": date_order '" +
                             order->as_string() +
                             "' is not mdy (03/04/2026 is March 4) or dmy (April 3)");
      }
      o->dates.slashed = *parsed;
    }
    o->max_text_bytes = static_cast<size_t>(WholeNumber(
        v, "max_text_bytes", static_cast<int64_t>(o->max_text_bytes), 1, int64_t{1} << 30));
    o->repair_utf8 = v.get_bool("repair_utf8", o->repair_utf8);
    Result<ingest::Mapping> mapping = ingest::Mapping::FromJson(v);
    if (!mapping.ok()) return mapping.status();
    o->mapping.Merge(mapping.value());
  } catch (const json::Error& e) {
    return Status::Usage(e.what());
  }
  return Status::Ok();
}

Result<std::shared_ptr<const text::Redactor>> MakeRedactor(const PiiSettings& settings) {
  if (!settings.redact && !settings.hash_customer_ids)
    return std::shared_ptr<const text::Redactor>();
  if (settings.redact) return text::Redactor::Create(settings.options);
  // Ids hashed, text kept: a redactor that finds nothing in text.
  text::PiiOptions ids_only;
  ids_only.email = ids_only.phone = ids_only.card = ids_only.iban = ids_only.address = false;
  ids_only.customer_id_secret = settings.options.customer_id_secret;
  return text::Redactor::Create(ids_only);
}

Result<WorkspaceConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Usage("cannot read config " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  WorkspaceConfig cfg;
  cfg.path = path;
  cfg.dir = fs::path(path).parent_path().string();
  cfg.text_hash = Hex64(Hash64(text));
  auto fail = [&](const std::string& msg) { return Status::Usage(path + ": " + msg); };
  try {
    json::Value root = json::Parse(text);
    if (!root.is_object()) return fail("the configuration must be a JSON object");
    CheckKnownKeys(root,
                   {"description", "database", "sources", "plugins", "plugin_paths",
                    "isolate_plugins", "plugin_timeout", "period", "report", "pii"},
                   "");
    cfg.database = root.get_string("database", cfg.database);
    cfg.isolate_plugins = root.get_bool("isolate_plugins", false);
    cfg.plugin_timeout = root.get_number("plugin_timeout", cfg.plugin_timeout);
    if (!(cfg.plugin_timeout > 0 && cfg.plugin_timeout <= 86400)) {
      return fail("line " + std::to_string(root.find("plugin_timeout")->line()) +
                  ": plugin_timeout must be a number of seconds above 0, at most 86400");
    }
    if (const json::Value* period = root.find("period")) {
      CheckKnownKeys(*period, {"granularity", "time_zone"}, " in period");
      cfg.period.granularity = period->get_string("granularity", cfg.period.granularity);
      cfg.period.time_zone = period->get_string("time_zone", cfg.period.time_zone);
      if (!ParseGranularity(cfg.period.granularity).ok()) {
        return fail("line " + std::to_string(period->line()) + ": period granularity '" +
                    cfg.period.granularity + "' is not week, day or month");
      }
    }
    if (const json::Value* report = root.find("report")) {
      CheckKnownKeys(*report, {"formats", "out", "min_n", "segments", "compare", "taxonomy"},
                     " in report");
      if (const json::Value* formats = report->find("formats")) {
        cfg.report.formats.clear();
        for (const json::Value& f : formats->as_array()) {
          const std::string& name = f.as_string();
          if (name != "html" && name != "md" && name != "json" && name != "csv") {
            return fail("line " + std::to_string(f.line()) + ": report format '" + name +
                        "' is not html, md, json or csv");
          }
          cfg.report.formats.push_back(name);
        }
      }
      cfg.report.out = report->get_string("out", cfg.report.out);
      cfg.report.min_n =
          static_cast<int>(WholeNumber(*report, "min_n", cfg.report.min_n, 1, 1000000000));
      if (const json::Value* segments = report->find("segments")) {
        cfg.report.segments.clear();
        for (const json::Value& f : segments->as_array())
          cfg.report.segments.push_back(f.as_string());
      }
      if (const json::Value* compare = report->find("compare")) {
        cfg.report.compare = compare->is_number()
                                 ? std::to_string(WholeNumber(*report, "compare", 1, 1, 520))
                                 : compare->as_string();
      }
      cfg.report.taxonomy = report->get_string("taxonomy", "");
    }
    if (const json::Value* sources = root.find("sources")) {
      for (const json::Value& s : sources->as_array()) {
        Source src;
        src.line = s.line();
        src.name = s.get_string("name");
        CheckKnownKeys(s,
                       {"name", "description", "path", "preset", "kind", "format", "map", "roles",
                        "scores", "delimiter", "records", "date_order", "max_text_bytes",
                        "repair_utf8", "extra_fields_to_attrs"},
                       src.name.empty() ? " in a source" : " in source '" + src.name + "'");
        if (src.name.empty())
          return fail("line " + std::to_string(s.line()) + ": a source needs a name");
        if (const json::Value* p = s.find("path")) {
          if (p->is_array()) {
            for (const json::Value& g : p->as_array()) src.paths.push_back(g.as_string());
          } else {
            src.paths.push_back(p->as_string());
          }
        }
        const bool empty_glob =
            std::find(src.paths.begin(), src.paths.end(), std::string()) != src.paths.end();
        if (src.paths.empty() || empty_glob) {
          return fail("line " + std::to_string(s.line()) + ": source '" + src.name +
                      "' has no path (give a file name or a glob such as \"inbox/" + src.name +
                      "/*.csv\")");
        }
        src.options.source = src.name;
        Status st = ParseSourceOptions(s, &src.options);
        if (!st.ok()) return fail(st.message());
        cfg.sources.push_back(std::move(src));
      }
    }
    if (const json::Value* pii = root.find("pii")) {
      CheckKnownKeys(*pii,
                     {"redact", "fields", "email", "phone", "card", "iban", "address", "patterns",
                      "attrs", "customer_ids", "secret_file"},
                     " in pii");
      cfg.pii.redact = pii->get_bool("redact", true);
      text::PiiOptions& o = cfg.pii.options;
      o.email = pii->get_bool("email", o.email);
      o.phone = pii->get_bool("phone", o.phone);
      o.card = pii->get_bool("card", o.card);
      o.iban = pii->get_bool("iban", o.iban);
      o.address = pii->get_bool("address", o.address);
      if (const json::Value* fields = pii->find("fields")) {
        std::vector<std::string> names;
        for (const json::Value& f : fields->as_array()) names.push_back(f.as_string());
        Result<ingest::RedactedFields> parsed = ingest::RedactedFields::FromNames(names);
        if (!parsed.ok())
          return fail("line " + std::to_string(fields->line()) + ": " + parsed.status().message());
        cfg.pii.fields = parsed.value();
      }
      // The older switch for attrs alone: false is the same as leaving attrs out of "fields".
      if (!pii->get_bool("attrs", true)) cfg.pii.fields.attrs = false;
      if (const json::Value* patterns = pii->find("patterns")) {
        for (const json::Value& p : patterns->as_array()) o.patterns.push_back(p.as_string());
      }
      const std::string ids = pii->get_string("customer_ids", "keep");
      if (ids != "keep" && ids != "hash") {
        return fail("line " + std::to_string(pii->find("customer_ids")->line()) +
                    ": pii customer_ids must be \"keep\" or \"hash\"");
      }
      if (ids == "hash") {
        const std::string file = pii->get_string("secret_file", "");
        if (file.empty()) {
          return fail("line " + std::to_string(pii->line()) +
                      ": pii customer_ids \"hash\" needs a secret_file (e.g. head -c 32 "
                      "/dev/urandom > secret.key; chmod 600 secret.key)");
        }
        const std::string path = cfg.Resolve(file);
        std::ifstream in(path, std::ios::binary);
        std::stringstream secret;
        secret << in.rdbuf();
        if (!in || secret.str().size() < 16) {
          return fail("pii secret_file " + path + " cannot be read or holds fewer than 16 bytes");
        }
        cfg.pii.hash_customer_ids = true;
        o.customer_id_secret = secret.str();
      }
    }
    if (const json::Value* plugins = root.find("plugins")) {
      for (const json::Value& p : plugins->as_array()) {
        PluginConfig pc;
        pc.line = p.line();
        if (p.is_string()) {
          pc.name = p.as_string();
        } else {
          pc.name = p.get_string("name");
          if (!p.get_bool("enabled", true)) continue;
          if (const json::Value* c = p.find("config")) {
            if (!c->is_object()) {
              return fail("line " + std::to_string(c->line()) +
                          ": a plugin's config must be an object");
            }
            pc.config_json = json::Dump(*c);
          }
        }
        if (pc.name.empty())
          return fail("line " + std::to_string(p.line()) + ": a plugin needs a name");
        cfg.plugins.push_back(std::move(pc));
      }
    }
    if (const json::Value* paths = root.find("plugin_paths")) {
      for (const json::Value& p : paths->as_array())
        cfg.plugin_paths.push_back(cfg.Resolve(p.as_string()));
    }
  } catch (const json::Error& e) {
    return fail(e.what());
  }
  // Every source redacts with the workspace's settings.
  Result<std::shared_ptr<const text::Redactor>> redactor = MakeRedactor(cfg.pii);
  if (!redactor.ok()) return fail(redactor.status().message());
  for (Source& src : cfg.sources) {
    src.options.redactor = redactor.value();
    src.options.redacted_fields = cfg.pii.fields;
  }
  return cfg;
}

}  // namespace feedloop::config
