// The bad-input corpus: every malformed input of tests/corpus/bad, and those made here at test
// time (a 10 MB line, a 40 MB line, 100,000 columns, a field of megabytes, a directory, an
// unreadable file, a symlink loop, a missing file), goes through the real `feedloop ingest` on a
// scratch database. The outcome must be exactly the one tests/corpus/bad/EXPECTED.json gives:
// the exit code (and error line) of a file that cannot be read; otherwise the counts, which must
// reconcile (read = stored + duplicates + rejected), and the rejects, by line and reason. Nothing
// may end on a signal, and memory stays within the bound given for the big inputs (the child's
// peak RSS, from wait4). Every JSON Lines input also goes through `feedloop stream`, which must
// answer each input line with exactly one output line. Cases marked "unprivileged" run the command
// as user nobody (65534) when the tests run as root, who could read a file of mode 0000.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <set>

#include "../e2e/e2e_util.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::corpus {
namespace {

namespace fs = std::filesystem;
using e2e::Query;
using e2e::Scratch;

const std::string kBad = FEEDLOOP_CORPUS_DIR;

// What one ingest must give.
struct Outcome {
  int exit_code = 0;
  std::optional<std::vector<int64_t>> counts;            // read, stored, duplicates, rejected
  std::vector<std::pair<int64_t, std::string>> rejects;  // line, a substring of the reason
  std::string error;    // a substring of stderr (files that cannot be read); {path}: the input
  std::string warning;  // a substring of stderr
};

struct Case {
  std::string name;
  std::string file;  // in tests/corpus/bad; empty when made at test time
  std::string make;  // what to make (see Make)
  std::string what;
  std::vector<std::string> args;
  Outcome expected;
  bool unprivileged = false;  // run as nobody when the tests run as root
  int64_t max_rss_mb = 0;
  double max_seconds = 0;
};

// What ctest prints for a case: its name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

Outcome ParseOutcome(const json::Value& v) {
  Outcome o;
  o.exit_code = static_cast<int>(v.get_number("exit", 0));
  if (const json::Value* read = v.find("read")) {
    o.counts = std::vector<int64_t>{static_cast<int64_t>(read->as_number()),
                                    static_cast<int64_t>(v.get_number("stored", -1)),
                                    static_cast<int64_t>(v.get_number("duplicates", -1)),
                                    static_cast<int64_t>(v.get_number("rejected", -1))};
  }
  if (const json::Value* rejects = v.find("rejects")) {
    for (const json::Value& r : rejects->as_array()) {
      o.rejects.emplace_back(static_cast<int64_t>(r.as_array().at(0).as_number()),
                             r.as_array().at(1).as_string());
    }
  }
  o.error = v.get_string("error");
  o.warning = v.get_string("warning");
  return o;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  json::Value root = json::Parse(e2e::ReadFile(kBad + "/EXPECTED.json"));
  for (const json::Value& v : root.find("cases")->as_array()) {
    Case c;
    c.file = v.get_string("file");
    c.make = v.get_string("make");
    c.name = c.file.empty() ? c.make : c.file;
    c.what = v.get_string("what");
    if (const json::Value* args = v.find("args")) {
      for (const json::Value& a : args->as_array()) c.args.push_back(a.as_string());
    }
    c.expected = ParseOutcome(v);
    c.unprivileged = v.get_bool("unprivileged", false);
    c.max_rss_mb = static_cast<int64_t>(v.get_number("max_rss_mb", 0));
    c.max_seconds = v.get_number("max_seconds", 0);
    cases.push_back(std::move(c));
  }
  return cases;
}

// ---- Running the command: fork/exec with stdin from a file, and the child's peak memory.

// The user and group a command runs as when the tests run as root but the case needs someone
// whom file modes stop: nobody and nogroup on Debian.
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

// In a forked child: gives up root for good (supplementary groups first, the user last, so that
// nothing can be taken back). Returns false, saying why on stderr, when that fails.
bool DropRoot() {
  if (::setgroups(0, nullptr) == 0 && ::setgid(kNogroup) == 0 && ::setuid(kNobody) == 0 &&
      ::setuid(0) != 0) {
    return true;
  }
  std::fprintf(stderr, "corpus test: cannot run as uid %d: %s\n", static_cast<int>(kNobody),
               std::strerror(errno));
  return false;
}

struct Execution {
  int exit_code = -1;
  int signal = 0;
  std::string out;
  std::string err;
  int64_t max_rss_kb = 0;
  double seconds = 0;
};

// Runs `feedloop ARGS` in `dir`; with `as_nobody`, as user nobody when the tests run as root.
Execution Feedloop(const std::vector<std::string>& args, const std::string& dir,
                   const std::string& stdin_path = "/dev/null", bool as_nobody = false) {
  const std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(stdin_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (as_nobody && ::geteuid() == 0 && !DropRoot()) ::_exit(126);
    std::vector<std::string> copy = args;
    std::string bin = FEEDLOOP_BIN;
    std::vector<char*> argv = {bin.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  Execution r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_kb = usage.ru_maxrss;
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = e2e::ReadFile(out_path);
  r.err = e2e::ReadFile(err_path);
  return r;
}

// ---- Inputs made at test time: too big to commit, or not plain files.

void WriteRecord(std::ofstream& f, const std::string& id, const std::string& text) {
  f << "{\"id\": \"" << id << "\", \"kind\": \"review\", \"score\": 4, \"text\": \"" << text
    << "\"}\n";
}

// A JSON Lines file whose second line holds a text of `mib` MiB.
void MakeLongLine(const std::string& path, size_t mib) {
  std::ofstream f(path, std::ios::binary);
  WriteRecord(f, "r-1", "short and fine");
  WriteRecord(f, "r-2", std::string(mib << 20, 'x'));
  WriteRecord(f, "r-3", "after the long line");
}

// A CSV file with 100,000 columns: a full row, then a short one.
void MakeWideCsv(const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  f << "id,kind,score,text";
  for (int i = 5; i <= 100000; ++i) f << ",c" << i;
  f << "\nc-1,review,5,wide";
  for (int i = 5; i <= 100000; ++i) f << "," << (i % 10);
  f << "\nc-2,review,4,short\n";
}

// A CSV file whose first row has a quoted text of 60,000 lines (6,000,000 bytes).
void MakeLongField(const std::string& path) {
  std::ofstream f(path, std::ios::binary);
  f << "id,kind,score,text\nc-1,review,5,\"";
  const std::string line = std::string(99, 'x') + "\n";
  for (int i = 0; i < 60000; ++i) f << line;
  f << "\"\nc-2,review,4,after the long field\n";
}

// Makes the input of a `make` case in `dir`; returns its path.
std::string Make(const std::string& what, const std::string& dir) {
  const std::string path = dir + "/" + what;
  if (what == "long_line_10mb.jsonl") {
    MakeLongLine(path, 10);
  } else if (what == "long_line_40mb.jsonl") {
    MakeLongLine(path, 40);
  } else if (what == "columns_100000.csv") {
    MakeWideCsv(path);
  } else if (what == "long_field.csv") {
    MakeLongField(path);
  } else if (what == "directory.jsonl") {
    fs::create_directories(path);
  } else if (what == "unreadable.jsonl") {
    std::ofstream(path) << "{\"id\": \"r-1\", \"kind\": \"review\", \"text\": \"fine\"}\n";
    ::chmod(path.c_str(), 0);
  } else if (what == "symlink_loop.jsonl") {
    fs::create_symlink(dir + "/symlink_loop_2.jsonl", path);
    fs::create_symlink(path, dir + "/symlink_loop_2.jsonl");
  } else if (what == "missing.jsonl") {
    // Nothing: the file does not exist.
  } else {
    ADD_FAILURE() << "EXPECTED.json asks to make an unknown input: " << what;
  }
  return path;
}

// ---- Checks.

std::vector<int64_t> Totals(const std::string& out) {
  std::smatch m;
  static const std::regex re(
      "ingest run \\d+: read (\\d+) = stored (\\d+) \\+ duplicates (\\d+) \\+ rejected (\\d+)");
  if (!std::regex_search(out, m, re)) return {};
  return {std::stoll(m[1]), std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4])};
}

// Input lines as `stream` counts them: every newline ends one, and a last line without one counts.
size_t CountLines(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> buf(1 << 20);
  size_t lines = 0;
  char last = '\n';
  while (f.read(buf.data(), static_cast<std::streamsize>(buf.size())) || f.gcount() > 0) {
    const size_t n = static_cast<size_t>(f.gcount());
    lines += static_cast<size_t>(std::count(buf.begin(), buf.begin() + static_cast<long>(n), '\n'));
    last = buf[n - 1];
  }
  return lines + (last != '\n' ? 1 : 0);
}

std::string TestName(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, IngestGivesTheExpectedOutcome) {
  const Case& c = GetParam();
  Scratch ws;
  const std::string path = c.file.empty() ? Make(c.make, ws.path()) : kBad + "/" + c.file;
  Outcome expected = c.expected;
  for (size_t at; (at = expected.error.find("{path}")) != std::string::npos;) {
    expected.error.replace(at, 6, path);
  }
  // Root reads a file whatever its mode: such a case runs as nobody, who must be able to write
  // the scratch database.
  const bool as_nobody = c.unprivileged && ::geteuid() == 0;
  if (as_nobody) {
    ASSERT_EQ(::chown(ws.path().c_str(), kNobody, kNogroup), 0) << ws.path();
  }
  std::vector<std::string> args = {"--db", ws / "corpus.db", "ingest"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  args.push_back(path);
  const Execution r = Feedloop(args, ws.path(), "/dev/null", as_nobody);
  const std::string context =
      c.name + " (" + c.what + ")\nstdout:\n" + r.out + "\nstderr:\n" + r.err;

  ASSERT_EQ(r.signal, 0) << "ended by signal " << r.signal << ": " << context;
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2) << context;
  EXPECT_EQ(r.exit_code, expected.exit_code) << context;
  if (!expected.error.empty()) {
    EXPECT_NE(r.err.find(expected.error), std::string::npos) << context;
  }
  if (!expected.warning.empty()) {
    EXPECT_NE(r.err.find(expected.warning), std::string::npos) << context;
  }
  if (c.max_rss_mb > 0) {
    EXPECT_LE(r.max_rss_kb, c.max_rss_mb * 1024 * FEEDLOOP_MEMORY_FACTOR)
        << "peak RSS " << r.max_rss_kb / 1024 << " MB: " << c.name;
  }
  if (c.max_seconds > 0) {
    EXPECT_LE(r.seconds, c.max_seconds) << c.name;
  }

  const std::vector<int64_t> totals = Totals(r.out);
  if (!expected.counts) {
    // A file that could not be read at all: no counts, nothing stored.
    EXPECT_EQ(e2e::Count(ws / "corpus.db", "SELECT count(*) FROM items"), 0) << context;
    return;
  }
  ASSERT_EQ(totals.size(), 4u) << context;
  EXPECT_EQ(totals, *expected.counts) << "read, stored, duplicates, rejected of " << context;
  EXPECT_EQ(totals[0], totals[1] + totals[2] + totals[3]) << "does not reconcile: " << context;
  EXPECT_EQ(e2e::Count(ws / "corpus.db", "SELECT count(*) FROM items"), totals[1]) << context;

  const std::vector<std::string> reasons =
      Query(ws / "corpus.db", "SELECT reason FROM rejects ORDER BY id");
  EXPECT_EQ(static_cast<int64_t>(reasons.size()), totals[3]) << context;
  ASSERT_EQ(reasons.size(), expected.rejects.size()) << context;
  for (size_t i = 0; i < reasons.size(); ++i) {
    const auto& [line, reason] = expected.rejects[i];
    const std::string prefix = "line " + std::to_string(line) + ": ";
    EXPECT_EQ(reasons[i].rfind(prefix, 0), 0u)
        << "reject " << i + 1 << ": '" << reasons[i] << "', expected " << prefix << reason;
    EXPECT_NE(reasons[i].find(reason), std::string::npos)
        << "reject " << i + 1 << ": '" << reasons[i] << "', expected " << prefix << reason;
  }
  // Reasons and excerpts are text a person reads: valid UTF-8, excerpts short.
  for (const std::string& row : Query(ws / "corpus.db", "SELECT reason, excerpt FROM rejects")) {
    EXPECT_FALSE(text::FindInvalidUtf8(row).has_value()) << c.name << ": " << row;
  }
  EXPECT_EQ(e2e::Count(ws / "corpus.db",
                       "SELECT count(*) FROM rejects WHERE length(CAST(excerpt AS BLOB)) > 200"),
            0)
      << c.name;
  for (const std::string& row :
       Query(ws / "corpus.db", "SELECT ext_id, text, attrs, customer_id, sku FROM items")) {
    EXPECT_FALSE(text::FindInvalidUtf8(row).has_value())
        << c.name << ": stored " << row.substr(0, 200);
  }
}

// The JSON Lines inputs that can be read (not a directory, a loop, a missing or unreadable file).
std::vector<Case> JsonLinesCases() {
  std::vector<Case> out;
  for (Case& c : LoadCases()) {
    const bool jsonl = c.name.size() > 6 && c.name.substr(c.name.size() - 6) == ".jsonl";
    if (jsonl && c.expected.counts) out.push_back(std::move(c));
  }
  return out;
}

class BadJsonLines : public ::testing::TestWithParam<Case> {};

TEST_P(BadJsonLines, StreamAnswersEveryLine) {
  const Case& c = GetParam();
  Scratch ws;
  const std::string path = c.file.empty() ? Make(c.make, ws.path()) : kBad + "/" + c.file;
  const Execution r = Feedloop({"stream", "--threads", "2"}, ws.path(), path);
  ASSERT_EQ(r.signal, 0) << "ended by signal " << r.signal << ": " << c.name << "\n" << r.err;
  EXPECT_EQ(r.exit_code, 0) << c.name << "\n" << r.err;
  const size_t input_lines = CountLines(path);
  const size_t output_lines = static_cast<size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  EXPECT_EQ(output_lines, input_lines) << c.name;
  EXPECT_FALSE(text::FindInvalidUtf8(r.out).has_value()) << c.name << ": output is not UTF-8";
  if (c.max_rss_mb > 0) {
    EXPECT_LE(r.max_rss_kb, c.max_rss_mb * 1024 * FEEDLOOP_MEMORY_FACTOR)
        << "peak RSS " << r.max_rss_kb / 1024 << " MB: " << c.name;
  }
  // Each output line is a JSON object: an annotated item or an error naming its line.
  size_t start = 0, n = 0;
  while (start < r.out.size()) {
    const size_t nl = r.out.find('\n', start);
    const std::string line = r.out.substr(start, nl - start);
    start = nl + 1;
    ++n;
    try {
      json::Value v = json::Parser(line, 256).Parse();
      ASSERT_TRUE(v.is_object()) << line;
      if (v.find("id") == nullptr) {
        EXPECT_EQ(v.get_number("line", 0), static_cast<double>(n)) << line;
        EXPECT_FALSE(v.get_string("error").empty()) << line;
      }
    } catch (const json::Error& e) {
      ADD_FAILURE() << c.name << ": output line " << n << " is not JSON (" << e.what()
                    << "): " << line.substr(0, 300);
    }
  }
}

const auto kCaseName = [](const ::testing::TestParamInfo<Case>& info) {
  return TestName(info.param.name);
};
INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(LoadCases()), kCaseName);
INSTANTIATE_TEST_SUITE_P(Corpus, BadJsonLines, ::testing::ValuesIn(JsonLinesCases()), kCaseName);

// The corpus is what the docs say it is: at least 60 inputs, each file described, and small.
TEST(BadInputCorpus, EveryFileIsDescribedAndTheCorpusIsSmall) {
  std::vector<Case> cases = LoadCases();
  EXPECT_GE(cases.size(), 60u);
  std::set<std::string> described;
  for (const Case& c : cases) {
    if (!c.file.empty()) described.insert(c.file);
  }
  uintmax_t bytes = 0;
  for (const auto& e : fs::directory_iterator(kBad)) {
    const std::string name = e.path().filename().string();
    bytes += e.file_size();
    if (name == "EXPECTED.json") continue;
    EXPECT_TRUE(described.count(name)) << name << " is not described in EXPECTED.json";
  }
  EXPECT_LT(bytes, 1u << 20)
      << "keep the committed corpus under 1 MB; make big inputs at test time";
}

}  // namespace
}  // namespace feedloop::corpus
