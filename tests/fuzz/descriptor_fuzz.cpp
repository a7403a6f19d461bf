// Fuzz target: plugins::ValidateDescriptor, the host's check of what a plugin library says about
// itself, on descriptors built from the input: any struct_size and ABI version, any of the string
// fields and functions missing, and the strings pointing at NUL-terminated slices of the input
// (never at wild memory: a plugin can lie about sizes and contents, not hand the host a bad
// pointer that any check could survive).
//
// Input: 4 bytes struct_size, 4 bytes ABI major, 4 bytes ABI minor (little-endian), one byte
// whose bits drop the 8 string fields, one byte whose bits drop create/destroy/analyze_batch,
// then the strings, separated by NUL bytes, in descriptor order (name, version, description,
// license, provides, requirements, config_schema, default_config).
//
// The descriptor lives in a heap block of exactly struct_size bytes when that is smaller than the
// struct, so AddressSanitizer catches any read past what the plugin declared.
//
// Invariants: a refused descriptor gives a message starting with the label; an accepted one has a
// valid name and semantic version, valid annotation names, the ABI this engine speaks, a copy
// with struct_size set to the host's, and strings and functions copied as given.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "feedloop/plugins/host.hpp"
#include "fuzz_util.hpp"

namespace {

feedloop_status Create(const feedloop_host_api*, feedloop_str, feedloop_instance*,
                       feedloop_error*) {
  return FEEDLOOP_ERROR;
}
void Destroy(feedloop_instance) {}
feedloop_status Analyze(feedloop_instance, const feedloop_item_view* const*, size_t,
                        const feedloop_sink*, feedloop_error*) {
  return FEEDLOOP_ERROR;
}

uint32_t Read32(feedloop::fuzz::Input& in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(in.Byte()) << (8 * i);
  return v;
}

bool Annotation(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  Input in(data, size);
  const uint32_t struct_size = Read32(in);
  const uint32_t major = Read32(in);
  const uint32_t minor = Read32(in);
  const uint8_t missing_strings = in.Byte();
  const uint8_t missing_functions = in.Byte();
  // The strings: the rest of the input, NUL-terminated at the end so every slice is.
  std::string strings(in.Rest());
  strings.push_back('\0');
  std::vector<const char*> slices;
  for (size_t pos = 0; pos < strings.size() && slices.size() < 8;) {
    slices.push_back(strings.data() + pos);
    pos += std::strlen(strings.data() + pos) + 1;
  }
  slices.resize(8, nullptr);
  for (int i = 0; i < 8; ++i) {
    if (missing_strings & (1u << i)) slices[static_cast<size_t>(i)] = nullptr;
  }

  feedloop_plugin_descriptor full{};
  full.struct_size = struct_size;
  full.name = slices[0];
  full.version = slices[1];
  full.description = slices[2];
  full.license = slices[3];
  full.provides = slices[4];
  full.requirements = slices[5];
  full.config_schema = slices[6];
  full.default_config = slices[7];
  full.create = (missing_functions & 1) ? nullptr : &Create;
  full.destroy = (missing_functions & 2) ? nullptr : &Destroy;
  full.analyze_batch = (missing_functions & 4) ? nullptr : &Analyze;
  // Exactly the bytes the plugin says it has (at least the size field itself).
  const size_t declared =
      std::max<size_t>(sizeof(uint32_t), std::min<size_t>(struct_size, sizeof(full)));
  std::unique_ptr<char[]> block(new char[declared]);
  std::memcpy(block.get(), &full, declared);
  const auto* descriptor = reinterpret_cast<const feedloop_plugin_descriptor*>(block.get());

  plugins::PluginInfo info;
  feedloop_plugin_descriptor out;
  std::memset(&out, 0xAB, sizeof(out));
  Status st = plugins::ValidateDescriptor(major, minor, descriptor, "fuzz.so", &info, &out);
  if (!st.ok()) {
    FUZZ_CHECK(st.code() == Status::Code::kPlugin, st.message());
    FUZZ_CHECK(st.message().rfind("fuzz.so: ", 0) == 0, Show(st.message()));
    FUZZ_CHECK(ValidUtf8(st.message()), Show(st.message()));
    return 0;
  }
  FUZZ_CHECK(major == plugins::kAbiMajor && minor <= plugins::kAbiMinor, "ABI accepted");
  // Every field up to analyze_batch is ABI 1.0; `describe` (1.1) is optional.
  FUZZ_CHECK(struct_size >= offsetof(feedloop_plugin_descriptor, describe),
             "a short descriptor accepted");
  FUZZ_CHECK(out.describe == nullptr, "a describe function that was never given");
  FUZZ_CHECK(out.struct_size == sizeof(out), std::to_string(out.struct_size));
  FUZZ_CHECK(out.name == full.name && out.version == full.version && out.provides == full.provides,
             "strings not copied as given");
  FUZZ_CHECK(out.create == &Create && out.destroy == &Destroy && out.analyze_batch == &Analyze,
             "functions not copied as given");
  FUZZ_CHECK(Annotation(info.name), Show(info.name));
  FUZZ_CHECK(!info.version.empty() && info.version[0] >= '0' && info.version[0] <= '9',
             Show(info.version));
  for (const std::string& p : info.provides) FUZZ_CHECK(Annotation(p), Show(p));
  for (const std::string& r : info.requires_) FUZZ_CHECK(Annotation(r), Show(r));
  FUZZ_CHECK(!info.default_config.empty(), "no default config");
  const std::string* texts[] = {&info.description, &info.license, &info.config_schema,
                                &info.default_config};
  for (const std::string* t : texts) FUZZ_CHECK(ValidUtf8(*t), Show(*t));
  return 0;
}
