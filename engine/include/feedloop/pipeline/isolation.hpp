// Plugin isolation (--isolate-plugins): the plan's plugins run in a worker process (`feedloop
// plugin-worker`) that the engine talks to over pipes, one JSON line per batch each way. A plugin
// that crashes takes down only the worker: the engine restarts it, finds the item and the plugin
// that crashed, records that (item, plugin) as failed, and goes on. A batch that takes longer
// than the timeout is stopped the same way.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"

namespace feedloop::pipeline {

class AnalysisPlan;
struct PluginOutput;

struct IsolationOptions {
  bool enabled = false;
  double timeout_seconds = 60;  // per request (a batch, or one item when retrying)
  std::string worker_command;   // the feedloop executable; empty: this process's own
};

// Runs a plan in a worker process. One per analyzing thread; not thread-safe.
class ChildAnalyzer {
 public:
  static Result<std::unique_ptr<ChildAnalyzer>> Start(const AnalysisPlan& plan,
                                                      const IsolationOptions& options);
  ~ChildAnalyzer();

  // Same contract as BatchAnalyzer::Analyze; crashes and timeouts become failed outputs.
  void Analyze(const std::vector<Item>& items, const std::vector<uint64_t>* run_masks,
               std::vector<std::vector<PluginOutput>>* outputs);

 private:
  ChildAnalyzer(const AnalysisPlan& plan, IsolationOptions options)
      : plan_(plan), options_(std::move(options)) {}
  Status Launch();
  void Stop();
  // Sends one request; on success fills the outputs of the items it ran.
  Status Request(const std::vector<const Item*>& items, const std::vector<uint64_t>& masks,
                 const std::vector<std::vector<PluginOutput>*>& outputs);

  const AnalysisPlan& plan_;
  IsolationOptions options_;
  std::string spec_;  // the plan, as the worker's first line
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string pending_;  // bytes read past the last response line
};

// The worker's side: reads the plan spec and requests from `in_fd`, writes responses to `out_fd`.
// Returns the process exit code.
int RunPluginWorker(int in_fd, int out_fd);

}  // namespace feedloop::pipeline
