#include "svg.hpp"

#include <algorithm>
#include <cmath>

#include "feedloop/report/escape.hpp"
#include "text_util.hpp"

namespace feedloop::report::svg {
namespace {

using detail::Fmt;

std::string Open(int width, int height, const std::string& title, const char* cls) {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + std::string(cls) +
                  "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
                  "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                  "\" role=\"img\" aria-label=\"" + EscapeHtml(title) + "\"><title>" +
                  EscapeHtml(title) + "</title>";
  return s;
}

std::string Text(double x, double y, const std::string& text, const char* anchor = "start",
                 const char* cls = "lbl") {
  return "<text x=\"" + Fmt(x, 1) + "\" y=\"" + Fmt(y, 1) + "\" text-anchor=\"" + anchor +
         "\" class=\"" + cls + "\">" + EscapeHtml(text) + "</text>";
}

struct Range {
  double low = 0, high = 1;
};

Range RangeOf(const std::vector<std::optional<double>>& values) {
  Range r{0, 0};
  bool any = false;
  for (const auto& v : values) {
    if (!v) continue;
    if (!any) r = {*v, *v};
    r.low = std::min(r.low, *v);
    r.high = std::max(r.high, *v);
    any = true;
  }
  if (!any) return {0, 1};
  if (r.high - r.low < 1e-9) {
    double pad = std::max(1.0, std::fabs(r.high) * 0.1);
    r.low -= pad;
    r.high += pad;
  }
  return r;
}

// Polyline segments over the non-null runs.
std::string Lines(const std::vector<std::optional<double>>& values, double x0, double x1, double y0,
                  double y1, Range r, const char* cls) {
  std::string out;
  std::string points;
  size_t n = values.size();
  auto x_of = [&](size_t i) {
    return n <= 1 ? (x0 + x1) / 2
                  : x0 + (x1 - x0) * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  auto y_of = [&](double v) { return y1 - (y1 - y0) * (v - r.low) / (r.high - r.low); };
  auto flush = [&] {
    if (!points.empty())
      out += "<polyline class=\"" + std::string(cls) + "\" points=\"" + points + "\"/>";
    points.clear();
  };
  for (size_t i = 0; i < n; ++i) {
    if (!values[i]) {
      flush();
      continue;
    }
    if (!points.empty()) points += ' ';
    points.append(Fmt(x_of(i), 1)).append(",").append(Fmt(y_of(*values[i]), 1));
  }
  flush();
  for (size_t i = 0; i < n; ++i) {
    if (!values[i]) continue;
    bool last = i + 1 == n;
    out += "<circle class=\"" + std::string(last ? "dot last" : "dot") + "\" cx=\"" +
           Fmt(x_of(i), 1) + "\" cy=\"" + Fmt(y_of(*values[i]), 1) + "\" r=\"" +
           (last ? "3" : "1.6") + "\"/>";
  }
  return out;
}

}  // namespace

std::string Sparkline(const std::vector<std::optional<double>>& values, int width, int height) {
  std::string s = Open(width, height, "trend", "spark");
  s += Lines(values, 3, width - 4, 3, height - 3, RangeOf(values), "line");
  return s + "</svg>";
}

std::string LineChart(const std::vector<std::optional<double>>& values,
                      const std::vector<std::string>& labels, const std::string& title,
                      int decimals, int width, int height) {
  std::string s = Open(width, height, title, "chart line-chart");
  Range r = RangeOf(values);
  double left = 44, right = width - 10, top = 22, bottom = height - 22;
  s += Text(4, 14, title, "start", "ttl");
  s += "<line class=\"axis\" x1=\"" + Fmt(left, 1) + "\" y1=\"" + Fmt(bottom, 1) + "\" x2=\"" +
       Fmt(right, 1) + "\" y2=\"" + Fmt(bottom, 1) + "\"/>";
  s += "<line class=\"grid\" x1=\"" + Fmt(left, 1) + "\" y1=\"" + Fmt(top, 1) + "\" x2=\"" +
       Fmt(right, 1) + "\" y2=\"" + Fmt(top, 1) + "\"/>";
  s += Text(left - 4, top + 4, Fmt(r.high, decimals), "end");
  s += Text(left - 4, bottom + 4, Fmt(r.low, decimals), "end");
  if (!labels.empty()) {
    s += Text(left, height - 6, detail::ShortLabel(labels.front()), "start");
    s += Text(right, height - 6, detail::ShortLabel(labels.back()), "end");
  }
  s += Lines(values, left, right, top, bottom, r, "line");
  if (!values.empty() && values.back()) {
    s += Text(right, top - 6, Fmt(*values.back(), decimals), "end", "val");
  }
  return s + "</svg>";
}

std::string ImpactBars(const std::vector<Bar>& bars, const std::string& title, int width) {
  const int row = 24, label_w = 200, value_w = 190, top = 24;
  int height = top + row * static_cast<int>(std::max<size_t>(bars.size(), 1)) + 8;
  std::string s = Open(width, height, title, "chart bars");
  s += Text(4, 14, title, "start", "ttl");
  double low = 0, high = 0;
  for (const Bar& b : bars) {
    if (!b.value) continue;
    low = std::min(low, b.ci ? std::min(b.ci->low, *b.value) : *b.value);
    high = std::max(high, b.ci ? std::max(b.ci->high, *b.value) : *b.value);
  }
  if (high - low < 1e-9) high = low + 1;
  double x0 = label_w, x1 = width - value_w;
  auto x_of = [&](double v) { return x0 + (x1 - x0) * (v - low) / (high - low); };
  double zero = x_of(0);
  s += "<line class=\"axis\" x1=\"" + Fmt(zero, 1) + "\" y1=\"" + std::to_string(top - 4) +
       "\" x2=\"" + Fmt(zero, 1) + "\" y2=\"" + std::to_string(height - 4) + "\"/>";
  if (bars.empty()) s += Text(x0, top + 16, "no causes in this period");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y = top + row * static_cast<double>(i);
    std::string cls = b.greyed ? "bar-row greyed" : "bar-row";
    s += "<g class=\"" + cls + "\">";
    s += Text(label_w - 6, y + 16, b.label, "end");
    if (b.value) {
      double a = x_of(std::min(0.0, *b.value)), e = x_of(std::max(0.0, *b.value));
      s += "<rect class=\"" + std::string(*b.value < 0 ? "bar neg" : "bar pos") + "\" x=\"" +
           Fmt(a, 1) + "\" y=\"" + Fmt(y + 5, 1) + "\" width=\"" + Fmt(std::max(1.0, e - a), 1) +
           "\" height=\"14\"/>";
      if (b.ci && b.ci->high > b.ci->low) {
        double l = x_of(b.ci->low), h = x_of(b.ci->high);
        s += "<line class=\"whisker\" x1=\"" + Fmt(l, 1) + "\" y1=\"" + Fmt(y + 12, 1) +
             "\" x2=\"" + Fmt(h, 1) + "\" y2=\"" + Fmt(y + 12, 1) + "\"/>";
      }
      s += Text(x1 + 6, y + 16, FormatSigned(b.value, 1) + (b.note.empty() ? "" : " " + b.note));
    } else {
      s += Text(x1 + 6, y + 16, "\xE2\x80\x94" + (b.note.empty() ? std::string() : " " + b.note));
    }
    s += "</g>";
  }
  return s + "</svg>";
}

std::string HeatMapChart(const HeatMap& heat, const std::vector<std::string>& labels,
                         const std::vector<std::string>& period_labels) {
  const int label_w = 190, cell_w = 46, cell_h = 24, top = 40;
  int cols = static_cast<int>(period_labels.size());
  int width = label_w + cell_w * std::max(cols, 1) + 10;
  int height = top + cell_h * static_cast<int>(std::max<size_t>(heat.causes.size(), 1)) + 10;
  std::string s =
      Open(width, height, "Mentions per cause and period (shade: share of the period's feedback)",
           "chart heat");
  s += Text(4, 14, "Cause \xC3\x97 period: mentions (shade = share of feedback)", "start", "ttl");
  double max_share = 0;
  for (const auto& row : heat.shares) {
    for (double v : row) max_share = std::max(max_share, v);
  }
  for (int c = 0; c < cols; ++c) {
    s += Text(label_w + cell_w * c + cell_w / 2.0, top - 8,
              detail::ShortLabel(period_labels[static_cast<size_t>(c)]), "middle");
  }
  if (heat.causes.empty()) s += Text(label_w, top + 16, "no causes in these periods");
  for (size_t r = 0; r < heat.causes.size(); ++r) {
    double y = top + cell_h * static_cast<double>(r);
    s += Text(label_w - 6, y + 16, r < labels.size() ? labels[r] : heat.causes[r], "end");
    for (int c = 0; c < cols && static_cast<size_t>(c) < heat.counts[r].size(); ++c) {
      if (static_cast<size_t>(c) < heat.has_data.size() && !heat.has_data[static_cast<size_t>(c)]) {
        s += "<rect class=\"cell empty\" x=\"" + Fmt(label_w + cell_w * c + 1, 1) + "\" y=\"" +
             Fmt(y + 1, 1) + "\" width=\"" + std::to_string(cell_w - 2) + "\" height=\"" +
             std::to_string(cell_h - 2) + "\"><title>no feedback in " +
             EscapeHtml(period_labels[static_cast<size_t>(c)]) + "</title></rect>";
        continue;
      }
      double share = heat.shares[r][static_cast<size_t>(c)];
      double level = max_share > 0 ? share / max_share : 0;
      double x = label_w + cell_w * c;
      s += "<rect class=\"cell\" x=\"" + Fmt(x + 1, 1) + "\" y=\"" + Fmt(y + 1, 1) + "\" width=\"" +
           std::to_string(cell_w - 2) + "\" height=\"" + std::to_string(cell_h - 2) +
           "\" fill-opacity=\"" + Fmt(0.06 + 0.94 * level, 3) + "\"><title>" +
           EscapeHtml((r < labels.size() ? labels[r] : heat.causes[r]) + " " +
                      period_labels[static_cast<size_t>(c)] + ": " +
                      std::to_string(heat.counts[r][static_cast<size_t>(c)]) + " mentions, " +
                      Fmt(share, 1) + "%") +
           "</title></rect>";
      s += Text(x + cell_w / 2.0, y + 16, std::to_string(heat.counts[r][static_cast<size_t>(c)]),
                "middle", level > 0.55 ? "cell-lbl dark" : "cell-lbl");
    }
  }
  return s + "</svg>";
}

std::string MixBar(std::optional<double> positive, std::optional<double> neutral,
                   std::optional<double> negative, int width, int height) {
  std::string s = Open(width, height, "sentiment mix", "spark mix");
  double p = positive.value_or(0), n = neutral.value_or(0), g = negative.value_or(0);
  double total = p + n + g;
  if (total <= 0) return s + "</svg>";
  double x = 0;
  auto part = [&](double v, const char* cls) {
    double w = width * v / total;
    s += "<rect class=\"" + std::string(cls) + "\" x=\"" + Fmt(x, 1) + "\" y=\"0\" width=\"" +
         Fmt(w, 1) + "\" height=\"" + std::to_string(height) + "\"/>";
    x += w;
  };
  part(p, "mix-pos");
  part(n, "mix-neu");
  part(g, "mix-neg");
  return s + "</svg>";
}

std::string Histogram(const std::vector<int64_t>& counts, const std::vector<std::string>& labels,
                      const std::string& title, int width, int height) {
  std::string s = Open(width, height, title, "chart hist");
  s += Text(4, 14, title, "start", "ttl");
  int64_t max = 1;
  for (int64_t c : counts) max = std::max(max, c);
  double left = 8, right = width - 8, top = 24, bottom = height - 30;
  size_t n = std::max<size_t>(counts.size(), 1);
  double w = (right - left) / static_cast<double>(n);
  for (size_t i = 0; i < counts.size(); ++i) {
    double h = (bottom - top) * static_cast<double>(counts[i]) / static_cast<double>(max);
    double x = left + w * static_cast<double>(i);
    s += "<rect class=\"bar hist-bar\" x=\"" + Fmt(x + 1, 1) + "\" y=\"" + Fmt(bottom - h, 1) +
         "\" width=\"" + Fmt(std::max(1.0, w - 2), 1) + "\" height=\"" + Fmt(h, 1) + "\"><title>" +
         EscapeHtml((i < labels.size() ? labels[i] : "") + ": " + std::to_string(counts[i])) +
         "</title></rect>";
    if (counts[i] > 0)
      s += Text(x + w / 2, bottom - h - 3, std::to_string(counts[i]), "middle", "lbl small");
    if (i < labels.size() && i % 2 == 0)
      s += Text(x + w / 2, bottom + 14, labels[i], "middle", "lbl small");
  }
  s += "<line class=\"axis\" x1=\"" + Fmt(left, 1) + "\" y1=\"" + Fmt(bottom, 1) + "\" x2=\"" +
       Fmt(right, 1) + "\" y2=\"" + Fmt(bottom, 1) + "\"/>";
  return s + "</svg>";
}

}  // namespace feedloop::report::svg
