#include "feedloop/report/writer.hpp"

#include <unistd.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "feedloop/metrics/store_source.hpp"
#include "feedloop/report/render.hpp"

namespace feedloop::report {
namespace {

namespace fs = std::filesystem;

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + tmp);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) return Status::IoError("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IoError("cannot write " + path + ": " + ec.message());
  }
  return Status::Ok();
}

// UTC seconds of the local midnight starting `day` (days since the epoch, local).
int64_t LocalMidnight(const PeriodClock& clock, int64_t day) {
  int64_t guess = day * 86400;
  int64_t t = guess - clock.OffsetAt(guess);
  return guess - clock.OffsetAt(t);
}

Result<std::vector<std::string>> CheckFormats(const std::vector<std::string>& formats) {
  std::vector<std::string> out;
  for (const std::string& f : formats) {
    std::string g = f == "markdown" ? "md" : f;
    if (g != "html" && g != "md" && g != "json" && g != "csv") {
      return Status::Usage("format '" + f + "' is not one of html, md, json, csv");
    }
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  }
  if (out.empty()) return Status::Usage("no report format requested");
  return out;
}

}  // namespace

Result<int> ParseCompare(const std::string& text) {
  if (text.empty() || text == "previous" || text == "prev") return 1;
  int n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size() || n < 1 || n > 520) {
    return Status::Usage("--compare '" + text +
                         "' is not 'previous' or a number of periods back (1-520)");
  }
  return n;
}

Result<Provenance> ReadProvenance(store::Database& db, int64_t run_id) {
  Provenance p;
  // Without a run: the run that wrote the newest analysis rows (after a run was killed and the
  // next one found nothing left to analyze, that is the killed run, on record as interrupted).
  // Rows without a run (written by hand or an older feedloop): the latest finished run that
  // analyzed items.
  Result<store::Statement> q = db.Prepare(
      "SELECT id, status, coalesce(finished_at, ''), config_hash, details FROM runs WHERE id = "
      "coalesce(?, (SELECT max(run_id) FROM analysis), (SELECT max(id) FROM runs WHERE command "
      "IN ('analyze', 'run') AND status <> 'running' AND analyzed > 0))");
  if (!q.ok()) return q.status();
  if (run_id > 0) {
    q->Bind(1, run_id);
  } else {
    q->BindNull(1);
  }
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (row.value()) {
    p.analyze_run = q->Int(0);
    p.analyze_status = q->String(1);
    p.analyze_finished = q->String(2);
    p.config_hash = q->String(3);
    try {
      json::Value details = json::Parse(q->Text(4));
      if (const json::Value* plugins = details.find("plugins");
          plugins != nullptr && plugins->is_array()) {
        for (const json::Value& v : plugins->as_array()) {
          p.plugins.emplace_back(v.get_string("name"), v.get_string("version"));
        }
      }
      if (const json::Value* skipped = details.find("skipped");
          skipped != nullptr && skipped->is_array()) {
        for (const json::Value& v : skipped->as_array()) {
          if (v.is_string()) p.skipped_plugins.push_back(v.as_string());
        }
      }
      // A run writing its report is still "running", but the analysis it reports on is over.
      if (const json::Value* analyze = details.find("analyze");
          p.analyze_status == "running" && analyze != nullptr && analyze->is_object()) {
        p.analyze_status = analyze->get_string("status");
        p.analyze_finished = analyze->get_string("finished_at");
      }
    } catch (const std::exception&) {
      // Details written by an older feedloop: the run id still says what produced the data.
    }
  }
  q->Reset();
  if (p.analyze_run > 0 && p.plugins.empty()) {
    // An interrupted run recorded no plugin list: the annotations it wrote name them.
    Result<store::Statement> a = db.Prepare(
        "SELECT DISTINCT plugin, version FROM annotations WHERE run_id = ? ORDER BY plugin");
    if (!a.ok()) return a.status();
    a->Bind(1, p.analyze_run);
    while (true) {
      Result<bool> r = a->Step();
      if (!r.ok()) return r.status();
      if (!r.value()) break;
      p.plugins.emplace_back(a->String(0), a->String(1));
    }
  }
  // One order whatever recorded them (a run's plan order, or the annotations'), so that the same
  // analysis always reads the same.
  std::sort(p.plugins.begin(), p.plugins.end());
  if (p.config_hash.empty()) {
    Result<store::Statement> h =
        db.Prepare("SELECT config_hash FROM runs WHERE config_hash <> '' ORDER BY id DESC LIMIT 1");
    if (!h.ok()) return h.status();
    Result<bool> r = h->Step();
    if (!r.ok()) return r.status();
    if (r.value()) p.config_hash = h->String(0);
  }
  for (auto [sql, out] :
       {std::pair<const char*, int64_t*>{"SELECT count(*) FROM items", &p.items_in_store},
        {"SELECT count(*) FROM analysis", &p.analyzed_items},
        {"SELECT coalesce(sum(redactions), 0) FROM items", &p.pii_redacted}}) {
    Result<store::Statement> c = db.Prepare(sql);
    if (!c.ok()) return c.status();
    Result<bool> r = c->Step();
    if (!r.ok()) return r.status();
    *out = c->Int(0);
  }
  return p;
}

