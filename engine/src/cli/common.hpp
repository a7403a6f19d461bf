// Shared pieces of the `feedloop` command: global options, exit codes, error printing.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "feedloop/core/status.hpp"
#include "feedloop/store/store.hpp"

namespace feedloop::cli {

// Exit codes of every command.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,  // an operation failed, or something was rejected and --strict was given
  kExitUsage = 2,   // usage or configuration error
};

struct GlobalOptions {
  std::string db = "feedloop.db";
  bool quiet = false;
};

// One clear line on stderr.
void PrintError(const std::string& message);
void PrintWarning(const std::string& message);
int ExitCodeFor(const Status& status);

// Opens the store, printing the error and returning null on failure.
std::unique_ptr<store::Store> OpenStore(const std::string& path, bool create, int* exit_code);

// Each command adds itself to the app; `exit_code` receives its result.
void AddIngestCommand(CLI::App& app, GlobalOptions& global, int& exit_code);
void AddRejectsCommand(CLI::App& app, GlobalOptions& global, int& exit_code);
void AddTrainCommand(CLI::App& app, GlobalOptions& global, int& exit_code);
void AddReportCommand(CLI::App&, GlobalOptions&, int&);
void AddTaxonomyCommand(CLI::App&, GlobalOptions&, int&);

}  // namespace feedloop::cli
