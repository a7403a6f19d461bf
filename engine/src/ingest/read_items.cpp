#include "feedloop/ingest/read_items.hpp"

#include <utility>

#include "feedloop/ingest/input.hpp"
#include "feedloop/ingest/json_reader.hpp"

namespace feedloop::ingest {

Result<std::vector<Item>> ReadJsonlItems(const std::string& path, const ValidationOptions& options,
                                         size_t limit) {
  Result<std::unique_ptr<InputFile>> input = InputFile::Open(path);
  if (!input.ok()) return input.status();
  Result<std::unique_ptr<JsonReader>> reader = JsonReader::Open(std::move(input).value());
  if (!reader.ok()) return reader.status();
  Mapper mapper(Mapping(), options);
  RawRecord r;
  Item item;
  std::vector<Item> out;
  while (out.size() < limit && (*reader)->Next(&r)) {
    if (r.error.empty() && mapper.Map(r.record, &item).empty()) out.push_back(item);
  }
  return out;
}

}  // namespace feedloop::ingest
