#include "feedloop/report/owners.hpp"

#include <feedloop/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace feedloop::report {

OwnerTable OwnerTable::Builtin() {
  OwnerTable t;
  t.owners_ = {
      {"delivery", {"Delivery delays", "fulfilment", "on-time delivery %"}},
      {"packaging", {"Packaging and damage", "packaging", "damage-free delivery %"}},
      {"wrong_item", {"Wrong or missing item", "fulfilment", "order accuracy %"}},
      {"stock", {"Out of stock", "inventory", "in-stock rate %"}},
      {"returns", {"Returns and refunds", "returns", "refund cycle time (days)"}},
      {"subscription", {"Subscription errors", "subscriptions", "renewal error rate %"}},
      {"support", {"Slow or unhelpful support", "customer service", "first-response time (h)"}},
      {"billing", {"Billing and payment", "billing", "payment error rate %"}},
      {"quality", {"Product quality", "product", "defect rate %"}},
      {"price", {"Price and value", "commercial", "price perception score"}},
  };
  return t;
}

Result<OwnerTable> OwnerTable::Parse(std::string_view text, const std::string& source) {
  OwnerTable t = Builtin();
  try {
    json::Value root = json::Parse(text);
    const json::Value* cats = root.find("categories");
    if (cats == nullptr || !cats->is_array()) {
      return Status::InvalidInput(source + ": a taxonomy needs a \"categories\" array");
    }
    for (const json::Value& c : cats->as_array()) {
      std::string id = c.get_string("id");
      if (id.empty()) continue;
      CauseOwner o;
      o.label = c.get_string("label");
      o.owner = c.get_string("owner");
      o.kpi = c.get_string("kpi");
      const CauseOwner* fallback = t.Find(id);
      if (fallback != nullptr) {
        if (o.label.empty()) o.label = fallback->label;
        if (o.owner.empty()) o.owner = fallback->owner;
        if (o.kpi.empty()) o.kpi = fallback->kpi;
      }
      t.owners_[id] = std::move(o);
    }
  } catch (const json::Error& e) {
    return Status::InvalidInput(source + ": " + e.what());
  }
  t.source_ = source;
  return t;
}

Result<OwnerTable> OwnerTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read taxonomy " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return Parse(buf.str(), path);
}

const CauseOwner* OwnerTable::Find(std::string_view cause) const {
  auto it = owners_.find(cause);
  return it == owners_.end() ? nullptr : &it->second;
}

std::string OwnerTable::Label(std::string_view cause) const {
  const CauseOwner* o = Find(cause);
  if (o != nullptr && !o->label.empty()) return o->label;
  std::string s(cause);
  for (char& c : s) {
    if (c == '_' || c == '-') c = ' ';
  }
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string FindDefaultTaxonomy() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path bin = exe.parent_path();
  fs::path installed = bin.parent_path() / "share/feedloop/taxonomy/default.json";
  if (fs::exists(installed, ec)) return installed.string();
  // A build tree: walk up to the source tree's plugins/taxonomy/default.json.
  for (fs::path dir = bin; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    fs::path candidate = dir / "plugins/taxonomy/default.json";
    if (fs::exists(candidate, ec)) return candidate.string();
    fs::path cmake_cache = dir / "CMakeCache.txt";
    if (fs::exists(cmake_cache, ec)) {
      // The source tree of this build: CMAKE_HOME_DIRECTORY in the cache.
      std::ifstream in(cmake_cache);
      std::string line;
      while (std::getline(in, line)) {
        if (line.rfind("CMAKE_HOME_DIRECTORY:INTERNAL=", 0) == 0) {
          fs::path src = fs::path(line.substr(30)) / "plugins/taxonomy/default.json";
          if (fs::exists(src, ec)) return src.string();
        }
      }
    }
  }
  return "";
}

}  // namespace feedloop::report
