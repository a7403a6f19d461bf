// `feedloop ingest` and `feedloop rejects`.
#include <fmt/format.h>
#include <algorithm>

#include "common.hpp"
#include "feedloop/config/config.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/ingest/ingester.hpp"

namespace feedloop::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string kind;
  std::string source;
  std::string format;
  std::string preset;
  std::vector<std::string> maps;
  std::string delimiter;
  std::string records;
  std::string date_order;  // empty: the config source's, else mdy
  std::string config;
  size_t max_text_bytes = 64 * 1024;
  bool no_header = false;
  bool no_quotes = false;
  bool strict = false;
  bool repair_utf8 = false;
  bool no_redact = false;
};

std::string CountsLine(const store::IngestCounts& c) {
  std::string line = fmt::format("read {} = stored {} + duplicates {} + rejected {}", c.read,
                                 c.stored, c.duplicates, c.rejected);
  if (c.repaired > 0) line += fmt::format(" ({} repaired UTF-8)", c.repaired);
  if (c.redacted > 0) line += fmt::format(" ({} PII items redacted)", c.redacted);
  return line;
}

// Builds the ingest options for one file: the matching config source, then the flags.
Result<ingest::IngestOptions> OptionsFor(const IngestArgs& a, const config::WorkspaceConfig* cfg,
                                         const std::string& file) {
  ingest::IngestOptions o;
  config::PiiSettings pii = cfg != nullptr ? cfg->pii : config::PiiSettings();
  if (cfg != nullptr) {
    if (const config::Source* src = cfg->SourceFor(file)) o = src->options;
  }
  if (!o.redactor) {
    // No source of the config reads this file: the workspace's redaction all the same.
    Result<std::shared_ptr<const text::Redactor>> r = config::MakeRedactor(pii);
    if (!r.ok()) return r.status();
    o.redactor = r.value();
    o.redacted_fields = pii.fields;
  }
  if (a.no_redact) o.redactor.reset();
  if (!a.kind.empty()) {
    std::optional<Kind> k = ParseKind(a.kind);
    if (!k)
      return Status::Usage("--kind '" + a.kind + "' is not review, nps, csat, ces or transcript");
    o.kind = k;
  }
  if (!a.source.empty()) o.source = a.source;
  if (!a.format.empty()) {
    if (a.format != "jsonl" && a.format != "json" && a.format != "csv") {
      return Status::Usage("--format '" + a.format + "' is not jsonl, json or csv");
    }
    o.format = a.format;
  }
  if (!a.preset.empty()) {
    if (ingest::FindPreset(a.preset) == nullptr) {
      std::string names;
      for (const ingest::Preset& p : ingest::Presets())
        names += (names.empty() ? "" : ", ") + p.name;
      return Status::Usage("unknown preset '" + a.preset + "' (known: " + names + ")");
    }
    o.preset = a.preset;
  }
  for (const std::string& m : a.maps) FEEDLOOP_RETURN_IF_ERROR(o.mapping.Add(m));
  if (!a.delimiter.empty()) {
    std::string d = a.delimiter == "\\t" || a.delimiter == "tab" ? "\t" : a.delimiter;
    if (d.size() != 1) return Status::Usage("--delimiter must be one character (or 'tab')");
    o.delimiter = d[0];
  }
  if (!a.records.empty()) o.records_member = a.records;
  if (!a.date_order.empty()) {
    std::optional<DateOrder> order = config::ParseDateOrder(a.date_order);
    if (!order) return Status::Usage("--date-order must be mdy or dmy");
    o.dates.slashed = *order;
  }
  if (a.max_text_bytes != 64 * 1024) o.max_text_bytes = a.max_text_bytes;
  if (a.no_header) o.csv_header = false;
  if (a.no_quotes) o.csv_quote = 0;
  if (a.repair_utf8) o.repair_utf8 = true;
  return o;
}

