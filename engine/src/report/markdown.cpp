// The Markdown report: the HTML report's content as text and tables, for a wiki page or a chat
// post. Every piece of data is escaped, so a quote cannot add links, images or HTML.
#include <algorithm>
#include <cmath>

#include "feedloop/report/escape.hpp"
#include "feedloop/report/render.hpp"
#include "text_util.hpp"

namespace feedloop::report {
namespace {

using detail::Fmt;

std::string E(std::string_view s) {
  return EscapeMarkdown(s);
}

std::string Delta(std::optional<double> d, int decimals) {
  if (!d) return "n/a";
  return FormatSigned(d, decimals);
}

// A trend as one line of block characters scaled to its own range (oldest first); "·" where a
// period has no value, a flat middle line when every value is the same.
std::string Sparkline(const std::vector<std::optional<double>>& values) {
  static const char* const kBlocks[] = {"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83",
                                        "\xE2\x96\x84", "\xE2\x96\x85", "\xE2\x96\x86",
                                        "\xE2\x96\x87", "\xE2\x96\x88"};
  double low = 0, high = 0;
  bool any = false;
  for (const std::optional<double>& v : values) {
    if (!v) continue;
    low = any ? std::min(low, *v) : *v;
    high = any ? std::max(high, *v) : *v;
    any = true;
  }
  std::string out;
  for (const std::optional<double>& v : values) {
    if (!v) {
      out += "\xC2\xB7";
      continue;
    }
    int level = high > low ? static_cast<int>(std::lround((*v - low) / (high - low) * 7)) : 3;
    out += kBlocks[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string MetricText(const Metric& m, int decimals, const std::string& unit = "") {
  std::string s = FormatNumber(m.value, decimals) + (m.value ? unit : "");
  s += " (n " + std::to_string(m.n) + (m.low_n && m.n > 0 ? ", n too small" : "") + ")";
  return m.low_n && m.value ? "_" + s + "_" : s;
}

class Doc {
 public:
  explicit Doc(const Report& r) : r_(r) {}

  std::string Render() {
    Header();
    Headline();
    Actions();
    Causes();
    Emerging();
    Quotes();
    Skus();
    Segments();
    Transcripts();
    SaveList();
    Footer();
    return std::move(out_);
  }

 private:
  void L(const std::string& s = "") { out_ += s + "\n"; }

  void Header() {
    L("# Customer feedback \xE2\x80\x94 " + E(r_.period) + " (" + E(r_.period_start) + " to " +
      E(r_.period_end) + ")");
    L();
    L("Compared with " + E(r_.compare) + " \xC2\xB7 " + E(r_.granularity) + "s in " +
      E(r_.time_zone) + " \xC2\xB7 figures below n " + std::to_string(r_.min_n) +
      " are in italics and not ranked.");
    L();
    // One quote block per note: consecutive quoted lines would run together into one paragraph.
    for (const std::string& n : r_.notes) {
      L("> **Note:** " + E(n));
      L();
    }
  }

  void Headline() {
    const report::Headline& h = r_.headline;
    L("## Headline");
    L();
    L("| Figure | " + E(r_.period) + " (95% CI) | vs " + E(r_.compare) + " | n | " + TrendHeader() +
      " |");
    L("|---|---:|---:|---:|---|");
    auto row = [&](const std::string& name, const Metric& m, int decimals,
                   const std::string& unit) {
      std::string v = FormatNumber(m.value, decimals) + (m.value ? unit : "");
      if (m.value && m.low_n) {
        v = "_" + v + ", n too small_";
      } else if (m.value && m.ci) {
        v += " (" + detail::CiText(*m.ci, decimals) + ")";
      }
      L("| " + name + " | " + v + " | " + Delta(m.Delta(), decimals) + " | " + std::to_string(m.n) +
        " | " + Sparkline(m.trend) + " |");
    };
    row("NPS (" + std::to_string(h.promoters) + " promoters, " + std::to_string(h.passives) +
            " passives, " + std::to_string(h.detractors) + " detractors)",
        h.nps, 1, "");
    row("CSAT, % 4-5" +
            (h.csat_mean.value ? " (mean " + FormatNumber(h.csat_mean.value, 2) + ")" : ""),
        h.csat, 1, "%");
    row("CES mean (1-7, higher is easier)", h.ces, 2, "");
    row("Mean rating", h.rating, 2, "");
    std::string mix;
    if (h.positive.value) {
      mix = " (" + FormatNumber(h.positive.value, 0) + "% positive, " +
            FormatNumber(h.neutral.value, 0) + "% neutral, " + FormatNumber(h.negative.value, 0) +
            "% negative)";
    }
    row("Mean sentiment" + mix, h.sentiment, 2, "");
    L("| Feedback items | " + std::to_string(h.volume.count) + " | " + CountDelta(h.volume) +
      " | | " + Sparkline(CountTrend(h.volume)) + " |");
    L();
    if (std::find(r_.heat.has_data.begin(), r_.heat.has_data.end(), true) !=
        r_.heat.has_data.end()) {
      L("Trends: oldest first, \xE2\x96\x81 lowest to \xE2\x96\x88 highest of each figure's "
        "own range, \xC2\xB7 no data.");
      L();
    }
    Volumes("Kind", h.by_kind);
    Volumes("Source", h.by_source);
    TrendValues();
  }

  // "Trend W36-W47": the header of a sparkline column.
  std::string TrendHeader() const {
    if (r_.trend_labels.empty()) return "Trend";
    return "Trend " + E(detail::ShortLabel(r_.trend_labels.front())) + "\xE2\x80\x93" +
           E(detail::ShortLabel(r_.trend_labels.back()));
  }

  static std::string CountDelta(const Count& c) {
    return FormatSigned(static_cast<double>(c.count - c.previous), 0);
  }

  // Counts as a trend; periods without any feedback are gaps, not zeros.
  std::vector<std::optional<double>> CountTrend(const Count& c) const {
    std::vector<std::optional<double>> out;
    for (size_t i = 0; i < c.trend.size(); ++i) {
      bool data = i < r_.heat.has_data.size() && r_.heat.has_data[i];
      out.push_back(data ? std::optional<double>(static_cast<double>(c.trend[i])) : std::nullopt);
    }
    return out;
  }

  // Items per kind or source, with the change and the trend; nothing when there are none.
  void Volumes(const std::string& what, const std::vector<Count>& counts) {
    if (counts.empty()) return;
    L("| " + what + " | " + E(r_.period) + " | vs " + E(r_.compare) + " | " + TrendHeader() + " |");
    L("|---|---:|---:|---|");
    for (const Count& c : counts) {
      L("| " + E(c.name) + " | " + std::to_string(c.count) + " | " + CountDelta(c) + " | " +
        Sparkline(CountTrend(c)) + " |");
    }
    L();
  }

  // The headline figures period by period: the numbers behind the sparklines. Figures without
  // data in any of the periods are left out, and the table when none has any.
  void TrendValues() {
    const report::Headline& h = r_.headline;
    struct Row {
      std::string name;
      std::vector<std::optional<double>> values;
      int decimals;
    };
    std::vector<Row> rows = {{"NPS", h.nps.trend, 0},
                             {"CSAT %", h.csat.trend, 0},
                             {"CES", h.ces.trend, 1},
                             {"Rating", h.rating.trend, 1},
                             {"Sentiment", h.sentiment.trend, 2},
                             {"Items", CountTrend(h.volume), 0}};
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const Row& r) {
                                return std::none_of(r.values.begin(), r.values.end(),
                                                    [](const auto& v) { return v.has_value(); });
                              }),
               rows.end());
    if (rows.empty()) return;
    std::string header = "| Figure |", rule = "|---|";
    for (const std::string& label : r_.trend_labels) {
      header += " " + E(detail::ShortLabel(label)) + " |";
      rule += "---:|";
    }
    L("The last " + E(Plural(static_cast<int64_t>(r_.trend_labels.size()), r_.granularity)) +
      ", oldest first:");
    L();
    L(header);
    L(rule);
    for (const Row& row : rows) {
      std::string line = "| " + row.name + " |";
      for (const std::optional<double>& v : row.values)
        line.append(" ").append(FormatNumber(v, row.decimals)).append(" |");
      L(line);
    }
    L();
  }

  void Actions() {
    L("## Improvement actions");
    L();
    if (r_.actions.empty()) L("No cause has enough mentions to act on.");
    int i = 0;
    for (const Action& a : r_.actions) L(std::to_string(++i) + ". " + E(a.text));
    L();
  }

  std::string Growth(const CauseRow& c) {
    if (c.previous_mentions == 0) return c.mentions > 0 ? "new" : "\xE2\x80\x94";
    return Fmt(*c.growth, 1) + "x";
  }

  void Causes() {
    L("## Root causes");
    L();
    if (r_.causes.empty()) {
      L("No root causes in " + E(r_.period) + ".");
      L();
      return;
    }
    L("| # | Cause | Mentions | vs " + E(r_.compare) +
      " | NPS impact (95% CI) | Change = volume + score | NPS | CSAT | Sentiment | Owner |");
    L("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const CauseRow& c : r_.causes) {
      std::string rank = c.impact_rank ? std::to_string(c.impact_rank) : "\xE2\x80\x94";
      std::string name =
          E(c.label) + (c.emerging ? " **emerging**" : "") + (c.low_n ? " _n too small_" : "");
      std::string impact = detail::ImpactText(c.nps_impact);
      if (c.nps_impact.low_n && c.nps_impact.n > 0) impact = "_" + impact + "_";
      std::string change = c.change ? FormatSigned(c.change->total, 1) + " = " +
                                          FormatSigned(c.change->volume, 1) + " + " +
                                          FormatSigned(c.change->score, 1)
                                    : "\xE2\x80\x94";
      std::string mentions = std::to_string(c.mentions) + " (" + Fmt(c.share, 1) + "%)";
      if (c.low_n) mentions = "_" + mentions + "_";
      L("| " + rank + " | " + name + " | " + mentions + " | " + Growth(c) + " | " + impact + " | " +
        change + " | " + MetricText(c.nps, 0) + " | " + MetricText(c.csat, 0, "%") + " | " +
        MetricText(c.sentiment, 2) + " | " + E(c.owner) + " |");
    }
    L();
  }

  void Emerging() {
    L("## Emerging issues");
    L();
    if (r_.emerging.empty()) {
      L("Nothing stands out against the trailing " + std::to_string(r_.options.emerging_window) +
        " " + E(r_.granularity) + "s.");
      L();
      return;
    }
    L("| Issue | Type | Count | Expected | Trailing periods | p (Poisson) | z | Rule |");
    L("|---|---|---:|---:|---|---:|---:|---|");
    for (const EmergingRow& e : r_.emerging) {
      std::string base;
      for (size_t i = 0; i < e.baseline.size(); ++i)
        base += (i ? ", " : "") + std::to_string(e.baseline[i]);
      std::string p = e.p_value < 1e-6 ? "< 1e-6" : Fmt(e.p_value, 6);
      L("| " + E(e.label) + " | " + E(e.type) + " | " + std::to_string(e.count) + " | " +
        Fmt(e.expected, 1) + " | " + base + " | " + E(p) + " | " + Fmt(e.z, 1) + " | " + E(e.rule) +
        " |");
    }
    L();
  }

  void Quote(const QuoteView& q) {
    std::string text;
    detail::ForEachPiece(
        q.text, q.evidence, [&](std::string_view s) { text += E(s); },
        [&](std::string_view s) { text += "**" + E(s) + "**"; });
    L("> " + text);
    std::string src = q.source + " \xC2\xB7 " + q.kind +
                      (q.score ? " " + FormatNumber(q.score, 0) : "") + " \xC2\xB7 " + q.date;
    L("> \xE2\x80\x94 " + E(src));
    L();
  }

  void Quotes() {
    bool heading = false;
    for (const CauseRow& c : r_.causes) {
      if (c.quotes.empty() || (c.low_n && !c.emerging)) continue;
      if (!heading) {
        L("## What customers say");
        L();
        heading = true;
      }
      L("### " + E(c.label));
      L();
      for (const QuoteView& q : c.quotes) Quote(q);
    }
  }

  std::string CauseList(const std::vector<std::pair<std::string, int64_t>>& causes) {
    std::string s;
    for (const auto& [name, n] : causes) {
      s += (s.empty() ? "" : ", ") + E(r_.options.owners.Label(name)) + " " + std::to_string(n);
    }
    return s;
  }

  void Skus() {
    if (!r_.hotspots.empty()) {
      L("## Where causes concentrate");
      L();
      for (const Hotspot& h : r_.hotspots) {
        L("- " + E(h.sku) + ": " + E(h.label) + ", " + std::to_string(h.mentions) + " of " +
          std::to_string(h.items) + " items (" + Fmt(h.rate, 0) + "% vs " + Fmt(h.overall, 0) +
          "% overall)" + (h.owner.empty() ? "" : ", owner " + E(h.owner)));
      }
      L();
    }
    if (r_.skus.empty()) return;
    L("## SKUs by detractor share");
    L();
    L("| # | SKU | Items | Detractor share | NPS | Top causes |");
    L("|---:|---|---:|---:|---:|---|");
    size_t shown = 0;
    for (const SkuRow& s : r_.skus) {
      if (++shown > 15) break;
      std::string share = FormatNumber(s.low_share.value, 0) + (s.low_share.value ? "%" : "") +
                          " (n " + std::to_string(s.scored) + ")";
      if (!s.rank) share = "_" + share + ", n too small_";
      L("| " + (s.rank ? std::to_string(s.rank) : "\xE2\x80\x94") + " | " + E(s.sku) + " | " +
        std::to_string(s.items) + " | " + share + " | " + MetricText(s.nps, 0) + " | " +
        CauseList(s.top_causes) + " |");
    }
    L();
  }

  void Segments() {
    bool any = std::any_of(r_.segments.begin(), r_.segments.end(),
                           [](const SegmentTable& t) { return !t.rows.empty(); });
    if (!any) return;
    L("## Segments");
    L();
    for (const SegmentTable& t : r_.segments) {
      L("### " + E(t.field));
      L();
      if (t.rows.empty()) {
        L("No item of " + E(r_.period) + " has a " + E(t.field) + ".");
        L();
        continue;
      }
      L("| Value | Items | NPS | Detractor share | Top cause |");
      L("|---|---:|---:|---:|---|");
      size_t shown = 0;
      for (const SegmentRow& row : t.rows) {
        if (++shown > 12) break;
        std::string top = row.top_cause ? E(r_.options.owners.Label(row.top_cause->first)) + " " +
                                              std::to_string(row.top_cause->second)
                                        : "";
        L("| " + E(row.value) + (row.low_n ? " _(n too small)_" : "") + " | " +
          std::to_string(row.items) + " | " + MetricText(row.nps, 0) + " | " +
          MetricText(row.low_share, 0, "%") + " | " + top + " |");
      }
      L();
    }
  }

  void Transcripts() {
    const TranscriptView& t = r_.transcripts;
    L("## Support conversations");
    L();
    if (t.conversations == 0) {
      L("No support conversations in this period.");
      L();
      return;
    }
    auto hours = [](std::optional<double> m) { return FormatMinutes(m); };
    L("- Conversations: " + std::to_string(t.conversations) + " (" + std::to_string(t.answered) +
      " answered by an agent, " + std::to_string(t.unanswered) + " not answered)");
    L("- First response: median " + hours(t.first_response_median.value) + " (was " +
      hours(t.first_response_median.previous) + " in " + E(r_.compare) + "), p90 " +
      (t.p90_open_ended ? "over " : "") + hours(t.first_response_p90.value));
    L("- Resolved: " + MetricText(t.resolution, 0, "%") + ", was " +
      FormatNumber(t.resolution.previous, 0) + "%");
    L("- Post-chat CSAT (4-5): " + MetricText(t.post_chat_csat, 0, "%"));
    L("- Sentiment: " + FormatSigned(t.start_sentiment.value, 2) + " at the start, " +
      FormatSigned(t.end_sentiment.value, 2) + " at the end; ended better " +
      std::to_string(t.ended_better) + ", worse " + std::to_string(t.ended_worse) + ", same " +
      std::to_string(t.ended_same));
    L("- Top causes of contact: " + CauseList(t.causes));
    L();
  }

  void SaveList() {
    L("## Save list");
    L();
    if (r_.save_list.empty()) {
      L("No customer complained in " + E(r_.period) + ".");
      L();
      return;
    }
    L(std::to_string(r_.save_list.size()) + " customers complained in " + E(r_.period) +
      "; the top 15 by risk (the full list is save\\_list.csv):");
    L();
    L("| # | Customer | Risk | Reason | Owner | Last complaint |");
    L("|---:|---|---:|---|---|---|");
    size_t rank = 0;
    for (const SaveRow& s : r_.save_list) {
      if (++rank > 15) break;
      L("| " + std::to_string(rank) + " | " + E(s.customer_id) + " | " + Fmt(s.risk, 1) + " | " +
        E(s.reason) + " | " + E(s.owner) + " | " +
        (s.quote.empty() ? "_" + E(SaveQuoteText(s)) + "_" : E(s.quote)) + " |");
    }
    L();
  }

  void Footer() {
    const Provenance& p = r_.provenance;
    std::string plugins;
    for (const auto& [name, version] : p.plugins)
      plugins += (plugins.empty() ? "" : ", ") + name + " " + version;
    L("---");
    L();
    std::string text = "Produced by feedloop " FEEDLOOP_VERSION " from " +
                       (p.database.empty() ? "an aggregate state" : p.database);
    if (p.analyze_run > 0) {
      text += "; analyze run " + std::to_string(p.analyze_run) + " (" + p.analyze_status +
              ") with " + (plugins.empty() ? "no plugins" : plugins);
    }
    if (p.shards > 0) {
      text += "; " + std::to_string(p.shards) + " partial state(s) of " +
              std::to_string(p.analyzed_items) + " items analysed with " +
              (plugins.empty() ? "no plugins" : plugins);
    }
    text +=
        "; " + std::to_string(p.pii_redacted) +
        " PII item(s) (e-mail addresses, phone, card and IBAN numbers, addresses) redacted before "
        "analysis";
    if (!p.config_hash.empty()) text += "; config " + p.config_hash;
    L(E(text) + ".  ");
    L(E("Period " + r_.period + " = " + r_.period_start + " to " + r_.period_end + " in " +
        r_.time_zone + " (" + r_.period_rule + "); owners from " + r_.owners_source + "."));
  }

  const Report& r_;
  std::string out_;
};

}  // namespace

std::string RenderMarkdown(const Report& report) {
  return Doc(report).Render();
}

}  // namespace feedloop::report
