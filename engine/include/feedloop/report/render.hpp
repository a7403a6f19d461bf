// Renderers of the report model: one self-contained HTML page (inline CSS and SVG charts, no
// script, no network), Markdown for a wiki or chat post, the versioned JSON of every figure
// (docs/report-schema.md), and three CSV tables (causes, SKUs, the save list). Pure functions
// of the model; thread-safe.
#pragma once

#include <string>

#include "feedloop/report/model.hpp"

namespace feedloop::report {

std::string RenderHtml(const Report& report);
std::string RenderMarkdown(const Report& report);
std::string RenderJson(const Report& report);
std::string RenderCausesCsv(const Report& report);
std::string RenderSkusCsv(const Report& report);
std::string RenderSaveListCsv(const Report& report);

// The version of the "feedloop-report" JSON.
inline constexpr int kReportJsonVersion = 1;
// The JSON carries the first rows of the save list (and its total); save_list.csv has them all.
inline constexpr size_t kJsonSaveListMax = 500;

}  // namespace feedloop::report