namespace {

// What a request asks for, checked, before any data is read.
struct Setup {
  std::vector<std::string> formats;
  ReportOptions options;
  bool last = true;
  std::optional<Period> explicit_period;
  std::shared_ptr<PeriodClock> clock;
};

// Checks the request and fills everything but the period and the provenance. `state_options`:
// the options of a state that exists already (merge), which the request must agree with.
Result<Setup> Prepare(const WriteRequest& req, const metrics::AggregateOptions* state_options) {
  Setup s;
  Result<std::vector<std::string>> formats = CheckFormats(req.formats);
  if (!formats.ok()) return formats.status();
  s.formats = std::move(formats).value();
  Result<int> compare = ParseCompare(req.compare);
  if (!compare.ok()) return compare.status();
  if (req.min_n < 1) return Status::Usage("--min-n must be at least 1");

  ReportOptions& options = s.options;
  options.compare_back = compare.value();
  options.min_n = req.min_n;
  options.emerging_min_count = req.emerging_min_count;
  options.emerging_alpha = req.emerging_alpha;
  options.save_lookback = req.save_lookback;
  if (state_options != nullptr) {
    options.aggregate = *state_options;
  } else {
    if (req.save_candidates < 1) return Status::Usage("--save-candidates must be at least 1");
    options.aggregate.save_candidates = req.save_candidates;
    options.aggregate.time_zone = req.time_zone.empty() ? "UTC" : req.time_zone;
    options.aggregate.segment_fields.clear();
    for (const std::string& seg : req.segments) {
      FEEDLOOP_RETURN_IF_ERROR(metrics::ValidateSegmentField(seg));
      if (std::find(options.aggregate.segment_fields.begin(),
                    options.aggregate.segment_fields.end(),
                    seg) == options.aggregate.segment_fields.end()) {
        options.aggregate.segment_fields.push_back(seg);
      }
    }
  }

  // The period: explicit (its form gives the granularity) or the latest with data.
  s.last = req.period.empty() || req.period == "last";
  if (!s.last) {
    Result<Period> p = ParsePeriod(req.period);
    if (!p.ok()) return p.status();
    s.explicit_period = p.value();
  }
  if (state_options != nullptr) {
    if (s.explicit_period && s.explicit_period->granularity != state_options->granularity) {
      return Status::Usage("--period " + req.period + " is not a period of the partial states, " +
                           "which count by " +
                           std::string(GranularityName(state_options->granularity)) +
                           " (set with stream --partial --granularity)");
    }
  } else if (s.last) {
    Result<Granularity> g = ParseGranularity(req.granularity.empty() ? "week" : req.granularity);
    if (!g.ok()) return g.status();
    options.aggregate.granularity = g.value();
  } else {
    options.aggregate.granularity = s.explicit_period->granularity;
  }
  Result<std::shared_ptr<PeriodClock>> clock =
      PeriodClock::Create(options.aggregate.time_zone, options.aggregate.granularity);
  if (!clock.ok()) return clock.status();
  s.clock = std::move(clock).value();

  // Owners and KPIs.
  std::string taxonomy = req.taxonomy.empty() ? FindDefaultTaxonomy() : req.taxonomy;
  if (!taxonomy.empty()) {
    Result<OwnerTable> owners = OwnerTable::Load(taxonomy);
    if (!owners.ok()) {
      if (!req.taxonomy.empty()) {
        return Status::Usage("--taxonomy: " + owners.status().message());
      }
    } else {
      options.owners = std::move(owners).value();
    }
  }
  return s;
}

// Picks the period from the state, builds the model and writes the requested formats.
Result<WrittenReport> Finish(const metrics::AggregateState& state, Setup& s, Provenance provenance,
                             const WriteRequest& req) {
  ReportOptions& options = s.options;
  if (s.last) {
    bool complete = false;
    std::optional<Period> p = LatestPeriod(state, *s.clock, &complete);
    if (!p) return Status::NotFound("the store holds no dated feedback; run feedloop ingest first");
    options.period = *p;
    options.period_complete = complete;
    options.period_rule = complete ? "last: the latest complete period with data"
                                   : "last: the latest period with data (not complete)";
  } else {
    options.period = *s.explicit_period;
    options.period_complete = PeriodComplete(state, *s.clock, *s.explicit_period);
    options.period_rule = "--period " + req.period;
  }
  options.provenance = std::move(provenance);
  if (!req.config_hash.empty()) options.provenance.config_hash = req.config_hash;

  Result<Report> report = BuildReport(state, options);
  if (!report.ok()) return report.status();

  WrittenReport out;
  out.period = report->period;
  out.out_dir = req.out_dir.empty() ? "reports/" + out.period : req.out_dir;
  std::error_code ec;
  fs::create_directories(out.out_dir, ec);
  if (ec) return Status::IoError("cannot create " + out.out_dir + ": " + ec.message());
  auto write = [&](const std::string& name, const std::string& content) -> Status {
    std::string path = (fs::path(out.out_dir) / name).string();
    FEEDLOOP_RETURN_IF_ERROR(WriteFileAtomically(path, content));
    out.files.push_back(path);
    return Status::Ok();
  };
  for (const std::string& f : s.formats) {
    if (f == "html") FEEDLOOP_RETURN_IF_ERROR(write("report.html", RenderHtml(report.value())));
    if (f == "md") FEEDLOOP_RETURN_IF_ERROR(write("report.md", RenderMarkdown(report.value())));
    if (f == "json") FEEDLOOP_RETURN_IF_ERROR(write("report.json", RenderJson(report.value())));
    if (f == "csv") {
      FEEDLOOP_RETURN_IF_ERROR(write("causes.csv", RenderCausesCsv(report.value())));
      FEEDLOOP_RETURN_IF_ERROR(write("skus.csv", RenderSkusCsv(report.value())));
      FEEDLOOP_RETURN_IF_ERROR(write("save_list.csv", RenderSaveListCsv(report.value())));
    }
  }
  out.report = std::move(report).value();
  return out;
}

}  // namespace

