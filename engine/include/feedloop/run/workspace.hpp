// A workspace: the folder a CX team points its weekly run at — feedloop.json, an inbox per
// source, reports/, plugins/, logs/ and the database — and the lock that keeps two runs apart.
#pragma once

#include <memory>
#include <string>

#include "feedloop/core/status.hpp"

namespace feedloop::run {

// The feedloop.json `init` writes: every source of the samples' export shapes, the built-in
// plugins, weekly periods, all report formats. Documented in docs/configuration.md.
std::string DefaultConfigText();

// Creates a workspace in `dir` (created if missing). Refuses a folder that already holds a
// feedloop.json or a database.
Status InitWorkspace(const std::string& dir);

// An exclusive lock on a workspace (flock on `<dir>/.feedloop.lock`): released when the process
// exits, however it exits, so a lock left by a dead process never blocks the next run.
class WorkspaceLock {
 public:
  // Fails with a message naming the process that holds it.
  static Result<std::unique_ptr<WorkspaceLock>> Acquire(const std::string& dir);
  ~WorkspaceLock();
  WorkspaceLock(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(const WorkspaceLock&) = delete;

 private:
  WorkspaceLock() = default;
  int fd_ = -1;
};

}  // namespace feedloop::run
