// `feedloop report`: writes a period's improvement report (HTML, Markdown, JSON, CSV) from the
// store and prints the paths of the files it wrote.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "common.hpp"
#include "feedloop/config/config.hpp"
#include "feedloop/metrics/aggregate.hpp"
#include "feedloop/report/writer.hpp"
#include "run_command.hpp"

namespace feedloop::cli {
namespace {

struct ReportArgs {
  std::string config;
  std::string period = "last";
  std::string compare;
  std::vector<std::string> segments;
  std::vector<std::string> formats;
  std::string out;
  std::string time_zone;
  std::string granularity;
  int min_n = 0;  // 0: the config's, else 30
  std::string taxonomy;
  int emerging_min_count = 5;
  double emerging_alpha = 0.001;
  int save_lookback = 4;
  int64_t save_candidates = metrics::AggregateOptions().save_candidates;
  int threads = 0;
};

// "html,md" and repeated flags both work.
std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    std::stringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
  }
  return out;
}

// The request of `report` and `merge`: the config's settings (when --config is given), then
// the flags over them.
Result<report::WriteRequest> RequestFor(const ReportArgs& a, std::string* db_path, bool db_given) {
  report::WriteRequest req;
  if (!a.config.empty()) {
    Result<config::WorkspaceConfig> cfg = config::LoadConfig(a.config);
    if (!cfg.ok()) return Status::Usage(cfg.status().message());
    if (!db_given) *db_path = cfg->Resolve(cfg->database);
    req = ReportRequestFor(cfg.value());
  }
  req.period = a.period;
  if (!a.compare.empty()) req.compare = a.compare;
  if (!a.segments.empty()) {
    // --segment adds to the defaults (or the config's); a segment named twice counts once.
    for (const std::string& s : SplitList(a.segments)) req.segments.push_back(s);
  }
  if (!a.formats.empty()) req.formats = SplitList(a.formats);
  if (!a.time_zone.empty()) req.time_zone = a.time_zone;
  if (!a.granularity.empty()) req.granularity = a.granularity;
  if (a.min_n != 0) req.min_n = a.min_n;
  if (!a.taxonomy.empty()) req.taxonomy = a.taxonomy;
  req.out_dir = a.out;
  req.emerging_min_count = a.emerging_min_count;
  req.emerging_alpha = a.emerging_alpha;
  req.save_lookback = a.save_lookback;
  req.save_candidates = a.save_candidates;
  req.threads = a.threads;
  req.database_label = *db_path;
  return req;
}

// Prints the files written, and a summary line on stderr.
int PrintWritten(const Result<report::WrittenReport>& written, const GlobalOptions& g) {
  if (!written.ok()) {
    PrintError(written.status().message());
    return ExitCodeFor(written.status());
  }
  for (const std::string& f : written->files) std::printf("%s\n", f.c_str());
  if (!g.quiet) {
    const report::Report& r = written->report;
    std::fprintf(
        stderr, "report %s: %lld items, %zu causes, %zu emerging, %zu customers on the save list\n",
        r.period.c_str(), static_cast<long long>(r.headline.volume.count), r.causes.size(),
        r.emerging.size(), r.save_list.size());
    for (const std::string& n : r.notes) std::fprintf(stderr, "report: note: %s\n", n.c_str());
  }
  return kExitOk;
}

int RunReport(const ReportArgs& a, const GlobalOptions& g, bool db_given) {
  std::string db_path = g.db;
  Result<report::WriteRequest> req = RequestFor(a, &db_path, db_given);
  if (!req.ok()) {
    PrintError(req.status().message());
    return kExitUsage;
  }
  int exit_code = kExitOk;
  std::unique_ptr<store::Store> db = OpenStore(db_path, false, &exit_code);
  if (!db) return exit_code;
  return PrintWritten(report::WriteReport(db->db(), req.value()), g);
}

// Reads every state of `path` ("-": stdin): one per line, as `stream --partial` writes them and
// as concatenated shard outputs (a Hadoop reducer's input, `cat`) hold them.
Status MergeFile(const std::string& path, std::optional<metrics::AggregateState>* into,
                 int64_t* states) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    if (std::filesystem::is_directory(path))
      return Status::Usage(path + ": is a directory, not a partial state");
    file.open(path, std::ios::binary);
    if (!file) return Status::IoError(path + ": cannot read (" + std::strerror(errno) + ")");
    in = &file;
  }
  std::string line;
  int64_t number = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Result<metrics::AggregateState> state = metrics::StateFromJson(line);
    if (!state.ok()) {
      return Status::InvalidInput(path + ":" + std::to_string(number) + ": " +
                                  state.status().message());
    }
    ++*states;
    if (!into->has_value()) {
      *into = std::move(state).value();
      continue;
    }
    Status st = metrics::MergeInto(**into, state.value());
    if (!st.ok())
      return Status::InvalidInput(path + ":" + std::to_string(number) + ": " + st.message());
  }
  if (in->bad()) return Status::IoError(path + ": read error");
  return Status::Ok();
}