int RunIngest(const IngestArgs& a, const GlobalOptions& g) {
  std::optional<config::WorkspaceConfig> cfg;
  if (!a.config.empty()) {
    Result<config::WorkspaceConfig> c = config::LoadConfig(a.config);
    if (!c.ok()) {
      PrintError(c.status().message());
      return kExitUsage;
    }
    cfg = std::move(c).value();
  }
  // Check every file's options before touching the database.
  std::vector<ingest::IngestOptions> options;
  for (const std::string& file : a.files) {
    Result<ingest::IngestOptions> o = OptionsFor(a, cfg ? &*cfg : nullptr, file);
    if (!o.ok()) {
      PrintError(o.status().message());
      return kExitUsage;
    }
    options.push_back(std::move(o).value());
  }
  int exit_code = kExitOk;
  std::unique_ptr<store::Store> db = OpenStore(g.db, true, &exit_code);
  if (!db) return exit_code;
  (void)db->RecoverInterruptedRuns();
  Result<int64_t> run = db->StartRun("ingest", cfg ? cfg->text_hash : "");
  if (!run.ok()) {
    PrintError(run.status().message());
    return kExitFailed;
  }
  ingest::Ingester ingester(*db, run.value());
  store::IngestCounts total;
  std::string details;
  JsonWriter w(details);
  w.BeginObject().Key("files").BeginArray();
  int failed_files = 0;
  for (size_t i = 0; i < a.files.size(); ++i) {
    const std::string& file = a.files[i];
    Result<ingest::FileOutcome> r = ingester.IngestFile(file, options[i]);
    w.BeginObject().Field("path", file);
    if (!r.ok()) {
      PrintError(r.status().message());
      w.Field("error", r.status().message()).EndObject();
      ++failed_files;
      if (r.status().code() == Status::Code::kUsage) exit_code = kExitUsage;
      continue;
    }
    const ingest::FileOutcome& f = r.value();
    total += f.counts;
    w.Field("format", f.format).Field("kind", f.kind).Field("source", f.source);
    w.Field("read", f.counts.read).Field("stored", f.counts.stored);
    w.Field("duplicates", f.counts.duplicates).Field("rejected", f.counts.rejected).EndObject();
    if (!g.quiet) {
      std::printf("%s: %s (%s), kind %s (%s), source %s\n  %s\n", file.c_str(), f.format.c_str(),
                  f.format_reason.c_str(), f.kind.c_str(), f.kind_reason.c_str(), f.source.c_str(),
                  CountsLine(f.counts).c_str());
    }
    if (!f.warning.empty()) PrintWarning(file + ": " + f.warning);
  }
  w.EndArray().EndObject();
  std::string status = failed_files > 0 ? "failed" : total.rejected > 0 ? "partial" : "ok";
  Status st = db->FinishRun(run.value(), status, total, 0, 0, details);
  if (!st.ok()) PrintError(st.message());
  std::printf("ingest run %lld: %s%s\n", static_cast<long long>(run.value()),
              CountsLine(total).c_str(),
              total.Reconciles() ? "" : "  (DOES NOT RECONCILE: please report this)");
  if (total.rejected > 0 && !g.quiet) {
    std::printf("  see the rejects with: feedloop rejects --db %s --run %lld\n", g.db.c_str(),
                static_cast<long long>(run.value()));
  }
  if (exit_code != kExitOk) return exit_code;
  if (failed_files > 0 || !st.ok()) return kExitFailed;
  if (a.strict && total.rejected > 0) return kExitFailed;
  return kExitOk;
}

