// The .flm model file: writing, and reading it without trusting a single byte of it.
//
// Layout (version 1, all integers little-endian, floats IEEE-754 binary32):
//
//   header (32 bytes)
//     0  magic     8 bytes "\x89FLM\r\n\x1a\n" (catches text-mode transfers, like PNG's)
//     8  u32       format version
//    12  u32       header size (32)
//    16  u64       file size in bytes
//    24  u64       checksum: XXH3-64 of bytes [32, file size) seeded with XXH3-64 of bytes [0, 24)
//   meta block
//        u32       meta size: the block's bytes, this field included (>= 40; readers skip the
//                  bytes past the fields they know)
//        u8 mode (0 single-label, 1 multi-label)   u8 weight encoding (1: int8 + row scale)
//        u16 reserved   u32 buckets   u32 word n-grams   u32 char n-gram min   u32 char n-gram max
//        u32 labels     u32 rows      f32 temperature    u32 info size
//   labels      `labels` x (u32 size, UTF-8 bytes)
//   info        `info size` bytes of JSON (how the model was trained)
//   thresholds  f32 x labels
//   bias        f32 x labels
//   rows        u32 x rows (the hash bucket of each row, strictly increasing)
//   scales      f32 x rows
//   weights     i8 x rows x labels
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "feedloop/learn/model.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace feedloop::learn {
namespace {

constexpr char kMagic[8] = {'\x89', 'F', 'L', 'M', '\r', '\n', '\x1a', '\n'};
constexpr size_t kHeaderSize = 32;
constexpr uint32_t kMetaSize = 40;
constexpr uint8_t kWeightsInt8 = 1;
// Bounds that no real model reaches; they keep a hostile file from asking for absurd work.
constexpr uint32_t kMaxLabels = 1u << 20;
constexpr uint32_t kMaxLabelBytes = 4096;

static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);

template <class T>
T ByteSwap(T v) {
  if constexpr (std::endian::native == std::endian::big) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
    std::memcpy(&v, b, sizeof(T));
  }
  return v;
}

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  template <class T>
  void Put(T v) {
    v = ByteSwap(v);
    out_->append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <class T>
  void PutArray(const std::vector<T>& values) {
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
      out_->append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    } else {
      for (T v : values) Put(v);
    }
  }
  void PutBytes(std::string_view s) { out_->append(s); }

 private:
  std::string* out_;
};

