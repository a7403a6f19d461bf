#include "feedloop/pipeline/isolation.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "feedloop/core/item_json.hpp"
#include "feedloop/core/json_writer.hpp"
#include "feedloop/pipeline/analyze.hpp"
#include "feedloop/pipeline/analyzer.hpp"

namespace feedloop::pipeline {
namespace {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void AppendOutput(std::string& out, const PluginOutput& o) {
  JsonWriter w(out);
  w.BeginObject().Field("ran", o.ran).Field("failed", o.failed);
  if (!o.error.empty()) w.Field("error", o.error);
  w.Key("detail").Raw(OutputToJson(o)).EndObject();
}

PluginOutput OutputFrom(const json::Value& v) {
  PluginOutput o;
  if (const json::Value* d = v.find("detail")) o = OutputFromJson(json::Dump(*d));
  o.ran = v.get_bool("ran", false);
  o.failed = v.get_bool("failed", false);
  o.error = v.get_string("error");
  return o;
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "the plugin process crashed (signal " + std::to_string(sig) + ": " + ::strsignal(sig) +
           ")";
  }
  if (WIFEXITED(status))
    return "the plugin process exited with code " + std::to_string(WEXITSTATUS(status));
  return "the plugin process stopped";
}

}  // namespace

Result<std::unique_ptr<ChildAnalyzer>> ChildAnalyzer::Start(const AnalysisPlan& plan,
                                                            const IsolationOptions& options) {
  std::unique_ptr<ChildAnalyzer> c(new ChildAnalyzer(plan, options));
  if (c->options_.worker_command.empty()) {
    std::error_code ec;
    c->options_.worker_command = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  }
  JsonWriter w(c->spec_);
  w.BeginObject().Key("plugins").BeginArray();
  for (const PlannedPlugin& p : plan.plugins()) {
    const std::string& path = p.library->info().path;
    if (path.empty() || path.front() == '<') {
      return Status::Usage("plugin " + p.library->name() +
                           " is not loaded from a file and cannot be isolated");
    }
    w.BeginObject()
        .Field("path", std::filesystem::absolute(path).string())
        .Field("config", p.config)
        .EndObject();
  }
  w.EndArray().EndObject();
  c->spec_ += '\n';
  FEEDLOOP_RETURN_IF_ERROR(c->Launch());
  return c;
}

ChildAnalyzer::~ChildAnalyzer() {
  Stop();
}

Status ChildAnalyzer::Launch() {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  }
  const char* command = options_.worker_command.c_str();
  pid_ = ::fork();
  if (pid_ < 0) return Status::IoError(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::execl(command, "feedloop", "plugin-worker", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  to_child_ = in[1];
  from_child_ = out[0];
  pending_.clear();
  if (!WriteAll(to_child_, spec_)) return Status::Plugin("cannot start the plugin process");
  return Status::Ok();
}

void ChildAnalyzer::Stop() {
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  to_child_ = from_child_ = -1;
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

Status ChildAnalyzer::Request(const std::vector<const Item*>& items,
                              const std::vector<uint64_t>& masks,
                              const std::vector<std::vector<PluginOutput>*>& outputs) {
  if (pid_ <= 0) FEEDLOOP_RETURN_IF_ERROR(Launch());
  std::string req;
  JsonWriter w(req);
  w.BeginObject().Key("items").BeginArray();
  for (const Item* item : items) {
    std::string one;
    AppendItemJson(one, *item);
    w.Raw(one);
  }
  w.EndArray().Key("masks").BeginArray();
  for (uint64_t m : masks) w.Int(static_cast<int64_t>(m));
  w.EndArray().Key("prior").BeginArray();
  for (size_t i = 0; i < items.size(); ++i) {
    w.BeginArray();
    for (size_t p = 0; p < plan_.size(); ++p) {
      if ((masks[i] >> p & 1) != 0 || !(*outputs[i])[p].ran) {
        w.Null();
      } else {
        std::string o;
        AppendOutput(o, (*outputs[i])[p]);
        w.Raw(o);
      }
    }
    w.EndArray();
  }
  w.EndArray().EndObject();
  req += '\n';
  if (!WriteAll(to_child_, req)) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    Stop();
    return Status::Plugin(DescribeExit(status));
  }
  // Read one response line, within the timeout.
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(options_.timeout_seconds * 1000));
  size_t nl;
  while ((nl = pending_.find('\n')) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      Stop();
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%g", options_.timeout_seconds);
      return Status::Plugin(std::string("the plugins did not answer within ") + buf +
                            " s (stopped)");
    }
    pollfd pfd{from_child_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buf[65536];
    ssize_t n = ::read(from_child_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      Stop();
      return Status::Plugin(DescribeExit(status));
    }
    pending_.append(buf, static_cast<size_t>(n));
  }
  std::string line = pending_.substr(0, nl);
  pending_.erase(0, nl + 1);
  try {
    json::Value v = json::Parse(line);
    const auto& rows =
        v.find("outputs") ? v.find("outputs")->as_array() : std::vector<json::Value>{};
    if (rows.size() != items.size())
      return Status::Plugin("the plugin process answered for the wrong number of items");
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& row = rows[i].as_array();
      for (size_t p = 0; p < plan_.size() && p < row.size(); ++p) {
        if ((masks[i] >> p & 1) != 0) (*outputs[i])[p] = OutputFrom(row[p]);
      }
    }
  } catch (const json::Error& e) {
    Stop();
    return Status::Plugin(std::string("the plugin process answered garbage: ") + e.what());
  }
  return Status::Ok();
}

