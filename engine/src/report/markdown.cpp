// The Markdown report: the HTML report's content as text and tables, for a wiki page or a chat
// post. Every piece of data is escaped, so a quote cannot add links, images or HTML.
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
    for (const std::string& n : r_.notes) L("> **Note:** " + E(n));
    if (!r_.notes.empty()) L();
  }

  void Headline() {
    const report::Headline& h = r_.headline;
    L("## Headline");
    L();
    L("| Figure | " + E(r_.period) + " | vs " + E(r_.compare) + " | n |");
    L("|---|---:|---:|---:|");
    auto row = [&](const std::string& name, const Metric& m, int decimals,
                   const std::string& unit) {
      std::string v = FormatNumber(m.value, decimals) + (m.value ? unit : "");
      if (m.value && m.margin) v += " \xC2\xB1" + Fmt(*m.margin, decimals);
      if (m.low_n && m.value) v = "_" + v + "_";
      L("| " + name + " | " + v + " | " + Delta(m.Delta(), decimals) + " | " + std::to_string(m.n) +
        " |");
    };
    row("NPS (" + std::to_string(h.promoters) + " promoters, " + std::to_string(h.passives) +
            " passives, " + std::to_string(h.detractors) + " detractors)",
        h.nps, 1, "");
    row("CSAT, % 4-5 (mean " + FormatNumber(h.csat_mean.value, 2) + ")", h.csat, 1, "%");
    row("CES mean (1-7, higher is easier)", h.ces, 2, "");
    row("Mean rating", h.rating, 2, "");
    row("Mean sentiment (" + FormatNumber(h.positive.value, 0) + "% positive, " +
            FormatNumber(h.neutral.value, 0) + "% neutral, " + FormatNumber(h.negative.value, 0) +
            "% negative)",
        h.sentiment, 2, "");
    L("| Feedback items | " + std::to_string(h.volume.count) + " | " +
      FormatSigned(static_cast<double>(h.volume.count - h.volume.previous), 0) + " | |");
    L();
    std::string kinds, sources;
    for (const Count& k : h.by_kind)
      kinds += (kinds.empty() ? "" : ", ") + E(k.name) + " " + std::to_string(k.count);
    for (const Count& s : h.by_source)
      sources += (sources.empty() ? "" : ", ") + E(s.name) + " " + std::to_string(s.count);
    L("By kind: " + kinds + ".  ");
    L("By source: " + sources + ".");
    L();
    std::string nps_trend;
    for (size_t i = 0; i < h.nps.trend.size(); ++i) {
      nps_trend += (i ? ", " : "") + E(detail::ShortLabel(r_.trend_labels[i])) + " " +
                   FormatNumber(h.nps.trend[i], 0);
    }
    L("NPS trend: " + nps_trend + ".");
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
    L("| # | Cause | Mentions | vs " + E(r_.compare) +
      " | NPS impact (95% CI) | Change = volume + score | NPS | CSAT | Sentiment | Owner |");
    L("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const CauseRow& c : r_.causes) {
      std::string rank = c.impact_rank ? std::to_string(c.impact_rank) : "\xE2\x80\x94";
      std::string name =
          E(c.label) + (c.emerging ? " **emerging**" : "") + (c.low_n ? " _n too small_" : "");
      std::string impact =
          c.nps_impact.n > 0 ? FormatSigned(c.nps_impact.value, 1) : "\xE2\x80\x94";
      if (c.nps_impact.n > 0 && c.nps_impact.margin)
        impact += " \xC2\xB1" + Fmt(*c.nps_impact.margin, 1);
      impact += " (n " + std::to_string(c.nps_impact.n) + ")";
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
    L("## What customers say");
    L();
    for (const CauseRow& c : r_.causes) {
      if (c.quotes.empty() || (c.low_n && !c.emerging)) continue;
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
    L("## Segments");
    L();
    for (const SegmentTable& t : r_.segments) {
      L("### " + E(t.field));
      L();
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
    L(std::to_string(r_.save_list.size()) + " customers complained in " + E(r_.period) +
      "; the top 15 by risk (the full list is save\\_list.csv):");
    L();
    L("| # | Customer | Risk | Reason | Owner | Last complaint |");
    L("|---:|---|---:|---|---|---|");
    size_t rank = 0;
    for (const SaveRow& s : r_.save_list) {
      if (++rank > 15) break;
      L("| " + std::to_string(rank) + " | " + E(s.customer_id) + " | " + Fmt(s.risk, 1) + " | " +
        E(s.reason) + " | " + E(s.owner) + " | " + E(s.quote) + " |");
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
