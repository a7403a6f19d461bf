// The generator's commands. Each returns a process exit code and reports problems on stderr.
#pragma once

#include <cstdint>
#include <string>

namespace feedloop::samples {

// `samples`: the shipped sample set (seven files, twelve weeks) into `dir`; prints the ground
// truth of the planted patterns to stdout unless `quiet`.
int RunSamples(const std::string& dir, uint64_t seed, bool quiet);

// `bulk`: `items` canonical items, streamed, as JSONL (with transcripts) or CSV (without).
int RunBulk(const std::string& path, uint64_t items, bool csv, uint64_t seed);

// `labelled`: a `text,label` CSV of complaint texts with their gold root cause (or `none`).
int RunLabelled(const std::string& path, uint64_t items, uint64_t seed);

// `bad`: the malformed-input set and its EXPECTED.md into `dir`.
int RunBad(const std::string& dir);

}  // namespace feedloop::samples