void ChildAnalyzer::Analyze(const std::vector<Item>& items, const std::vector<uint64_t>* run_masks,
                            std::vector<std::vector<PluginOutput>>* outputs) {
  const size_t n = items.size();
  const size_t plugins = plan_.size();
  outputs->resize(n);
  for (auto& row : *outputs) row.resize(plugins);
  const uint64_t all = plugins >= 64 ? ~uint64_t{0} : (uint64_t{1} << plugins) - 1;
  std::vector<uint64_t> masks(n, all);
  if (run_masks != nullptr) masks = *run_masks;
  std::vector<const Item*> batch;
  std::vector<std::vector<PluginOutput>*> rows;
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(&items[i]);
    rows.push_back(&(*outputs)[i]);
  }
  if (Request(batch, masks, rows).ok()) return;
  // Something crashed or hung: item by item, then plugin by plugin for the culprit.
  for (size_t i = 0; i < n; ++i) {
    if (Request({&items[i]}, {masks[i]}, {&(*outputs)[i]}).ok()) continue;
    for (size_t p = 0; p < plugins; ++p) {
      if ((masks[i] >> p & 1) == 0) continue;
      Status st = Request({&items[i]}, {uint64_t{1} << p}, {&(*outputs)[i]});
      if (st.ok()) continue;
      PluginOutput& o = (*outputs)[i][p];
      o.Clear();
      o.ran = true;
      o.failed = true;
      o.error = st.message();
    }
  }
}

int RunPluginWorker(int in_fd, int out_fd) {
  // Requests are lines; read them with a small buffered reader.
  std::string buffer;
  auto next_line = [&](std::string* line) {
    size_t nl;
    while ((nl = buffer.find('\n')) == std::string::npos) {
      char chunk[65536];
      ssize_t n = ::read(in_fd, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    *line = buffer.substr(0, nl);
    buffer.erase(0, nl + 1);
    return true;
  };
  std::string line;
  if (!next_line(&line)) return 0;
  std::vector<PlannedPlugin> planned;
  try {
    json::Value spec = json::Parse(line);
    for (const json::Value& p : spec.find("plugins")->as_array()) {
      Result<std::shared_ptr<plugins::PluginLibrary>> lib =
          plugins::PluginLibrary::Load(p.get_string("path"));
      if (!lib.ok()) {
        std::fprintf(stderr, "feedloop plugin-worker: %s\n", lib.status().message().c_str());
        return 2;
      }
      planned.push_back({lib.value(), p.get_string("config")});
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "feedloop plugin-worker: bad plan: %s\n", e.what());
    return 2;
  }
  Result<AnalysisPlan> plan = AnalysisPlan::Create(planned, false, nullptr);
  if (!plan.ok()) return 2;
  Result<std::unique_ptr<BatchAnalyzer>> analyzer = BatchAnalyzer::Create(plan.value());
  if (!analyzer.ok()) return 2;
  std::vector<Item> items;
  std::vector<uint64_t> masks;
  std::vector<std::vector<PluginOutput>> outputs;
  while (next_line(&line)) {
    items.clear();
    masks.clear();
    outputs.clear();
    try {
      json::Value req = json::Parse(line);
      for (const json::Value& v : req.find("items")->as_array()) {
        Result<Item> item = ItemFromJson(v);
        if (!item.ok()) return 2;
        items.push_back(std::move(item).value());
      }
      for (const json::Value& m : req.find("masks")->as_array())
        masks.push_back(static_cast<uint64_t>(m.as_number()));
      outputs.assign(items.size(), std::vector<PluginOutput>(plan->size()));
      const auto& prior = req.find("prior")->as_array();
      for (size_t i = 0; i < items.size() && i < prior.size(); ++i) {
        const auto& row = prior[i].as_array();
        for (size_t p = 0; p < row.size() && p < plan->size(); ++p) {
          if (!row[p].is_null()) outputs[i][p] = OutputFrom(row[p]);
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "feedloop plugin-worker: bad request: %s\n", e.what());
      return 2;
    }
    (*analyzer)->Analyze(items, &masks, &outputs);
    std::string resp;
    JsonWriter w(resp);
    w.BeginObject().Key("outputs").BeginArray();
    for (const auto& row : outputs) {
      w.BeginArray();
      for (const PluginOutput& o : row) {
        std::string one;
        AppendOutput(one, o);
        w.Raw(one);
      }
      w.EndArray();
    }
    w.EndArray().EndObject();
    resp += '\n';
    if (!WriteAll(out_fd, resp)) return 1;
  }
  return 0;
}

}  // namespace feedloop::pipeline