// Reads from a byte range; every read checks the bytes are there first.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  size_t remaining() const { return bytes_.size() - pos_; }
  size_t position() const { return pos_; }
  template <class T>
  bool Get(T* v) {
    if (remaining() < sizeof(T)) return false;
    std::memcpy(v, bytes_.data() + pos_, sizeof(T));
    *v = ByteSwap(*v);
    pos_ += sizeof(T);
    return true;
  }
  template <class T>
  bool GetArray(size_t count, std::vector<T>* out) {
    if (count > remaining() / sizeof(T)) return false;
    out->resize(count);
    if (count > 0) std::memcpy(out->data(), bytes_.data() + pos_, count * sizeof(T));
    if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1) {
      for (T& v : *out) v = ByteSwap(v);
    }
    pos_ += count * sizeof(T);
    return true;
  }
  bool GetBytes(size_t count, std::string_view* out) {
    if (count > remaining()) return false;
    *out = bytes_.substr(pos_, count);
    pos_ += count;
    return true;
  }
  bool Skip(size_t count) {
    if (count > remaining()) return false;
    pos_ += count;
    return true;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

uint64_t Checksum(std::string_view file) {
  uint64_t seed = XXH3_64bits(file.data(), 24);
  return XXH3_64bits_withSeed(file.data() + kHeaderSize, file.size() - kHeaderSize, seed);
}

bool AllFinite(const std::vector<float>& v) {
  for (float x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

}  // namespace

std::string Model::Serialize() const {
  std::string out;
  out.reserve(kHeaderSize + 64 + info_.size() + labels_.size() * 48 + rows_.size() * 8 +
              packed_.size());
  Writer w(&out);
  w.PutBytes(std::string_view(kMagic, sizeof(kMagic)));
  w.Put<uint32_t>(kModelFormatVersion);
  w.Put<uint32_t>(kHeaderSize);
  w.Put<uint64_t>(0);  // file size, patched below
  w.Put<uint64_t>(0);  // checksum, patched below

  w.Put<uint32_t>(kMetaSize);
  w.Put<uint8_t>(static_cast<uint8_t>(mode_));
  w.Put<uint8_t>(kWeightsInt8);
  w.Put<uint16_t>(0);
  w.Put<uint32_t>(features_.buckets);
  w.Put<uint32_t>(features_.word_ngrams);
  w.Put<uint32_t>(features_.char_ngram_min);
  w.Put<uint32_t>(features_.char_ngram_max);
  w.Put<uint32_t>(static_cast<uint32_t>(labels_.size()));
  w.Put<uint32_t>(static_cast<uint32_t>(rows_.size()));
  w.Put<float>(temperature_);
  w.Put<uint32_t>(static_cast<uint32_t>(info_.size()));
  for (const std::string& label : labels_) {
    w.Put<uint32_t>(static_cast<uint32_t>(label.size()));
    w.PutBytes(label);
  }
  w.PutBytes(info_);
  w.PutArray(thresholds_);
  w.PutArray(bias_);
  w.PutArray(rows_);
  for (size_t r = 0; r < rows_.size(); ++r) w.Put<float>(RowScale(r));
  for (size_t r = 0; r < rows_.size(); ++r) {
    w.PutBytes(std::string_view(reinterpret_cast<const char*>(RowWeights(r)), labels_.size()));
  }

  uint64_t size = ByteSwap<uint64_t>(out.size());
  std::memcpy(out.data() + 16, &size, sizeof(size));
  uint64_t sum = ByteSwap<uint64_t>(Checksum(out));
  std::memcpy(out.data() + 24, &sum, sizeof(sum));
  return out;
}

Result<Model> Model::Parse(std::string_view bytes, std::string_view name) {
  const std::string where = "model " + std::string(name) + ": ";
  auto corrupt = [&](const std::string& what) {
    return Status::InvalidInput(where + "corrupt (" + what + ")");
  };
  if (bytes.empty()) return Status::InvalidInput(where + "empty file, not a feedloop model");
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::InvalidInput(where + "not a feedloop model file (wrong magic bytes)");
  }
  if (bytes.size() < kHeaderSize) {
    return Status::InvalidInput(where + "truncated (" + std::to_string(bytes.size()) +
                                " bytes, shorter than the " + std::to_string(kHeaderSize) +
                                "-byte header)");
  }
  Reader header(bytes.substr(sizeof(kMagic)));
  uint32_t version = 0, header_size = 0;
  uint64_t file_size = 0, checksum = 0;
  (void)(header.Get(&version) && header.Get(&header_size) && header.Get(&file_size) &&
         header.Get(&checksum));
  if (version != kModelFormatVersion) {
    return Status::InvalidInput(
        where + "format version " + std::to_string(version) +
        (version > kModelFormatVersion ? " is newer than" : " differs from") +
        " the version this feedloop reads (" + std::to_string(kModelFormatVersion) +
        "); retrain the model");
  }
  if (header_size != kHeaderSize) return corrupt("header size " + std::to_string(header_size));
  if (file_size != bytes.size()) {
    return Status::InvalidInput(where + (file_size > bytes.size() ? "truncated" : "size mismatch") +
                                " (expected " + std::to_string(file_size) + " bytes, found " +
                                std::to_string(bytes.size()) + ")");
  }
  if (Checksum(bytes) != checksum) {
    return Status::InvalidInput(where + "checksum mismatch: the file is corrupt");
  }

  // From here the bytes are what the writer wrote, barring a deliberate forgery; the checks below
  // still hold every number to the bytes that are really there.
  Reader r(bytes.substr(kHeaderSize));
  uint32_t meta_size = 0;
  if (!r.Get(&meta_size) || meta_size < kMetaSize || meta_size > r.remaining()) {
    return corrupt("meta block");
  }
  Model m;
  m.file_checksum_ = checksum;
  uint8_t mode = 0, encoding = 0;
  uint16_t reserved = 0;
  uint32_t label_count = 0, row_count = 0, info_size = 0;
  (void)(r.Get(&mode) && r.Get(&encoding) && r.Get(&reserved) && r.Get(&m.features_.buckets) &&
         r.Get(&m.features_.word_ngrams) && r.Get(&m.features_.char_ngram_min) &&
         r.Get(&m.features_.char_ngram_max) && r.Get(&label_count) && r.Get(&row_count) &&
         r.Get(&m.temperature_) && r.Get(&info_size));
  if (!r.Skip(meta_size - kMetaSize)) return corrupt("meta block");
  if (mode > 1) return corrupt("label mode " + std::to_string(mode));
  m.mode_ = static_cast<LabelMode>(mode);
  if (encoding != kWeightsInt8) return corrupt("weight encoding " + std::to_string(encoding));
  if (std::string bad = ValidateFeatureOptions(m.features_); !bad.empty()) return corrupt(bad);
  if (!(m.temperature_ > 0) || !std::isfinite(m.temperature_)) return corrupt("temperature");
  if (label_count == 0 || label_count > kMaxLabels) {
    return corrupt(std::to_string(label_count) + " labels");
  }
  // Each label takes at least its 4-byte size: refuse counts the file cannot hold before
  // allocating anything for them.
  if (label_count > r.remaining() / 4) return corrupt("label count exceeds the file");
  m.labels_.reserve(label_count);
  for (uint32_t i = 0; i < label_count; ++i) {
    uint32_t size = 0;
    std::string_view label;
    if (!r.Get(&size) || size > kMaxLabelBytes || !r.GetBytes(size, &label)) {
      return corrupt("label " + std::to_string(i + 1));
    }
    m.labels_.emplace_back(label);
  }
  std::string_view info;
  if (!r.GetBytes(info_size, &info)) return corrupt("info block");
  m.info_.assign(info);
  if (!r.GetArray(label_count, &m.thresholds_) || !r.GetArray(label_count, &m.bias_)) {
    return corrupt("bias block");
  }
  if (!AllFinite(m.thresholds_) || !AllFinite(m.bias_)) return corrupt("non-finite bias");
  for (float t : m.thresholds_) {
    if (t < 0 || t > 1) return corrupt("threshold outside 0-1");
  }
  // rows x labels int8 weights plus 8 bytes per row must fit in what is left.
  const uint64_t per_row = 8 + static_cast<uint64_t>(label_count);
  if (row_count > r.remaining() / per_row) return corrupt("row count exceeds the file");
  std::vector<float> scales;
  std::string_view weights;
  if (!r.GetArray(row_count, &m.rows_) || !r.GetArray(row_count, &scales) ||
      !r.GetBytes(static_cast<size_t>(row_count) * label_count, &weights)) {
    return corrupt("weights block");
  }
  if (r.remaining() != 0) return corrupt(std::to_string(r.remaining()) + " stray bytes at the end");
  for (size_t i = 0; i < m.rows_.size(); ++i) {
    if (m.rows_[i] >= m.features_.buckets || (i > 0 && m.rows_[i] <= m.rows_[i - 1])) {
      return corrupt("row buckets out of order");
    }
  }
  if (!AllFinite(scales)) return corrupt("non-finite weights");
  m.ResizeRows(row_count);
  for (size_t i = 0; i < row_count; ++i) {
    uint8_t* row = m.packed_.data() + i * m.stride_;
    std::memcpy(row, &scales[i], sizeof(float));
    std::memcpy(row + sizeof(float), weights.data() + i * label_count, label_count);
  }
  m.BuildIndex();
  return m;
}

Result<Model> Model::Load(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string message = "model " + path + ": " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(message) : Status::IoError(message);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidInput("model " + path + ": not a regular file");
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return Parse(std::string_view(), path);
  }
  // Mapped rather than read: the bytes come straight from the page cache, without a second
  // buffer to fault in, and Parse copies what it keeps.
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int err = errno;
  ::close(fd);
  if (map == MAP_FAILED) return Status::IoError("model " + path + ": " + std::strerror(err));
  Result<Model> model = Parse(std::string_view(static_cast<const char*>(map), size), path);
  ::munmap(map, size);
  return model;
}

Status Model::Save(const std::string& path) const {
  const std::string bytes = Serialize();
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  const bool wrote = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) {
    std::remove(tmp.c_str());
    return Status::IoError("cannot write " + tmp + ": disk full or I/O error");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    return Status::IoError("cannot rename " + tmp + " to " + path + ": " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace feedloop::learn
