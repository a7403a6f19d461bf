// Who owns each root cause and which KPI it moves: read from the top-level categories of a
// taxonomy file (`id`, `label`, `owner`, `kpi`), with a built-in table for the ten canonical
// causes as the fallback. The report names these teams in its cause table, actions and save list.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "feedloop/core/status.hpp"

namespace feedloop::report {

struct CauseOwner {
  std::string label;  // "Delivery delays"
  std::string owner;  // "fulfilment"
  std::string kpi;    // "on-time delivery %"
};

// Immutable after loading; thread-compatible.
class OwnerTable {
 public:
  // The built-in table: delivery, packaging, wrong_item, stock, returns, subscription, support,
  // billing, quality, price.
  static OwnerTable Builtin();
  // Reads the categories of a taxonomy JSON file over the built-in table (the file wins).
  static Result<OwnerTable> Load(const std::string& path);
  static Result<OwnerTable> Parse(std::string_view json_text, const std::string& source);

  // The owner of a cause, or nullptr.
  const CauseOwner* Find(std::string_view cause) const;
  // A readable name for a cause: its label, or the id with '_' as spaces, capitalized.
  std::string Label(std::string_view cause) const;
  const std::string& source() const { return source_; }
  const std::map<std::string, CauseOwner, std::less<>>& owners() const { return owners_; }

 private:
  std::map<std::string, CauseOwner, std::less<>> owners_;
  std::string source_ = "built-in";
};

// The default taxonomy next to the binary (../share/feedloop/taxonomy/default.json) or in the
// source tree (plugins/taxonomy/default.json, found by walking up from the binary); "" if none.
std::string FindDefaultTaxonomy();

}  // namespace feedloop::report
