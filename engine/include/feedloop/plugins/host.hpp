// The plugin host: loads plugin libraries with Boost.DLL, checks their ABI version and descriptor
// before trusting anything in them, and creates instances. See sdk/include/feedloop/plugin.h for
// the contract and docs/plugins.md for the rules.
#pragma once

#include <feedloop/plugin.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "feedloop/core/status.hpp"

namespace feedloop::plugins {

// The ABI this engine speaks.
inline constexpr uint32_t kAbiMajor = FEEDLOOP_ABI_MAJOR;
inline constexpr uint32_t kAbiMinor = FEEDLOOP_ABI_MINOR;

// What a plugin says about itself, copied out of its descriptor.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  std::string license;
  std::vector<std::string> provides;
  std::vector<std::string> requires_;
  std::string config_schema;   // JSON, may be empty
  std::string default_config;  // JSON object ("{}" when none)
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  std::string path;  // the library file, or "<memory>"
};

// Checks an ABI version and a descriptor the way the host does before loading. `struct_size`
// says how many bytes of `descriptor` the plugin defined. On success fills `info` and `out` (the
// descriptor copied into a zeroed struct).
Status ValidateDescriptor(uint32_t abi_major, uint32_t abi_minor,
                          const feedloop_plugin_descriptor* descriptor, const std::string& label,
                          PluginInfo* info, feedloop_plugin_descriptor* out);

// Checks that a file is a loadable ELF shared library exporting the two feedloop symbols,
// without running any of its code (Boost.DLL library_info after a bounds check of the headers).
Status InspectLibraryFile(const std::string& path);

class PluginInstance;

// A loaded plugin library (or a descriptor given in memory, for tests). Shared by every instance
// made from it, so the code stays mapped while any instance lives. Thread-safe after Load.
class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  // Loads a shared library from `path` with RTLD_NOW | RTLD_LOCAL.
  static Result<std::shared_ptr<PluginLibrary>> Load(const std::string& path);
  // Wraps the two entry points of a plugin linked into the process (tests, built-in fixtures).
  static Result<std::shared_ptr<PluginLibrary>> FromEntryPoints(
      feedloop_plugin_abi_fn abi, feedloop_plugin_get_descriptor_fn get_descriptor,
      const std::string& label);
  ~PluginLibrary();

  const PluginInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }

  // Creates an instance with `config_json` (a JSON object; empty means the default config).
  Result<std::unique_ptr<PluginInstance>> CreateInstance(const std::string& config_json);

 private:
  PluginLibrary() = default;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  feedloop_plugin_descriptor descriptor_{};
  PluginInfo info_;
  friend class PluginInstance;
};

// One instance of a plugin. Used by one thread at a time (the ABI's contract).
class PluginInstance {
 public:
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  // Calls the plugin's analyze_batch. An error status carries the plugin's message.
  Status AnalyzeBatch(const feedloop_item_view* const* items, size_t count,
                      const feedloop_sink& sink);
  const PluginInfo& info() const { return library_->info(); }

  // What this instance, with its config, provides (it replaces info().provides) and what its
  // results depend on besides version and config (ABI 1.1 `describe`; a 1.0 plugin provides all of
  // info().provides and has no fingerprint). An invalid answer is an error.
  struct Description {
    std::vector<std::string> provides;
    std::string fingerprint;
  };
  Result<Description> Describe() const;

 private:
  friend class PluginLibrary;
  PluginInstance(std::shared_ptr<PluginLibrary> library, feedloop_instance instance)
      : library_(std::move(library)), instance_(instance) {}
  std::shared_ptr<PluginLibrary> library_;
  feedloop_instance instance_;
};

// Where plugin log lines go (stderr by default). Thread-safe.
void SetPluginLogSink(
    std::function<void(const std::string& plugin, feedloop_log_level, const std::string&)> sink);

}  // namespace feedloop::plugins
