// feedloop: one command with subcommands. Exit codes: 0 success; 1 an operation failed (or,
// with --strict, something was rejected); 2 usage or configuration error.
#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>

#include "allocator.hpp"
#include "common.hpp"
#include "feedloop/pipeline/isolation.hpp"
#include "plugin_setup.hpp"
#include "run_command.hpp"

int main(int argc, char** argv) {
  using namespace feedloop::cli;
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error we report, not a silent death

  CLI::App app{"feedloop: turns customer feedback into operational improvement reports"};
  app.set_version_flag("--version", [] {
    return std::string("feedloop ") + FEEDLOOP_VERSION + "\nallocator: " + DescribeAllocator() +
           "\nbuild: " + FEEDLOOP_BUILD_KIND;
  });
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--db", global.db, "SQLite database file")->capture_default_str();
  app.add_flag("-q,--quiet", global.quiet, "Print only errors and the final summary");

  int exit_code = kExitOk;
  AddIngestCommand(app, global, exit_code);
  AddRejectsCommand(app, global, exit_code);
  AddTrainCommand(app, global, exit_code);
  AddAnalyzeCommand(app, global, exit_code);
  AddStreamCommand(app, global, exit_code);
  AddPluginsCommand(app, global, exit_code);
  AddEvalCommand(app, global, exit_code);
  AddReportCommand(app, global, exit_code);
  AddTaxonomyCommand(app, global, exit_code);
  AddRunCommands(app, global, exit_code);
  // The worker process of --isolate-plugins; not for people.
  CLI::App* worker = app.add_subcommand("plugin-worker", "")->group("");
  worker->callback([&exit_code] { exit_code = feedloop::pipeline::RunPluginWorker(0, 1); });

  // "feedloop bogus": CLI11 would only say that a subcommand is required.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    bool known = false;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) {
      known = known || sub->get_name() == word;
      if (!sub->get_group().empty()) names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      PrintError("unknown command '" + word + "' (commands: " + names + "; see feedloop --help)");
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, as every error: what is wrong, and where to look.
    PrintError(std::string(e.what()) + " (see feedloop --help)");
    return kExitUsage;
  } catch (const std::exception& e) {
    PrintError(e.what());
    return kExitFailed;
  }
  return exit_code;
}
