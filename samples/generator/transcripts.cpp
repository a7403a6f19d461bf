// The shipped support transcripts: help-desk tickets (a Zendesk-like JSON export) and chat
// conversations (one CSV row per message). Their timing carries planted pattern 4: from
// 2026-W44 most first replies come 20-48 hours after the customer wrote.
#include <algorithm>
#include <string_view>

#include "composer.hpp"
#include "output.hpp"
#include "shipped_files.hpp"

namespace feedloop::samples {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

enum class Role : uint8_t { kCustomer, kAgent, kBot };

struct Message {
  int64_t at;
  Role role;
  std::string text;
  bool chase = false;  // the customer chasing a first reply
};

struct Conversation {
  int week = 0;
  int64_t at = 0;
  int customer = 0;
  const Product* product = nullptr;
  std::string order_id;
  std::string_view channel;
  Experience exp;
  std::string subject;
  std::vector<Message> messages;
  std::string_view status;
  std::string_view rating;
  std::vector<std::string_view> tags;
  int agent = 0;
};

constexpr std::string_view kAgentIds[] = {"agent-03", "agent-07", "agent-11", "agent-17",
                                          "agent-21", "agent-24", "agent-30", "agent-36"};

// The parts common to tickets and chats: who, what, which order.
Conversation Start(World& world, SampleFile file, int week, Rng& rng) {
  Conversation c;
  c.week = week;
  c.at = world.TimeInWeek(week, rng);
  c.customer = world.PickCustomer(c.at, rng);
  const Customer& customer = world.customer(c.customer);
  c.product = &world.PickProduct(customer, rng);
  Incident incident = Incident::kNone;
  c.exp = world.Experienced(file, Kind::kTranscript, week, customer, c.product, rng, &incident);
  world.stats().incident_items[static_cast<int>(incident)]++;
  if (c.exp.cause == Cause::kSubscription && !c.product->subscription) {
    c.product = &world.SubscriptionProduct(rng);
  }
  c.order_id = world.NewOrderId(c.at - rng.Between64(1 * 86400, 10 * 86400), rng);
  c.agent = static_cast<int>(rng.Below(std::size(kAgentIds)));
  return c;
}

Voice VoiceOf(const World& world, const Conversation& c, Form form, const Product& other) {
  const Customer& customer = world.customer(c.customer);
  Voice v;
  v.tone = Tone::kComplaint;
  v.cause = c.exp.cause;
  v.duplicate_charge = c.exp.duplicate_charge;
  v.secondary = c.exp.secondary;
  v.severity = c.exp.severity;
  v.form = form;
  v.product = c.product;
  v.other = &other;
  v.region = customer.region;
  v.order_id = c.order_id;
  v.day = c.at / 86400;
  return v;
}

// First reply delay: 1-4 hours (tickets) or 3-90 minutes (chats) normally; from 2026-W44, 80%
// of tickets and 75% of chats wait 20-48 hours.
int64_t FirstReplyDelay(bool ticket, int week, Rng& rng, bool* late) {
  uint32_t late_share = ticket ? Pct(80) : Pct(75);
  *late = week >= kSupportFromWeek && rng.Chance(late_share);
  if (*late) return rng.Between64(20 * kHour, 48 * kHour);
  return ticket ? rng.Between64(1 * kHour, 4 * kHour) : rng.Between64(3 * kMinute, 90 * kMinute);
}

// Customer messages chasing a first reply that comes after `delay` seconds (or never).
void AddStillWaiting(Composer& composer, const Voice& v, int64_t start, int64_t delay, bool ticket,
                     Rng& rng, std::vector<Message>* out) {
  int64_t first_min = ticket ? 3 * kHour : 15 * kMinute;
  if (delay <= first_min + kHour) return;
  bool long_wait = delay >= 20 * kHour;
  if (!rng.Chance(long_wait ? Pct(75) : Pct(25))) return;
  int64_t first_max = std::min(delay - kHour, ticket ? 18 * kHour : 3 * kHour);
  int64_t first = start + rng.Between64(first_min, std::max(first_min, first_max));
  Message m{first, Role::kCustomer, {}, true};
  composer.StillWaiting(v, first - start, &m.text);
  out->push_back(std::move(m));
  if (delay >= 30 * kHour && rng.Chance(Pct(40))) {
    int64_t second = rng.Between64(first + 6 * kHour, start + delay - kHour);
    Message m2{second, Role::kCustomer, {}, true};
    composer.StillWaiting(v, second - start, &m2.text);
    out->push_back(std::move(m2));
  }
}

// Sorts the messages, drops what happened after the export, and counts the conversation in
// the ground truth. Returns false when messages were dropped (the conversation was still going).
bool Settle(World& world, SampleFile file, Conversation& c, int64_t* first_reply) {
  std::stable_sort(c.messages.begin(), c.messages.end(),
                   [](const Message& a, const Message& b) { return a.at < b.at; });
  const int64_t cutoff = world.ExportCutoff();
  size_t dropped = std::erase_if(c.messages, [&](const Message& m) { return m.at > cutoff; });
  *first_reply = -1;
  int waiting = 0;
  for (const Message& m : c.messages) {
    if (m.role == Role::kAgent && *first_reply < 0) *first_reply = m.at - c.at;
    if (m.chase && *first_reply < 0) ++waiting;
  }
  Stats& stats = world.stats();
  const int t = file == SampleFile::kTickets ? 0 : 1;
  stats.items[static_cast<int>(file)][c.week]++;
  stats.waiting_messages[t][c.week] += waiting;
  if (*first_reply >= 0) {
    stats.first_response[t][c.week].push_back(*first_reply / 60);
  } else {
    stats.unanswered[t][c.week]++;
  }
  world.CountText(file, c.week, c.exp, world.customer(c.customer), c.product);
  return dropped == 0;
}

std::vector<std::string_view> TagsOf(const Experience& e, Rng& rng) {
  std::vector<std::string_view> tags;
  switch (e.cause) {
    case Cause::kDelivery:
      tags = {"delivery", "late_delivery"};
      break;
    case Cause::kTracking:
      tags = {"wismo", "tracking"};
      break;
    case Cause::kPackaging:
      tags = {"damaged_item", "packaging"};
      break;
    case Cause::kWrongItem:
      tags = {"wrong_item"};
      break;
    case Cause::kStock:
      tags = {"out_of_stock"};
      break;
    case Cause::kReturns:
      tags = {"returns", "refund_request"};
      break;
    case Cause::kSubscription:
      tags = e.duplicate_charge
                 ? std::vector<std::string_view>{"subscription", "billing", "duplicate_charge"}
                 : std::vector<std::string_view>{"subscription"};
      break;
    case Cause::kSupport:
      tags = {"complaint", "escalation"};
      break;
    case Cause::kBilling:
      tags = {"billing", "payment"};
      break;
    case Cause::kQuality:
      tags = {"faulty_item", "warranty"};
      break;
    case Cause::kPrice:
      tags = {"pricing"};
      break;
    case Cause::kNone:
      break;
  }
  if (rng.Chance(Pct(5))) tags.push_back("vip");
  return tags;
}

Conversation MakeTicket(World& world, int week, Rng& rng, Composer& composer) {
  Conversation c = Start(world, SampleFile::kTickets, week, rng);
  static constexpr std::string_view kVia[] = {"email", "web", "chat"};
  static constexpr uint32_t kViaWeights[] = {55, 30, 15};
  c.channel = kVia[rng.Weighted(kViaWeights)];
  Voice v = VoiceOf(world, c, c.channel == "chat" ? Form::kChat : Form::kEmail,
                    world.OtherProduct(*c.product, rng));
  composer.Begin(v);
  composer.Subject(v, &c.subject);
  Message first{c.at, Role::kCustomer, {}};
  composer.CustomerRequest(v, &first.text);
  c.messages.push_back(std::move(first));

  bool late = false;
  int64_t delay = FirstReplyDelay(true, week, rng, &late);
  bool never = rng.Chance(week >= kSupportFromWeek ? Pct(16) : Pct(7));
  if (never) delay = rng.Between64(24 * kHour, 96 * kHour);
  AddStillWaiting(composer, v, c.at, delay, true, rng, &c.messages);
  std::string_view agent_name =
      English().agent_names[static_cast<size_t>(c.agent) % English().agent_names.size()];
  c.status = "open";
  if (!never) {
    int64_t t = c.at + delay;
    Message reply{t, Role::kAgent, {}};
    composer.AgentReply(v, delay >= 12 * kHour, agent_name, &reply.text);
    c.messages.push_back(std::move(reply));
    static constexpr uint32_t kOutcomes[] = {45, 20, 25, 10};  // thanks, silent, not fixed, pending
    switch (rng.Weighted(kOutcomes)) {
      case 0: {
        t += rng.Between64(10 * kMinute, 8 * kHour);
        Message thanks{t, Role::kCustomer, {}};
        composer.CustomerAfterReply(v, true, delay, &thanks.text);
        c.messages.push_back(std::move(thanks));
        if (rng.Chance(Pct(30))) {
          t += rng.Between64(10 * kMinute, 3 * kHour);
          Message close{t, Role::kAgent, {}};
          close.text = rng.Pick(English().agent_closings);
          c.messages.push_back(std::move(close));
        }
        c.status = "solved";
        break;
      }
      case 1:
        c.status = "solved";
        break;
      case 2: {
        t += rng.Between64(2 * kHour, 30 * kHour);
        Message chase{t, Role::kCustomer, {}};
        composer.CustomerAfterReply(v, false, delay, &chase.text);
        c.messages.push_back(std::move(chase));
        t += late ? rng.Between64(20 * kHour, 40 * kHour) : rng.Between64(1 * kHour, 5 * kHour);
        Message follow{t, Role::kAgent, {}};
        composer.AgentFollowUp(v, agent_name, &follow.text);
        c.messages.push_back(std::move(follow));
        c.status = rng.Chance(Pct(65)) ? "solved" : "pending";
        break;
      }
      default:
        c.status = "pending";
        break;
    }
  }
  int64_t first_reply = -1;
  bool complete = Settle(world, SampleFile::kTickets, c, &first_reply);
  // The export shows the state at export time.
  if (first_reply < 0 || !complete) c.status = "open";
  if (first_reply >= 0) c.tags = TagsOf(c.exp, rng);
  if (first_reply < 0 && c.channel == "web") c.tags = {"web_widget"};
  if (c.status == "solved") {
    static constexpr std::string_view kRatings[] = {"good", "bad", "offered", "unoffered"};
    static constexpr uint32_t kQuick[] = {55, 8, 22, 15};
    static constexpr uint32_t kSlow[] = {25, 35, 25, 15};
    c.rating = kRatings[rng.Weighted(first_reply >= 12 * kHour ? kSlow : kQuick)];
  } else {
    c.rating = rng.Chance(Pct(25)) ? "offered" : "unoffered";
  }
  return c;
}

Conversation MakeChat(World& world, int week, Rng& rng, Composer& composer) {
  Conversation c = Start(world, SampleFile::kChats, week, rng);
  c.channel = rng.Chance(Pct(60)) ? "chat" : "app";
  Voice v = VoiceOf(world, c, Form::kChat, world.OtherProduct(*c.product, rng));
  composer.Begin(v);
  int64_t t = c.at;
  Message hello{t, Role::kBot, {}};
  composer.BotGreeting(&hello.text);
  c.messages.push_back(std::move(hello));
  t += rng.Between(5, 40);
  Message ask{t, Role::kCustomer, {}};
  composer.CustomerRequest(v, &ask.text);
  c.messages.push_back(std::move(ask));
  if (rng.Chance(Pct(30))) {
    t += rng.Between(2, 6);
    Message bot{t, Role::kBot, {}};
    composer.BotAnswer(&bot.text);
    c.messages.push_back(std::move(bot));
    static constexpr std::string_view kHuman[] = {"that doesn't help", "I want to talk to a person",
                                                  "agent please", "no. real person please",
                                                  "Can I speak to someone?"};
    t += rng.Between(10, 40);
    c.messages.push_back({t, Role::kCustomer, std::string(rng.Pick(kHuman))});
  }
  t += rng.Between(2, 8);
  Message handoff{t, Role::kBot, {}};
  composer.BotHandoff(&handoff.text);
  c.messages.push_back(std::move(handoff));

  bool late = false;
  int64_t delay = FirstReplyDelay(false, week, rng, &late);
  bool never = rng.Chance(week >= kSupportFromWeek ? Pct(12) : Pct(6));
  if (never) delay = rng.Between64(6 * kHour, 72 * kHour);
  AddStillWaiting(composer, v, c.at, delay, false, rng, &c.messages);
  if (!never) {
    t = c.at + delay;
    Message reply{t, Role::kAgent, {}};
    composer.AgentReply(v, delay >= kHour, {}, &reply.text);
    c.messages.push_back(std::move(reply));
    bool fixed = rng.Chance(Pct(65));
    t += late ? rng.Between64(10 * kMinute, 10 * kHour) : rng.Between64(1 * kMinute, 15 * kMinute);
    Message answer{t, Role::kCustomer, {}};
    composer.CustomerAfterReply(v, fixed, delay, &answer.text);
    c.messages.push_back(std::move(answer));
    if (!fixed || rng.Chance(Pct(40))) {
      t += late ? rng.Between64(1 * kHour, 30 * kHour) : rng.Between64(2 * kMinute, 30 * kMinute);
      Message follow{t, Role::kAgent, {}};
      composer.AgentFollowUp(v, {}, &follow.text);
      c.messages.push_back(std::move(follow));
    }
  }
  int64_t first_reply = -1;
  (void)Settle(world, SampleFile::kChats, c, &first_reply);
  return c;
}

std::vector<Conversation> MakeAll(World& world, SampleFile file, int per_week) {
  Rng rng(StreamSeed(world.seed(), FileName(file)));
  Composer composer(rng);
  std::vector<Conversation> all;
  for (int week = 0; week < kWeeks; ++week) {
    int n = world.WeeklyCount(file, per_week, week, rng);
    for (int i = 0; i < n; ++i) {
      all.push_back(file == SampleFile::kTickets ? MakeTicket(world, week, rng, composer)
                                                 : MakeChat(world, week, rng, composer));
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Conversation& a, const Conversation& b) { return a.at < b.at; });
  return all;
}

}  // namespace

