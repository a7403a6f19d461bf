// `feedloop plugins list | info | check | test`.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common.hpp"
#include "feedloop/plugins/golden.hpp"
#include "plugin_setup.hpp"

namespace feedloop::cli {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

bool LooksLikePath(const std::string& s) {
  return s.find('/') != std::string::npos || std::filesystem::path(s).extension() == ".so";
}

// A plugin given by name (searched in the folders) or by path (loaded from there).
Result<std::shared_ptr<plugins::PluginLibrary>> Resolve(const std::string& name_or_path,
                                                        const PluginArgs& args) {
  if (LooksLikePath(name_or_path)) {
    std::error_code ec;
    if (!std::filesystem::exists(name_or_path, ec))
      return Status::NotFound(name_or_path + ": no such file");
    if (std::filesystem::is_directory(name_or_path, ec)) {
      return Status::InvalidInput(name_or_path + ": is a directory, not a plugin library");
    }
    return plugins::PluginLibrary::Load(name_or_path);
  }
  std::unique_ptr<plugins::PluginRegistry> registry = MakeRegistry(args, nullptr);
  return registry->Find(name_or_path);
}

int RunList(const PluginArgs& args) {
  std::unique_ptr<plugins::PluginRegistry> registry = MakeRegistry(args, nullptr);
  std::printf("%-14s %-8s %-24s %-22s %-8s %s\n", "NAME", "VERSION", "PROVIDES", "REQUIRES",
              "STATUS", "FILE");
  for (const plugins::PluginEntry& e : registry->entries()) {
    if (e.library) {
      const plugins::PluginInfo& i = e.library->info();
      std::printf("%-14s %-8s %-24s %-22s %-8s %s\n", i.name.c_str(), i.version.c_str(),
                  Join(i.provides).c_str(), Join(i.requires_).c_str(), "ok", e.path.c_str());
    } else {
      std::printf("%-14s %-8s %-24s %-22s %-8s %s\n    %s\n", "?", "?", "-", "-", "error",
                  e.path.c_str(), e.status.message().c_str());
    }
  }
  if (registry->entries().empty()) {
    std::string folders;
    for (const std::string& f : registry->folders()) folders += (folders.empty() ? "" : ", ") + f;
    std::printf("no plugins found in %s\n", folders.c_str());
  }
  return kExitOk;
}

int RunInfo(const std::string& target, const PluginArgs& args) {
  Result<std::shared_ptr<plugins::PluginLibrary>> lib = Resolve(target, args);
  if (!lib.ok()) {
    PrintError(lib.status().message());
    return kExitUsage;
  }
  const plugins::PluginInfo& i = lib.value()->info();
  std::printf(
      "name:        %s\nversion:     %s\ndescription: %s\nlicense:     %s\nprovides:    %s\n"
      "requires:    %s\nABI:         %u.%u\nfile:        %s\ndefault config: %s\n",
      i.name.c_str(), i.version.c_str(), i.description.c_str(), i.license.c_str(),
      Join(i.provides).c_str(), Join(i.requires_).c_str(), i.abi_major, i.abi_minor, i.path.c_str(),
      i.default_config.c_str());
  std::printf("config schema: %s\n", i.config_schema.empty() ? "(none)" : i.config_schema.c_str());
  return kExitOk;
}

// A plugin config given on the command line: a JSON object, or a file holding one.
Result<std::string> ConfigArg(const std::string& value) {
  if (value.empty() || value.front() == '{') return value;
  std::ifstream in(value);
  if (!in) return Status::Usage("cannot read config file " + value);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int CheckInThisProcess(const std::string& path, const std::string& config_arg) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    PrintError(path + ": is a directory, not a plugin library");
    return kExitUsage;
  }
  Result<std::shared_ptr<plugins::PluginLibrary>> lib = plugins::PluginLibrary::Load(path);
  if (!lib.ok()) {
    PrintError(lib.status().message());
    return kExitUsage;
  }
  Result<std::string> config = ConfigArg(config_arg);
  if (!config.ok()) {
    PrintError(config.status().message());
    return kExitUsage;
  }
  Result<std::unique_ptr<plugins::PluginInstance>> instance =
      lib.value()->CreateInstance(config.value());
  if (!instance.ok()) {
    PrintError(path + ": " + instance.status().message() +
               (config_arg.empty() ? " (with its default config; give one with --config)" : ""));
    return kExitUsage;
  }
  const plugins::PluginInfo& i = lib.value()->info();
  std::printf("OK %s %s (ABI %u.%u; provides %s; requires %s)\n", i.name.c_str(), i.version.c_str(),
              i.abi_major, i.abi_minor, Join(i.provides).c_str(), Join(i.requires_).c_str());
  return kExitOk;
}

// A plugin's code runs as soon as it loads (its constructors, its ABI functions, `create`), and a
// hostile or broken file can crash or hang there. The check runs in a child process, so that even
// then it ends with one line and exit 2; a check taking longer than this is stopped.
constexpr unsigned kCheckSeconds = 60;

