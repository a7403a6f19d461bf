// Fuzz target: the taxonomy loader, through the plugin host exactly as a run uses it: the
// `taxonomy` plugin library (built with the same sanitizers) is loaded with
// plugins::PluginLibrary::Load, and each input is a taxonomy file given to CreateInstance as
// {"taxonomy": "<file>", "explain": true}. A taxonomy that compiles is then run on a few
// complaints, through a sink that checks every tag and span.
//
// Input: the taxonomy file.
//
// Invariants: a refused taxonomy gives a message in valid UTF-8; an accepted one tags texts only
// with valid labels, confidences in [0, 1] and spans inside the text, and never fails an item.
#include <cstdint>
#include <string>

#include "feedloop/plugins/host.hpp"
#include "fuzz_util.hpp"
#include "plugin_check.hpp"

namespace {

std::shared_ptr<feedloop::plugins::PluginLibrary>& Library() {
  static std::shared_ptr<feedloop::plugins::PluginLibrary> library;
  return library;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace feedloop;
  // Keep plugin warnings out of the fuzzer's output.
  plugins::SetPluginLogSink([](const std::string&, feedloop_log_level, const std::string&) {});
  Result<std::shared_ptr<plugins::PluginLibrary>> lib =
      plugins::PluginLibrary::Load(FEEDLOOP_FUZZ_PLUGIN_DIR "/feedloop-taxonomy.so");
  FUZZ_CHECK(lib.ok(), lib.status().message());
  Library() = lib.value();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  static const ItemBatch batch({
      "The box arrived crushed and a week late. Still waiting for my refund!",
      "Not damaged at all, no problems. Where is my order? Tracking hasn't updated in days.",
      "Paket beschädigt 📦 — viel zu spät. 退款还没到。 I was charged twice for my subscription",
      "",
  });
  MemFile file(std::string_view(reinterpret_cast<const char*>(data), size));
  Result<std::unique_ptr<plugins::PluginInstance>> instance =
      Library()->CreateInstance("{\"taxonomy\": \"" + file.path() + "\", \"explain\": true}");
  if (!instance.ok()) {
    FUZZ_CHECK(ValidUtf8(instance.status().message()), Show(instance.status().message()));
    return 0;
  }
  CheckingSink sink(batch);
  Status st = instance.value()->AnalyzeBatch(batch.items(), batch.size(), sink.sink());
  FUZZ_CHECK(st.ok(), st.message());
  FUZZ_CHECK(sink.failures() == 0, "an item failed: " + sink.last_failure());
  return 0;
}
