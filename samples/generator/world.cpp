#include "world.hpp"

#include <algorithm>

#include "output.hpp"

namespace feedloop::samples {
namespace {

constexpr int kCustomerCount = 3200;
constexpr int kGrumpyCount = 25;

// Hazards (per 10000 items) of the planted incidents, per file:
//                                reviews  nps  csat  ces   app  tickets chats
constexpr uint32_t kSurgeUk[] = {2800, 4000, 2800, 1500, 2800, 3500, 3500};
constexpr uint32_t kSurgeElsewhere[] = {150, 400, 150, 150, 150, 400, 400};
constexpr uint32_t kKettle[] = {4000, 1500, 4000, 0, 4000, 3500, 3500};
constexpr uint32_t kDuplicateMonthly[] = {600, 1500, 600, 600, 600, 5000, 2500};
constexpr uint32_t kDuplicateAnnual[] = {0, 300, 0, 0, 0, 800, 300};
constexpr uint32_t kSupportComplaints[] = {250, 0, 800, 1500, 250, 0, 0};

uint64_t DayKey(int customer, int64_t at) {
  return (static_cast<uint64_t>(customer) << 32) | static_cast<uint64_t>(at / 86400);
}

bool IsSurvey(SampleFile f) {
  return f != SampleFile::kTickets && f != SampleFile::kChats;
}

}  // namespace

std::string_view PlanName(Plan plan) {
  switch (plan) {
    case Plan::kMonthly:
      return "monthly";
    case Plan::kAnnual:
      return "annual";
    case Plan::kNone:
      break;
  }
  return "none";
}

std::string_view FileName(SampleFile file) {
  static constexpr std::string_view kNames[] = {
      "reviews_trustpilot.csv", "nps_delighted.csv",    "csat_survey.jsonl", "ces_survey.csv",
      "app_reviews.jsonl",      "tickets_zendesk.json", "chats.csv"};
  return kNames[static_cast<int>(file)];
}

World::World(uint64_t seed) : seed_(seed), start_(DaysFromCivil(2026, 8, 31) * 86400) {
  for (auto& row : strata_) {
    for (int64_t& s : row) s = -1;
  }
  Rng rng(StreamSeed(seed, "customers"));
  // Distinct four-digit ids, shuffled.
  std::vector<int> numbers;
  for (int n = 1000; n <= 9999; ++n) numbers.push_back(n);
  for (size_t i = numbers.size() - 1; i > 0; --i) {
    std::swap(numbers[i], numbers[rng.Below(i + 1)]);
  }
  std::vector<uint32_t> region_weights;
  for (const Region& r : Regions()) region_weights.push_back(r.weight);
  uint64_t total = 0;
  for (int i = 0; i < kCustomerCount; ++i) {
    Customer c;
    c.id = "c-" + std::to_string(numbers[static_cast<size_t>(i)]);
    c.region = &Regions()[rng.Weighted(region_weights)];
    uint32_t plan_weights[] = {58, 28, 14};
    c.plan = static_cast<Plan>(rng.Weighted(plan_weights));
    c.grumpy = i < kGrumpyCount;
    c.pet = DrawCause(Kind::kReview, c.plan != Plan::kNone, rng);
    // Regulars (15%) write four times as often; repeat complainers six times.
    uint32_t weight = c.grumpy ? 6 : (rng.Chance(Pct(15)) ? 4 : 1);
    total += weight;
    cumulative_.push_back(total);
    customers_.push_back(std::move(c));
  }
}

int64_t World::TimeInWeek(int week, Rng& rng) const {
  static constexpr uint32_t kDays[] = {18, 16, 15, 14, 13, 11, 13};
  static constexpr uint32_t kHours[] = {2, 1, 1, 1, 1, 2, 4,  7,  9,  10, 10, 9,
                                        9, 9, 8, 8, 8, 9, 10, 11, 10, 8,  6,  4};
  int64_t day = static_cast<int64_t>(rng.Weighted(kDays));
  int64_t hour = static_cast<int64_t>(rng.Weighted(kHours));
  return WeekStart(week) + day * 86400 + hour * 3600 + rng.Between(0, 3599);
}

int World::PickCustomer(int64_t at, Rng& rng) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    uint64_t r = rng.Below(cumulative_.back());
    int index = static_cast<int>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                 cumulative_.begin());
    if (claimed_days_.insert(DayKey(index, at)).second) return index;
  }
  for (int index = 0; index < kCustomerCount; ++index) {
    if (claimed_days_.insert(DayKey(index, at)).second) return index;
  }
  return 0;
}

