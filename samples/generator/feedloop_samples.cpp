// feedloop-samples: writes feedloop's sample data, deterministically. The same arguments give
// byte-identical output on every machine (own PRNG, integer-only distributions, no clock, no
// locale). Standard library only: it does not link the engine.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "modes.hpp"

namespace {

constexpr uint64_t kDefaultSeed = 2026;
constexpr uint64_t kMaxItems = 100'000'000'000ull;

constexpr const char* kUsage = R"(feedloop-samples: deterministic sample data for feedloop

Usage:
  feedloop-samples samples --out DIR [--seed N] [--quiet]
      The shipped sample set (2026-W36 to 2026-W47, ~5,000 items, seven export shapes) into
      DIR, overwriting its files. Prints the ground truth of the planted patterns.
  feedloop-samples bulk --items N --out FILE [--format jsonl|csv] [--seed N]
      N canonical items for benchmarks, streamed in constant memory. JSONL (one object per
      line, transcripts with "turns") or CSV (canonical columns, no transcripts).
  feedloop-samples labelled --items N --out FILE [--seed N]
      A "text,label" CSV of feedback texts labelled with their root cause: delivery, tracking,
      packaging, wrong_item, stock, returns, subscription, support, billing, quality, price,
      or none (praise, neutral and negated texts).
  feedloop-samples bad --out DIR
      The malformed-input set (valid and invalid records per validation rule) and its
      EXPECTED.md, into DIR.

Options:
  --out PATH      output directory (samples, bad) or file (bulk, labelled; - is stdout)
  --items N       number of items (bulk, labelled)
  --format F      bulk output format: jsonl (default) or csv
  --seed N        random seed (default 2026); the same seed gives the same bytes
  --quiet         samples: do not print the ground-truth summary
  -h, --help      this help

Example:
  feedloop-samples samples --out samples/data
  feedloop-samples bulk --items 1000000 --out /tmp/bulk.jsonl
)";

struct Args {
  std::string mode;
  std::string out;
  std::string format = "jsonl";
  uint64_t items = 0;
  bool have_items = false;
  uint64_t seed = kDefaultSeed;
  bool quiet = false;
};

bool ParseNumber(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  auto res = std::from_chars(text.data(), text.data() + text.size(), *out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

int Usage(const char* message) {
  std::fprintf(stderr, "feedloop-samples: %s\nRun 'feedloop-samples --help' for usage.\n", message);
  return 2;
}

// Parses the command line into *args; returns -1 to go on, or an exit code.
int Parse(int argc, char** argv, Args* args) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--out") {
      const char* v = value("--out");
      if (v == nullptr) return Usage("--out needs a path");
      args->out = v;
    } else if (arg == "--format") {
      const char* v = value("--format");
      if (v == nullptr) return Usage("--format needs jsonl or csv");
      args->format = v;
    } else if (arg == "--items") {
      const char* v = value("--items");
      if (v == nullptr || !ParseNumber(v, &args->items) || args->items > kMaxItems) {
        return Usage("--items needs a whole number from 0 to 100000000000");
      }
      args->have_items = true;
    } else if (arg == "--seed") {
      const char* v = value("--seed");
      if (v == nullptr || !ParseNumber(v, &args->seed)) {
        return Usage("--seed needs a whole number (0 to 18446744073709551615)");
      }
    } else if (arg == "--quiet") {
      args->quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      std::string message = "unknown option '" + std::string(arg) + "'";
      return Usage(message.c_str());
    } else if (args->mode.empty()) {
      args->mode = arg;
    } else {
      std::string message = "unexpected argument '" + std::string(arg) + "'";
      return Usage(message.c_str());
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (int code = Parse(argc, argv, &args); code >= 0) return code;
  namespace fs = feedloop::samples;
  if (args.mode != "samples" && args.mode != "bulk" && args.mode != "labelled" &&
      args.mode != "bad") {
    std::string message = args.mode.empty() ? "no command given (samples, bulk, labelled, bad)"
                                            : "unknown command '" + args.mode +
                                                  "' (expected samples, bulk, labelled or bad)";
    return Usage(message.c_str());
  }
  if (args.out.empty()) return Usage("--out is required");
  if ((args.mode == "bulk" || args.mode == "labelled") && !args.have_items) {
    return Usage("--items is required");
  }
  if (args.format != "jsonl" && args.format != "csv") {
    return Usage("--format must be jsonl or csv");
  }
  if (args.mode == "samples") return fs::RunSamples(args.out, args.seed, args.quiet);
  if (args.mode == "bulk")
    return fs::RunBulk(args.out, args.items, args.format == "csv", args.seed);
  if (args.mode == "labelled") return fs::RunLabelled(args.out, args.items, args.seed);
  return fs::RunBad(args.out);
}
