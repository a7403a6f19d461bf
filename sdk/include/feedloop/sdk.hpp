// The C++ layer of the feedloop plugin SDK: write a class, add one macro, get a plugin.
//
//   class Refunds : public feedloop::sdk::Plugin {
//    public:
//     void Analyze(const feedloop::sdk::Item& item, feedloop::sdk::Annotations& out) override {
//       if (item.text().find("refund") != std::string_view::npos) out.AddTag("refunds", 0.9);
//     }
//   };
//   FEEDLOOP_PLUGIN(Refunds, "refunds", "1.0.0", "Tags refund talk", "MIT", "tags", "")
//
// The macro generates the two C exports of plugin.h, turns every exception into a status and a
// message, and checks the class at compile time. Header-only; needs only the C++ standard
// library (C++17 or later).
#ifndef FEEDLOOP_SDK_HPP_
#define FEEDLOOP_SDK_HPP_

#include <feedloop/plugin.h>
#include <feedloop/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace feedloop::sdk {

inline std::string_view View(feedloop_str s) {
  return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}
inline feedloop_str Str(std::string_view s) {
  return feedloop_str{s.data(), s.size()};
}

// Element `i` of an array of host structs that begin with `struct_size` (turns, annotations,
// labels): the host lays them out `struct_size` bytes apart, which is at least this plugin's
// `sizeof(T)` (a plugin is never built against a newer ABI minor than its host's), so a later
// ABI minor can append fields without moving the elements an older plugin reads.
template <class T>
const T& Element(const T* array, size_t i) {
  const size_t stride = array[0].struct_size >= sizeof(T) ? array[0].struct_size : sizeof(T);
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(array) + i * stride);
}

// Label `i` of an annotation another plugin produced.
inline const feedloop_label_view& Label(const feedloop_annotation_view& a, size_t i) {
  return Element(a.labels, i);
}

// Thrown from Configure when the configuration cannot be used; becomes FEEDLOOP_INVALID_CONFIG.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A read-only view of one item, valid only during Analyze (the host owns the memory).
class Item {
 public:
  explicit Item(const feedloop_item_view* view) : v_(view) {}

  std::string_view id() const { return View(v_->id); }
  std::string_view kind() const { return View(v_->kind); }
  std::string_view source() const { return View(v_->source); }
  std::string_view language() const { return View(v_->language); }
  std::string_view sku() const { return View(v_->sku); }
  std::string_view attrs_json() const { return View(v_->attrs_json); }
  bool has_score() const { return v_->has_score != 0; }
  double score() const { return v_->score; }
  std::string_view text() const { return View(v_->text); }
  const feedloop_token* tokens_begin() const { return v_->tokens; }
  const feedloop_token* tokens_end() const { return v_->tokens + v_->token_count; }
  size_t token_count() const { return v_->token_count; }
  const feedloop_token& token(size_t i) const { return v_->tokens[i]; }
  // The token's case-folded form, and its original bytes.
  static std::string_view norm(const feedloop_token& t) { return View(t.norm); }
  std::string_view original(const feedloop_token& t) const {
    return text().substr(t.begin, t.end - t.begin);
  }
  size_t turn_count() const { return v_->turn_count; }
  const feedloop_turn_view& turn(size_t i) const { return Element(v_->turns, i); }

  // The annotation named `name` ("sentiment", "tags", ...) that another plugin produced, or
  // nullptr when the plugin did not declare it in `requires` or it is missing for this item.
  const feedloop_annotation_view* annotation(std::string_view name) const {
    for (size_t i = 0; i < v_->annotation_count; ++i) {
      const feedloop_annotation_view& a = Element(v_->annotations, i);
      if (View(a.name) == name) return &a;
    }
    return nullptr;
  }

  const feedloop_item_view& raw() const { return *v_; }

 private:
  const feedloop_item_view* v_;
};

// Where a plugin writes its results for one item. Every call copies its arguments.
class Annotations {
 public:
  Annotations(const feedloop_sink* sink, size_t index) : sink_(sink), index_(index) {}