int RunRejects(std::optional<int64_t> run, int limit, bool as_json, const GlobalOptions& g) {
  int exit_code = kExitOk;
  std::unique_ptr<store::Store> db = OpenStore(g.db, false, &exit_code);
  if (!db) return exit_code;
  if (run) {
    // A run that does not exist is a mistake, not a run without rejects.
    Result<std::vector<store::RunRow>> runs = db->ListRuns(1 << 30);
    if (!runs.ok()) {
      PrintError(runs.status().message());
      return kExitFailed;
    }
    const bool known = std::any_of(runs->begin(), runs->end(),
                                   [&](const store::RunRow& r) { return r.id == *run; });
    if (!known) {
      PrintError("no run " + std::to_string(*run) + " in " + g.db + " (see feedloop history)");
      return kExitUsage;
    }
  }
  Result<std::vector<store::RejectRow>> rows = db->ListRejects(run, limit);
  if (!rows.ok()) {
    PrintError(rows.status().message());
    return kExitFailed;
  }
  for (const store::RejectRow& r : rows.value()) {
    if (as_json) {
      std::string line;
      JsonWriter w(line);
      w.BeginObject().Field("run", r.run_id).Field("file", r.file).Field("record", r.record);
      w.Field("reason", r.reason).Field("excerpt", r.excerpt).EndObject();
      std::printf("%s\n", line.c_str());
    } else {
      std::printf("%s: %s\n    %s\n", r.file.c_str(), r.reason.c_str(), r.excerpt.c_str());
    }
  }
  if (!as_json) std::printf("%zu rejects\n", rows.value().size());
  return kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand("ingest", "Read feedback files into the database");
  cmd->add_option("files", args->files, "Files to ingest (JSONL, JSON, CSV; - for stdin)")
      ->required();
  cmd->add_option("--kind", args->kind, "review, nps, csat, ces or transcript (default: inferred)");
  cmd->add_option("--source", args->source, "Source name (default: the file's name)");
  cmd->add_option("--format", args->format, "jsonl, json or csv (default: from the extension)");
  cmd->add_option("--preset", args->preset,
                  "Export shape: trustpilot, delighted, zendesk, support-chat-csv");
  cmd->add_option("--map", args->maps, "FIELD=COLUMN; repeat; text=Title+Body joins columns");
  cmd->add_option("--delimiter", args->delimiter,
                  "CSV delimiter (default: detected; 'tab' for tabs)");
  cmd->add_option("--records", args->records, "JSON member holding the records, e.g. tickets");
  cmd->add_option("--date-order", args->date_order,
                  "How to read 03/04/2026: mdy or dmy (default: the config source's, else mdy)");
  cmd->add_option("--max-text-bytes", args->max_text_bytes, "Longest text accepted")
      ->capture_default_str();
  cmd->add_option("--config", args->config, "Workspace config whose sources map these files");
  cmd->add_flag("--no-header", args->no_header,
                "The CSV has no header row (columns are 1, 2, ...)");
  cmd->add_flag("--no-quotes", args->no_quotes, "The CSV does not use quoting (plain TSV)");
  cmd->add_flag("--repair-utf8", args->repair_utf8,
                "Replace invalid UTF-8 with U+FFFD instead of rejecting the record");
  cmd->add_flag("--no-redact", args->no_redact,
                "Store e-mail addresses, phone and card numbers, IBANs and addresses as written");
  cmd->add_flag("--strict", args->strict, "Exit 1 when any record is rejected");
  cmd->callback([args, &global, &exit_code] { exit_code = RunIngest(*args, global); });

  (void)cmd;
}

void AddRejectsCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  struct Args {
    int64_t run = 0;
    int limit = 1000;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("rejects", "List rejected records with their reasons");
  cmd->add_option("--run", args->run, "Run id (default: the latest run with rejects)");
  cmd->add_option("--limit", args->limit, "At most this many")->capture_default_str();
  cmd->add_flag("--json", args->json, "One JSON object per line");
  cmd->callback([args, &global, &exit_code] {
    std::optional<int64_t> run;
    if (args->run > 0) run = args->run;
    exit_code = RunRejects(run, args->limit, args->json, global);
  });
}

}  // namespace feedloop::cli
