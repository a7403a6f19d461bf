#include "feedloop/plugins/host.hpp"

#include <elf.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cctype>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <mutex>

#include "feedloop/text/normalize.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "feedloop/text/utf8.hpp"

namespace feedloop::plugins {
namespace {

constexpr size_t kMaxDescriptorString = 64 * 1024;

std::mutex g_log_mutex;
std::function<void(const std::string&, feedloop_log_level, const std::string&)> g_log_sink;

// Reads a NUL-terminated string from a plugin, refusing unterminated or invalid text.
Status ReadCString(const char* s, const char* field, const std::string& label, bool required,
                   std::string* out) {
  out->clear();
  if (s == nullptr) {
    if (required) return Status::Plugin(label + ": descriptor has no " + field);
    return Status::Ok();
  }
  size_t n = ::strnlen(s, kMaxDescriptorString);
  if (n == kMaxDescriptorString) {
    return Status::Plugin(label + ": descriptor " + field + " is not a terminated string");
  }
  std::string_view v(s, n);
  if (text::FindInvalidUtf8(v)) {
    return Status::Plugin(label + ": descriptor " + field + " is not valid UTF-8");
  }
  if (required && v.empty()) return Status::Plugin(label + ": descriptor has an empty " + field);
  *out = std::string(v);
  return Status::Ok();
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string part = s.substr(start, comma - start);
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) out.push_back(part);
    start = comma + 1;
  }
  return out;
}

bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool ValidVersion(const std::string& s) {
  // MAJOR.MINOR.PATCH with an optional -prerelease or +build suffix.
  int dots = 0;
  size_t i = 0;
  bool digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && digit) {
      ++dots;
      digit = false;
    } else {
      break;
    }
  }
  if (dots != 2 || !digit) return false;
  if (i == s.size()) return true;
  if (s[i] != '-' && s[i] != '+') return false;
  // The suffix keeps to semver's characters: the store lists results as ",name@version,".
  bool build = s[i] == '+';
  for (++i; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && !build) {
      build = true;
    } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

// The host services handed to plugins through feedloop_host_api.
struct HostContext {
  std::string plugin;
};

void HostLog(void* ctx, feedloop_log_level level, feedloop_str message) {
  const auto* host = static_cast<const HostContext*>(ctx);
  std::string msg(message.data ? message.data : "", message.data ? message.size : 0);
  if (text::FindInvalidUtf8(msg)) {
    size_t n = 0;
    msg = text::RepairUtf8(msg, &n);
  }
  std::lock_guard<std::mutex> lock(g_log_mutex);
  if (g_log_sink) {
    g_log_sink(host->plugin, level, msg);
    return;
  }
  static const char* kLevels[] = {"debug", "info", "warning", "error"};
  int l = std::clamp(static_cast<int>(level), 0, 3);
  if (l == 0) return;
  std::fprintf(stderr, "feedloop: plugin %s: %s: %s\n", host->plugin.c_str(), kLevels[l],
               msg.c_str());
}

void HostTokenize(void*, feedloop_str text, feedloop_token_callback callback, void* ctx) {
  if (callback == nullptr) return;
  std::string_view view(text.data ? text.data : "", text.data ? text.size : 0);
  thread_local text::TokenBuffer buffer;
  static const text::Tokenizer tokenizer;
  if (text::FindInvalidUtf8(view)) {
    callback(ctx, nullptr, 0);
    return;
  }
  tokenizer.Tokenize(view, &buffer);
  callback(ctx, buffer.tokens().data(), buffer.size());
}

}  // namespace

void SetPluginLogSink(
    std::function<void(const std::string&, feedloop_log_level, const std::string&)> sink) {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  g_log_sink = std::move(sink);
}

