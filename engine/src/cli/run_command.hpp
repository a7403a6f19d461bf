// The weekly-run commands and the hook through which `run` writes its reports.
#pragma once

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "feedloop/config/config.hpp"
#include "feedloop/report/writer.hpp"
#include "feedloop/run/weekly_run.hpp"

namespace feedloop::cli {

void AddRunCommands(CLI::App& app, GlobalOptions& global, int& exit_code);

// The report stage of `feedloop run`: writes the configured formats for the requested period.
run::ReportWriter ReportStage();

// The report settings of a workspace config (period, zone, formats, min n, segments, compare,
// taxonomy, config hash, database): `feedloop report --config` and the report stage of `run`.
report::WriteRequest ReportRequestFor(const config::WorkspaceConfig& cfg);

}  // namespace feedloop::cli
