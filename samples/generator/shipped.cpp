// The shipped sample set: reviews, app reviews and survey answers (this file) and the support
// transcripts (transcripts.cpp), written in the export shapes the engine's presets expect.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "composer.hpp"
#include "modes.hpp"
#include "output.hpp"
#include "shipped_files.hpp"

namespace feedloop::samples {
namespace {

// One review or survey answer before it is written.
struct FeedbackRow {
  int64_t at = 0;
  int customer = 0;
  const Product* product = nullptr;
  std::string order_id;
  std::string_view channel;
  Experience exp;
  Lang lang = Lang::kEn;
  int score = 0;
  std::string title;
  std::string text;
  std::string_view touchpoint;  // CSAT
  std::string_view platform;    // app reviews
  std::string app_version;
};

struct FileSpec {
  SampleFile file;
  Kind kind;
  Form form;
  int per_week;        // base volume
  uint32_t foreign;    // share of texts in the local language where it is not English
  int order_days_min;  // the order was placed this many days before the feedback
  int order_days_max;
};

constexpr FileSpec kSpecs[] = {
    {SampleFile::kReviews, Kind::kReview, Form::kReview, 108, Pct(10), 2, 20},
    {SampleFile::kNps, Kind::kNps, Form::kComment, 118, Pct(6), 7, 14},
    {SampleFile::kCsat, Kind::kCsat, Form::kComment, 66, 0, 1, 6},
    {SampleFile::kCes, Kind::kCes, Form::kEffort, 25, 0, 3, 15},
    {SampleFile::kApp, Kind::kReview, Form::kReview, 42, Pct(17), 2, 20},
};

const FileSpec& SpecOf(SampleFile file) {
  for (const FileSpec& s : kSpecs) {
    if (s.file == file) return s;
  }
  return kSpecs[0];
}

std::string_view PickChannel(SampleFile file, std::string_view touchpoint, Rng& rng) {
  switch (file) {
    case SampleFile::kReviews: {
      static constexpr std::string_view kValues[] = {"web", "email", "app"};
      static constexpr uint32_t kWeights[] = {45, 45, 10};
      return kValues[rng.Weighted(kWeights)];
    }
    case SampleFile::kNps: {
      static constexpr std::string_view kValues[] = {"email", "app", "web"};
      static constexpr uint32_t kWeights[] = {60, 25, 15};
      return kValues[rng.Weighted(kWeights)];
    }
    case SampleFile::kCsat:
      if (touchpoint == "support") {
        static constexpr std::string_view kValues[] = {"chat", "phone", "email"};
        return rng.Pick(kValues);
      } else {
        static constexpr std::string_view kValues[] = {"email", "web", "app"};
        static constexpr uint32_t kWeights[] = {60, 25, 15};
        return kValues[rng.Weighted(kWeights)];
      }
    case SampleFile::kCes: {
      static constexpr std::string_view kValues[] = {"chat", "phone", "email"};
      static constexpr uint32_t kWeights[] = {35, 30, 35};
      return kValues[rng.Weighted(kWeights)];
    }
    default:
      return "app";
  }
}

// Which part of the journey a CSAT survey asked about.
std::string_view Touchpoint(const Experience& e, Rng& rng) {
  if (e.tone == Tone::kComplaint || e.tone == Tone::kMixed) {
    switch (e.cause) {
      case Cause::kDelivery:
      case Cause::kTracking:
      case Cause::kPackaging:
      case Cause::kWrongItem:
        return "delivery";
      case Cause::kReturns:
        return "returns";
      case Cause::kSupport:
      case Cause::kSubscription:
      case Cause::kBilling:
        return "support";
      default:
        return "purchase";
    }
  }
  static constexpr std::string_view kValues[] = {"delivery", "purchase", "support", "returns"};
  static constexpr uint32_t kWeights[] = {40, 35, 15, 10};
  return kValues[rng.Weighted(kWeights)];
}

// NPS answers often come without a comment, promoters and passives more than detractors.
bool EmptyNpsComment(const Experience& e, Rng& rng) {
  switch (e.tone) {
    case Tone::kPraise:
      return rng.Chance(Pct(40));
    case Tone::kNeutral:
      return rng.Chance(Pct(45));
    case Tone::kMixed:
      return rng.Chance(Pct(15));
    case Tone::kComplaint:
      return rng.Chance(e.duplicate_charge ? Pct(8) : Pct(12));
  }
  return false;
}

FeedbackRow MakeRow(World& world, const FileSpec& spec, int week, Rng& rng, Composer& composer) {
  FeedbackRow r;
  r.at = world.TimeInWeek(week, rng);
  r.customer = world.PickCustomer(r.at, rng);
  const Customer& c = world.customer(r.customer);
  r.product = &world.PickProduct(c, rng);
  Incident incident = Incident::kNone;
  r.exp = world.Experienced(spec.file, spec.kind, week, c, r.product, rng, &incident);
  world.stats().incident_items[static_cast<int>(incident)]++;
  if (r.exp.cause == Cause::kSubscription && !r.product->subscription) {
    r.product = &world.SubscriptionProduct(rng);
  }
  bool app_bug = spec.file == SampleFile::kApp && incident == Incident::kNone &&
                 r.exp.tone == Tone::kComplaint && rng.Chance(Pct(12));
  if (app_bug) {
    r.exp.cause = Cause::kNone;
    r.exp.secondary = Cause::kNone;
  }
  int64_t ordered = r.at - rng.Between64(int64_t{spec.order_days_min} * 86400,
                                         int64_t{spec.order_days_max} * 86400);
  r.order_id = world.NewOrderId(ordered, rng);
  if (spec.file == SampleFile::kCsat) r.touchpoint = Touchpoint(r.exp, rng);
  r.channel = PickChannel(spec.file, r.touchpoint, rng);
  if (c.region->local != Lang::kEn && rng.Chance(spec.foreign)) r.lang = c.region->local;

  Voice v;
  v.tone = r.exp.tone;
  v.cause = r.exp.cause;
  v.duplicate_charge = r.exp.duplicate_charge;
  v.secondary = r.exp.secondary;
  v.app_bug = app_bug;
  v.severity = r.exp.severity;
  v.lang = r.lang;
  v.form = spec.form;
  v.allow_long = spec.form == Form::kReview;
  v.product = r.product;
  v.other = &world.OtherProduct(*r.product, rng);
  v.region = c.region;
  v.order_id = r.order_id;
  v.day = r.at / 86400;
  if (!ForeignCanWrite(v)) v.lang = Lang::kEn;  // the language column must match the text
  r.lang = v.lang;
  composer.Begin(v);

  bool empty = false;
  if (spec.file == SampleFile::kNps) empty = EmptyNpsComment(r.exp, rng);
  if (spec.file == SampleFile::kCsat) empty = r.exp.tone != Tone::kComplaint && rng.Chance(Pct(15));
  if (!empty) composer.Text(v, &r.text);
  if (spec.file == SampleFile::kReviews) composer.Title(v, &r.title);
  r.score = DrawScore(spec.kind, r.exp.tone, r.exp.severity, rng);
  if (spec.file == SampleFile::kApp) {
    r.platform = rng.Chance(Pct(55)) ? "ios" : "android";
    r.app_version = "4." + std::to_string(10 + week / 3) + "." + std::to_string(rng.Between(0, 2));
  }

  Stats& stats = world.stats();
  stats.items[static_cast<int>(spec.file)][week]++;
  if (!r.text.empty()) world.CountText(spec.file, week, r.exp, c, r.product);
  if (spec.file == SampleFile::kNps) {
    stats.nps_total[week]++;
    if (r.score >= 9) stats.nps_promoters[week]++;
    if (r.score <= 6) stats.nps_detractors[week]++;
    if (r.text.empty()) stats.nps_empty[week]++;
  }
  return r;
}

// A Trustpilot-style review id: 8 hex digits of the creation time, 16 random.
std::string HexId(int64_t at, Rng& rng) {
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  uint64_t t = static_cast<uint64_t>(at);
  for (int shift = 28; shift >= 0; shift -= 4) id += kHex[(t >> shift) & 15];
  uint64_t r = rng.Next();
  for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(r >> shift) & 15];
  return id;
}

void WriteTrustpilot(const std::vector<FeedbackRow>& rows, const World& world, Rng& rng,
                     OutputFile& out) {
  // Exported with CRLF line ends, as RFC 4180 has it.
  out.Write(
      "Review ID,Review Created (UTC),Review Stars,Review Title,Review Content,Reviewer ID,"
      "Reference ID,Product SKU,Review Language,Reviewer Country,Source\r\n");
  for (const FeedbackRow& r : rows) {
    const Customer& c = world.customer(r.customer);
    std::string& b = out.buffer();
    b += HexId(r.at, rng);
    b += ',';
    AppendIsoUtc(b, r.at);
    b += ',';
    AppendInt(b, r.score);
    b += ',';
    AppendCsvField(b, r.title);
    b += ',';
    AppendCsvField(b, r.text);
    b += ',';
    b += c.id;
    b += ',';
    b += r.order_id;
    b += ',';
    b += r.product->sku;
    b += ',';
    b += LangTag(r.lang);
    b += ',';
    b += c.region->code;
    b += ',';
    b += r.channel;
    b += "\r\n";
    out.MaybeFlush();
  }
}

void WriteDelighted(const std::vector<FeedbackRow>& rows, const World& world, Rng& rng,
                    OutputFile& out) {
  // Spreadsheet-friendly export: starts with a UTF-8 byte-order mark.
  out.Write(
      "\xEF\xBB\xBFResponse ID,Score,Comment,Created At,Customer ID,Order ID,SKU,Region,"
      "Channel,Plan\n");
  int64_t id = 41822011;
  for (const FeedbackRow& r : rows) {
    const Customer& c = world.customer(r.customer);
    id += rng.Between(1, 3);
    std::string& b = out.buffer();
    AppendInt(b, id);
    b += ',';
    AppendInt(b, r.score);
    b += ',';
    AppendCsvField(b, r.text);
    b += ',';
    AppendIsoUtc(b, r.at);
    b += ',';
    b += c.id;
    b += ',';
    b += r.order_id;
    b += ',';
    b += r.product->sku;
    b += ',';
    b += c.region->code;
    b += ',';
    b += r.channel;
    b += ',';
    b += PlanName(c.plan);
    b += '\n';
    out.MaybeFlush();
  }
}

void WriteCes(const std::vector<FeedbackRow>& rows, const World& world, OutputFile& out) {
  out.Write("id,kind,source,created_at,score,text,customer_id,order_id,channel,region\n");
  int id = 20001;
  for (const FeedbackRow& r : rows) {
    const Customer& c = world.customer(r.customer);
    std::string& b = out.buffer();
    b += "ces-";
    AppendInt(b, id++);
    b += ",ces,ces-survey,";
    AppendIsoUtc(b, r.at);
    b += ',';
    AppendInt(b, r.score);
    b += ',';
    AppendCsvField(b, r.text);
    b += ',';
    b += c.id;
    b += ',';
    b += r.order_id;
    b += ',';
    b += r.channel;
    b += ',';
    b += c.region->code;
    b += '\n';
    out.MaybeFlush();
  }
}

void WriteCanonicalJsonl(SampleFile file, const std::vector<FeedbackRow>& rows, const World& world,
                         OutputFile& out) {
  const bool app = file == SampleFile::kApp;
  int id = app ? 700001 : 100001;
  for (const FeedbackRow& r : rows) {
    const Customer& c = world.customer(r.customer);
    std::string& b = out.buffer();
    JsonWriter w(b);
    w.BeginObject();
    w.Member("id", (app ? "app-" : "csat-") + std::to_string(id++));
    w.Member("kind", app ? "review" : "csat");
    w.Member("source", app ? "app-store" : "csat-survey");
    w.Key("created_at");
    w.Time(r.at);
    w.MemberInt("score", r.score);
    w.Member("text", r.text);
    w.Member("customer_id", c.id);
    w.Member("order_id", r.order_id);
    w.Member("sku", r.product->sku);
    w.Member("channel", r.channel);
    w.Member("region", c.region->code);
    if (app) w.Member("language", LangTag(r.lang));
    w.Key("attrs");
    w.BeginObject();
    if (app) {
      w.Member("platform", r.platform);
      w.Member("app_version", r.app_version);
    } else {
      w.Member("touchpoint", r.touchpoint);
      w.Member("plan", PlanName(c.plan));
    }
    w.EndObject();
    w.EndObject();
    b += '\n';
    out.MaybeFlush();
  }
}

}  // namespace