Status ValidateDescriptor(uint32_t abi_major, uint32_t abi_minor,
                          const feedloop_plugin_descriptor* descriptor, const std::string& label,
                          PluginInfo* info, feedloop_plugin_descriptor* out) {
  auto version = [](uint32_t a, uint32_t b) { return std::to_string(a) + "." + std::to_string(b); };
  if (abi_major != kAbiMajor) {
    return Status::Plugin(label + ": plugin ABI " + version(abi_major, abi_minor) +
                          " is incompatible with this feedloop's ABI " +
                          version(kAbiMajor, kAbiMinor) +
                          " (rebuild the plugin against this feedloop's SDK)");
  }
  if (abi_minor > kAbiMinor) {
    return Status::Plugin(label + ": plugin needs ABI " + version(abi_major, abi_minor) +
                          " but this feedloop offers ABI " + version(kAbiMajor, kAbiMinor) +
                          " (upgrade feedloop)");
  }
  if (descriptor == nullptr) return Status::Plugin(label + ": the plugin returned no descriptor");
  // Every field up to analyze_batch is part of ABI 1.0: a shorter struct is broken.
  constexpr size_t kMinimum =
      offsetof(feedloop_plugin_descriptor, analyze_batch) + sizeof(descriptor->analyze_batch);
  uint32_t size = descriptor->struct_size;
  if (size < kMinimum) {
    return Status::Plugin(label + ": descriptor struct_size " + std::to_string(size) +
                          " is smaller than ABI 1.0's " + std::to_string(kMinimum) + " bytes");
  }
  std::memset(out, 0, sizeof(*out));
  std::memcpy(out, descriptor, std::min<size_t>(size, sizeof(*out)));
  out->struct_size = static_cast<uint32_t>(sizeof(*out));

  PluginInfo i;
  i.abi_major = abi_major;
  i.abi_minor = abi_minor;
  i.path = label;
  FEEDLOOP_RETURN_IF_ERROR(ReadCString(out->name, "name", label, true, &i.name));
  if (!ValidName(i.name)) {
    return Status::Plugin(label + ": plugin name '" + text::Excerpt(i.name, 64) +
                          "' must be 1-64 characters of a-z, 0-9, '-' and '_'");
  }
  FEEDLOOP_RETURN_IF_ERROR(ReadCString(out->version, "version", label, true, &i.version));
  if (!ValidVersion(i.version)) {
    return Status::Plugin(label + ": plugin " + i.name + " version '" +
                          text::Excerpt(i.version, 32) +
                          "' is not a semantic version (MAJOR.MINOR.PATCH)");
  }
  std::string provides, requirements;
  FEEDLOOP_RETURN_IF_ERROR(
      ReadCString(out->description, "description", label, false, &i.description));
  FEEDLOOP_RETURN_IF_ERROR(ReadCString(out->license, "license", label, false, &i.license));
  FEEDLOOP_RETURN_IF_ERROR(ReadCString(out->provides, "provides", label, false, &provides));
  FEEDLOOP_RETURN_IF_ERROR(
      ReadCString(out->requirements, "requirements", label, false, &requirements));
  FEEDLOOP_RETURN_IF_ERROR(
      ReadCString(out->config_schema, "config_schema", label, false, &i.config_schema));
  FEEDLOOP_RETURN_IF_ERROR(
      ReadCString(out->default_config, "default_config", label, false, &i.default_config));
  if (i.default_config.empty()) i.default_config = "{}";
  // Both are shown by `plugins info` and the default config is handed to create: JSON, or refused.
  for (const std::string* text : {&i.config_schema, &i.default_config}) {
    if (text->empty()) continue;
    try {
      (void)json::Parse(*text);
    } catch (const json::Error& e) {
      const char* field = text == &i.config_schema ? "config_schema" : "default_config";
      return Status::Plugin(label + ": plugin " + i.name + " " + field + " is not JSON (" +
                            e.what() + ")");
    }
  }
  i.provides = SplitList(provides);
  i.requires_ = SplitList(requirements);
  for (const std::string& p : i.provides) {
    if (!ValidName(p))
      return Status::Plugin(label + ": provides '" + text::Excerpt(p, 64) +
                            "' is not a valid annotation name");
  }
  for (const std::string& r : i.requires_) {
    if (!ValidName(r))
      return Status::Plugin(label + ": requires '" + text::Excerpt(r, 64) +
                            "' is not a valid annotation name");
  }
  if (out->create == nullptr)
    return Status::Plugin(label + ": plugin " + i.name + " has no create function");
  if (out->destroy == nullptr)
    return Status::Plugin(label + ": plugin " + i.name + " has no destroy function");
  if (out->analyze_batch == nullptr) {
    return Status::Plugin(label + ": plugin " + i.name + " has no analyze_batch function");
  }
  *info = std::move(i);
  return Status::Ok();
}

