// PluginRegistry: finds plugin libraries in the configured plugin folders, loads them by name,
// and orders a selection by what each requires and provides.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"
#include "feedloop/plugins/host.hpp"

namespace feedloop::plugins {

// One discovered library file and what became of it.
struct PluginEntry {
  std::string path;
  std::shared_ptr<PluginLibrary> library;  // null when it failed to load
  Status status;                           // why it failed
};

// Not thread-safe; use it to set up, then share the loaded libraries.
class PluginRegistry {
 public:
  // The default folders: the installed plugin folder next to the executable
  // (<prefix>/lib/feedloop/plugins) and ./plugins.
  static std::vector<std::string> DefaultFolders();

  explicit PluginRegistry(std::vector<std::string> folders) : folders_(std::move(folders)) {}

  // Loads every *.so in the folders (later folders do not override a name already found).
  // Failures are kept as entries with their status; the scan itself does not fail.
  void Discover();
  const std::vector<PluginEntry>& entries() const { return entries_; }
  const std::vector<std::string>& folders() const { return folders_; }

  // A loaded plugin by name, or NotFound naming the folders searched.
  Result<std::shared_ptr<PluginLibrary>> Find(const std::string& name) const;
  // Adds a library loaded some other way (tests, `plugins check PATH`).
  void Add(std::shared_ptr<PluginLibrary> library);

 private:
  std::vector<std::string> folders_;
  std::vector<PluginEntry> entries_;
  std::map<std::string, std::shared_ptr<PluginLibrary>> by_name_;
};

// Orders `plugins` so that each comes after those providing what it requires. A requirement that
// nothing selected provides, or a cycle, is an error naming the plugins involved. `provides`,
// when given, is parallel to `plugins`: what each started instance provides (an empty entry: its
// descriptor's list).
Result<std::vector<std::shared_ptr<PluginLibrary>>> OrderByRequirements(
    std::vector<std::shared_ptr<PluginLibrary>> plugins,
    const std::vector<std::vector<std::string>>* provides = nullptr);

}  // namespace feedloop::plugins