const Product& World::PickProduct(const Customer& c, Rng& rng) const {
  if (c.plan != Plan::kNone && rng.Chance(Pct(35))) return SubscriptionProduct(rng);
  std::vector<uint32_t> weights;
  for (const Product& p : Products()) weights.push_back(p.weight);
  return Products()[rng.Weighted(weights)];
}

const Product& World::SubscriptionProduct(Rng& rng) const {
  static constexpr std::string_view kSkus[] = {"SUB-COFFEE-MONTHLY", "COFFEE-PODS-50",
                                               "TEA-SAMPLER"};
  static constexpr uint32_t kWeights[] = {60, 25, 15};
  return *FindProduct(kSkus[rng.Weighted(kWeights)]);
}

const Product& World::OtherProduct(const Product& p, Rng& rng) const {
  while (true) {
    const Product& q = rng.Pick(Products());
    if (&q != &p) return q;
  }
}

std::string World::NewOrderId(int64_t when, Rng& rng) {
  // About 90 orders a day since the start of the window.
  int64_t n = 60000 + (when - start_) / 960 + static_cast<int64_t>(rng.Below(90));
  while (!order_numbers_.insert(n).second) ++n;
  return "o-" + std::to_string(n);
}

Experience World::Experienced(SampleFile file, Kind kind, int week, const Customer& c,
                              const Product* product, Rng& rng, Incident* incident) {
  const int f = static_cast<int>(file);
  const bool subscriber = c.plan != Plan::kNone;
  const uint32_t mixed = IsSurvey(file) ? Pct(15) : 0;
  *incident = Incident::kNone;
  if (week == kSurgeWeek && rng.Chance(c.region->code == "UK" ? kSurgeUk[f] : kSurgeElsewhere[f])) {
    *incident = Incident::kDeliverySurge;
    return PlantedExperience(kind, Cause::kDelivery, false, mixed, subscriber, rng);
  }
  if (week >= kKettleFromWeek && product != nullptr && product->sku == "KETTLE-2L" &&
      rng.Chance(kKettle[f])) {
    *incident = Incident::kKettlePackaging;
    return PlantedExperience(kind, Cause::kPackaging, false, IsSurvey(file) ? Pct(30) : 0,
                             subscriber, rng);
  }
  if (week >= kDuplicateFromWeek && c.plan != Plan::kNone &&
      rng.Chance(c.plan == Plan::kMonthly ? kDuplicateMonthly[f] : kDuplicateAnnual[f])) {
    *incident = Incident::kDuplicateCharge;
    return PlantedExperience(kind, Cause::kSubscription, true, 0, subscriber, rng);
  }
  if (week >= kSupportFromWeek && rng.Chance(kSupportComplaints[f])) {
    *incident = Incident::kSupportDelay;
    return PlantedExperience(kind, Cause::kSupport, false, 0, subscriber, rng);
  }
  if (!IsSurvey(file)) {
    Experience e;
    e.tone = Tone::kComplaint;
    e.cause = DrawCause(Kind::kTranscript, subscriber, rng);
    e.severity = DrawSeverity(rng);
    e.secondary = DrawSecondary(Kind::kTranscript, e.cause, subscriber, rng);
    return e;
  }
  int64_t& stratum = strata_[f][week];
  if (stratum < 0) stratum = static_cast<int64_t>(rng.Below(100000));  // a random start
  stratum = (stratum + 61803) % 100000;  // steps of 0.61803... (golden ratio - 1)
  Experience e = DrawBackground(kind, subscriber, c.grumpy ? 40000 : 0, rng, stratum);
  if (c.grumpy && e.tone == Tone::kComplaint && rng.Chance(Pct(55)) &&
      (c.pet != Cause::kSubscription || subscriber)) {
    e.cause = c.pet;
    if (e.secondary == e.cause) e.secondary = Cause::kNone;
  }
  return e;
}

