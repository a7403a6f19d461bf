// The "feedloop-report" JSON (docs/report-schema.md): every figure of the model.
#include "feedloop/core/json_writer.hpp"
#include "feedloop/report/render.hpp"

namespace feedloop::report {
namespace {

void Opt(JsonWriter& w, const std::optional<double>& v, int decimals = 4) {
  if (v) {
    w.Fixed(*v, decimals);
  } else {
    w.Null();
  }
}

void WriteMetric(JsonWriter& w, const Metric& m, int decimals = 4) {
  w.BeginObject().Key("value");
  Opt(w, m.value, decimals);
  w.Field("n", m.n).Field("low_n", m.low_n).Key("ci95");
  if (m.value && m.ci) {
    w.BeginArray().Fixed(m.ci->low, decimals).Fixed(m.ci->high, decimals).EndArray();
  } else {
    w.Null();
  }
  w.Key("previous");
  Opt(w, m.previous, decimals);
  w.Field("previous_n", m.previous_n).Key("delta");
  Opt(w, m.Delta(), decimals);
  w.Key("trend").BeginArray();
  for (const std::optional<double>& v : m.trend) Opt(w, v, decimals);
  w.EndArray().EndObject();
}

void WriteCount(JsonWriter& w, const Count& c) {
  w.BeginObject().Field("name", c.name).Field("count", c.count).Field("previous", c.previous);
  w.Key("trend").BeginArray();
  for (int64_t v : c.trend) w.Int(v);
  w.EndArray().EndObject();
}

void WriteCauseCounts(JsonWriter& w, const std::vector<std::pair<std::string, int64_t>>& causes) {
  w.BeginArray();
  for (const auto& [name, n] : causes)
    w.BeginObject().Field("cause", name).Field("count", n).EndObject();
  w.EndArray();
}

void WriteHeadline(JsonWriter& w, const Headline& h) {
  w.BeginObject().Key("nps");
  WriteMetric(w, h.nps, 2);
  w.Field("promoters", h.promoters).Field("passives", h.passives).Field("detractors", h.detractors);
  w.Key("csat_top2");
  WriteMetric(w, h.csat, 2);
  w.Key("csat_mean");
  WriteMetric(w, h.csat_mean, 3);
  w.Key("ces_mean");
  WriteMetric(w, h.ces, 3);
  w.Key("rating_mean");
  WriteMetric(w, h.rating, 3);
  w.Key("sentiment_mean");
  WriteMetric(w, h.sentiment, 4);
  w.Key("sentiment_mix").BeginObject().Key("positive");
  WriteMetric(w, h.positive, 2);
  w.Key("neutral");
  WriteMetric(w, h.neutral, 2);
  w.Key("negative");
  WriteMetric(w, h.negative, 2);
  w.EndObject().Key("volume");
  WriteCount(w, h.volume);
  w.Field("complaints", h.complaints).Key("by_kind").BeginArray();
  for (const Count& c : h.by_kind) WriteCount(w, c);
  w.EndArray().Key("by_source").BeginArray();
  for (const Count& c : h.by_source) WriteCount(w, c);
  w.EndArray().EndObject();
}

void WriteQuote(JsonWriter& w, const QuoteView& q) {
  w.BeginObject().Field("text", q.text).Key("evidence").BeginArray();
  for (const metrics::Span& s : q.evidence) w.BeginArray().Int(s.begin).Int(s.end).EndArray();
  w.EndArray()
      .Field("source", q.source)
      .Field("id", q.id)
      .Field("kind", q.kind)
      .Field("date", q.date)
      .Key("score");
  Opt(w, q.score, 2);
  w.EndObject();
}

void WriteCause(JsonWriter& w, const CauseRow& r) {
  w.BeginObject()
      .Field("cause", r.cause)
      .Field("label", r.label)
      .Field("owner", r.owner)
      .Field("kpi", r.kpi)
      .Field("mentions", r.mentions)
      .Field("root_cause_items", r.root_count)
      .Field("previous_mentions", r.previous_mentions)
      .Key("share")
      .Fixed(r.share, 2)
      .Key("detractor_share");
  Opt(w, r.detractor_share, 2);
  w.Key("growth");
  Opt(w, r.growth, 3);
  w.Field("low_n", r.low_n)
      .Field("impact_rank", r.impact_rank)
      .Field("volume_rank", r.volume_rank)
      .Field("emerging", r.emerging)
      .Key("nps_impact");
  WriteMetric(w, r.nps_impact, 2);
  w.Key("impact_change");
  if (r.change) {
    w.BeginObject()
        .Key("total")
        .Fixed(r.change->total, 2)
        .Key("volume_effect")
        .Fixed(r.change->volume, 2)
        .Key("score_effect")
        .Fixed(r.change->score, 2)
        .EndObject();
  } else {
    w.Null();
  }
  w.Key("csat_impact");
  Opt(w, r.csat_impact, 2);
  w.Key("rating_impact");
  Opt(w, r.rating_impact, 3);
  w.Key("nps");
  WriteMetric(w, r.nps, 2);
  w.Key("csat_top2");
  WriteMetric(w, r.csat, 2);
  w.Key("sentiment_mean");
  WriteMetric(w, r.sentiment, 4);
  w.Key("rating_mean");
  WriteMetric(w, r.rating, 3);
  w.Key("worst_segment");
  if (r.worst_segment) {
    const SegmentLift& s = *r.worst_segment;
    w.BeginObject()
        .Field("field", s.field)
        .Field("value", s.value)
        .Key("rate")
        .Fixed(s.rate, 2)
        .Key("overall")
        .Fixed(s.overall, 2)
        .Field("mentions", s.mentions)
        .Field("complaints", s.complaints)
        .EndObject();
  } else {
    w.Null();
  }
  w.Key("trend").BeginArray();
  for (int64_t n : r.trend) w.Int(n);
  w.EndArray().Key("quotes").BeginArray();
  for (const QuoteView& q : r.quotes) WriteQuote(w, q);
  w.EndArray().EndObject();
}

void WriteEmerging(JsonWriter& w, const EmergingRow& e) {
  w.BeginObject()
      .Field("type", e.type)
      .Field("name", e.name)
      .Field("label", e.label)
      .Field("owner", e.owner)
      .Field("count", e.count)
      .Key("baseline")
      .BeginArray();
  for (int64_t n : e.baseline) w.Int(n);
  w.EndArray()
      .Key("expected")
      .Fixed(e.expected, 3)
      .Key("z")
      .Fixed(e.z, 3)
      .Key("p_value")
      .Number(e.p_value)
      .Field("rule", e.rule)
      .EndObject();
}

void WriteSku(JsonWriter& w, const SkuRow& r) {
  w.BeginObject().Field("sku", r.sku).Field("items", r.items).Field("scored", r.scored);
  w.Field("rank", r.rank).Key("detractor_share");
  WriteMetric(w, r.low_share, 2);
  w.Key("nps");
  WriteMetric(w, r.nps, 2);
  w.Key("negative_share");
  WriteMetric(w, r.negative_share, 2);
  w.Field("complaints", r.complaints).Key("top_causes");
  WriteCauseCounts(w, r.top_causes);
  w.EndObject();
}

void WriteSegments(JsonWriter& w, const std::vector<SegmentTable>& tables) {
  w.BeginArray();
  for (const SegmentTable& t : tables) {
    w.BeginObject().Field("field", t.field).Key("values").BeginArray();
    for (const SegmentRow& r : t.rows) {
      w.BeginObject()
          .Field("value", r.value)
          .Field("items", r.items)
          .Field("low_n", r.low_n)
          .Key("nps");
      WriteMetric(w, r.nps, 2);
      w.Key("detractor_share");
      WriteMetric(w, r.low_share, 2);
      w.Key("negative_share");
      WriteMetric(w, r.negative_share, 2);
      w.Key("top_cause");
      if (r.top_cause) {
        w.BeginObject()
            .Field("cause", r.top_cause->first)
            .Field("count", r.top_cause->second)
            .EndObject();
      } else {
        w.Null();
      }
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
}

void WriteTranscripts(JsonWriter& w, const TranscriptView& t) {
  w.BeginObject()
      .Field("conversations", t.conversations)
      .Field("answered", t.answered)
      .Field("unanswered", t.unanswered)
      .Key("first_response_median_minutes");
  WriteMetric(w, t.first_response_median, 1);
  w.Key("first_response_p90_minutes");
  WriteMetric(w, t.first_response_p90, 1);
  w.Field("p90_open_ended", t.p90_open_ended).Key("resolution");
  WriteMetric(w, t.resolution, 2);
  w.Key("post_chat_csat_top2");
  WriteMetric(w, t.post_chat_csat, 2);
  w.Key("start_sentiment");
  WriteMetric(w, t.start_sentiment, 4);
  w.Key("end_sentiment");
  WriteMetric(w, t.end_sentiment, 4);
  w.Field("ended_better", t.ended_better)
      .Field("ended_worse", t.ended_worse)
      .Field("ended_same", t.ended_same);
  w.Key("top_causes");
  WriteCauseCounts(w, t.causes);
  w.Key("first_response_histogram").BeginArray();
  for (size_t i = 0; i < t.histogram.size(); ++i) {
    w.BeginObject().Field("min_minutes",
                          i == 0 ? int64_t{0} : metrics::kResponseBucketBounds[i - 1]);
    w.Key("max_minutes");
    if (i < metrics::kResponseBucketBounds.size()) {
      w.Int(metrics::kResponseBucketBounds[i]);
    } else {
      w.Null();
    }
    w.Field("count", t.histogram[i]).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteSave(JsonWriter& w, const SaveRow& r) {
  w.BeginObject()
      .Field("customer_id", r.customer_id)
      .Key("risk")
      .Fixed(r.risk, 2)
      .Field("complaints", r.complaints)
      .Field("complaints_in_period", r.complaints_period)
      .Field("reason", r.reason)
      .Field("cause", r.cause)
      .Field("owner", r.owner)
      .Field("last_date", r.last_date)
      .Field("last_source", r.last_source)
      .Field("last_id", r.last_id)
      .Field("last_kind", r.last_kind)
      .Key("last_score");
  Opt(w, r.last_score, 2);
  w.Field("quote", r.quote).Field("has_comment", !r.quote.empty()).EndObject();
}

void WriteProvenance(JsonWriter& w, const Report& r) {
  const Provenance& p = r.provenance;
  w.BeginObject()
      .Field("database", p.database)
      .Field("analyze_run", p.analyze_run)
      .Field("analyze_status", p.analyze_status)
      .Field("analyze_finished", p.analyze_finished)
      .Key("plugins")
      .BeginArray();
  for (const auto& [name, version] : p.plugins) {
    w.BeginObject().Field("name", name).Field("version", version).EndObject();
  }
  w.EndArray().Key("skipped_plugins").BeginArray();
  for (const std::string& s : p.skipped_plugins) w.String(s);
  w.EndArray()
      .Field("config_hash", p.config_hash)
      .Field("items_in_store", p.items_in_store)
      .Field("analyzed_items", p.analyzed_items)
      .Field("shards", p.shards)
      .Field("pii_redacted", p.pii_redacted)
      .Field("owners", r.owners_source)
      .EndObject();
}

}  // namespace

std::string RenderJson(const Report& r) {
  std::string out;
  JsonWriter w(out);
  const ReportOptions& o = r.options;
  w.BeginObject()
      .Field("format", "feedloop-report")
      .Field("version", kReportJsonVersion)
      .Key("period")
      .BeginObject()
      .Field("id", r.period)
      .Field("start", r.period_start)
      .Field("end", r.period_end)
      .Field("granularity", r.granularity)
      .Field("time_zone", r.time_zone)
      .Field("complete", r.period_complete)
      .Field("rule", r.period_rule)
      .Field("compare", r.compare)
      .EndObject()
      .Key("options")
      .BeginObject()
      .Field("min_n", o.min_n)
      .Field("compare_back", o.compare_back)
      .Field("trend_periods", o.trend_periods)
      .Key("segments")
      .BeginArray();
  for (const std::string& f : o.aggregate.segment_fields) w.String(f);
  w.EndArray()
      .Key("emerging")
      .BeginObject()
      .Field("test", "poisson-upper-tail")
      .Field("window", o.emerging_window)
      .Field("min_count", o.emerging_min_count)
      .Field("alpha", o.emerging_alpha)
      .Field("rare_max", o.rare_max)
      .Field("rare_min", o.rare_min)
      .EndObject()
      .Field("save_lookback", o.save_lookback)
      .EndObject()
      .Key("trend_periods")
      .BeginArray();
  for (const std::string& l : r.trend_labels) w.String(l);
  w.EndArray().Key("headline");
  WriteHeadline(w, r.headline);
  w.Key("actions").BeginArray();
  for (const Action& a : r.actions) {
    w.BeginObject()
        .Field("cause", a.cause)
        .Field("text", a.text)
        .Field("owner", a.owner)
        .Field("kpi", a.kpi)
        .EndObject();
  }
  w.EndArray().Key("causes").BeginArray();
  for (const CauseRow& c : r.causes) WriteCause(w, c);
  w.EndArray().Key("emerging").BeginArray();
  for (const EmergingRow& e : r.emerging) WriteEmerging(w, e);
  w.EndArray().Key("skus").BeginArray();
  for (const SkuRow& s : r.skus) WriteSku(w, s);
  w.EndArray().Key("hotspots").BeginArray();
  for (const Hotspot& h : r.hotspots) {
    w.BeginObject()
        .Field("sku", h.sku)
        .Field("cause", h.cause)
        .Field("label", h.label)
        .Field("owner", h.owner)
        .Field("mentions", h.mentions)
        .Field("items", h.items)
        .Key("rate")
        .Fixed(h.rate, 2)
        .Key("overall")
        .Fixed(h.overall, 2)
        .Key("excess")
        .Fixed(h.excess, 2)
        .EndObject();
  }
  w.EndArray().Key("segments");
  WriteSegments(w, r.segments);
  w.Key("transcripts");
  WriteTranscripts(w, r.transcripts);
  // The save list's head; the whole list is save_list.csv (it can hold every complaining customer).
  w.Field("save_list_total", static_cast<int64_t>(r.save_list.size()))
      .Key("save_list")
      .BeginArray();
  for (size_t i = 0; i < r.save_list.size() && i < kJsonSaveListMax; ++i)
    WriteSave(w, r.save_list[i]);
  w.EndArray().Key("heat_map").BeginObject().Key("causes").BeginArray();
  for (const std::string& c : r.heat.causes) w.String(c);
  w.EndArray().Key("counts").BeginArray();
  for (const auto& row : r.heat.counts) {
    w.BeginArray();
    for (int64_t n : row) w.Int(n);
    w.EndArray();
  }
  w.EndArray().EndObject().Key("notes").BeginArray();
  for (const std::string& n : r.notes) w.String(n);
  w.EndArray().Key("provenance");
  WriteProvenance(w, r);
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace feedloop::report