int RunCheck(const std::string& path, const std::string& config_arg) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return CheckInThisProcess(path, config_arg);
  if (pid == 0) {
    // A crash is the child's end, reported by the parent: no handler (a sanitizer's, say) in
    // between.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
    ::alarm(kCheckSeconds);
    int code = CheckInThisProcess(path, config_arg);
    std::fflush(nullptr);
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (sig == SIGALRM) {
    PrintError(path + ": the plugin did not finish loading and starting within " +
               std::to_string(kCheckSeconds) + " s");
  } else {
    PrintError(path + ": the plugin crashed while loading or starting (signal " +
               std::to_string(sig) + ", " + strsignal(sig) + ")");
  }
  return kExitUsage;
}

struct TestArgs {
  PluginArgs plugins;
  std::string target;
  std::string cases;
  std::string config;
  std::vector<std::string> with;
};

int RunTest(const TestArgs& a) {
  Result<std::shared_ptr<plugins::PluginLibrary>> lib = Resolve(a.target, a.plugins);
  if (!lib.ok()) {
    PrintError(lib.status().message());
    return kExitUsage;
  }
  std::vector<pipeline::PlannedPlugin> planned;
  for (const std::string& w : a.with) {
    Result<std::shared_ptr<plugins::PluginLibrary>> dep = Resolve(w, a.plugins);
    if (!dep.ok()) {
      PrintError(dep.status().message());
      return kExitUsage;
    }
    planned.push_back({dep.value(), ""});
  }
  Result<std::string> config = ConfigArg(a.config);
  if (!config.ok()) {
    PrintError(config.status().message());
    return kExitUsage;
  }
  planned.push_back({lib.value(), config.value()});
  Result<pipeline::AnalysisPlan> plan = pipeline::AnalysisPlan::Create(planned, false, nullptr);
  if (!plan.ok()) {
    PrintError(plan.status().message() + (plan.status().code() == Status::Code::kUsage
                                              ? " (give the plugins it needs with --with)"
                                              : ""));
    return kExitUsage;
  }
  Result<std::vector<plugins::CaseResult>> results =
      plugins::RunGoldenCases(plan.value(), lib.value()->name(), a.cases);
  if (!results.ok()) {
    PrintError(results.status().message());
    return kExitUsage;
  }
  int failed = 0;
  for (const plugins::CaseResult& r : results.value()) {
    if (r.passed) {
      std::printf("PASS  %s\n", r.name.c_str());
      continue;
    }
    ++failed;
    std::printf("FAIL  %s  (%s:%lld)\n", r.name.c_str(), a.cases.c_str(),
                static_cast<long long>(r.line));
    for (const std::string& d : r.differences) std::printf("      %s\n", d.c_str());
  }
  std::printf("%zu cases: %zu passed, %d failed\n", results->size(),
              results->size() - static_cast<size_t>(failed), failed);
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace

void AddPluginsCommand(CLI::App& app, GlobalOptions& global, int& exit_code) {
  (void)global;
  CLI::App* cmd = app.add_subcommand("plugins", "List, inspect, check and test plugins");
  cmd->require_subcommand(1);
  auto args = std::make_shared<PluginArgs>();
  cmd->add_option("--plugin-path", args->plugin_paths, "Extra folder to search (repeatable)");

  CLI::App* list = cmd->add_subcommand("list", "Plugins in the plugin folders, with their status");
  list->callback([args, &exit_code] { exit_code = RunList(*args); });

  auto target = std::make_shared<std::string>();
  CLI::App* info = cmd->add_subcommand("info", "A plugin's descriptor and config schema");
  info->add_option("plugin", *target, "Name or path")->required();
  info->callback([args, target, &exit_code] { exit_code = RunInfo(*target, *args); });

  auto check_path = std::make_shared<std::string>();
  auto check_config = std::make_shared<std::string>();
  CLI::App* check = cmd->add_subcommand(
      "check", "Load a plugin file and validate it without analyzing anything (exit 0 when good)");
  check->add_option("path", *check_path, "Plugin library (.so)")->required();
  check->add_option("--config", *check_config,
                    "Start it with this config (a JSON object or a file)");
  check->callback(
      [check_path, check_config, &exit_code] { exit_code = RunCheck(*check_path, *check_config); });

  auto test = std::make_shared<TestArgs>();
  CLI::App* t =
      cmd->add_subcommand("test", "Run a plugin on golden cases and show the differences");
  t->add_option("plugin", test->target, "Name or path")->required();
  t->add_option("--cases", test->cases, "JSONL file of cases: {\"item\": {...}, \"expect\": {...}}")
      ->required();
  t->add_option("--config", test->config,
                "The plugin's config: a JSON object or a file holding one");
  t->add_option("--with", test->with,
                "A plugin that runs first to provide what this one requires (repeatable)");
  t->callback([args, test, &exit_code] {
    test->plugins = *args;
    exit_code = RunTest(*test);
  });
}

}  // namespace feedloop::cli