Status InspectLibraryFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::NotFound(path + ": cannot open");
  f.seekg(0, std::ios::end);
  const auto file_size = static_cast<uint64_t>(f.tellg());
  f.seekg(0);
  Elf64_Ehdr eh{};
  if (file_size < sizeof(eh) || !f.read(reinterpret_cast<char*>(&eh), sizeof(eh)) ||
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    return Status::Plugin(path + ": not a shared library (no ELF header)");
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS64) return Status::Plugin(path + ": not a 64-bit library");
  if (eh.e_type != ET_DYN) return Status::Plugin(path + ": an ELF file but not a shared library");
  // Bounds-check the section table so the ELF reader never follows a bad offset or size.
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 || eh.e_shoff > file_size ||
      eh.e_shnum > (file_size - eh.e_shoff) / sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum) {
    return Status::Plugin(path + ": corrupt ELF section table");
  }
  f.seekg(static_cast<std::streamoff>(eh.e_shoff));
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh{};
    if (!f.read(reinterpret_cast<char*>(&sh), sizeof(sh)))
      return Status::Plugin(path + ": truncated ELF file");
    if (sh.sh_type != SHT_NOBITS &&
        (sh.sh_offset > file_size || sh.sh_size > file_size - sh.sh_offset)) {
      return Status::Plugin(path + ": corrupt ELF section " + std::to_string(i));
    }
  }
  try {
    boost::dll::library_info info(path);
    std::vector<std::string> symbols = info.symbols();
    bool abi =
        std::find(symbols.begin(), symbols.end(), FEEDLOOP_PLUGIN_ABI_SYMBOL) != symbols.end();
    bool desc = std::find(symbols.begin(), symbols.end(), FEEDLOOP_PLUGIN_DESCRIPTOR_SYMBOL) !=
                symbols.end();
    if (!abi || !desc) {
      return Status::Plugin(
          path + ": a shared library without the feedloop plugin exports (" +
          std::string(!abi ? FEEDLOOP_PLUGIN_ABI_SYMBOL : FEEDLOOP_PLUGIN_DESCRIPTOR_SYMBOL) +
          " is missing)");
    }
  } catch (const std::exception& e) {
    return Status::Plugin(path + ": unreadable library: " + e.what());
  }
  return Status::Ok();
}

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
  HostContext context;
  feedloop_host_api api{};

  // Fills the host API table once, when the library is loaded: CreateInstance only reads it, so
  // instances of one library can be started on several threads at once.
  void Init(const std::string& plugin) {
    context.plugin = plugin;
    api.struct_size = sizeof(api);
    api.abi_major = kAbiMajor;
    api.abi_minor = kAbiMinor;
    api.host_context = &context;
    api.log = &HostLog;
    api.tokenize = &HostTokenize;
  }
};

PluginLibrary::~PluginLibrary() = default;