bool WriteFeedbackFile(World& world, SampleFile file, const std::string& path) {
  const FileSpec& spec = SpecOf(file);
  Rng rng(StreamSeed(world.seed(), FileName(file)));
  Composer composer(rng);
  std::vector<FeedbackRow> rows;
  for (int week = 0; week < kWeeks; ++week) {
    int n = world.WeeklyCount(file, spec.per_week, week, rng);
    for (int i = 0; i < n; ++i) rows.push_back(MakeRow(world, spec, week, rng, composer));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const FeedbackRow& a, const FeedbackRow& b) { return a.at < b.at; });

  OutputFile out(path);
  if (!out.ok()) return Finish(out);
  Rng ids(StreamSeed(world.seed(), std::string(FileName(file)) + "/ids"));
  switch (file) {
    case SampleFile::kReviews:
      WriteTrustpilot(rows, world, ids, out);
      break;
    case SampleFile::kNps:
      WriteDelighted(rows, world, ids, out);
      break;
    case SampleFile::kCes:
      WriteCes(rows, world, out);
      break;
    default:
      WriteCanonicalJsonl(file, rows, world, out);
      break;
  }
  return Finish(out);
}

int RunSamples(const std::string& dir, uint64_t seed, bool quiet) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "feedloop-samples: cannot create %s: %s\n", dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  World world(seed);
  auto path = [&](SampleFile f) { return (std::filesystem::path(dir) / FileName(f)).string(); };
  bool ok = true;
  for (SampleFile f : {SampleFile::kReviews, SampleFile::kNps, SampleFile::kCsat, SampleFile::kCes,
                       SampleFile::kApp}) {
    ok = WriteFeedbackFile(world, f, path(f)) && ok;
  }
  ok = WriteTickets(world, path(SampleFile::kTickets)) && ok;
  ok = WriteChats(world, path(SampleFile::kChats)) && ok;
  if (!ok) return 1;
  if (!quiet) {
    std::printf("Wrote the sample set (seed %llu) to %s\n", static_cast<unsigned long long>(seed),
                dir.c_str());
    world.stats().Print(stdout, world.customers());
  }
  return 0;
}

}  // namespace feedloop::samples
