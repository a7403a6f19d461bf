// The canonical JSON form of an item (docs/schema.md), written and read back exactly: used to hand
// items to a plugin worker process and in partial aggregates.
#pragma once

#include <feedloop/json.hpp>

#include <string>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"

namespace feedloop {

// Appends `item` as one JSON object (no newline). Times are ISO 8601 UTC.
void AppendItemJson(std::string& out, const Item& item);

// Reads an item written by AppendItemJson. Only checks structure, not the item rules.
Result<Item> ItemFromJson(const json::Value& value);

}  // namespace feedloop