namespace {

// Boost.DLL's message wraps the loader's ("boost::dll::shared_library::load() failed (dlerror
// system message: ./x.so: undefined symbol: y): Bad file descriptor"); the loader's part is the
// one a user can act on, and the errno after it is stale.
std::string LoadErrorReason(const std::string& what) {
  const std::string marker = "(dlerror system message: ";
  size_t begin = what.find(marker);
  if (begin == std::string::npos) return what;
  begin += marker.size();
  size_t end = what.rfind("):");
  if (end == std::string::npos || end < begin) end = what.rfind(')');
  if (end == std::string::npos || end < begin) return what;
  return what.substr(begin, end - begin);
}

}  // namespace

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::Load(const std::string& path) {
  FEEDLOOP_RETURN_IF_ERROR(InspectLibraryFile(path));
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->handle_ = std::make_unique<Handle>();
  feedloop_plugin_abi_fn abi = nullptr;
  feedloop_plugin_get_descriptor_fn get = nullptr;
  try {
    lib->handle_->library.load(path,
                               boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    abi = lib->handle_->library.get<void(uint32_t*, uint32_t*)>(FEEDLOOP_PLUGIN_ABI_SYMBOL);
    get = lib->handle_->library.get<const feedloop_plugin_descriptor*()>(
        FEEDLOOP_PLUGIN_DESCRIPTOR_SYMBOL);
  } catch (const std::exception& e) {
    return Status::Plugin(path + ": cannot load: " + LoadErrorReason(e.what()));
  }
  uint32_t major = 0, minor = 0;
  abi(&major, &minor);
  // The descriptor is only fetched once the ABI is known to match.
  PluginInfo info;
  if (major != kAbiMajor || minor > kAbiMinor) {
    return ValidateDescriptor(major, minor, nullptr, path, &info, &lib->descriptor_);
  }
  FEEDLOOP_RETURN_IF_ERROR(ValidateDescriptor(major, minor, get(), path, &info, &lib->descriptor_));
  lib->info_ = std::move(info);
  lib->info_.path = path;
  lib->handle_->Init(lib->info_.name);
  return lib;
}

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::FromEntryPoints(
    feedloop_plugin_abi_fn abi, feedloop_plugin_get_descriptor_fn get_descriptor,
    const std::string& label) {
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->handle_ = std::make_unique<Handle>();
  uint32_t major = 0, minor = 0;
  abi(&major, &minor);
  PluginInfo info;
  const feedloop_plugin_descriptor* d =
      (major == kAbiMajor && minor <= kAbiMinor) ? get_descriptor() : nullptr;
  FEEDLOOP_RETURN_IF_ERROR(ValidateDescriptor(major, minor, d, label, &info, &lib->descriptor_));
  lib->info_ = std::move(info);
  lib->handle_->Init(lib->info_.name);
  return lib;
}

Result<std::unique_ptr<PluginInstance>> PluginLibrary::CreateInstance(
    const std::string& config_json) {
  const Handle& h = *handle_;
  const std::string& config = config_json.empty() ? info_.default_config : config_json;
  char message[8192] = {0};
  feedloop_error error{sizeof(feedloop_error), message, sizeof(message)};
  feedloop_instance instance = nullptr;
  feedloop_status st =
      descriptor_.create(&h.api, feedloop_str{config.data(), config.size()}, &instance, &error);
  message[sizeof(message) - 1] = '\0';
  if (st != FEEDLOOP_OK) {
    std::string why = message[0] ? message : "no reason given";
    if (text::FindInvalidUtf8(why)) {
      size_t n = 0;
      why = text::RepairUtf8(why, &n);
    }
    return Status::Plugin("plugin " + info_.name + " refused to start: " + why);
  }
  if (instance == nullptr) return Status::Plugin("plugin " + info_.name + " created no instance");
  return std::unique_ptr<PluginInstance>(new PluginInstance(shared_from_this(), instance));
}

Result<PluginInstance::Description> PluginInstance::Describe() const {
  const PluginInfo& i = library_->info();
  Description d{i.provides, {}};
  if (library_->descriptor_.describe == nullptr) return d;
  feedloop_instance_info out{};
  out.struct_size = sizeof(out);
  feedloop_status st = library_->descriptor_.describe(instance_, &out);
  if (st != FEEDLOOP_OK) {
    return Status::Plugin("plugin " + i.name + " could not describe its instance (error " +
                          std::to_string(static_cast<int>(st)) + ")");
  }
  constexpr size_t kMaxField = 1024;
  if (out.provides.size > kMaxField || out.fingerprint.size > kMaxField ||
      (out.provides.size > 0 && out.provides.data == nullptr) ||
      (out.fingerprint.size > 0 && out.fingerprint.data == nullptr)) {
    return Status::Plugin("plugin " + i.name + " described its instance with a bad string");
  }
  std::string provides(out.provides.data, out.provides.size);
  d.fingerprint.assign(out.fingerprint.data, out.fingerprint.size);
  if (text::FindInvalidUtf8(d.fingerprint)) {
    return Status::Plugin("plugin " + i.name + " gave a fingerprint that is not UTF-8");
  }
  if (provides.empty()) return d;
  d.provides = SplitList(provides);
  for (const std::string& p : d.provides) {
    if (!ValidName(p)) {
      return Status::Plugin("plugin " + i.name + " says its instance provides '" +
                            text::Excerpt(p, 64) + "', which is not a valid annotation name");
    }
  }
  return d;
}

PluginInstance::~PluginInstance() {
  if (instance_ != nullptr) library_->descriptor_.destroy(instance_);
}

Status PluginInstance::AnalyzeBatch(const feedloop_item_view* const* items, size_t count,
                                    const feedloop_sink& sink) {
  char message[8192] = {0};
  feedloop_error error{sizeof(feedloop_error), message, sizeof(message)};
  feedloop_status st = library_->descriptor_.analyze_batch(instance_, items, count, &sink, &error);
  message[sizeof(message) - 1] = '\0';
  if (st == FEEDLOOP_OK) return Status::Ok();
  std::string why = message[0] ? message : "error " + std::to_string(static_cast<int>(st));
  if (text::FindInvalidUtf8(why)) {
    size_t n = 0;
    why = text::RepairUtf8(why, &n);
  }
  return Status::Plugin(why);
}

}  // namespace feedloop::plugins