int World::WeeklyCount(SampleFile file, int base, int week, Rng& rng) const {
  int percent = 100 + week + rng.Between(-8, 8);
  if (week == kSurgeWeek) {
    if (file == SampleFile::kReviews || file == SampleFile::kApp) percent += 15;
    if (file == SampleFile::kTickets || file == SampleFile::kChats) percent += 20;
  }
  return base * percent / 100;
}

void World::CountText(SampleFile file, int week, const Experience& e, const Customer& c,
                      const Product* product) {
  if (e.tone != Tone::kComplaint && e.tone != Tone::kMixed) return;
  if (e.cause == Cause::kNone) return;
  const int f = static_cast<int>(file);
  stats_.mentions[f][week][static_cast<int>(e.cause)]++;
  const bool transcript = !IsSurvey(file);
  if (e.cause == Cause::kDelivery && !transcript && file != SampleFile::kCes) {
    (c.region->code == "UK" ? stats_.delivery_uk : stats_.delivery_other)[week]++;
  }
  if (e.cause == Cause::kPackaging && product != nullptr) {
    size_t index = static_cast<size_t>(product - Products().data());
    stats_.packaging_by_sku[week][index]++;
  }
  if (e.cause == Cause::kSubscription && e.duplicate_charge) {
    if (file == SampleFile::kNps) {
      (c.plan == Plan::kMonthly ? stats_.duplicate_nps_monthly
                                : stats_.duplicate_nps_other)[week]++;
    } else if (transcript) {
      stats_.duplicate_transcripts[week]++;
    } else {
      stats_.duplicate_other[week]++;
    }
  }
}

