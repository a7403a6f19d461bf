// The HTML report: one self-contained page (inline CSS, inline SVG charts, no script, no fonts
// or images from anywhere; a Content-Security-Policy forbids any request). The first screen
// holds the headline, the top causes and the emerging issues.
#include <algorithm>
#include <cmath>

#include "feedloop/report/escape.hpp"
#include "feedloop/report/render.hpp"
#include "svg.hpp"
#include "text_util.hpp"

namespace feedloop::report {
namespace {

using detail::Better;
using detail::Fmt;

constexpr std::string_view kStyle = R"css(
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--card:#f6f8fa;--bad:#cf222e;--good:#1a7f37;--accent:#0969da;--heat:#bc4c00}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:16px 20px 40px}
header h1{font-size:22px;margin:0 0 2px}
header p{margin:0;color:var(--muted)}
h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.notes{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;margin:10px 0}
.notes p{margin:2px 0}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 10px;min-width:0}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.card .v{font-size:26px;font-weight:650;line-height:1.2}
.card .d{font-size:12px}
.card .n{font-size:11px;color:var(--muted)}
.up-good,.down-good{color:var(--good)}.up-bad,.down-bad{color:var(--bad)}.flat{color:var(--muted)}
.first{display:grid;grid-template-columns:3fr 2fr;gap:18px}
.emerging-list{list-style:none;margin:0;padding:0}
.emerging-list li{border-left:4px solid var(--heat);background:#fff1e5;margin:0 0 8px;padding:6px 10px;border-radius:0 6px 6px 0}
.emerging-list .what{font-weight:600}
.emerging-list .why{font-size:12px;color:var(--muted)}
.hotspots li{border-left-color:var(--accent);background:#ddf4ff}
ol.actions{margin:6px 0;padding-left:22px}
ol.actions li{margin:4px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.lown td,.lown{color:#8c959f}
#cause-table{font-size:12px}
#cause-table td.num{white-space:normal}
.badge{display:inline-block;font-size:11px;padding:0 6px;border-radius:10px;background:#eaeef2;color:var(--muted);white-space:nowrap}
.badge.hot{background:#ffebe9;color:var(--bad)}
.owner{color:var(--muted);font-size:12px}
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid var(--line);background:#fafbfc}
blockquote .src{display:block;color:var(--muted);font-size:11px}
mark{background:#fff3b0;padding:0 1px}
.quotes{margin:4px 0 14px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.grid3{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}
svg{max-width:100%;height:auto}
svg .lbl{font-size:11px;fill:var(--fg)}
svg .lbl.small{font-size:9px}
svg .ttl{font-size:12px;font-weight:600;fill:var(--fg)}
svg .val{font-size:12px;font-weight:600;fill:var(--accent)}
svg .axis{stroke:#8c959f;stroke-width:1}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .line{fill:none;stroke:var(--accent);stroke-width:2}
svg .dot{fill:var(--accent)}
svg .bar.neg{fill:var(--bad)}
svg .bar.pos{fill:var(--good)}
svg .hist-bar{fill:var(--accent)}
svg .whisker{stroke:var(--fg);stroke-width:1.2}
svg .greyed{opacity:.4}
svg .cell{fill:var(--heat)}
svg .cell.empty{fill:#f6f8fa}
svg .cell-lbl{font-size:10px;fill:var(--fg)}
svg .cell-lbl.dark{fill:#fff}
svg .mix-pos{fill:var(--good)}svg .mix-neu{fill:#afb8c1}svg .mix-neg{fill:var(--bad)}
footer{margin-top:26px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
footer code{font-size:11px}
@media (max-width:900px){.cards{grid-template-columns:repeat(3,1fr)}.first,.grid2,.grid3{grid-template-columns:1fr}}
@media print{
 @page{size:A4;margin:12mm}
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 .cards{grid-template-columns:repeat(6,1fr)}
 .card,.emerging-list li,blockquote{break-inside:avoid}
 section{break-inside:auto}
 h2{break-after:avoid}
 tr{break-inside:avoid}
 .first{grid-template-columns:3fr 2fr}
 a{color:inherit;text-decoration:none}
}
)css";

// Builds the page; every string from data goes through Esc.
class Page {
 public:
  explicit Page(const Report& r) : r_(r) {}

  std::string Render() {
    Head();
    out_ += "<body><main>";
    Header();
    Notes();
    Cards();
    FirstScreen();
    Actions();
    Heat();
    Causes();
    Trends();
    Skus();
    Segments();
    Transcripts();
    SaveList();
    Footer();
    out_ += "</main></body></html>\n";
    return std::move(out_);
  }

 private:
  void Esc(std::string_view s) { AppendEscapedHtml(out_, s); }
  void Raw(std::string_view s) { out_ += s; }

  void Head() {
    Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    Raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
        "'unsafe-inline'; img-src data:\">");
    Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    Raw("<meta name=\"generator\" content=\"feedloop report\">");
    Raw("<title>");
    Esc("Feedback report " + r_.period);
    Raw("</title><style>");
    Raw(kStyle);
    Raw("</style></head>\n");
  }

  void Header() {
    Raw("<header><h1>");
    Esc("Customer feedback \xE2\x80\x94 " + r_.period + " (" + r_.period_start + " to " +
        r_.period_end + ")");
    Raw("</h1><p>");
    Esc("Compared with " + r_.compare + " \xC2\xB7 " + r_.granularity + "s in " + r_.time_zone +
        " \xC2\xB7 figures below n " + std::to_string(r_.min_n) +
        " are greyed and not ranked \xC2\xB7 " + std::to_string(r_.headline.volume.count) +
        " items, " + std::to_string(r_.headline.complaints) + " complaints");
    Raw("</p></header>\n");
  }

  void Notes() {
    if (r_.notes.empty()) return;
    Raw("<div class=\"notes\" id=\"notes\">");
    for (const std::string& n : r_.notes) {
      Raw("<p>");
      Esc(n);
      Raw("</p>");
    }
    Raw("</div>\n");
  }

  // "▲ +3.2 vs W46" coloured by whether the move is good.
  void Delta(std::optional<double> delta, int decimals, Better better,
             const std::string& unit = "") {
    if (!delta) {
      Raw("<span class=\"flat\">no comparison</span>");
      return;
    }
    double d = *delta;
    bool flat = std::fabs(d) < 0.5 * std::pow(10.0, -decimals);
    std::string cls = "flat";
    if (!flat && better != Better::kNeutral) {
      bool good = (d > 0) == (better == Better::kHigher);
      cls = std::string(d > 0 ? "up-" : "down-") + (good ? "good" : "bad");
    }
    Raw("<span class=\"" + cls + "\">");
    Raw(flat ? "\xE2\x96\xAC " : (d > 0 ? "\xE2\x96\xB2 " : "\xE2\x96\xBC "));
    Esc(FormatSigned(d, decimals) + unit + " vs " + detail::ShortLabel(r_.compare));
    Raw("</span>");
  }

  void Card(const std::string& key, const Metric& m, int decimals, const std::string& unit,
            Better better, const std::string& extra = "") {
    Raw("<div class=\"card");
    if (m.low_n) Raw(" lown");
    Raw("\"><div class=\"k\">");
    Esc(key);
    Raw("</div><div class=\"v\">");
    Esc(FormatNumber(m.value, decimals) + (m.value ? unit : ""));
    Raw("</div><div class=\"d\">");
    Delta(m.Delta(), decimals, better);
    Raw("</div><div class=\"n\">");
    std::string n = "n " + std::to_string(m.n);
    if (m.low_n && m.n > 0) {
      n += " \xC2\xB7 n too small";
    } else if (m.value && m.ci) {
      n += " \xC2\xB7 95% CI " + detail::CiText(*m.ci, decimals);
    }
    if (!extra.empty()) n += " \xC2\xB7 " + extra;
    Esc(n);
    Raw("</div>");
    Raw(svg::Sparkline(m.trend, 150, 30));
    Raw("</div>");
  }

  void Cards() {
    const Headline& h = r_.headline;
    Raw("<section id=\"headline\" class=\"cards\">");
    Card("NPS", h.nps, 1, "", Better::kHigher,
         std::to_string(h.promoters) + " P / " + std::to_string(h.passives) + " N / " +
             std::to_string(h.detractors) + " D");
    Card("CSAT (4-5)", h.csat, 1, "%", Better::kHigher,
         "mean " + FormatNumber(h.csat_mean.value, 2));
    Card("CES (1-7, easy)", h.ces, 2, "", Better::kHigher);
    Card("Rating", h.rating, 2, "\xE2\x98\x85", Better::kHigher);
    // Sentiment: mean plus the mix bar.
    Raw("<div class=\"card");
    if (h.sentiment.low_n) Raw(" lown");
    Raw("\"><div class=\"k\">Sentiment</div><div class=\"v\">");
    Esc(FormatSigned(h.sentiment.value, 2));
    Raw("</div><div class=\"d\">");
    Delta(h.sentiment.Delta(), 2, Better::kHigher);
    Raw("</div><div class=\"n\">");
    Esc(FormatNumber(h.positive.value, 0) + "% pos \xC2\xB7 " + FormatNumber(h.neutral.value, 0) +
        "% neu \xC2\xB7 " + FormatNumber(h.negative.value, 0) + "% neg \xC2\xB7 n " +
        std::to_string(h.sentiment.n));
    Raw("</div>");
    Raw(svg::MixBar(h.positive.value, h.neutral.value, h.negative.value, 150, 12));
    Raw(svg::Sparkline(h.sentiment.trend, 150, 22));
    Raw("</div>");
    // Volume.
    Raw("<div class=\"card\"><div class=\"k\">Feedback</div><div class=\"v\">");
    Esc(std::to_string(h.volume.count));
    Raw("</div><div class=\"d\">");
    Delta(h.volume.previous > 0 || h.volume.count > 0
              ? std::optional<double>(static_cast<double>(h.volume.count - h.volume.previous))
              : std::nullopt,
          0, Better::kNeutral);
    Raw("</div><div class=\"n\">");
    std::string kinds;
    for (const Count& k : h.by_kind)
      kinds += (kinds.empty() ? "" : " \xC2\xB7 ") + k.name + " " + std::to_string(k.count);
    Esc(kinds);
    Raw("</div>");
    Raw(svg::Sparkline(VolumeTrend(h.volume), 150, 30));
    Raw("</div></section>\n");
  }

  void FirstScreen() {
    Raw("<div class=\"first\"><section id=\"top-causes\"><h2>What hurts most: root causes by NPS "
        "impact</h2>");
    std::vector<svg::Bar> bars;
    for (const CauseRow& c : r_.causes) {
      if (bars.size() >= 10) break;
      if (c.mentions == 0) continue;
      svg::Bar b;
      b.label = c.label;
      b.value = c.nps_impact.n > 0 ? c.nps_impact.value : std::nullopt;
      b.greyed = c.low_n || c.nps_impact.low_n;
      if (!b.greyed) b.ci = c.nps_impact.ci;
      if (c.low_n) {
        b.note = "n too small (" + std::to_string(c.mentions) + ")";
      } else if (c.nps_impact.low_n && c.nps_impact.n > 0) {
        b.note = "n too small (" + std::to_string(c.nps_impact.n) + " NPS answers)";
      } else if (c.emerging) {
        b.note = "emerging";
      }
      bars.push_back(std::move(b));
    }
    Raw(svg::ImpactBars(bars, "NPS impact = NPS(all) \xE2\x88\x92 NPS(without the cause), 95% CI"));
    Raw("<table class=\"compact\"><thead><tr><th>#</th><th>Cause</th><th "
        "class=\"num\">Mentions</th>"
        "<th class=\"num\">vs ");
    Esc(detail::ShortLabel(r_.compare));
    Raw("</th><th class=\"num\">% of detractors</th><th>Owner</th></tr></thead><tbody>");
    int shown = 0;
    for (const CauseRow& c : r_.causes) {
      if (shown >= 6 || c.mentions == 0) continue;
      ++shown;
      Raw(c.low_n ? "<tr class=\"lown\">" : "<tr>");
      Raw("<td class=\"num\">");
      Esc(c.impact_rank ? std::to_string(c.impact_rank)
                        : (c.low_n ? "\xE2\x80\x94" : "v" + std::to_string(c.volume_rank)));
      Raw("</td><td>");
      Esc(c.label);
      if (c.emerging) Raw(" <span class=\"badge hot\">emerging</span>");
      if (c.low_n) Raw(" <span class=\"badge\">n too small</span>");
      Raw("</td><td class=\"num\">");
      Esc(std::to_string(c.mentions) + " (" + Fmt(c.share, 1) + "%)");
      Raw("</td><td class=\"num\">");
      Esc(Growth(c));
      Raw("</td><td class=\"num\">");
      Esc(c.detractor_share ? Fmt(*c.detractor_share, 0) + "%" : "\xE2\x80\x94");
      Raw("</td><td class=\"owner\">");
      Esc(c.owner);
      Raw("</td></tr>");
    }
    Raw("</tbody></table></section>");

    Raw("<section id=\"emerging\"><h2>Emerging this ");
    Esc(r_.granularity);
    Raw("</h2>");
    if (r_.emerging.empty()) {
      Raw("<p class=\"owner\">Nothing stands out against the trailing ");
      Esc(std::to_string(r_.options.emerging_window) + " " + r_.granularity + "s.");
      Raw("</p>");
    } else {
      Raw("<ul class=\"emerging-list\">");
      size_t shown_e = 0;
      for (const EmergingRow& e : r_.emerging) {
        if (++shown_e > 8) break;
        Raw("<li><div class=\"what\">");
        Esc(e.label);
        Raw(" <span class=\"badge\">");
        Esc(e.type == "tag" ? "tag" : "cause");
        Raw("</span>");
        if (e.rule == "rare-jump") Raw(" <span class=\"badge hot\">new</span>");
        Raw("</div><div class=\"why\">");
        Esc(EmergingWhy(e));
        Raw("</div></li>");
      }
      Raw("</ul>");
      if (r_.emerging.size() > 8) {
        Raw("<p class=\"owner\">");
        Esc(std::to_string(r_.emerging.size() - 8) + " more in the JSON report.");
        Raw("</p>");
      }
    }
    Hotspots();
    Raw("</section></div>\n");
  }

  void Hotspots() {
    if (r_.hotspots.empty()) return;
    Raw("<h2>Where it concentrates</h2><ul class=\"emerging-list hotspots\" id=\"hotspots\">");
    for (size_t i = 0; i < r_.hotspots.size() && i < 3; ++i) {
      const Hotspot& h = r_.hotspots[i];
      Raw("<li><div class=\"what\">");
      Esc(h.sku + " \xC2\xB7 " + h.label);
      Raw("</div><div class=\"why\">");
      Esc(std::to_string(h.mentions) + " of its " + std::to_string(h.items) + " items (" +
          Fmt(h.rate, 0) + "% vs " + Fmt(h.overall, 0) + "% of all feedback)" +
          (h.owner.empty() ? "" : " \xC2\xB7 owner: " + h.owner));
      Raw("</div></li>");
    }
    Raw("</ul>");
  }

  // Counts as a trend line; periods before the data starts are gaps, not zeros.
  static std::vector<std::optional<double>> VolumeTrend(const Count& c) {
    std::vector<std::optional<double>> out;
    bool started = false;
    for (int64_t v : c.trend) {
      started = started || v > 0;
      out.push_back(started ? std::optional<double>(static_cast<double>(v)) : std::nullopt);
    }
    return out;
  }

  std::string EmergingWhy(const EmergingRow& e) {
    std::string base;
    for (size_t i = 0; i < e.baseline.size(); ++i)
      base += (i ? ", " : "") + std::to_string(e.baseline[i]);
    std::string p = e.p_value < 1e-6 ? "< 1e-6" : Fmt(e.p_value, e.p_value < 0.001 ? 6 : 4);
    return std::to_string(e.count) + " this " + r_.granularity + " vs " + Fmt(e.expected, 1) +
           " expected (trailing " + std::to_string(e.baseline.size()) + ": " + base +
           "); Poisson p " + p + ", z " + Fmt(e.z, 1) +
           (e.owner.empty() ? "" : " \xC2\xB7 owner: " + e.owner);
  }

  std::string Growth(const CauseRow& c) {
    if (c.previous_mentions == 0) return c.mentions > 0 ? "new" : "\xE2\x80\x94";
    return Fmt(*c.growth, 1) + "x (" + std::to_string(c.previous_mentions) + ")";
  }

  void Actions() {
    Raw("<section id=\"actions\"><h2>Improvement actions</h2>");
    if (r_.actions.empty()) {
      Raw("<p class=\"owner\">No cause has enough mentions to act on.</p></section>\n");
      return;
    }
    Raw("<ol class=\"actions\">");
    for (const Action& a : r_.actions) {
      Raw("<li>");
      Esc(a.text);
      Raw("</li>");
    }
    Raw("</ol></section>\n");
  }

  void Heat() {
    Raw("<section id=\"heatmap\"><h2>Causes over time</h2>");
    std::vector<std::string> labels;
    for (const std::string& c : r_.heat.causes) labels.push_back(r_.options.owners.Label(c));
    Raw(svg::HeatMapChart(r_.heat, labels, r_.trend_labels));
    Raw("</section>\n");
  }

  void Quote(const QuoteView& q) {
    Raw("<blockquote>");
    detail::ForEachPiece(
        q.text, q.evidence, [&](std::string_view s) { Esc(s); },
        [&](std::string_view s) {
          Raw("<mark>");
          Esc(s);
          Raw("</mark>");
        });
    Raw("<span class=\"src\">");
    std::string src = q.source + " \xC2\xB7 " + q.kind;
    if (q.score) src.append(" ").append(FormatNumber(q.score, 0));
    src += " \xC2\xB7 " + q.date;
    Esc(src);
    Raw("</span></blockquote>");
  }

  void MetricCell(const Metric& m, int decimals, const std::string& unit = "") {
    Raw(m.low_n ? "<td class=\"num lown\">" : "<td class=\"num\">");
    std::string s = FormatNumber(m.value, decimals) + (m.value ? unit : "");
    s += " (n " + std::to_string(m.n) + ")";
    Esc(s);
    Raw("</td>");
  }

  void Causes() {
    Raw("<section id=\"causes\"><h2>Root causes in detail</h2>");
    Raw("<p class=\"owner\">Mentions: items whose root cause it is, or complaints carrying one of "
        "its tags. "
        "Impact change = volume effect (its share of NPS answers moved) + score effect (their NPS "
        "gap moved).</p>");
    Raw("<table id=\"cause-table\"><thead><tr><th>#</th><th>Cause</th>"
        "<th class=\"num\">Mentions</th><th class=\"num\">NPS impact (95% CI)</th>"
        "<th class=\"num\">Change: volume + score</th><th class=\"num\">NPS</th><th "
        "class=\"num\">CSAT</th>"
        "<th class=\"num\">Sentiment</th><th class=\"num\">Rating</th><th>Where "
        "worst</th><th>Owner / KPI</th>"
        "</tr></thead><tbody>");
    for (const CauseRow& c : r_.causes) {
      Raw(c.low_n ? "<tr class=\"lown\">" : "<tr>");
      Raw("<td class=\"num\">");
      Esc(c.impact_rank ? std::to_string(c.impact_rank) : "\xE2\x80\x94");
      Raw("</td><td>");
      Esc(c.label);
      if (c.emerging) Raw(" <span class=\"badge hot\">emerging</span>");
      if (c.low_n) Raw(" <span class=\"badge\">n too small</span>");
      Raw("</td><td class=\"num\">");
      Esc(std::to_string(c.mentions) + " (" + Fmt(c.share, 1) + "%)");
      Raw("<br><span class=\"owner\">");
      Esc(Growth(c) + " vs " + detail::ShortLabel(r_.compare));
      Raw("</span>");
      Raw(c.nps_impact.low_n ? "</td><td class=\"num lown\">" : "</td><td class=\"num\">");
      Esc(detail::ImpactText(c.nps_impact));
      Raw("</td><td class=\"num\">");
      if (c.change) {
        Esc(FormatSigned(c.change->total, 1) + " = " + FormatSigned(c.change->volume, 1) + " + " +
            FormatSigned(c.change->score, 1));
      } else {
        Raw("\xE2\x80\x94");
      }
      Raw("</td>");
      MetricCell(c.nps, 0);
      MetricCell(c.csat, 0, "%");
      MetricCell(c.sentiment, 2);
      MetricCell(c.rating, 1);
      Raw("<td>");
      if (c.worst_segment) {
        Esc(c.worst_segment->field + " " + c.worst_segment->value + ": " +
            Fmt(c.worst_segment->rate, 0) + "% vs " + Fmt(c.worst_segment->overall, 0) + "%");
      }
      Raw("</td><td class=\"owner\">");
      Esc(c.owner + (c.kpi.empty() ? "" : " \xC2\xB7 " + c.kpi));
      Raw("</td></tr>");
    }
    Raw("</tbody></table>");
    for (const CauseRow& c : r_.causes) {
      if (c.quotes.empty() || (c.low_n && !c.emerging)) continue;
      Raw("<div class=\"quotes\"><h3>");
      Esc(c.label);
      Raw("</h3>");
      for (const QuoteView& q : c.quotes) Quote(q);
      Raw("</div>");
    }
    Raw("</section>\n");
  }

  void Trends() {
    const Headline& h = r_.headline;
    Raw("<section id=\"trends\"><h2>Trends over ");
    Esc(std::to_string(r_.trend_labels.size()) + " " + r_.granularity + "s");
    Raw("</h2><div class=\"grid3\">");
    Raw(svg::LineChart(h.nps.trend, r_.trend_labels, "NPS", 1));
    Raw(svg::LineChart(h.csat.trend, r_.trend_labels, "CSAT % (4-5)", 1));
    Raw(svg::LineChart(h.ces.trend, r_.trend_labels, "CES mean (1-7)", 2));
    Raw(svg::LineChart(h.rating.trend, r_.trend_labels, "Mean rating", 2));
    Raw(svg::LineChart(h.sentiment.trend, r_.trend_labels, "Mean sentiment", 2));
    Raw(svg::LineChart(VolumeTrend(h.volume), r_.trend_labels, "Feedback volume", 0));
    Raw("</div>");
    Raw("<table><thead><tr><th>Source</th><th class=\"num\">Items</th><th class=\"num\">");
    Esc(detail::ShortLabel(r_.compare));
    Raw("</th></tr></thead><tbody>");
    for (const Count& s : h.by_source) {
      Raw("<tr><td>");
      Esc(s.name);
      Raw("</td><td class=\"num\">");
      Esc(std::to_string(s.count));
      Raw("</td><td class=\"num\">");
      Esc(std::to_string(s.previous));
      Raw("</td></tr>");
    }
    Raw("</tbody></table></section>\n");
  }

  void CauseList(const std::vector<std::pair<std::string, int64_t>>& causes) {
    std::string s;
    for (const auto& [name, n] : causes) {
      s += (s.empty() ? "" : ", ") + r_.options.owners.Label(name) + " " + std::to_string(n);
    }
    Esc(s);
  }

  void Skus() {
    Raw("<section id=\"skus\"><h2>SKUs: worst by detractor share</h2>");
    Raw("<p class=\"owner\">Detractor share: scored items at the unhappy end of their scale (NPS "
        "0-6, "
        "stars/CSAT/post-chat 1-2, CES 1-3). SKUs with fewer than ");
    Esc(std::to_string(r_.min_n));
    Raw(" scored items are greyed and not ranked.</p>");
    Raw("<table id=\"sku-table\"><thead><tr><th>#</th><th>SKU</th><th class=\"num\">Items</th>"
        "<th class=\"num\">Detractor share (95% CI)</th><th class=\"num\">vs ");
    Esc(detail::ShortLabel(r_.compare));
    Raw("</th><th class=\"num\">NPS</th><th class=\"num\">Negative</th><th>Top "
        "causes</th></tr></thead><tbody>");
    size_t shown = 0;
    for (const SkuRow& s : r_.skus) {
      if (++shown > 15) break;
      Raw(s.rank ? "<tr>" : "<tr class=\"lown\">");
      Raw("<td class=\"num\">");
      Esc(s.rank ? std::to_string(s.rank) : "\xE2\x80\x94");
      Raw("</td><td>");
      Esc(s.sku);
      if (!s.rank) Raw(" <span class=\"badge\">n too small</span>");
      Raw("</td><td class=\"num\">");
      Esc(std::to_string(s.items));
      Raw("</td><td class=\"num\">");
      std::string share = FormatNumber(s.low_share.value, 0) + (s.low_share.value ? "%" : "");
      if (s.low_share.ci && s.rank) share += " (" + detail::CiText(*s.low_share.ci, 0) + ")";
      share += " (n " + std::to_string(s.scored) + ")";
      Esc(share);
      Raw("</td><td class=\"num\">");
      Esc(FormatNumber(s.low_share.previous, 0) + (s.low_share.previous ? "%" : ""));
      Raw("</td>");
      MetricCell(s.nps, 0);
      MetricCell(s.negative_share, 0, "%");
      Raw("<td>");
      CauseList(s.top_causes);
      Raw("</td></tr>");
    }
    Raw("</tbody></table>");
    if (r_.skus.size() > 15) {
      Raw("<p class=\"owner\">");
      Esc(std::to_string(r_.skus.size() - 15) + " more SKUs in skus.csv.");
      Raw("</p>");
    }
    Raw("</section>\n");
  }

  void Segments() {
    Raw("<section id=\"segments\"><h2>Segments</h2><div class=\"grid2\">");
    for (const SegmentTable& t : r_.segments) {
      Raw("<div><h3>");
      Esc(t.field);
      Raw("</h3><table class=\"segment-table\"><thead><tr><th>Value</th><th "
          "class=\"num\">Items</th>"
          "<th class=\"num\">NPS</th><th class=\"num\">Detractor share</th><th>Top "
          "cause</th></tr></thead><tbody>");
      size_t shown = 0;
      for (const SegmentRow& row : t.rows) {
        if (++shown > 12) break;
        Raw(row.low_n ? "<tr class=\"lown\">" : "<tr>");
        Raw("<td>");
        Esc(row.value);
        Raw("</td><td class=\"num\">");
        Esc(std::to_string(row.items));
        Raw("</td>");
        MetricCell(row.nps, 0);
        MetricCell(row.low_share, 0, "%");
        Raw("<td>");
        if (row.top_cause) {
          Esc(r_.options.owners.Label(row.top_cause->first) + " " +
              std::to_string(row.top_cause->second));
        }
        Raw("</td></tr>");
      }
      Raw("</tbody></table></div>");
    }
    Raw("</div></section>\n");
  }

  void Transcripts() {
    const TranscriptView& t = r_.transcripts;
    Raw("<section id=\"transcripts\"><h2>Support conversations</h2>");
    if (t.conversations == 0) {
      Raw("<p class=\"owner\">No support conversations in this period.</p></section>\n");
      return;
    }
    Raw("<div class=\"cards\">");
    Card("First response, median", MinutesAsHours(t.first_response_median), 1, " h",
         Better::kLower);
    Card(t.p90_open_ended ? "First response, p90 (over)" : "First response, p90",
         MinutesAsHours(t.first_response_p90), 1, " h", Better::kLower);
    Card("Resolved", t.resolution, 0, "%", Better::kHigher);
    Card("Post-chat CSAT (4-5)", t.post_chat_csat, 0, "%", Better::kHigher);
    Card("Sentiment at start", t.start_sentiment, 2, "", Better::kHigher);
    Card("Sentiment at end", t.end_sentiment, 2, "", Better::kHigher);
    Raw("</div><p>");
    Esc(std::to_string(t.conversations) + " conversations, " + std::to_string(t.answered) +
        " answered by an agent, " + std::to_string(t.unanswered) +
        " not answered. Ended better than they started: " + std::to_string(t.ended_better) +
        ", worse: " + std::to_string(t.ended_worse) +
        ", about the same: " + std::to_string(t.ended_same) + ". Top causes of contact: ");
    CauseList(t.causes);
    Raw(".</p>");
    std::vector<std::string> labels;
    for (size_t i = 0; i < t.histogram.size(); ++i) {
      int64_t low = i == 0 ? 0 : metrics::kResponseBucketBounds[i - 1];
      labels.push_back(low < 120 ? std::to_string(low) + "m"
                                 : Fmt(static_cast<double>(low) / 60.0, 0) + "h");
    }
    Raw(svg::Histogram(t.histogram, labels, "First response time (buckets from)"));
    Raw("</section>\n");
  }

  static Metric MinutesAsHours(Metric m) {
    auto h = [](std::optional<double>& v) {
      if (v) *v /= 60.0;
    };
    h(m.value);
    h(m.previous);
    if (m.ci) *m.ci = metrics::Interval{m.ci->low / 60.0, m.ci->high / 60.0};
    for (auto& v : m.trend) h(v);
    return m;
  }

  void SaveList() {
    Raw("<section id=\"save-list\"><h2>Save list: customers to call back</h2><p class=\"owner\">");
    Esc(std::to_string(r_.save_list.size()) + " customers complained in " + r_.period +
        "; ranked by risk (sum of complaint weights over the last " +
        std::to_string(r_.options.save_lookback) + " " + r_.granularity +
        "s). The full list is save_list.csv.");
    Raw("</p><table id=\"save-table\"><thead><tr><th>#</th><th>Customer</th><th "
        "class=\"num\">Risk</th>"
        "<th>Reason</th><th>Owner</th><th>Last complaint</th></tr></thead><tbody>");
    size_t rank = 0;
    for (const SaveRow& s : r_.save_list) {
      if (++rank > 25) break;
      Raw("<tr><td class=\"num\">");
      Esc(std::to_string(rank));
      Raw("</td><td>");
      Esc(s.customer_id);
      Raw("</td><td class=\"num\">");
      Esc(Fmt(s.risk, 1));
      Raw("</td><td>");
      Esc(s.reason);
      Raw("</td><td class=\"owner\">");
      Esc(s.owner);
      Raw(s.quote.empty() ? "</td><td class=\"lown\">" : "</td><td>");
      Esc(SaveQuoteText(s));
      Raw("<br><span class=\"owner\">");
      Esc(s.last_source + " \xC2\xB7 " + s.last_date);
      Raw("</span></td></tr>");
    }
    Raw("</tbody></table></section>\n");
  }

  void Footer() {
    const Provenance& p = r_.provenance;
    Raw("<footer id=\"provenance\"><p>");
    std::string plugins;
    for (const auto& [name, version] : p.plugins)
      plugins += (plugins.empty() ? "" : ", ") + name + " " + version;
    std::string text = "Produced by feedloop " FEEDLOOP_VERSION " from " +
                       (p.database.empty() ? "an aggregate state" : p.database);
    if (p.analyze_run > 0) {
      text += " \xC2\xB7 analyze run " + std::to_string(p.analyze_run) + " (" + p.analyze_status +
              (p.analyze_finished.empty() ? "" : ", " + p.analyze_finished) + ") with " +
              (plugins.empty() ? "no plugins" : plugins);
    } else if (!p.database.empty() && p.shards == 0) {
      text += " \xC2\xB7 no analyze run on record";
    }
    if (p.shards > 0) {
      text += " \xC2\xB7 " + std::to_string(p.shards) + " partial state(s) of " +
              std::to_string(p.analyzed_items) + " items analysed with " +
              (plugins.empty() ? "no plugins" : plugins);
    }
    text +=
        " \xC2\xB7 " + std::to_string(p.pii_redacted) +
        " PII item(s) (e-mail addresses, phone, card and IBAN numbers, addresses) redacted before "
        "analysis";
    if (!p.config_hash.empty()) text += " \xC2\xB7 config " + p.config_hash;
    Esc(text);
    Raw("</p><p>");
    Esc("Period: " + r_.granularity + " " + r_.period + " = " + r_.period_start + " 00:00 to " +
        r_.period_end + " 24:00 in " + r_.time_zone + " (" + r_.period_rule + "); comparison " +
        r_.compare + "; min n " + std::to_string(r_.min_n) +
        "; emerging: Poisson upper tail p \xE2\x89\xA4 " + Fmt(r_.options.emerging_alpha, 4) +
        " with at least " + std::to_string(r_.options.emerging_min_count) +
        " mentions against the trailing " + std::to_string(r_.options.emerging_window) +
        " periods, or a jump from \xE2\x89\xA4 " + std::to_string(r_.options.rare_max) +
        " to \xE2\x89\xA5 " + std::to_string(r_.options.rare_min) +
        "; owners: " + r_.owners_source + ". Definitions: docs/report.md.");
    Raw("</p></footer>");
  }

  const Report& r_;
  std::string out_;
};

}  // namespace

std::string RenderHtml(const Report& report) {
  return Page(report).Render();
}

}  // namespace feedloop::report