int RunMerge(const std::vector<std::string>& partials, const ReportArgs& a,
             const GlobalOptions& g) {
  std::string label;
  Result<report::WriteRequest> req = RequestFor(a, &label, true);
  if (!req.ok()) {
    PrintError(req.status().message());
    return kExitUsage;
  }
  std::optional<metrics::AggregateState> state;
  int64_t states = 0;
  for (const std::string& path : partials) {
    Status st = MergeFile(path, &state, &states);
    if (!st.ok()) {
      PrintError(st.message());
      return st.code() == Status::Code::kUsage ? kExitUsage : kExitFailed;
    }
  }
  if (!state) {
    PrintError("no partial state in " + std::to_string(partials.size()) + " input(s)");
    return kExitFailed;
  }
  req->database_label = std::to_string(states) + " partial state(s)";
  if (!g.quiet) {
    std::fprintf(
        stderr,
        "merge: %lld state(s) of %lld shard(s), %lld items (%lld input lines, %lld not items)\n",
        static_cast<long long>(states), static_cast<long long>(state->producer.shards),
        static_cast<long long>(state->items), static_cast<long long>(state->producer.lines),
        static_cast<long long>(state->producer.errors));
  }
  return PrintWritten(report::WriteReportFromState(*state, req.value()), g);
}

// The options of the report itself, shared by `report` and `merge`.
void AddReportOptions(CLI::App* cmd, ReportArgs& args) {
  cmd->add_option("--period", args.period,
                  "2026-W47, 2026-11, 2026-11-16, or last (the latest complete period)")
      ->capture_default_str();
  cmd->add_option("--compare", args.compare,
                  "Comparison period: previous (default) or N periods back");
  cmd->add_option("--format", args.formats, "Formats: html,md,json,csv (default: all)");
  cmd->add_option("--out", args.out, "Output folder (default: reports/<period>)");
  cmd->add_option("--min-n", args.min_n,
                  "Below this n a figure is greyed and not ranked (default 30)");
  cmd->add_option("--taxonomy", args.taxonomy,
                  "Taxonomy JSON with owners and KPIs (default: the installed one)");
  cmd->add_option("--config", args.config,
                  "Workspace config: its database, period and report settings");
  cmd->add_option("--emerging-min-count", args.emerging_min_count,
                  "Fewer mentions are never emerging")
      ->capture_default_str();
  cmd->add_option("--emerging-alpha", args.emerging_alpha,
                  "Poisson tail probability that flags a count")
      ->capture_default_str();
  cmd->add_option("--save-lookback", args.save_lookback,
                  "Periods of complaints in a customer's risk")
      ->capture_default_str();
  cmd->add_option("--save-candidates", args.save_candidates,
                  "Save-list candidates kept per period, the riskiest")
      ->capture_default_str();
}

}  // namespace

report::WriteRequest ReportRequestFor(const config::WorkspaceConfig& cfg) {
  report::WriteRequest req;
  req.granularity = cfg.period.granularity;
  req.time_zone = cfg.period.time_zone;
  req.formats = cfg.report.formats;
  req.min_n = cfg.report.min_n;
  req.segments = cfg.report.segments;
  req.compare = cfg.report.compare;
  if (!cfg.report.taxonomy.empty()) req.taxonomy = cfg.Resolve(cfg.report.taxonomy);
  req.config_hash = cfg.text_hash;
  req.database_label = cfg.Resolve(cfg.database);
  return req;
}

void AddReportCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write a period's improvement report: report.html, report.md, report.json and CSV tables");
  AddReportOptions(cmd, *args);
  cmd->add_option("--segment", args->segments,
                  "Extra segment field: channel, region, source, kind, language, sku or attrs.NAME "
                  "(repeatable)");
  cmd->add_option("--time-zone", args->time_zone,
                  "IANA time zone periods are cut in (default UTC)");
  cmd->add_option("--granularity", args->granularity,
                  "week (default), day or month, for --period last");
  cmd->add_option("--threads", args->threads, "Readers of the store (default: one per core)");
  CLI::App* parent = &app;
  cmd->callback([args, parent, &global, &exit_code] {
    bool db_given = parent->get_option("--db")->count() > 0;
    exit_code = RunReport(*args, global, db_given);
  });

  auto merge_args = std::make_shared<ReportArgs>();
  auto partials = std::make_shared<std::vector<std::string>>();
  CLI::App* merge = app.add_subcommand(
      "merge",
      "Merge the partial states of `stream --partial` shards into the report a single run would "
      "give");
  merge
      ->add_option("partials", *partials,
                   "Partial state files ('-': stdin); a file may hold several, one per line")
      ->required();
  AddReportOptions(merge, *merge_args);
  merge->callback([merge_args, partials, &global, &exit_code] {
    exit_code = RunMerge(*partials, *merge_args, global);
  });
}

}  // namespace feedloop::cli