namespace {

constexpr int kLabelWidth = 32;

// One table row; the total column shows `total`, or the sum of the values when it is not given.
void PrintRow(std::FILE* out, std::string_view label, const int (&values)[kWeeks],
              const char* total = nullptr) {
  int sum = 0;
  std::fprintf(out, "| %-*.*s |", kLabelWidth, static_cast<int>(label.size()), label.data());
  for (int v : values) {
    std::fprintf(out, " %4d |", v);
    sum += v;
  }
  if (total != nullptr) {
    std::fprintf(out, " %5s |\n", total);
  } else {
    std::fprintf(out, " %5d |\n", sum);
  }
}

void PrintHeader(std::FILE* out, std::string_view title) {
  std::fprintf(out, "\n%.*s\n\n| %-*s |", static_cast<int>(title.size()), title.data(), kLabelWidth,
               "");
  for (int w = 0; w < kWeeks; ++w) std::fprintf(out, "  W%d |", kFirstIsoWeek + w);
  std::fprintf(out, " total |\n|%s|", std::string(kLabelWidth + 2, '-').c_str());
  for (int w = 0; w < kWeeks; ++w) std::fprintf(out, "------|");
  std::fprintf(out, "-------|\n");
}

// NPS of counts, rounded half away from zero.
int Nps(int promoters, int detractors, int total) {
  if (total == 0) return 0;
  int diff = 100 * (promoters - detractors);
  return (diff >= 0 ? diff + total / 2 : diff - total / 2) / total;
}

int64_t Median(std::vector<int64_t> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

void Stats::Print(std::FILE* out, const std::vector<Customer>& customers) const {
  PrintHeader(out, "Items per file and ISO week (transcripts: conversations)");
  int all[kWeeks] = {};
  for (int f = 0; f < kSampleFileCount; ++f) {
    PrintRow(out, FileName(static_cast<SampleFile>(f)), items[f]);
    for (int w = 0; w < kWeeks; ++w) all[w] += items[f][w];
  }
  PrintRow(out, "all files", all);

  PrintHeader(out, "Texts whose complaint is each root cause (all files, incl. transcripts)");
  for (int c = 0; c < kCauseCount; ++c) {
    int row[kWeeks] = {};
    for (int f = 0; f < kSampleFileCount; ++f) {
      for (int w = 0; w < kWeeks; ++w) row[w] += mentions[f][w][c];
    }
    PrintRow(out, CauseLabel(static_cast<Cause>(c)), row);
  }

  PrintHeader(out, "Pattern 1: late-delivery texts in reviews, app reviews, NPS, CSAT");
  PrintRow(out, "region UK", delivery_uk);
  PrintRow(out, "other regions", delivery_other);

  PrintHeader(out, "Pattern 2: packaging/damage texts by SKU (all files)");
  for (size_t s = 0; s < Products().size(); ++s) {
    int row[kWeeks];
    int total = 0;
    for (int w = 0; w < kWeeks; ++w) total += row[w] = packaging_by_sku[w][s];
    if (total > 0) PrintRow(out, Products()[s].sku, row);
  }

  PrintHeader(out, "Pattern 3: duplicate-charge texts");
  PrintRow(out, "NPS, Plan=monthly", duplicate_nps_monthly);
  PrintRow(out, "NPS, other plans", duplicate_nps_other);
  PrintRow(out, "tickets and chats", duplicate_transcripts);
  PrintRow(out, "reviews, app, CSAT, CES", duplicate_other);

  PrintHeader(out, "NPS per week");
  PrintRow(out, "answers", nps_total);
  PrintRow(out, "empty comments", nps_empty);
  PrintRow(out, "promoters (9-10)", nps_promoters);
  PrintRow(out, "detractors (0-6)", nps_detractors);
  int nps[kWeeks];
  int promoters = 0, detractors = 0, total = 0;
  for (int w = 0; w < kWeeks; ++w) {
    nps[w] = Nps(nps_promoters[w], nps_detractors[w], nps_total[w]);
    promoters += nps_promoters[w];
    detractors += nps_detractors[w];
    total += nps_total[w];
  }
  std::string overall = std::to_string(Nps(promoters, detractors, total));
  PrintRow(out, "NPS (rounded)", nps, overall.c_str());

  PrintHeader(out, "Pattern 4: support conversations");
  const char* names[] = {"tickets", "chats"};
  for (int t = 0; t < 2; ++t) {
    int median[kWeeks], answered[kWeeks], over20h[kWeeks];
    for (int w = 0; w < kWeeks; ++w) {
      median[w] = static_cast<int>(Median(first_response[t][w]));
      answered[w] = static_cast<int>(first_response[t][w].size());
      over20h[w] =
          static_cast<int>(std::count_if(first_response[t][w].begin(), first_response[t][w].end(),
                                         [](int64_t m) { return m >= 20 * 60; }));
    }
    std::string n = names[t];
    PrintRow(out, n + ": answered", answered);
    PrintRow(out, n + ": median 1st reply (min)", median, "-");
    PrintRow(out, n + ": 1st reply >= 20 h", over20h);
    PrintRow(out, n + ": never answered", unanswered[t]);
    PrintRow(out, n + ": 'still waiting' msgs", waiting_messages[t]);
  }

  std::fprintf(out,
               "\nItems from planted incidents: delivery surge %d, kettle packaging %d, "
               "duplicate charge %d, support complaints %d\n",
               incident_items[1], incident_items[2], incident_items[3], incident_items[4]);
  std::fprintf(out, "Repeat complainers:");
  for (const Customer& c : customers) {
    if (c.grumpy) std::fprintf(out, " %s", c.id.c_str());
  }
  std::fprintf(out, "\n");
}

}  // namespace feedloop::samples
