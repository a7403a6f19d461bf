// Inline SVG charts for the HTML report (private to engine/src/report). Every label is escaped;
// the charts are static markup, no script.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "feedloop/report/model.hpp"

namespace feedloop::report::svg {

// A small line without axes, for KPI cards.
std::string Sparkline(const std::vector<std::optional<double>>& values, int width, int height);

// A line chart with a y range, the first/last period labels and a dot on the last point.
std::string LineChart(const std::vector<std::optional<double>>& values,
                      const std::vector<std::string>& labels, const std::string& title,
                      int decimals, int width = 340, int height = 150);

struct Bar {
  std::string label;
  std::optional<double> value;
  std::optional<metrics::Interval> ci;  // the 95% whisker; none for greyed bars
  bool greyed = false;
  std::string note;  // shown after the value ("n too small")
};
// Horizontal bars around a zero line with 95% whiskers (NPS impact).
std::string ImpactBars(const std::vector<Bar>& bars, const std::string& title, int width = 720);

// Causes x periods, shaded by the share of the period's items.
std::string HeatMapChart(const HeatMap& heat, const std::vector<std::string>& labels,
                         const std::vector<std::string>& period_labels);

// A stacked bar of positive / neutral / negative shares.
std::string MixBar(std::optional<double> positive, std::optional<double> neutral,
                   std::optional<double> negative, int width, int height);

// Vertical bars of a histogram with bucket labels.
std::string Histogram(const std::vector<int64_t>& counts, const std::vector<std::string>& labels,
                      const std::string& title, int width = 560, int height = 160);

}  // namespace feedloop::report::svg