bool WriteTickets(World& world, const std::string& path) {
  std::vector<Conversation> tickets = MakeAll(world, SampleFile::kTickets, 35);
  OutputFile out(path);
  if (!out.ok()) return Finish(out);
  Rng ids(StreamSeed(world.seed(), "tickets/ids"));
  int64_t id = 81200;
  std::string& b = out.buffer();
  b += "{\"tickets\": [";
  bool first = true;
  for (const Conversation& c : tickets) {
    const Customer& customer = world.customer(c.customer);
    id += ids.Between(1, 3);
    b += first ? "\n  " : ",\n  ";
    first = false;
    // Indented like `jq .` output, nested one level inside the wrapper.
    std::string ticket;
    JsonWriter w(ticket, true);
    w.BeginObject();
    w.MemberInt("id", id);
    w.Key("created_at");
    w.Time(c.at);
    w.Key("updated_at");
    w.Time(c.messages.back().at);
    w.Member("subject", c.subject);
    w.Member("status", c.status);
    w.Member("requester_id", customer.id);
    w.Key("via");
    w.BeginObject();
    w.Member("channel", c.channel);
    w.EndObject();
    w.Key("satisfaction_rating");
    w.BeginObject();
    w.Member("score", c.rating);
    w.EndObject();
    w.Member("order_id", c.order_id);
    w.Member("sku", c.product->sku);
    w.Member("region", customer.region->code);
    w.Key("tags");
    w.BeginArray();
    for (std::string_view tag : c.tags) w.String(tag);
    w.EndArray();
    w.Key("comments");
    w.BeginArray();
    for (const Message& m : c.messages) {
      w.BeginObject();
      w.Member("author_id", m.role == Role::kCustomer ? std::string_view(customer.id)
                                                      : kAgentIds[static_cast<size_t>(c.agent)]);
      w.Member("body", m.text);
      w.Key("created_at");
      w.Time(m.at);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    for (char ch : ticket) {
      b += ch;
      if (ch == '\n') b += "  ";
    }
    out.MaybeFlush();
  }
  b += "\n]}\n";
  return Finish(out);
}

bool WriteChats(World& world, const std::string& path) {
  std::vector<Conversation> chats = MakeAll(world, SampleFile::kChats, 25);
  OutputFile out(path);
  if (!out.ok()) return Finish(out);
  out.Write("conversation_id,at,role,text,customer_id,channel,region,order_id\n");
  int id = 300001;
  for (const Conversation& c : chats) {
    const Customer& customer = world.customer(c.customer);
    std::string conversation = "chat-" + std::to_string(id++);
    for (const Message& m : c.messages) {
      std::string& b = out.buffer();
      b += conversation;
      b += ',';
      AppendIsoUtc(b, m.at);
      b += ',';
      b += m.role == Role::kCustomer ? "user" : (m.role == Role::kAgent ? "agent" : "bot");
      b += ',';
      AppendCsvField(b, m.text);
      b += ',';
      b += customer.id;
      b += ',';
      b += c.channel;
      b += ',';
      b += customer.region->code;
      b += ',';
      b += c.order_id;
      b += '\n';
    }
    out.MaybeFlush();
  }
  return Finish(out);
}

}  // namespace feedloop::samples
