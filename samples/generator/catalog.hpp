// The fictional shop behind the samples: its root-cause labels, products (SKUs), regions and
// channels. Plain constant data; safe to read from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace feedloop::samples {

// The operational root causes of complaints, in the order of the default taxonomy, then kNone
// (praise, neutral and negated texts).
enum class Cause : uint8_t {
  kDelivery,
  kTracking,
  kPackaging,
  kWrongItem,
  kStock,
  kReturns,
  kSubscription,
  kSupport,
  kBilling,
  kQuality,
  kPrice,
  kNone,
};
inline constexpr int kCauseCount = 11;  // without kNone

// The gold label of a cause in `labelled` output: delivery, tracking, ..., none.
std::string_view CauseLabel(Cause cause);

enum class Lang : uint8_t { kEn, kEs, kFr, kDe, kPt };
std::string_view LangTag(Lang lang);

// What a product is made of decides which complaints make sense ("dented" needs a hard good).
enum ProductClass : uint8_t {
  kAppliance = 1,   // kettle, toaster, blender: dents, plugs, motors
  kFragile = 2,     // mugs, cups, glass: chips and breaks
  kConsumable = 4,  // coffee, tea, pods: bags split, stale
  kHardware = 8,    // cast iron, steel: dents, rust
};

struct Product {
  std::string_view sku;
  std::string_view noun;  // as customers write it: "kettle", "coffee beans"
  bool plural;            // "the mugs were" rather than "the kettle was"
  uint8_t classes;        // ProductClass bits
  bool subscription;      // sold as a subscription
  uint32_t price_cents;
  uint32_t weight;                            // popularity
  std::span<const std::string_view> defects;  // quality complaints, lower case
  std::span<const std::string_view> praise;   // what fans say about it, lower case
};

std::span<const Product> Products();
const Product* FindProduct(std::string_view sku);

struct Region {
  std::string_view code;  // UK, DE, FR, US, ES, NL
  uint32_t weight;
  std::string_view currency;  // "£", "€", "$"
  bool currency_after;        // "24,99 €" rather than "£24.99"
  std::span<const std::string_view> couriers;
  Lang local;  // the language a minority of its customers write in
};

std::span<const Region> Regions();

}  // namespace feedloop::samples
