#include "common.hpp"

namespace feedloop::cli {

void PrintError(const std::string& message) {
  std::fprintf(stderr, "feedloop: error: %s\n", message.c_str());
}

void PrintWarning(const std::string& message) {
  std::fprintf(stderr, "feedloop: warning: %s\n", message.c_str());
}

int ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  return status.code() == Status::Code::kUsage ? kExitUsage : kExitFailed;
}

std::unique_ptr<store::Store> OpenStore(const std::string& path, bool create, int* exit_code) {
  store::OpenOptions options;
  options.create_if_missing = create;
  Result<std::unique_ptr<store::Store>> s = store::Store::Open(path, options);
  if (!s.ok()) {
    PrintError(s.status().message());
    *exit_code = s.status().code() == Status::Code::kNotFound ? kExitUsage : kExitFailed;
    return nullptr;
  }
  return std::move(s).value();
}

}  // namespace feedloop::cli
