// The workspace configuration (feedloop.json): where feedback comes from and how it maps, which
// plugins run, how periods are cut and what the report shows. Documented field by field in
// docs/configuration.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/ingest/ingester.hpp"
#include "feedloop/text/pii.hpp"

namespace feedloop::config {

// One feedback source: files matching `paths` (globs, relative to the config's folder) read with
// these options.
struct Source {
  std::string name;
  std::vector<std::string> paths;
  ingest::IngestOptions options;
  int line = 0;  // where it is defined, for messages
};

// A plugin to run, with its configuration (a JSON object, serialized).
struct PluginConfig {
  std::string name;
  std::string config_json;  // empty: the plugin's default config
  int line = 0;
};

// How items are cut into periods.
struct PeriodSettings {
  std::string granularity = "week";  // week (ISO weeks), day or month
  std::string time_zone = "UTC";     // IANA name
};

// What `run` writes and what the report shows.
struct ReportSettings {
  std::vector<std::string> formats = {"html", "md", "json", "csv"};
  std::string out = "reports";  // folder for reports/<period>/
  int min_n = 30;               // below it a figure is shown greyed and not ranked
  std::vector<std::string> segments = {"region", "channel", "source"};
  std::string compare = "previous";  // or a number of periods back
  std::string taxonomy;              // file with owners and KPIs; empty: the default taxonomy
};

// PII redaction before storage (on by default).
struct PiiSettings {
  bool redact = true;  // the fields below of every item, and every reject
  text::PiiOptions options;
  ingest::RedactedFields fields;  // "fields" (and the older "attrs": false)
  // "hash": customer ids pseudonymized with the secret in `secret_file` (options has it).
  bool hash_customer_ids = false;
};

// Builds the redactor the settings ask for (null when redaction is off).
Result<std::shared_ptr<const text::Redactor>> MakeRedactor(const PiiSettings& settings);

struct WorkspaceConfig {
  std::string path;       // the file it was read from
  std::string dir;        // its folder: relative paths resolve from here
  std::string text_hash;  // hash of the file's bytes, recorded on every run
  std::string database = "feedloop.db";
  std::vector<Source> sources;
  std::vector<PluginConfig> plugins;  // empty: the built-in default set
  std::vector<std::string> plugin_paths;
  bool isolate_plugins = false;  // run plugins in a worker process (see --isolate-plugins)
  double plugin_timeout = 60;    // seconds a batch may take in that mode
  PeriodSettings period;
  ReportSettings report;
  PiiSettings pii;

  // Resolves a path from the config relative to its folder.
  std::string Resolve(const std::string& p) const;
  // The source whose globs match `file`, or nullptr.
  const Source* SourceFor(const std::string& file) const;
};

Result<WorkspaceConfig> LoadConfig(const std::string& path);
// How slashed dates read: "mdy" or "month-first", "dmy" or "day-first", in any case; nullopt for
// anything else.
std::optional<DateOrder> ParseDateOrder(std::string_view name);
// Parses source settings shared by the config and presets; `where` prefixes messages.
Status ParseSourceOptions(const json::Value& value, ingest::IngestOptions* options);

}  // namespace feedloop::config
