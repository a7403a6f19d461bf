// Fuzz target: the learned model file loader (learn::Model::Load / Model::Parse, the .flm format
// of engine/src/learn/model_file.cpp), then a prediction with whatever loaded.
//
// Input: one option byte, then the file.
//   bit 0  repair the header first: magic bytes, file size and checksum made to match, so that
//          mutations reach the blocks behind the checksum instead of all failing it
//   bit 1  read through Model::Load on a file (the mmap path) instead of Model::Parse
//
// Invariants: a refused file gives a message naming it; a loaded model has labels, one threshold
// and one bias per label, predicts probabilities in [0, 1] (summing to at most 1 for a
// single-label model), most probable first, and serializes to bytes that load back to the same
// bytes.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "feedloop/learn/model.hpp"
#include "feedloop/text/tokenizer.hpp"
#include "fuzz_util.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace feedloop::fuzz {
namespace {

// Makes the header of `bytes` consistent with its body (see the layout in model_file.cpp).
void RepairHeader(std::string* bytes) {
  static const char kMagic[8] = {'\x89', 'F', 'L', 'M', '\r', '\n', '\x1a', '\n'};
  std::memcpy(bytes->data(), kMagic, std::min<size_t>(8, bytes->size()));
  if (bytes->size() < 32) return;
  const uint64_t size = bytes->size();
  std::memcpy(bytes->data() + 16, &size, sizeof(size));
  const uint64_t seed = XXH3_64bits(bytes->data(), 24);
  const uint64_t sum = XXH3_64bits_withSeed(bytes->data() + 32, bytes->size() - 32, seed);
  std::memcpy(bytes->data() + 24, &sum, sizeof(sum));
}

void CheckPredictions(const std::shared_ptr<const learn::Model>& model) {
  static const text::Tokenizer tokenizer;
  static text::TokenBuffer tokens;
  static const std::string kText =
      "Parcel arrived late and the box was crushed; refund still pending. Great support though!";
  tokenizer.Tokenize(kText, &tokens);
  learn::Classifier classifier(model);
  const std::vector<learn::Prediction>& predictions =
      classifier.Predict(std::span<const feedloop_token>(tokens.tokens()), 0);
  double sum = 0;
  float previous = 2;
  for (const learn::Prediction& p : predictions) {
    FUZZ_CHECK(p.label < model->label_count(), "label " + std::to_string(p.label));
    FUZZ_CHECK(std::isfinite(p.probability) && p.probability >= 0 && p.probability <= 1.0001f,
               "probability " + std::to_string(p.probability));
    FUZZ_CHECK(p.probability <= previous, "predictions out of order");
    previous = p.probability;
    sum += p.probability;
  }
  if (model->mode() == learn::LabelMode::kSingle)
    FUZZ_CHECK(sum <= 1.001, "sum " + std::to_string(sum));
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  Input in(data, size);
  const uint8_t opts = in.Byte();
  std::string bytes(in.Rest());
  if (opts & 1) RepairHeader(&bytes);

  std::string name = "fuzz.flm";
  Result<learn::Model> loaded = Status::Internal("not loaded");
  if (opts & 2) {
    MemFile file(bytes);
    name = file.path();
    loaded = learn::Model::Load(name);
  } else {
    loaded = learn::Model::Parse(bytes, name);
  }
  if (!loaded.ok()) {
    FUZZ_CHECK(loaded.status().message().rfind("model " + name + ": ", 0) == 0,
               Show(loaded.status().message()));
    return 0;
  }
  auto model = std::make_shared<const learn::Model>(std::move(loaded).value());
  FUZZ_CHECK(model->label_count() > 0, "a model without labels");
  FUZZ_CHECK(model->thresholds().size() == model->label_count(), "thresholds");
  CheckPredictions(model);

  const std::string serialized = model->Serialize();
  Result<learn::Model> again = learn::Model::Parse(serialized, "again");
  FUZZ_CHECK(again.ok(), again.status().message());
  FUZZ_CHECK(again.value().Serialize() == serialized, "serialize, load, serialize differs");
  return 0;
}