  void SetSentiment(double score) const { sink_->set_sentiment(sink_->context, index_, score); }
  void AddSentenceSentiment(feedloop_span sentence, double score) const {
    sink_->add_sentence_sentiment(sink_->context, index_, sentence, score);
  }
  void AddTurnSentiment(size_t turn, double score) const {
    sink_->add_turn_sentiment(sink_->context, index_, turn, score);
  }
  void AddTag(std::string_view tag, double confidence,
              const std::vector<feedloop_span>& spans = {}) const {
    sink_->add_tag(sink_->context, index_, Str(tag), confidence, spans.data(), spans.size());
  }
  void SetRootCause(std::string_view cause, double confidence,
                    const std::vector<feedloop_span>& spans = {}) const {
    sink_->set_root_cause(sink_->context, index_, Str(cause), confidence, spans.data(),
                          spans.size());
  }
  void AddLabel(std::string_view annotation, std::string_view label, double confidence,
                const std::vector<feedloop_span>& spans = {}) const {
    sink_->add_label(sink_->context, index_, Str(annotation), Str(label), confidence, spans.data(),
                     spans.size());
  }
  void SetJson(std::string_view annotation, std::string_view json) const {
    sink_->set_annotation_json(sink_->context, index_, Str(annotation), Str(json));
  }
  void Fail(std::string_view message) const {
    sink_->fail_item(sink_->context, index_, Str(message));
  }

 private:
  const feedloop_sink* sink_;
  size_t index_;
};

// What the engine offers a plugin: logging and the engine's tokenizer.
class Host {
 public:
  Host() = default;
  explicit Host(const feedloop_host_api* api) {
    std::memset(&api_, 0, sizeof(api_));
    if (api != nullptr) {
      size_t n = api->struct_size < sizeof(api_) ? api->struct_size : sizeof(api_);
      std::memcpy(&api_, api, n);
    }
  }
  void Log(feedloop_log_level level, std::string_view message) const {
    if (api_.log != nullptr) api_.log(api_.host_context, level, Str(message));
  }
  void Info(std::string_view message) const { Log(FEEDLOOP_LOG_INFO, message); }
  void Warn(std::string_view message) const { Log(FEEDLOOP_LOG_WARNING, message); }

  // Tokenizes `text` with the engine's rules and calls `fn(const feedloop_token*, size_t)`.
  template <class Fn>
  void Tokenize(std::string_view text, Fn&& fn) const {
    if (api_.tokenize == nullptr) throw std::runtime_error("the host offers no tokenizer");
    auto trampoline = [](void* ctx, const feedloop_token* tokens, size_t count) {
      (*static_cast<std::remove_reference_t<Fn>*>(ctx))(tokens, count);
    };
    api_.tokenize(api_.host_context, Str(text), trampoline, &fn);
  }
  // Convenience: the case-folded token strings of `text` (words, numbers, emoji...).
  std::vector<std::string> Norms(std::string_view text) const {
    std::vector<std::string> out;
    Tokenize(text, [&](const feedloop_token* t, size_t n) {
      for (size_t i = 0; i < n; ++i) out.emplace_back(View(t[i].norm));
    });
    return out;
  }

 private:
  feedloop_host_api api_{};
};

// The plugin's configuration: the JSON object the user gave (or the descriptor's default).
class Config {
 public:
  explicit Config(std::string_view json_text)
      : text_(json_text), root_(json_text.empty() ? json::Value() : json::Parse(json_text)) {
    if (!root_.is_null() && !root_.is_object())
      throw ConfigError("the config must be a JSON object");
  }
  const json::Value& root() const { return root_; }
  const json::Value* find(std::string_view key) const { return root_.find(key); }
  std::string get_string(std::string_view key, std::string fallback = {}) const {
    return root_.get_string(key, std::move(fallback));
  }
  double get_number(std::string_view key, double fallback) const {
    return root_.get_number(key, fallback);
  }
  bool get_bool(std::string_view key, bool fallback) const { return root_.get_bool(key, fallback); }
  std::string_view text() const { return text_; }

 private:
  std::string text_;
  json::Value root_;
};

// What a plugin builds from its configuration and then only reads (a lexicon, a taxonomy, a
// model) can be built once per process and shared by its instances: the host makes one instance
// per worker thread, all with the same configuration. Shared<T>::Get(key, build) returns the T
// built for `key` (everything the result depends on: the config text, the contents of the files
// it reads), calling `build` (returning a std::unique_ptr<T> or std::shared_ptr<T>) only when no
// instance holds one for that key any more. Concurrent calls for one key build once. T must be
// safe to read from several threads. An exception from `build` reaches the caller; nothing is
// kept.
template <class T>
class Shared {
 public:
  template <class Build>
  static std::shared_ptr<const T> Get(const std::string& key, Build&& build) {
    static std::mutex mu;
    static std::map<std::string, std::weak_ptr<const T>> built;
    std::lock_guard<std::mutex> lock(mu);
    auto it = built.find(key);
    if (it != built.end()) {
      if (std::shared_ptr<const T> kept = it->second.lock()) return kept;
    }
    std::shared_ptr<const T> made(build());
    if (it != built.end()) {
      it->second = made;
    } else {
      built.emplace(key, made);
    }
    return made;
  }
};

