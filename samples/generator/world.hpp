// The world behind the shipped samples: twelve ISO weeks (2026-W36 to 2026-W47), the customers
// and their orders, the four planted incidents, and the ground-truth counts that document them.
// Not thread-safe; the samples are generated on one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "catalog.hpp"
#include "model.hpp"
#include "random.hpp"

namespace feedloop::samples {

inline constexpr int kWeeks = 12;
inline constexpr int kFirstIsoWeek = 36;  // week index 0 is 2026-W36
// Week indices where the planted incidents start (see samples/README.md).
inline constexpr int kKettleFromWeek = 5;     // 2026-W41: KETTLE-2L crushed boxes and dents
inline constexpr int kDuplicateFromWeek = 7;  // 2026-W43: subscriptions charged twice
inline constexpr int kSupportFromWeek = 8;    // 2026-W44: first replies take 20-48 hours
inline constexpr int kSurgeWeek = 9;          // 2026-W45: late deliveries, mostly UK

enum class Plan : uint8_t { kNone, kMonthly, kAnnual };
std::string_view PlanName(Plan plan);

// The shipped files; each draws from its own random stream.
enum class SampleFile : uint8_t { kReviews, kNps, kCsat, kCes, kApp, kTickets, kChats };
inline constexpr int kSampleFileCount = 7;
std::string_view FileName(SampleFile file);

enum class Incident : uint8_t {
  kNone,
  kDeliverySurge,
  kKettlePackaging,
  kDuplicateCharge,
  kSupportDelay
};

struct Customer {
  std::string id;  // c-NNNN
  const Region* region;
  Plan plan;
  bool grumpy;  // a repeat complainer
  Cause pet;    // what a repeat complainer complains about most
};

// Ground truth gathered while generating, printed by `samples` for the README.
struct Stats {
  int items[kSampleFileCount][kWeeks] = {};
  // Texts (non-empty) that complain about a cause, or are mixed with it as the complaint.
  int mentions[kSampleFileCount][kWeeks][kCauseCount] = {};
  // Late-delivery texts in reviews, app reviews, NPS and CSAT, UK and elsewhere.
  int delivery_uk[kWeeks] = {};
  int delivery_other[kWeeks] = {};
  // Packaging texts in reviews, app reviews, NPS, CSAT and transcripts, by SKU.
  int packaging_by_sku[kWeeks][16] = {};
  // Duplicate-charge texts.
  int duplicate_nps_monthly[kWeeks] = {};
  int duplicate_nps_other[kWeeks] = {};
  int duplicate_transcripts[kWeeks] = {};
  int duplicate_other[kWeeks] = {};
  int nps_promoters[kWeeks] = {};
  int nps_detractors[kWeeks] = {};
  int nps_total[kWeeks] = {};
  int nps_empty[kWeeks] = {};
  // Transcripts: first agent response in minutes (answered ones), and the unanswered.
  std::vector<int64_t> first_response[2][kWeeks];  // [0] tickets, [1] chats
  int unanswered[2][kWeeks] = {};
  int waiting_messages[2][kWeeks] = {};  // customer "still waiting" messages
  int incident_items[5] = {};

  void Print(std::FILE* out, const std::vector<Customer>& customers) const;
};

class World {
 public:
  explicit World(uint64_t seed);

  uint64_t seed() const { return seed_; }
  int64_t WeekStart(int week) const { return start_ + int64_t{week} * 7 * 86400; }
  // Transcripts are exported on Wednesday 2026-11-25 at 06:00 UTC, late enough for replies to
  // 2026-W47's conversations (up to 48 hours late) to be in; nothing later exists.
  int64_t ExportCutoff() const { return WeekStart(kWeeks) + 2 * 86400 + 6 * 3600; }

  // A time in `week` when feedback is written: busier early in the week and in the daytime.
  int64_t TimeInWeek(int week, Rng& rng) const;
  // A customer with nothing else written on the day of `at`: the engine folds items of one
  // customer, day and text into one, and two empty survey comments would collide.
  int PickCustomer(int64_t at, Rng& rng);
  const Customer& customer(int index) const { return customers_[static_cast<size_t>(index)]; }
  const std::vector<Customer>& customers() const { return customers_; }

  const Product& PickProduct(const Customer& c, Rng& rng) const;
  const Product& SubscriptionProduct(Rng& rng) const;
  const Product& OtherProduct(const Product& p, Rng& rng) const;
  // A new order id for an order placed at `when`; ids grow with time and never repeat.
  std::string NewOrderId(int64_t when, Rng& rng);

  // What the customer behind one piece of feedback experienced: a planted incident when one
  // applies, else the background model. Sets *incident.
  Experience Experienced(SampleFile file, Kind kind, int week, const Customer& c,
                         const Product* product, Rng& rng, Incident* incident);

  // How many items `file` gets in `week`: its base volume, a slow growth, noise of +-8%, and
  // more reviews and contacts in the week of the delivery surge.
  int WeeklyCount(SampleFile file, int base, int week, Rng& rng) const;

  // Counts a text in the ground truth: what it complains about, by week, region, SKU and plan.
  void CountText(SampleFile file, int week, const Experience& e, const Customer& c,
                 const Product* product);

  Stats& stats() { return stats_; }

 private:
  uint64_t seed_;
  int64_t start_;
  std::vector<Customer> customers_;
  std::vector<uint64_t> cumulative_;  // cumulative pick weights
  std::unordered_set<uint64_t> claimed_days_;
  std::unordered_set<int64_t> order_numbers_;
  // Golden-ratio sequence of tone strata per file and week (see DrawBackground); -1 until used.
  int64_t strata_[kSampleFileCount][kWeeks];
  Stats stats_;
};

}  // namespace feedloop::samples
