// Helpers for end-to-end tests: run the real `feedloop` command in a scratch folder and look at
// what it left behind.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "feedloop/core/hash.hpp"

namespace feedloop::e2e {

namespace fs = std::filesystem;

struct Output {
  int exit_code = -1;
  bool killed = false;  // ended by a signal
  std::string out;
  std::string err;
};

// Runs `feedloop ARGS` in `cwd` with extra environment variables and optional stdin text.
inline Output Feedloop(const std::vector<std::string>& args, const std::string& cwd = ".",
                       const std::vector<std::string>& env = {}, const std::string& input = "") {
  fs::path tmp = fs::temp_directory_path() / ("feedloop-e2e-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  std::string in_path = (tmp / "stdin").string(), out_path = (tmp / "stdout").string(),
              err_path = (tmp / "stderr").string();
  std::ofstream(in_path, std::ios::binary) << input;
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    std::string bin = FEEDLOOP_BIN;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Output o;
  o.killed = WIFSIGNALED(status);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream out(out_path), err(err_path);
  std::stringstream so, se;
  so << out.rdbuf();
  se << err.rdbuf();
  o.out = so.str();
  o.err = se.str();
  fs::remove_all(tmp);
  return o;
}

// Starts `feedloop ARGS` in `cwd` with stdin and stdout redirected to files (stderr to
// /dev/null) and extra environment variables; returns its pid without waiting.
inline pid_t Spawn(const std::vector<std::string>& args, const std::string& in_path,
                   const std::string& out_path, const std::string& cwd = ".",
                   const std::vector<std::string>& env = {}) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = ::open("/dev/null", O_WRONLY);
    if (in < 0 || out < 0 || null < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(null, 2);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::string bin = FEEDLOOP_BIN;
    std::vector<std::string> copy = args;
    std::vector<char*> argv = {bin.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// A report's figures: everything but its provenance (which says which run produced it), the
// last member of report.json.
inline std::string ReportFigures(const std::string& report_json) {
  size_t at = report_json.rfind(",\"provenance\":");
  return at == std::string::npos ? "no provenance in: " + report_json.substr(0, 200)
                                 : report_json.substr(0, at);
}

// A scratch folder removed afterwards.
class Scratch {
 public:
  Scratch() {
    std::string p = (fs::temp_directory_path() / "feedloop-ws-XXXXXX").string();
    path_ = ::mkdtemp(p.data());
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

// Rows of a query, one string per row with columns separated by '|'.
inline std::vector<std::string> Query(const std::string& db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return rows;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (c) row += '|';
        const unsigned char* t = sqlite3_column_text(st, c);
        row += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      rows.push_back(row);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return rows;
}

inline int64_t Count(const std::string& db, const std::string& sql) {
  std::vector<std::string> r = Query(db, sql);
  return r.empty() ? -1 : std::atoll(r[0].c_str());
}

// A fingerprint of everything the analysis stored, independent of run ids and row order:
// equal fingerprints mean equal contents.
inline std::string ContentDigest(const std::string& db) {
  const char* queries[] = {
      "SELECT source, ext_id, kind, created_at, score, text, customer_id, order_id, sku, channel, "
      "region, "
      "language, attrs, dedupe_key FROM items ORDER BY source, ext_id",
      "SELECT i.source, i.ext_id, t.seq, t.role, t.at, t.text FROM turns t JOIN items i ON i.id = "
      "t.item_id "
      "ORDER BY 1, 2, 3",
      "SELECT i.source, i.ext_id, a.plugin, a.version, a.status, a.error, a.sentiment, "
      "a.root_cause, "
      "a.root_confidence, a.detail FROM annotations a JOIN items i ON i.id = a.item_id ORDER BY 1, "
      "2, 3",
      "SELECT i.source, i.ext_id, l.plugin, l.annotation, l.label, l.confidence FROM labels l "
      "JOIN items i ON i.id = l.item_id ORDER BY 1, 2, 3, 4, 5",
      "SELECT i.source, i.ext_id, a.sentiment, a.root_cause, a.root_confidence, "
      "a.first_turn_sentiment, "
      "a.last_turn_sentiment, a.tags, a.evidence FROM analysis a JOIN items i ON i.id = a.item_id "
      "ORDER BY 1, 2",
      "SELECT file, record, reason, excerpt FROM rejects ORDER BY 1, 2, 3",
  };
  std::string all;
  for (const char* q : queries) {
    for (const std::string& row : Query(db, q)) all += row + "\n";
    all += "--\n";
  }
  return Hex64(Hash64(all)) + " (" + std::to_string(all.size()) + " bytes)";
}

// The lines of `text`, without their newlines (an empty line is kept).
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace feedloop::e2e
