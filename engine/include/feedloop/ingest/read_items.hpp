// A JSONL file's items as `ingest` would map and validate them (default mapping), read into
// memory: for tools, benchmarks and tests that run the analyzer on a corpus without a store.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"
#include "feedloop/ingest/mapping.hpp"

namespace feedloop::ingest {

// The first `limit` items of the JSONL file at `path`; records that do not parse or do not map
// are skipped. An error only when the file cannot be opened or read as JSON lines.
Result<std::vector<Item>> ReadJsonlItems(const std::string& path, const ValidationOptions& options,
                                         size_t limit = std::numeric_limits<size_t>::max());

}  // namespace feedloop::ingest
