// `bulk` and `labelled`: streamed data of any size from the steady-state model, in constant
// memory. Bulk data is for benchmarks; labelled data is for training and evaluating classifiers.
#include <algorithm>
#include <numeric>
#include <string_view>

#include "composer.hpp"
#include "model.hpp"
#include "modes.hpp"
#include "output.hpp"

namespace feedloop::samples {
namespace {

constexpr int64_t kHour = 3600;

std::string_view SourceOf(Kind kind) {
  static constexpr std::string_view kSources[] = {"reviews", "nps-survey", "csat-survey",
                                                  "ces-survey", "support"};
  return kSources[static_cast<int>(kind)];
}

std::string_view ChannelOf(Kind kind, Rng& rng) {
  static constexpr std::string_view kChannels[] = {"web", "app", "email", "chat", "phone"};
  static constexpr uint32_t kReview[] = {50, 25, 25, 0, 0};
  static constexpr uint32_t kSurvey[] = {20, 20, 60, 0, 0};
  static constexpr uint32_t kContact[] = {15, 15, 30, 25, 15};
  switch (kind) {
    case Kind::kReview:
      return kChannels[rng.Weighted(kReview)];
    case Kind::kNps:
    case Kind::kCsat:
      return kChannels[rng.Weighted(kSurvey)];
    default:
      return kChannels[rng.Weighted(kContact)];
  }
}

const Product& PickProduct(Rng& rng) {
  static const std::vector<uint32_t> weights = [] {
    std::vector<uint32_t> w;
    for (const Product& p : Products()) w.push_back(p.weight);
    return w;
  }();
  return Products()[rng.Weighted(weights)];
}

const Region& PickRegion(Rng& rng) {
  static constexpr uint32_t kWeights[] = {30, 22, 18, 12, 10, 8};  // Regions() order
  return Regions()[rng.Weighted(kWeights)];
}

// About 2.5% of texts from non-English regions are in the local language, and a few customers
// anywhere write Portuguese.
Lang PickLang(const Region& region, Rng& rng) {
  if (rng.Chance(Pct(0.4))) return Lang::kPt;
  if (region.local != Lang::kEn && rng.Chance(Pct(2.5))) return region.local;
  return Lang::kEn;
}

// One bulk transcript's turns: the request, perhaps a chase, the reply, and what followed.
void WriteTurns(Composer& composer, Voice v, int64_t at, Rng& rng, JsonWriter& w) {
  auto turn = [&](std::string_view role, int64_t t, const std::string& text) {
    w.BeginObject();
    w.Member("role", role);
    w.Key("at");
    w.Time(t);
    w.Member("text", text);
    w.EndObject();
  };
  std::string text;
  composer.CustomerRequest(v, &text);
  turn("customer", at, text);
  int64_t delay = rng.Chance(Pct(90)) ? rng.Between64(1 * kHour, 4 * kHour)
                                      : rng.Between64(20 * kHour, 48 * kHour);
  if (delay > 20 * kHour && rng.Chance(Pct(60))) {
    text.clear();
    int64_t wait = rng.Between64(3 * kHour, 18 * kHour);
    composer.StillWaiting(v, wait, &text);
    turn("customer", at + wait, text);
  }
  if (rng.Chance(Pct(8))) return;  // never answered
  text.clear();
  composer.AgentReply(v, delay >= 12 * kHour, "Sam", &text);
  turn("agent", at + delay, text);
  if (!rng.Chance(Pct(60))) return;
  bool fixed = rng.Chance(Pct(65));
  int64_t t = at + delay + rng.Between64(600, 8 * kHour);
  text.clear();
  composer.CustomerAfterReply(v, fixed, delay, &text);
  turn("customer", t, text);
  if (fixed) return;
  text.clear();
  composer.AgentFollowUp(v, "Sam", &text);
  turn("agent", t + rng.Between64(1 * kHour, 5 * kHour), text);
}

}  // namespace

int RunBulk(const std::string& path, uint64_t items, bool csv, uint64_t seed) {
  OutputFile out(path);
  if (!out.ok()) return Finish(out) ? 0 : 1;
  Rng rng(StreamSeed(seed, "bulk"));
  Composer composer(rng);
  // One year of feedback, 2026-01-05 (Monday of W02) to 2026-12-27, in time order (to within a
  // second).
  const int64_t start = DaysFromCivil(2026, 1, 5) * 86400;
  const int64_t span = 357 * 86400;
  // Customers: c = (i mod P) * a mod P with a coprime to P is a bijection, so the ~3,000 items
  // of one day never share a customer (the engine folds one customer's same text on one day),
  // and each customer comes back about every P items.
  const uint64_t customers = items / 3 + 10000;
  uint64_t multiplier = 2654435761ull % customers;
  while (std::gcd(multiplier, customers) != 1) ++multiplier;
  const uint64_t step =
      std::max<uint64_t>(1, static_cast<uint64_t>(span) / std::max<uint64_t>(1, items));
  static constexpr uint32_t kKindWeights[] = {45, 30, 15, 5, 5};
  static constexpr uint32_t kCsvKindWeights[] = {45, 30, 15, 5, 0};
  if (csv) {
    out.Write(
        "id,kind,source,created_at,score,text,customer_id,order_id,sku,channel,region,"
        "language\r\n");
  }
  std::string text;
  for (uint64_t i = 0; i < items; ++i) {
    const Kind kind = static_cast<Kind>(rng.Weighted(csv ? kCsvKindWeights : kKindWeights));
    // i * span stays far below 2^63 for any item count RunBulk accepts (< 10^11).
    const int64_t at = start + static_cast<int64_t>(i) * span / static_cast<int64_t>(items) +
                       static_cast<int64_t>(rng.Below(step));
    const Region& region = PickRegion(rng);
    const Product& product = PickProduct(rng);
    const bool subscriber = product.subscription || rng.Chance(Pct(30));
    Experience e;
    if (kind == Kind::kTranscript) {
      e.tone = Tone::kComplaint;
      e.cause = DrawCause(kind, subscriber, rng);
      e.severity = DrawSeverity(rng);
      e.secondary = DrawSecondary(kind, e.cause, subscriber, rng);
    } else {
      e = DrawBackground(kind, subscriber, 0, rng);
    }
    Voice v;
    v.tone = e.tone;
    v.cause = e.cause;
    v.duplicate_charge = e.cause == Cause::kSubscription && rng.Chance(Pct(20));
    v.secondary = e.secondary;
    v.severity = e.severity;
    v.lang = kind == Kind::kTranscript ? Lang::kEn : PickLang(region, rng);
    v.form = kind == Kind::kReview       ? Form::kReview
             : kind == Kind::kCes        ? Form::kEffort
             : kind == Kind::kTranscript ? (rng.Chance(Pct(50)) ? Form::kEmail : Form::kChat)
                                         : Form::kComment;
    v.allow_long = kind == Kind::kReview;
    v.product = &product;
    v.other = &Products()[rng.Below(Products().size())];
    v.region = &region;
    std::string order = "o-" + std::to_string(3000000 + i);
    v.order_id = order;
    v.day = at / 86400;
    if (!ForeignCanWrite(v)) v.lang = Lang::kEn;
    composer.Begin(v);
    text.clear();
    const bool empty_comment =
        kind == Kind::kNps && e.tone != Tone::kComplaint && rng.Chance(Pct(40));
    if (kind != Kind::kTranscript && !empty_comment) composer.Text(v, &text);
    const int score = DrawScore(kind, e.tone, e.severity, rng);
    static constexpr std::string_view kPrefix[] = {"rv-", "nps-", "csat-", "ces-", "tr-"};
    std::string id(kPrefix[static_cast<int>(kind)]);
    AppendPadded(id, static_cast<int64_t>(i), 9);
    std::string customer = "c-" + std::to_string(100000 + (i % customers) * multiplier % customers);
    std::string_view channel = ChannelOf(kind, rng);
    std::string& b = out.buffer();
    if (csv) {
      b += id;
      b += ',';
      b += KindName(kind);
      b += ',';
      b += SourceOf(kind);
      b += ',';
      AppendIsoUtc(b, at);
      b += ',';
      AppendInt(b, score);
      b += ',';
      AppendCsvField(b, text);
      b += ',';
      b += customer;
      b += ',';
      b += order;
      b += ',';
      b += product.sku;
      b += ',';
      b += channel;
      b += ',';
      b += region.code;
      b += ',';
      b += LangTag(v.lang);
      b += "\r\n";
    } else {
      JsonWriter w(b);
      w.BeginObject();
      w.Member("id", id);
      w.Member("kind", KindName(kind));
      w.Member("source", SourceOf(kind));
      w.Key("created_at");
      w.Time(at);
      // Transcripts carry a post-chat rating only sometimes.
      if (kind != Kind::kTranscript || rng.Chance(Pct(40))) w.MemberInt("score", score);
      if (kind != Kind::kTranscript) w.Member("text", text);
      w.Member("customer_id", customer);
      w.Member("order_id", order);
      w.Member("sku", product.sku);
      w.Member("channel", channel);
      w.Member("region", region.code);
      w.Member("language", LangTag(v.lang));
      if (kind == Kind::kTranscript) {
        w.Key("turns");
        w.BeginArray();
        WriteTurns(composer, v, at, rng, w);
        w.EndArray();
      }
      w.EndObject();
      b += '\n';
    }
    out.MaybeFlush();
  }
  return Finish(out) ? 0 : 1;
}

int RunLabelled(const std::string& path, uint64_t items, uint64_t seed) {
  OutputFile out(path);
  if (!out.ok()) return Finish(out) ? 0 : 1;
  Rng rng(StreamSeed(seed, "labelled"));
  Composer composer(rng);
  // Labels in Cause order, then none.
  static constexpr uint32_t kLabelWeights[kCauseCount + 1] = {10, 8, 8, 7, 6, 9, 8, 7, 7, 8, 6, 16};
  out.Write("text,label\n");
  std::string text;
  for (uint64_t i = 0; i < items; ++i) {
    const Cause cause = static_cast<Cause>(rng.Weighted(kLabelWeights));
    const Region& region = PickRegion(rng);
    const Product& product =
        cause == Cause::kSubscription && rng.Chance(Pct(70))
            ? *FindProduct(rng.Chance(Pct(60)) ? "SUB-COFFEE-MONTHLY" : "COFFEE-PODS-50")
            : PickProduct(rng);
    Voice v;
    v.cause = cause;
    if (cause == Cause::kNone) {
      static constexpr uint32_t kTones[] = {65, 35};
      v.tone = rng.Weighted(kTones) == 0 ? Tone::kPraise : Tone::kNeutral;
    } else {
      v.tone = rng.Chance(Pct(80)) ? Tone::kComplaint : Tone::kMixed;
      v.duplicate_charge = cause == Cause::kSubscription && rng.Chance(Pct(35));
      v.severity = v.tone == Tone::kMixed ? 0 : DrawSeverity(rng);
      // A second problem: mentioned in passing, or as a complaint of its own, when only the
      // amount said about each tells which one is primary (the label).
      if (v.tone == Tone::kComplaint && rng.Chance(Pct(40))) {
        Cause secondary = DrawCause(Kind::kReview, true, rng);
        if (secondary != cause) v.secondary = secondary;
        v.secondary_strong = rng.Chance(Pct(45));
      }
    }
    v.lang = rng.Chance(Pct(4)) ? static_cast<Lang>(rng.Between(1, 4)) : Lang::kEn;
    static constexpr uint32_t kForms[] = {55, 35, 10};  // review, comment, effort
    static constexpr Form kFormValues[] = {Form::kReview, Form::kComment, Form::kEffort};
    v.form = kFormValues[rng.Weighted(kForms)];
    v.allow_long = v.form == Form::kReview;
    v.product = &product;
    v.other = &Products()[rng.Below(Products().size())];
    v.region = &region;
    v.order_id = "o-" + std::to_string(70000 + rng.Below(20000));
    v.day = DaysFromCivil(2026, 10, 1) + static_cast<int64_t>(rng.Below(60));
    composer.Begin(v);
    text.clear();
    composer.Text(v, &text);
    std::string& b = out.buffer();
    AppendCsvField(b, text);
    b += ',';
    b += CauseLabel(cause);
    b += '\n';
    out.MaybeFlush();
  }
  return Finish(out) ? 0 : 1;
}

}  // namespace feedloop::samples