Result<WrittenReport> WriteReport(store::Database& db, const WriteRequest& req) {
  Result<Setup> setup = Prepare(req, nullptr);
  if (!setup.ok()) return setup.status();
  Setup& s = setup.value();
  ReportOptions& options = s.options;

  // Read only the periods the report looks at: the trend, the emerging baseline, the comparison
  // and the save-list look-back before the report period (one more for `last`, which may step
  // back from an incomplete period).
  Period anchor;
  if (s.last) {
    Result<int64_t> latest = metrics::LatestItemTime(db);
    if (!latest.ok()) return latest.status();
    if (latest.value() == kNoTime)
      return Status::NotFound("the store holds no dated feedback; run feedloop ingest first");
    anchor = s.clock->PeriodOf(latest.value());
  } else {
    anchor = *s.explicit_period;
  }
  int64_t reach = std::max({options.trend_periods - 1, options.emerging_window,
                            options.compare_back, options.save_lookback - 1}) +
                  (s.last ? 1 : 0);
  // Samples (quotes, save-list candidates) only where the report uses them: the report period and
  // the save list's look-back (one more for `last`).
  options.aggregate.samples_from = anchor.index - (options.save_lookback - 1) - (s.last ? 1 : 0);
  metrics::StoreReadOptions read;
  read.include_undated = false;
  read.since = LocalMidnight(*s.clock, PeriodStartDay(anchor.Plus(-reach))) - 86400;
  if (!s.last) read.until = LocalMidnight(*s.clock, PeriodStartDay(anchor.Plus(1))) + 86400;
  // One sequential read of most of the file: map it rather than copy it page by page.
  (void)db.Exec("PRAGMA mmap_size=2147418112");
  int threads =
      req.threads > 0 ? req.threads : static_cast<int>(std::thread::hardware_concurrency());
  Result<metrics::AggregateState> state =
      metrics::AggregateStoreParallel(db, options.aggregate, read, std::clamp(threads, 1, 8));
  if (!state.ok()) return state.status();

  Result<Provenance> provenance = ReadProvenance(db, req.run_id);
  if (!provenance.ok()) return provenance.status();
  provenance->database = req.database_label;
  return Finish(state.value(), s, std::move(provenance).value(), req);
}

Result<WrittenReport> WriteReportFromState(const metrics::AggregateState& state,
                                           const WriteRequest& req) {
  Result<Setup> setup = Prepare(req, &state.options);
  if (!setup.ok()) return setup.status();
  Provenance p;
  p.database = req.database_label;
  p.plugins = state.producer.plugins;
  p.shards = state.producer.shards;
  p.pii_redacted = state.producer.redactions;
  p.items_in_store = state.items;
  p.analyzed_items = state.items;
  Result<WrittenReport> out = Finish(state, setup.value(), std::move(p), req);
  if (!out.ok() && out.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("the partial states hold no dated feedback");
  }
  return out;
}

}  // namespace feedloop::report
