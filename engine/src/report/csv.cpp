// The CSV tables: causes.csv, skus.csv and save_list.csv (RFC 4180, CRLF line ends, formula
// injection neutralized in every text field).
#include <cstdio>

#include "feedloop/report/escape.hpp"
#include "feedloop/report/render.hpp"

namespace feedloop::report {
namespace {

std::string Num(std::optional<double> v, int decimals) {
  if (!v) return "";
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, *v);
  return buf;
}

std::string Int(int64_t v) {
  return std::to_string(v);
}

// Builds one CSV document row by row.
class Csv {
 public:
  explicit Csv(std::initializer_list<std::string_view> header) {
    for (std::string_view h : header) Raw(h);
    End();
  }
  Csv& Text(std::string_view v) { return Add(CsvText(v)); }
  Csv& Raw(std::string_view v) { return Add(CsvRaw(v)); }
  void End() {
    out_ += "\r\n";
    first_ = true;
  }
  std::string Take() { return std::move(out_); }

 private:
  Csv& Add(const std::string& field) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += field;
    return *this;
  }
  std::string out_;
  bool first_ = true;
};

std::optional<double> Low(const Metric& m) {
  if (!m.value || !m.ci) return std::nullopt;
  return m.ci->low;
}
std::optional<double> High(const Metric& m) {
  if (!m.value || !m.ci) return std::nullopt;
  return m.ci->high;
}

}  // namespace

std::string RenderCausesCsv(const Report& r) {
  Csv csv({"period",
           "impact_rank",
           "volume_rank",
           "cause",
           "label",
           "owner",
           "kpi",
           "mentions",
           "share_pct",
           "previous_mentions",
           "growth",
           "detractor_share_pct",
           "nps_impact",
           "nps_impact_ci_low",
           "nps_impact_ci_high",
           "nps_answers",
           "impact_change",
           "volume_effect",
           "score_effect",
           "nps",
           "nps_ci_low",
           "nps_ci_high",
           "csat_top2_pct",
           "csat_n",
           "sentiment_mean",
           "sentiment_n",
           "rating_mean",
           "rating_n",
           "csat_impact",
           "rating_impact",
           "n_too_small",
           "emerging",
           "worst_segment",
           "top_quote",
           "nps_impact_n_too_small"});
  for (const CauseRow& c : r.causes) {
    csv.Raw(r.period)
        .Raw(c.impact_rank ? Int(c.impact_rank) : "")
        .Raw(c.volume_rank ? Int(c.volume_rank) : "");
    csv.Text(c.cause)
        .Text(c.label)
        .Text(c.owner)
        .Text(c.kpi)
        .Raw(Int(c.mentions))
        .Raw(Num(c.share, 2));
    csv.Raw(Int(c.previous_mentions)).Raw(Num(c.growth, 3)).Raw(Num(c.detractor_share, 2));
    csv.Raw(Num(c.nps_impact.value, 2))
        .Raw(Num(Low(c.nps_impact), 2))
        .Raw(Num(High(c.nps_impact), 2));
    csv.Raw(Int(c.nps_impact.n));
    if (c.change) {
      csv.Raw(Num(c.change->total, 2)).Raw(Num(c.change->volume, 2)).Raw(Num(c.change->score, 2));
    } else {
      csv.Raw("").Raw("").Raw("");
    }
    csv.Raw(Num(c.nps.value, 2)).Raw(Num(Low(c.nps), 2)).Raw(Num(High(c.nps), 2));
    csv.Raw(Num(c.csat.value, 2))
        .Raw(Int(c.csat.n))
        .Raw(Num(c.sentiment.value, 4))
        .Raw(Int(c.sentiment.n));
    csv.Raw(Num(c.rating.value, 3))
        .Raw(Int(c.rating.n))
        .Raw(Num(c.csat_impact, 2))
        .Raw(Num(c.rating_impact, 3));
    csv.Raw(c.low_n ? "1" : "0").Raw(c.emerging ? "1" : "0");
    csv.Text(c.worst_segment ? c.worst_segment->field + "=" + c.worst_segment->value : "");
    csv.Text(c.quotes.empty() ? "" : c.quotes.front().text);
    csv.Raw(c.nps_impact.low_n ? "1" : "0");
    csv.End();
  }
  return csv.Take();
}

std::string RenderSkusCsv(const Report& r) {
  Csv csv({"period",
           "rank",
           "sku",
           "items",
           "scored",
           "detractor_share_pct",
           "ci_low",
           "ci_high",
           "previous_detractor_share_pct",
           "n_too_small",
           "nps",
           "nps_answers",
           "negative_share_pct",
           "complaints",
           "top_cause",
           "top_cause_count",
           "second_cause",
           "second_cause_count",
           "third_cause",
           "third_cause_count"});
  for (const SkuRow& s : r.skus) {
    csv.Raw(r.period)
        .Raw(s.rank ? Int(s.rank) : "")
        .Text(s.sku)
        .Raw(Int(s.items))
        .Raw(Int(s.scored));
    csv.Raw(Num(s.low_share.value, 2)).Raw(Num(Low(s.low_share), 2)).Raw(Num(High(s.low_share), 2));
    csv.Raw(Num(s.low_share.previous, 2)).Raw(s.low_share.low_n ? "1" : "0");
    csv.Raw(Num(s.nps.value, 2))
        .Raw(Int(s.nps.n))
        .Raw(Num(s.negative_share.value, 2))
        .Raw(Int(s.complaints));
    for (size_t i = 0; i < 3; ++i) {
      if (i < s.top_causes.size()) {
        csv.Text(s.top_causes[i].first).Raw(Int(s.top_causes[i].second));
      } else {
        csv.Raw("").Raw("");
      }
    }
    csv.End();
  }
  return csv.Take();
}

std::string RenderSaveListCsv(const Report& r) {
  Csv csv({"rank", "customer_id", "risk", "complaints_in_window", "complaints_in_period", "reason",
           "cause", "owner", "last_date", "last_source", "last_id", "last_kind", "last_score",
           "last_quote"});
  int rank = 0;
  for (const SaveRow& s : r.save_list) {
    csv.Raw(Int(++rank)).Text(s.customer_id).Raw(Num(s.risk, 2)).Raw(Int(s.complaints));
    csv.Raw(Int(s.complaints_period)).Text(s.reason).Text(s.cause).Text(s.owner).Raw(s.last_date);
    csv.Text(s.last_source)
        .Text(s.last_id)
        .Text(s.last_kind)
        .Raw(Num(s.last_score, 0))
        .Text(SaveQuoteText(s));
    csv.End();
  }
  return csv.Take();
}

}  // namespace feedloop::report