// What an instance keeps per word id of its worker's vocabulary (`feedloop_token.word`, ABI
// 1.2): `by_word[t.word]` is a value-initialized T the first time an id shows up, and the same
// T after. Ids are dense, so this is a plain array that grows as they come. Keep it in the
// instance, never in a Shared object: the ids are those of one worker. Id 0 (no id) is a valid
// index but stands for no word: look such tokens up your own way.
template <class T>
class ByWord {
 public:
  T& operator[](uint32_t id) {
    if (id >= values_.size()) values_.resize(std::max<size_t>(id + 1, 2 * values_.size()));
    return values_[id];
  }

 private:
  std::vector<T> values_;
};

// Base class of a C++ plugin. One object is made per worker thread; the host never calls one
// object from two threads at once, so members need no locking.
class Plugin {
 public:
  virtual ~Plugin() = default;

  // Called once after construction. Throw ConfigError (or any exception) to refuse the config.
  virtual void Configure(const Config& config) {}

  // Analyzes one item. Throwing fails this item only.
  virtual void Analyze(const Item& item, Annotations& out) = 0;

  // Override to analyze a whole batch at once; the default calls Analyze per item and turns an
  // exception into a failure of that item.
  virtual void AnalyzeBatch(const feedloop_item_view* const* items, size_t count,
                            const feedloop_sink* sink) {
    for (size_t i = 0; i < count; ++i) {
      Annotations out(sink, i);
      try {
        Analyze(Item(items[i]), out);
      } catch (const std::exception& e) {
        out.Fail(e.what());
      } catch (...) {
        out.Fail("unknown exception");
      }
    }
  }

  // What this object, as configured, provides: a subset of the `provides` given to
  // FEEDLOOP_PLUGIN, comma-separated ("" for all of them). Override when the config chooses (a
  // classifier that gives a root cause or tags). Called once, after Configure.
  virtual std::string Provides() const { return {}; }
  // What the results depend on besides the version and the config text, e.g. a hash of the files
  // the config names ("" for nothing). When it changes, stored items are analysed again.
  virtual std::string Fingerprint() const { return {}; }

  const Host& host() const { return host_; }
  void set_host(const Host& host) { host_ = host; }

 private:
  Host host_;
  friend struct DescribeAccess;
  std::string described_provides_, described_fingerprint_;  // kept for `describe`'s strings
};

// A short stable hash of bytes (64 bits, eight bytes at a time) as 16 hex digits: for
// fingerprints of files a plugin reads. Not cryptographic.
inline std::string HashHex(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * 1099511628211ull;
  h ^= h >> 32;
  static const char* const kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 15];
  return out;
}

struct DescribeAccess {
  static feedloop_status Describe(Plugin* p, feedloop_instance_info* info) {
    p->described_provides_ = p->Provides();
    p->described_fingerprint_ = p->Fingerprint();
    if (info->struct_size >= offsetof(feedloop_instance_info, fingerprint) + sizeof(feedloop_str)) {
      info->provides = Str(p->described_provides_);
      info->fingerprint = Str(p->described_fingerprint_);
    }
    return FEEDLOOP_OK;
  }
};

