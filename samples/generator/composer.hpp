// Composer: writes one piece of customer text (a review, a survey comment, a support message)
// from what the customer experienced, the way real customers write: varied openings and lengths,
// typos, shouting, emoji, other languages. Used by every mode so that samples, benchmark data
// and labelled data all read alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"
#include "phrases.hpp"
#include "random.hpp"

namespace feedloop::samples {

enum class Tone : uint8_t { kPraise, kNeutral, kMixed, kComplaint };

// The kind of text being written; it decides length and style.
enum class Form : uint8_t {
  kReview,   // a review body: full sentences, may be long
  kComment,  // a survey comment (NPS, CSAT): often a few words
  kEffort,   // a CES comment: about how hard it was to get help
  kChat,     // a chat message: short, casual
  kEmail,    // a support email: greeting, request, sign-off
};

// What the customer experienced and is writing about.
struct Voice {
  Tone tone = Tone::kPraise;
  Cause cause = Cause::kNone;      // complaint and mixed: the primary cause
  bool duplicate_charge = false;   // kSubscription: the "charged twice" problem
  Cause secondary = Cause::kNone;  // complaint: a second, minor problem mentioned in passing
  bool secondary_strong = false;   // the second problem gets a full complaint sentence too
  bool app_bug = false;            // complaint about the app itself (no operational cause)
  int severity = 1;                // 0 mild, 1 annoyed, 2 furious
  Lang lang = Lang::kEn;
  Form form = Form::kReview;
  bool allow_long = false;  // may turn into a long rant (the long tail of text lengths)
  const Product* product = nullptr;
  const Product* other = nullptr;  // the wrong item received
  const Region* region = nullptr;
  std::string order_id;
  int64_t day = 0;  // days since 1970-01-01 when the text is written (dates in long stories)
};

// Not thread-safe; holds a reference to the caller's Rng.
class Composer {
 public:
  explicit Composer(Rng& rng) : rng_(rng) {}

  // Fixes the facts one text repeats consistently (days late, amount, weekday, courier...).
  // Call once per item before the functions below.
  void Begin(const Voice& v);

  // The main text (review body, survey comment). Appends to `out`, normally empty.
  void Text(const Voice& v, std::string* out);
  // A review title.
  void Title(const Voice& v, std::string* out);

  // Support conversations.
  void Subject(const Voice& v, std::string* out);
  void CustomerRequest(const Voice& v, std::string* out);
  // The first agent reply; `late` adds an apology for the wait. `agent` signs emails.
  void AgentReply(const Voice& v, bool late, std::string_view agent, std::string* out);
  // A second agent answer after the customer said the problem is not fixed.
  void AgentFollowUp(const Voice& v, std::string_view agent, std::string* out);
  // The customer chasing a first reply after waiting `waited` seconds.
  void StillWaiting(const Voice& v, int64_t waited, std::string* out);
  // The customer after a reply: thanks, or the problem is still not fixed. `waited` is how long
  // the first reply took; a long wait often gets a remark.
  void CustomerAfterReply(const Voice& v, bool fixed, int64_t waited, std::string* out);
  void BotGreeting(std::string* out);
  void BotAnswer(std::string* out);
  void BotHandoff(std::string* out);

 private:
  struct Facts {
    int days = 3;
    int count = 2;
    std::string_view weekday;
    std::string_view courier;
    std::string amount;
    int64_t story_day = 0;  // advances through a long story's dated events
  };

  // Appends a template with its slots filled.
  void Expand(const Voice& v, std::string_view tmpl, std::string* out);
  // A template of `bank` that fits the product (see the "@" marker in phrases.hpp).
  std::string_view PickFor(const Voice& v, Bank bank);
  // Appends " " + sentence (or the sentence alone at the start).
  void Sentence(const Voice& v, std::string_view tmpl, std::string* out);

  // How long the text should get (bytes): median 150, scaled by the form.
  size_t TargetLength(const Voice& v);
  // Appends a sentence of `bank` not in *used (and records it); false if none was found.
  bool AddFresh(const Voice& v, Bank bank, std::vector<std::string_view>* used, std::string* out);
  void Complaint(const Voice& v, std::string* out);
  // The second problem as a full complaint sentence ("Also, the box arrived crushed.").
  void StrongSecondary(const Voice& v, std::string* out);
  void Mixed(const Voice& v, std::string* out);
  void Praise(const Voice& v, std::string* out);
  void Neutral(const Voice& v, std::string* out);
  void ForeignText(const Voice& v, std::string* out);
  void Story(const Voice& v, std::string* out);
  void Decorate(const Voice& v, size_t start, std::string* out);
  void Typos(size_t start, std::string* out);
  void Shuffle(std::vector<std::string_view>* items);
  void AppendWait(int64_t waited, bool capital, std::string* out);

  Rng& rng_;
  Facts facts_;
  int64_t waited_ = 0;  // for {h} in the current template
};

// True when `v` is written in its foreign language (else the composer falls back to English).
bool ForeignCanWrite(const Voice& v);

// Lower-cases ASCII letters in place from `start`.
void LowerAscii(std::string* s, size_t start = 0);
// Upper-cases ASCII letters in place from `start`.
void UpperAscii(std::string* s, size_t start = 0);

}  // namespace feedloop::samples
