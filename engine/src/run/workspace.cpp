#include "feedloop/run/workspace.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "feedloop/store/store.hpp"

namespace feedloop::run {
namespace fs = std::filesystem;

std::string DefaultConfigText() {
  return R"json({
  "description": "feedloop workspace: drop exports into inbox/<source>/ and run `feedloop run`. See docs/configuration.md.",
  "database": "feedloop.db",
  "sources": [
    {"name": "reviews", "path": ["inbox/reviews/*.csv"], "preset": "trustpilot"},
    {"name": "nps", "path": ["inbox/nps/*.csv"], "preset": "delighted"},
    {"name": "csat", "path": ["inbox/csat/*.jsonl", "inbox/csat/*.json", "inbox/csat/*.csv"], "kind": "csat"},
    {"name": "ces", "path": ["inbox/ces/*.jsonl", "inbox/ces/*.csv"], "kind": "ces"},
    {"name": "app-reviews", "path": ["inbox/app-reviews/*.jsonl", "inbox/app-reviews/*.csv"], "kind": "review"},
    {"name": "tickets", "path": ["inbox/tickets/*.json"], "preset": "zendesk"},
    {"name": "chats", "path": ["inbox/chats/*.csv"], "preset": "support-chat-csv"}
  ],
  "plugins": [
    {"name": "sentiment"},
    {"name": "taxonomy"},
    {"name": "root-cause"}
  ],
  "plugin_paths": ["plugins"],
  "period": {"granularity": "week", "time_zone": "UTC"},
  "report": {
    "formats": ["html", "md", "json", "csv"],
    "out": "reports",
    "min_n": 30,
    "segments": ["region", "channel", "source"],
    "compare": "previous"
  }
}
)json";
}

Status InitWorkspace(const std::string& dir) {
  std::error_code ec;
  fs::path root(dir);
  if (fs::exists(root / "feedloop.json", ec) || fs::exists(root / "feedloop.db", ec)) {
    return Status::Usage(dir +
                         " already holds a feedloop workspace (feedloop.json or feedloop.db); "
                         "not overwriting it");
  }
  if (fs::exists(root, ec) && !fs::is_directory(root, ec))
    return Status::Usage(dir + " is a file, not a folder");
  for (const char* sub :
       {"inbox/reviews", "inbox/nps", "inbox/csat", "inbox/ces", "inbox/app-reviews",
        "inbox/tickets", "inbox/chats", "reports", "plugins", "logs"}) {
    fs::create_directories(root / sub, ec);
    if (ec) return Status::IoError("cannot create " + (root / sub).string() + ": " + ec.message());
  }
  {
    std::ofstream out(root / "feedloop.json");
    out << DefaultConfigText();
    if (!out) return Status::IoError("cannot write " + (root / "feedloop.json").string());
  }
  Result<std::unique_ptr<store::Store>> db = store::Store::Open((root / "feedloop.db").string());
  if (!db.ok()) return db.status();
  return Status::Ok();
}

Result<std::unique_ptr<WorkspaceLock>> WorkspaceLock::Acquire(const std::string& dir) {
  std::string path = (fs::path(dir) / ".feedloop.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot open lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    ::close(fd);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return Status::Usage("another feedloop run" + (pid.empty() ? "" : " (pid " + pid + ")") +
                         " is working on " + dir + "; wait for it to finish or stop it");
  }
  // Record who holds it, for the message above. The lock itself is the flock: it dies with us.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)::pwrite(fd, pid.data(), pid.size(), 0);
  std::unique_ptr<WorkspaceLock> lock(new WorkspaceLock());
  lock->fd_ = fd;
  return lock;
}

WorkspaceLock::~WorkspaceLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace feedloop::run