namespace detail {

inline void WriteError(feedloop_error* error, std::string_view message) {
  if (error == nullptr || error->message == nullptr || error->capacity == 0) return;
  size_t n = message.size() < error->capacity - 1 ? message.size() : error->capacity - 1;
  std::memcpy(error->message, message.data(), n);
  error->message[n] = '\0';
}

template <class T, class = void>
struct SchemaOf {
  static constexpr const char* value = nullptr;
};
template <class T>
struct SchemaOf<T, std::void_t<decltype(T::kConfigSchema)>> {
  static constexpr const char* value = T::kConfigSchema;
};
template <class T, class = void>
struct DefaultConfigOf {
  static constexpr const char* value = nullptr;
};
template <class T>
struct DefaultConfigOf<T, std::void_t<decltype(T::kDefaultConfig)>> {
  static constexpr const char* value = T::kDefaultConfig;
};

template <class T>
feedloop_status Create(const feedloop_host_api* host, feedloop_str config,
                       feedloop_instance* instance, feedloop_error* error) {
  try {
    auto plugin = std::make_unique<T>();
    plugin->set_host(Host(host));
    plugin->Configure(Config(View(config)));
    *instance = plugin.release();
    return FEEDLOOP_OK;
  } catch (const ConfigError& e) {
    WriteError(error, e.what());
    return FEEDLOOP_INVALID_CONFIG;
  } catch (const json::Error& e) {
    WriteError(error, std::string("invalid config: ") + e.what());
    return FEEDLOOP_INVALID_CONFIG;
  } catch (const std::bad_alloc&) {
    WriteError(error, "out of memory");
    return FEEDLOOP_NO_MEMORY;
  } catch (const std::exception& e) {
    WriteError(error, e.what());
    return FEEDLOOP_ERROR;
  } catch (...) {
    WriteError(error, "unknown exception in create");
    return FEEDLOOP_ERROR;
  }
}

template <class T>
void Destroy(feedloop_instance instance) {
  delete static_cast<T*>(instance);
}

template <class T>
feedloop_status AnalyzeBatch(feedloop_instance instance, const feedloop_item_view* const* items,
                             size_t count, const feedloop_sink* sink, feedloop_error* error) {
  try {
    static_cast<T*>(instance)->AnalyzeBatch(items, count, sink);
    return FEEDLOOP_OK;
  } catch (const std::bad_alloc&) {
    WriteError(error, "out of memory");
    return FEEDLOOP_NO_MEMORY;
  } catch (const std::exception& e) {
    WriteError(error, e.what());
    return FEEDLOOP_ERROR;
  } catch (...) {
    WriteError(error, "unknown exception in analyze");
    return FEEDLOOP_ERROR;
  }
}

template <class T>
feedloop_status Describe(feedloop_instance instance, feedloop_instance_info* info) {
  if (info == nullptr) return FEEDLOOP_ERROR;
  try {
    return DescribeAccess::Describe(static_cast<T*>(instance), info);
  } catch (...) {
    return FEEDLOOP_ERROR;
  }
}

template <class T>
constexpr feedloop_plugin_descriptor MakeDescriptor(const char* name, const char* version,
                                                    const char* description, const char* license,
                                                    const char* provides,
                                                    const char* requirements) {
  static_assert(std::is_base_of_v<Plugin, T>,
                "a feedloop plugin derives from feedloop::sdk::Plugin");
  static_assert(std::is_default_constructible_v<T>, "a feedloop plugin is default-constructible");
  static_assert(!std::is_abstract_v<T>,
                "a feedloop plugin overrides Analyze(const Item&, Annotations&)");
  static_assert(
      std::is_same_v<decltype(static_cast<void (T::*)(const Item&, Annotations&)>(&T::Analyze)),
                     void (T::*)(const Item&, Annotations&)>,
      "Analyze must have the signature void Analyze(const Item&, Annotations&)");
  return feedloop_plugin_descriptor{sizeof(feedloop_plugin_descriptor),
                                    name,
                                    version,
                                    description,
                                    license,
                                    provides,
                                    requirements,
                                    SchemaOf<T>::value,
                                    DefaultConfigOf<T>::value,
                                    &Create<T>,
                                    &Destroy<T>,
                                    &AnalyzeBatch<T>,
                                    &Describe<T>};
}

}  // namespace detail
}  // namespace feedloop::sdk

// Generates the plugin's two exported C functions. Use once per plugin library, at namespace
// scope. `provides` and `requires` are comma-separated annotation names ("" for none). The
// class may declare `static constexpr const char* kConfigSchema` and `kDefaultConfig`.
#define FEEDLOOP_PLUGIN(Class, name, version, description, license, provides, requirements)      \
  extern "C" FEEDLOOP_PLUGIN_EXPORT void feedloop_plugin_abi(uint32_t* major, uint32_t* minor) { \
    *major = FEEDLOOP_ABI_MAJOR;                                                                 \
    *minor = FEEDLOOP_ABI_MINOR;                                                                 \
  }                                                                                              \
  extern "C" FEEDLOOP_PLUGIN_EXPORT const feedloop_plugin_descriptor*                            \
  feedloop_plugin_get_descriptor(void) {                                                         \
    static const feedloop_plugin_descriptor descriptor =                                         \
        ::feedloop::sdk::detail::MakeDescriptor<Class>(name, version, description, license,      \
                                                       provides, requirements);                  \
    return &descriptor;                                                                          \
  }

#endif  // FEEDLOOP_SDK_HPP_
