#include "feedloop/plugins/registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace feedloop::plugins {
namespace fs = std::filesystem;

std::vector<std::string> PluginRegistry::DefaultFolders() {
  std::vector<std::string> out;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back((exe.parent_path().parent_path() / FEEDLOOP_PLUGIN_RELATIVE_DIR)
                      .lexically_normal()
                      .string());
  }
  out.push_back("plugins");
  return out;
}

void PluginRegistry::Discover() {
  for (const std::string& folder : folders_) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
      if (e.path().extension() == ".so" && e.is_regular_file(ec)) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());  // deterministic order
    for (const fs::path& file : files) {
      PluginEntry entry;
      entry.path = file.string();
      Result<std::shared_ptr<PluginLibrary>> lib = PluginLibrary::Load(entry.path);
      if (!lib.ok()) {
        entry.status = lib.status();
      } else if (by_name_.count(lib.value()->name()) != 0) {
        entry.status =
            Status::Plugin(entry.path + ": plugin " + lib.value()->name() +
                           " is already loaded from " + by_name_[lib.value()->name()]->info().path);
      } else {
        entry.library = lib.value();
        by_name_[entry.library->name()] = entry.library;
      }
      entries_.push_back(std::move(entry));
    }
  }
}

Result<std::shared_ptr<PluginLibrary>> PluginRegistry::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  for (const PluginEntry& e : entries_) {
    if (!e.library && fs::path(e.path).stem().string().find(name) != std::string::npos) {
      return e.status;  // the file that should have been it failed to load: say why
    }
  }
  std::string where;
  for (const std::string& f : folders_) where += (where.empty() ? "" : ", ") + f;
  return Status::NotFound("no plugin named '" + name + "' in the plugin folders (" + where + ")");
}

void PluginRegistry::Add(std::shared_ptr<PluginLibrary> library) {
  by_name_[library->name()] = library;
  entries_.push_back(PluginEntry{library->info().path, library, Status::Ok()});
}

Result<std::vector<std::shared_ptr<PluginLibrary>>> OrderByRequirements(
    std::vector<std::shared_ptr<PluginLibrary>> plugins,
    const std::vector<std::vector<std::string>>* provides) {
  // What plugin i provides: its instance's answer when given and not empty, else its descriptor's.
  auto provides_of = [&](size_t i) -> const std::vector<std::string>& {
    if (provides != nullptr && i < provides->size() && !(*provides)[i].empty())
      return (*provides)[i];
    return plugins[i]->info().provides;
  };
  // Kahn's algorithm, keeping the given order among independent plugins (deterministic).
  std::vector<std::shared_ptr<PluginLibrary>> ordered;
  std::vector<bool> placed(plugins.size(), false);
  for (size_t i = 0; i < plugins.size(); ++i) {
    const auto& p = plugins[i];
    for (const std::string& r : p->info().requires_) {
      bool provided = false;
      for (size_t j = 0; j < plugins.size() && !provided; ++j) {
        const auto& prov = provides_of(j);
        provided = j != i && std::find(prov.begin(), prov.end(), r) != prov.end();
      }
      if (!provided) {
        return Status::Usage(
            "plugin " + p->name() + " requires '" + r +
            "', which no selected plugin provides (add a plugin that provides it)");
      }
    }
  }
  while (ordered.size() < plugins.size()) {
    bool progress = false;
    for (size_t i = 0; i < plugins.size(); ++i) {
      if (placed[i]) continue;
      const auto& reqs = plugins[i]->info().requires_;
      bool ready = std::all_of(reqs.begin(), reqs.end(), [&](const std::string& r) {
        // Ready once every provider of r is placed.
        for (size_t j = 0; j < plugins.size(); ++j) {
          if (j == i || placed[j]) continue;
          const auto& prov = provides_of(j);
          if (std::find(prov.begin(), prov.end(), r) != prov.end()) return false;
        }
        return true;
      });
      if (!ready) continue;
      placed[i] = true;
      ordered.push_back(plugins[i]);
      progress = true;
    }
    if (!progress) {
      std::string cycle;
      for (size_t i = 0; i < plugins.size(); ++i) {
        if (!placed[i]) cycle += (cycle.empty() ? "" : ", ") + plugins[i]->name();
      }
      return Status::Usage("plugins require each other in a cycle: " + cycle);
    }
  }
  return ordered;
}

}  // namespace feedloop::plugins
