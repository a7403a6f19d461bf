#include "composer.hpp"

#include <algorithm>
#include <vector>

#include "output.hpp"

namespace feedloop::samples {
namespace {

using Sv = std::string_view;

constexpr Sv kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                            "Friday", "Saturday", "Sunday"};
constexpr Sv kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr Sv kCountWords[] = {"", "one", "two", "three", "four", "five", "six"};

// Misspellings, applied to a minority of English texts: the classic ones first, then slips of
// the keyboard on common words.
struct Typo {
  Sv right;
  Sv wrong;
};
constexpr Typo kClassicTypos[] = {
    {"received", "recieved"},
    {"definitely", "definately"},
    {"disappointed", "dissapointed"},
    {"separate", "seperate"},
    {"arrived", "arived"},
    {"because", "becuase"},
    {"until", "untill"},
    {"tomorrow", "tommorow"},
    {"really", "realy"},
    {"customer", "costumer"},
    {"address", "adress"},
    {"which", "wich"},
    {"their", "there"},
    {"it's", "its"},
    {"didn't", "didnt"},
    {"don't", "dont"},
    {"can't", "cant"},
    {"I'm", "im"},
    {"wasn't", "wasnt"},
    {"package", "pakage"},
    {"nothing", "nothin"},
    {"waiting", "wating"},
    {"quality", "qaulity"},
    {"disappointing", "dissapointing"},
};
constexpr Typo kSlipTypos[] = {
    {"the", "teh"},
    {"delivery", "delivary"},
    {"refund", "refnud"},
    {"weeks", "weeeks"},
    {"subscription", "subsciption"},
    {"order", "oder"},
    {"service", "serivce"},
    {"and", "adn"},
};

constexpr Sv kAngryEmoji[] = {"😡", "😤", "🤬", "👎", "😠", "🙄", "😡😡😡", "💩"};
constexpr Sv kSadEmoticons[] = {":(", ":-(", ">:(", ":/"};
constexpr Sv kHappyEmoji[] = {"👍", "😊", "🙏", "❤️", "⭐⭐⭐⭐⭐", "☕", "🙂", "😍"};
constexpr Sv kHappyEmoticons[] = {":)", ":-)", ":D", "<3"};

bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool IsWordChar(char c) {
  return IsUpper(c) || IsLower(c) || (c >= '0' && c <= '9') || c == '\'' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

void CapitaliseAt(std::string* s, size_t at) {
  if (at < s->size() && IsLower((*s)[at])) (*s)[at] = static_cast<char>((*s)[at] - 'a' + 'A');
}

// Appends an amount of money the way the region writes it: £24.99, 24,99 €.
void AppendMoney(const Region* region, uint32_t cents, std::string* out) {
  Sv currency = region != nullptr ? region->currency : Sv("£");
  bool after = region != nullptr && region->currency_after;
  if (!after) out->append(currency);
  AppendInt(*out, cents / 100);
  *out += after ? ',' : '.';
  AppendPadded(*out, cents % 100, 2);
  if (after) {
    *out += ' ';
    out->append(currency);
  }
}

}  // namespace

void LowerAscii(std::string* s, size_t start) {
  for (size_t i = start; i < s->size(); ++i) {
    if (IsUpper((*s)[i])) (*s)[i] = static_cast<char>((*s)[i] - 'A' + 'a');
  }
}

void UpperAscii(std::string* s, size_t start) {
  for (size_t i = start; i < s->size(); ++i) {
    if (IsLower((*s)[i])) (*s)[i] = static_cast<char>((*s)[i] - 'a' + 'A');
  }
}

void Composer::Begin(const Voice& v) {
  facts_.days = rng_.Between(2, 9);
  facts_.count = rng_.Between(2, 5);
  facts_.weekday = rng_.Pick(kWeekdays);
  facts_.courier = v.region != nullptr ? rng_.Pick(v.region->couriers) : Sv("the courier");
  facts_.amount.clear();
  uint32_t cents = v.product != nullptr ? v.product->price_cents : 1999;
  if (!v.duplicate_charge && v.cause != Cause::kSubscription && rng_.Chance(Pct(50))) {
    cents = static_cast<uint32_t>(rng_.Between(2, 15)) * 100 + (rng_.Chance(Pct(50)) ? 0 : 99);
  }
  AppendMoney(v.region, cents, &facts_.amount);
}

std::string_view Composer::PickFor(const Voice& v, Bank bank) {
  auto fits = [&](Sv t) {
    if (t.empty() || t[0] != '@') return true;
    if (v.product == nullptr) return false;
    uint8_t mask = 0;
    for (size_t i = 1; i < t.size() && t[i] != ' '; ++i) {
      if (t[i] == 'A') mask |= kAppliance;
      if (t[i] == 'F') mask |= kFragile;
      if (t[i] == 'C') mask |= kConsumable;
      if (t[i] == 'H') mask |= kHardware;
    }
    return (v.product->classes & mask) != 0;
  };
  for (int attempt = 0; attempt < 6; ++attempt) {
    Sv t = rng_.Pick(bank);
    if (fits(t)) return t;
  }
  size_t start = rng_.Below(bank.size());
  for (size_t i = 0; i < bank.size(); ++i) {
    Sv t = bank[(start + i) % bank.size()];
    if (fits(t)) return t;
  }
  return bank[0];
}

void Composer::AppendWait(int64_t waited, bool capital, std::string* out) {
  int64_t hours = waited / 3600;
  Sv text;
  std::string buf;
  if (hours < 2) {
    text = capital ? "An hour" : "an hour";
  } else if (hours < 20) {
    AppendInt(buf, hours);
    buf += " hours";
    text = buf;
  } else if (hours < 30) {
    text = capital ? "A whole day" : "a whole day";
  } else if (hours < 44) {
    text = capital ? "Over a day and a half" : "over a day and a half";
  } else {
    buf = capital ? "Over " : "over ";
    AppendInt(buf, hours / 24);
    buf += " days";
    text = buf;
  }
  out->append(text);
}

void Composer::Expand(const Voice& v, std::string_view tmpl, std::string* out) {
  if (!tmpl.empty() && tmpl[0] == '@') {
    size_t space = tmpl.find(' ');
    tmpl = space == Sv::npos ? Sv() : tmpl.substr(space + 1);
  }
  const Product* p = v.product;
  const bool plural = p != nullptr && p->plural;
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t open = tmpl.find('{', i);
    if (open == Sv::npos) {
      out->append(tmpl.substr(i));
      return;
    }
    out->append(tmpl.substr(i, open - i));
    size_t close = tmpl.find('}', open);
    if (close == Sv::npos) {  // not a slot
      out->append(tmpl.substr(open));
      return;
    }
    Sv slot = tmpl.substr(open + 1, close - open - 1);
    i = close + 1;
    if (slot == "p") {
      out->append(p != nullptr ? p->noun : Sv("order"));
    } else if (slot == "q") {
      out->append(v.other != nullptr ? v.other->noun : Sv("toaster"));
    } else if (slot == "ap" || slot == "aq") {
      const Product* which = slot == "ap" ? p : v.other;
      Sv noun = which != nullptr ? which->noun : Sv("toaster");
      bool vowel = !noun.empty() && Sv("aeiou").find(noun[0]) != Sv::npos;
      out->append(which != nullptr && which->plural ? "some " : (vowel ? "an " : "a "));
      out->append(noun);
    } else if (slot == "was") {
      out->append(plural ? "were" : "was");
    } else if (slot == "is") {
      out->append(plural ? "are" : "is");
    } else if (slot == "has") {
      out->append(plural ? "have" : "has");
    } else if (slot == "it") {
      out->append(plural ? "them" : "it");
    } else if (slot == "It") {
      out->append(plural ? "They" : "It");
    } else if (slot == "d") {
      AppendInt(*out, facts_.days);
    } else if (slot == "n") {
      if (v.lang == Lang::kEn && rng_.Chance(Pct(50))) {
        out->append(kCountWords[facts_.count]);
      } else {
        AppendInt(*out, facts_.count);
      }
    } else if (slot == "w") {
      out->append(facts_.weekday);
    } else if (slot == "c") {
      out->append(facts_.courier);
    } else if (slot == "a") {
      out->append(facts_.amount);
    } else if (slot == "o") {
      out->append(v.order_id.empty() ? Sv("o-51234") : Sv(v.order_id));
    } else if (slot == "defect" || slot == "Defect") {
      size_t at = out->size();
      out->append(p != nullptr ? rng_.Pick(p->defects) : Sv("it broke"));
      if (slot[0] == 'D') CapitaliseAt(out, at);
    } else if (slot == "praise" || slot == "Praise") {
      size_t at = out->size();
      out->append(p != nullptr ? rng_.Pick(p->praise) : Sv("works well"));
      if (slot[0] == 'P') CapitaliseAt(out, at);
    } else if (slot == "h" || slot == "H") {
      AppendWait(waited_, slot[0] == 'H', out);
    } else if (slot == "date") {
      facts_.story_day += rng_.Between(1, 2);
      int64_t y;
      unsigned m, d;
      CivilFromDays(facts_.story_day, &y, &m, &d);
      AppendInt(*out, d);
      *out += ' ';
      out->append(kMonths[m - 1]);
    } else {
      out->append(slot);  // unknown slot: keep the text visible rather than lose it
    }
  }
}

void Composer::Sentence(const Voice& v, std::string_view tmpl, std::string* out) {
  if (!out->empty() && out->back() != '\n' && out->back() != ' ') *out += ' ';
  size_t at = out->size();
  Expand(v, tmpl, out);
  CapitaliseAt(out, at);  // a template may start with a slot ("{c} say...")
}

bool ForeignCanWrite(const Voice& v) {
  if (v.lang == Lang::kEn || v.app_bug) return false;
  if (v.tone != Tone::kMixed) return true;
  // Foreign banks have mixed texts about packaging (first) and delivery (second) only.
  return v.cause == Cause::kPackaging ||
         (v.cause == Cause::kDelivery && Foreign(v.lang).mixed.size() > 1);
}

void Composer::Text(const Voice& v, std::string* out) {
  if (ForeignCanWrite(v)) {
    ForeignText(v, out);
    return;
  }
  Voice voice = v;
  voice.lang = Lang::kEn;
  size_t start = out->size();
  switch (v.tone) {
    case Tone::kComplaint:
      Complaint(voice, out);
      break;
    case Tone::kMixed:
      Mixed(voice, out);
      break;
    case Tone::kPraise:
      Praise(voice, out);
      break;
    case Tone::kNeutral:
      Neutral(voice, out);
      break;
  }
  Decorate(voice, start, out);
}

size_t Composer::TargetLength(const Voice& v) {
  // Inverse CDF of a right-skewed length distribution (bytes), median 150, by tenths of
  // percentiles; the long rants of the last percents come from Story().
  static constexpr uint32_t kAt[] = {0, 100, 250, 500, 750, 900, 970, 1000};
  static constexpr uint32_t kBytes[] = {15, 45, 95, 150, 220, 300, 420, 560};
  uint32_t u = static_cast<uint32_t>(rng_.Below(1000));
  size_t i = 1;
  while (kAt[i] < u) ++i;
  uint32_t bytes =
      kBytes[i - 1] + (kBytes[i] - kBytes[i - 1]) * (u - kAt[i - 1]) / (kAt[i] - kAt[i - 1]);
  switch (v.form) {
    case Form::kReview:
      return bytes * 135 / 100;
    case Form::kComment:
      return bytes * 75 / 100;
    case Form::kEffort:
      return bytes * 80 / 100;
    case Form::kChat:
      return bytes * 70 / 100;
    case Form::kEmail:
      return bytes;
  }
  return bytes;
}

bool Composer::AddFresh(const Voice& v, Bank bank, std::vector<Sv>* used, std::string* out) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    Sv s = PickFor(v, bank);
    if (std::find(used->begin(), used->end(), s) != used->end()) continue;
    used->push_back(s);
    Sentence(v, s, out);
    return true;
  }
  return false;
}

void Composer::Complaint(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  const size_t target = TargetLength(v);
  if (v.app_bug) {
    Sentence(v, rng_.Pick(en.app_bugs), out);
    if (target > 60) Sentence(v, rng_.Pick(en.closers), out);
    return;
  }
  const CauseBank& bank = EnglishCause(v.cause, v.duplicate_charge);
  const bool survey = v.form == Form::kComment || v.form == Form::kEffort;
  if (survey && target < 40) {
    // Survey comments are often just a few words.
    Expand(v, PickFor(v, bank.terse), out);
    if (v.secondary != Cause::kNone && rng_.Chance(Pct(60))) {
      out->append(rng_.Chance(Pct(50)) ? " and " : ", ");
      Expand(v, PickFor(v, EnglishCause(v.secondary, false).terse), out);
    }
    if (rng_.Chance(Pct(30))) out->append(v.severity == 2 ? "!!" : ".");
    return;
  }
  std::vector<Sv> used;
  if (v.form == Form::kEffort && rng_.Chance(Pct(55))) Sentence(v, rng_.Pick(en.effort_bad), out);
  if (v.form == Form::kReview) {
    if (rng_.Chance(Pct(30))) Sentence(v, rng_.Pick(en.openings), out);
    if (target > 150 && rng_.Chance(Pct(45))) AddFresh(v, en.context, &used, out);
  }
  // A second complaint of its own may come first, unannounced; then only how much is said about
  // each tells which one is the primary cause.
  bool secondary_done = false;
  if (v.secondary_strong && v.secondary != Cause::kNone && rng_.Chance(Pct(50))) {
    Sentence(v, PickFor(v, EnglishCause(v.secondary, false).core), out);
    secondary_done = true;
  }
  Sentence(v, PickFor(v, bank.core), out);
  const bool closer = rng_.Chance(survey ? Pct(35) : Pct(70));
  const size_t room = target > 30 && closer ? target - 30 : target;
  const size_t secondary_at = v.secondary == Cause::kNone ? 0 : rng_.Below(3);
  for (size_t i = 0; out->size() < room && i < 6; ++i) {
    if (v.secondary != Cause::kNone && !secondary_done && i == secondary_at) {
      if (v.secondary_strong) {
        StrongSecondary(v, out);
        continue;
      }
      static constexpr Sv kLinks[] = {"Also ", "On top of that, ", "And ", "Plus "};
      Sv link = rng_.Pick(kLinks);
      if (!out->empty()) *out += ' ';
      size_t at = out->size();
      out->append(link);
      Expand(v, PickFor(v, EnglishCause(v.secondary, false).minor), out);
      out->append(link == "And " ? " too." : ".");
      CapitaliseAt(out, at);
      continue;
    }
    if (v.form == Form::kEffort && i == 2) {
      AddFresh(v, en.effort_bad, &used, out);
      continue;
    }
    if (!AddFresh(v, bank.detail, &used, out)) break;
  }
  if (v.allow_long && rng_.Chance(Pct(3))) Story(v, out);
  if (closer) {
    bool angry = v.severity == 2 && rng_.Chance(Pct(50));
    Sentence(v, rng_.Pick(angry ? en.angry_closers : en.closers), out);
  }
  if (v.form == Form::kReview && rng_.Chance(Pct(1))) Sentence(v, rng_.Pick(en.pii_lines), out);
}

void Composer::StrongSecondary(const Voice& v, std::string* out) {
  static constexpr Sv kLinks[] = {"Also, ", "And ", "On top of that, ", "Not to mention: "};
  if (!out->empty()) *out += ' ';
  size_t at = out->size();
  out->append(rng_.Pick(kLinks));
  size_t sentence = out->size();
  Expand(v, PickFor(v, EnglishCause(v.secondary, false).core), out);
  // "the box arrived crushed", but keep "I" and names capitalised.
  if (out->size() > sentence + 1 && IsUpper((*out)[sentence]) && IsLower((*out)[sentence + 1])) {
    (*out)[sentence] = static_cast<char>((*out)[sentence] - 'A' + 'a');
  }
  CapitaliseAt(out, at);
}

void Composer::Mixed(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  const CauseBank& bank = EnglishCause(v.cause, v.duplicate_charge);
  const size_t target = TargetLength(v);
  std::vector<Sv> used;
  if (v.form == Form::kReview && target > 120 && rng_.Chance(Pct(50))) {
    AddFresh(v, en.context, &used, out);
    *out += ' ';
  }
  size_t at = out->size();
  switch (rng_.Below(6)) {
    case 0:
    case 1:
      Expand(v, PickFor(v, en.mixed_praise), out);
      out->append(rng_.Chance(Pct(70)) ? " but " : ", but ");
      Expand(v, PickFor(v, bank.minor), out);
      *out += '.';
      break;
    case 2:
      Expand(v, PickFor(v, bank.minor), out);
      out->append(", but ");
      Expand(v, PickFor(v, en.mixed_praise), out);
      *out += '.';
      break;
    case 3:
      Expand(v, PickFor(v, en.praise), out);
      out->append(rng_.Chance(Pct(50)) ? " Only downside: " : " Only thing is ");
      Expand(v, PickFor(v, bank.minor), out);
      *out += '.';
      break;
    case 4:
      Expand(v, PickFor(v, en.mixed_praise), out);
      out->append(", although ");
      Expand(v, PickFor(v, bank.minor), out);
      *out += '.';
      break;
    default:
      Expand(v, PickFor(v, bank.core), out);
      out->append(rng_.Chance(Pct(50)) ? " Otherwise, " : " Apart from that, ");
      Expand(v, PickFor(v, en.mixed_praise), out);
      *out += '.';
      break;
  }
  CapitaliseAt(out, at);
  for (int i = 0; out->size() < target && i < 2; ++i) {
    if (!AddFresh(v, i == 0 ? en.praise_more : en.praise_ops, &used, out)) break;
  }
  if (v.form == Form::kReview && rng_.Chance(Pct(35))) {
    static constexpr Sv kEnds[] = {"Would still recommend.", "3 stars.",
                                   "Fix that and it's 5 stars.", "Otherwise fine.",
                                   "Hence the stars."};
    Sentence(v, rng_.Pick(kEnds), out);
  }
}

void Composer::Praise(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  const size_t target = TargetLength(v);
  if (v.form == Form::kComment && target < 35) {
    Expand(v, rng_.Pick(en.praise_short), out);
    return;
  }
  std::vector<Sv> used;
  if (v.form == Form::kEffort) AddFresh(v, en.effort_good, &used, out);
  if (v.form == Form::kReview && target > 120 && rng_.Chance(Pct(50))) {
    AddFresh(v, en.context, &used, out);
  }
  const bool closer = rng_.Chance(Pct(40));
  const size_t room = target > 20 && closer ? target - 20 : target;
  Bank banks[] = {en.praise, en.praise_product, en.praise_ops, en.negated, en.praise_more};
  uint32_t weights[] = {30, 20, 20, 12, 18};
  for (int i = 0; (i == 0 || out->size() < room) && i < 6; ++i) {
    size_t b = rng_.Weighted(weights);
    if (b == 1) weights[1] = 0;  // one sentence about the product's strong point is enough
    AddFresh(v, banks[b], &used, out);
  }
  if (closer) Sentence(v, rng_.Pick(en.praise_closers), out);
}

void Composer::Neutral(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  const size_t target = TargetLength(v);
  if (v.form == Form::kComment && target < 40) {
    Expand(v, rng_.Pick(en.neutral_short), out);
    return;
  }
  std::vector<Sv> used;
  if (v.form == Form::kReview && target > 100 && rng_.Chance(Pct(50))) {
    AddFresh(v, en.context, &used, out);
  }
  AddFresh(v, en.neutral, &used, out);
  Bank banks[] = {en.negated, en.praise_ops};
  for (int i = 0; out->size() < target && i < 2; ++i) AddFresh(v, banks[rng_.Below(2)], &used, out);
}

void Composer::ForeignText(const Voice& v, std::string* out) {
  const ForeignBank& f = Foreign(v.lang);
  Voice plain = v;
  plain.product = nullptr;  // foreign templates name no product
  switch (v.tone) {
    case Tone::kComplaint: {
      Bank core = v.cause == Cause::kSubscription && v.duplicate_charge
                      ? f.duplicate_charge
                      : f.core[static_cast<int>(v.cause)];
      Sentence(plain, rng_.Pick(core), out);
      if (rng_.Chance(Pct(55))) Sentence(plain, rng_.Pick(f.closers), out);
      break;
    }
    case Tone::kMixed:
      Sentence(plain, f.mixed[v.cause == Cause::kDelivery && f.mixed.size() > 1 ? 1 : 0], out);
      break;
    case Tone::kPraise:
      Sentence(plain, rng_.Pick(f.praise), out);
      if (rng_.Chance(Pct(30))) Sentence(plain, rng_.Pick(f.praise), out);
      break;
    case Tone::kNeutral:
      Sentence(plain, rng_.Pick(f.neutral), out);
      break;
  }
  if (rng_.Chance(Pct(8))) {
    *out += ' ';
    out->append(v.tone == Tone::kComplaint ? rng_.Pick(kAngryEmoji) : rng_.Pick(kHappyEmoji));
  }
}

void Composer::Story(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  // A long rant: paragraphs of dated events until the target length (600 B to ~5 KB). Events,
  // asides and reflections are dealt from shuffled decks so that none repeats.
  size_t target = 600 + rng_.Below(900);
  while (target < 5000 && rng_.Chance(Pct(55))) target *= 2;
  if (target > 5000) target = 5000 - rng_.Below(500);
  std::vector<Sv> events(en.story_events.begin(), en.story_events.end());
  std::vector<Sv> asides(en.story_asides.begin(), en.story_asides.end());
  std::vector<Sv> reflections(en.story_reflections.begin(), en.story_reflections.end());
  Shuffle(&events);
  Shuffle(&asides);
  Shuffle(&reflections);
  facts_.story_day = v.day - static_cast<int64_t>(events.size()) * 3 / 2 - rng_.Between(5, 15);
  std::string story;
  Sentence(v, rng_.Pick(en.story_intro), &story);
  while (story.size() + out->size() < target && !events.empty()) {
    story += "\n\n";
    int n = rng_.Between(2, 4);
    for (int i = 0; i < n && !events.empty(); ++i) {
      Sentence(v, events.back(), &story);
      events.pop_back();
    }
    if (!asides.empty() && rng_.Chance(Pct(60))) {
      Sentence(v, asides.back(), &story);
      asides.pop_back();
    }
    if (!reflections.empty() && rng_.Chance(Pct(45))) {
      story += "\n\n";
      Sentence(v, reflections.back(), &story);
      reflections.pop_back();
    }
  }
  story += "\n\n";
  Sentence(v, rng_.Pick(en.story_endings), &story);
  *out += "\n\n";
  out->append(story);
}

void Composer::Shuffle(std::vector<Sv>* items) {
  for (size_t i = items->size(); i > 1; --i) std::swap((*items)[i - 1], (*items)[rng_.Below(i)]);
}

// Replaces the first whole-word occurrence of `t` in *out after `start`; false if none.
bool ReplaceWord(const Typo& t, size_t start, std::string* out) {
  size_t pos = out->find(t.right, start);
  while (pos != std::string::npos) {
    bool left_ok = pos == start || !IsWordChar((*out)[pos - 1]);
    size_t end = pos + t.right.size();
    bool right_ok = end >= out->size() || !IsWordChar((*out)[end]);
    if (left_ok && right_ok) {
      out->replace(pos, t.right.size(), t.wrong);
      return true;
    }
    pos = out->find(t.right, pos + 1);
  }
  return false;
}

void Composer::Typos(size_t start, std::string* out) {
  // A classic misspelling when the text has one of those words (scanning all of them), else
  // now and then a slip on a common word (a few random tries, so no word dominates).
  size_t first = rng_.Below(std::size(kClassicTypos));
  for (size_t k = 0; k < std::size(kClassicTypos); ++k) {
    if (ReplaceWord(kClassicTypos[(first + k) % std::size(kClassicTypos)], start, out)) return;
  }
  if (!rng_.Chance(Pct(50))) return;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (ReplaceWord(rng_.Pick(kSlipTypos), start, out)) return;
  }
}

void Composer::Decorate(const Voice& v, size_t start, std::string* out) {
  if (out->size() <= start) return;
  const bool complaint = v.tone == Tone::kComplaint;
  const bool positive = v.tone == Tone::kPraise;
  if (rng_.Chance(Pct(16))) Typos(start, out);
  // Exclamation marks instead of the final full stop.
  uint32_t bang = complaint ? (v.severity == 2 ? Pct(45) : Pct(12)) : (positive ? Pct(15) : 0);
  if (rng_.Chance(bang) && out->back() == '.') {
    out->pop_back();
    out->append(complaint && rng_.Chance(Pct(60)) ? "!!!" : "!");
  }
  // Shouting.
  if (complaint && v.severity == 2 && rng_.Chance(Pct(25))) {
    if (out->size() - start < 160) {
      UpperAscii(out, start);
    } else {
      size_t dot = out->find(". ", start);
      if (dot != std::string::npos) {
        std::string head = out->substr(start, dot - start);
        UpperAscii(&head);
        out->replace(start, dot - start, head);
      }
    }
  }
  // Casual writing: all lower case, or no final full stop.
  uint32_t lower = v.form == Form::kChat ? Pct(30) : (v.form == Form::kComment ? Pct(10) : Pct(4));
  if (rng_.Chance(lower)) LowerAscii(out, start);
  if (out->back() == '.' && rng_.Chance(v.form == Form::kChat ? Pct(40) : Pct(8))) {
    out->pop_back();
  }
  // Emoji and emoticons.
  if (complaint && rng_.Chance(v.severity == 2 ? Pct(4) : Pct(1.5))) {
    *out += ' ';
    out->append(rng_.Pick(kAngryEmoji));
  } else if (complaint && rng_.Chance(Pct(2))) {
    *out += ' ';
    out->append(rng_.Pick(kSadEmoticons));
  } else if (positive && rng_.Chance(Pct(2.5))) {
    *out += ' ';
    out->append(rng_.Pick(kHappyEmoji));
  } else if (positive && rng_.Chance(Pct(3))) {
    *out += ' ';
    out->append(rng_.Pick(kHappyEmoticons));
  }
}

void Composer::Title(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  if (ForeignCanWrite(v)) {
    const ForeignBank& f = Foreign(v.lang);
    out->append(v.tone == Tone::kComplaint || v.tone == Tone::kMixed ? rng_.Pick(f.titles_bad)
                                                                     : rng_.Pick(f.titles_good));
    return;
  }
  size_t at = out->size();
  switch (v.tone) {
    case Tone::kComplaint:
      if (v.app_bug) {
        out->append("Buggy app");
      } else if (v.severity == 2 && rng_.Chance(Pct(20))) {
        out->append(rng_.Chance(Pct(50)) ? "AVOID" : "Terrible");
      } else {
        Expand(v, PickFor(v, EnglishCause(v.cause, v.duplicate_charge).title), out);
      }
      if (v.severity == 2 && rng_.Chance(Pct(40))) out->append("!!");
      break;
    case Tone::kMixed:
      Expand(v, PickFor(v, en.mixed_titles), out);
      break;
    case Tone::kPraise:
      Expand(v, PickFor(v, en.praise_titles), out);
      break;
    case Tone::kNeutral:
      Expand(v, PickFor(v, en.neutral_titles), out);
      break;
  }
  if (rng_.Chance(Pct(5))) LowerAscii(out, at);
}

void Composer::Subject(const Voice& v, std::string* out) {
  size_t at = out->size();
  Expand(v, PickFor(v, EnglishCause(v.cause, v.duplicate_charge).subject), out);
  CapitaliseAt(out, at);
}

void Composer::CustomerRequest(const Voice& v, std::string* out) {
  const GeneralBank& en = English();
  const CauseBank& bank = EnglishCause(v.cause, v.duplicate_charge);
  size_t start = out->size();
  const bool email = v.form == Form::kEmail;
  Sv greeting = email ? rng_.Pick(en.greetings) : Sv();
  if (!greeting.empty()) {
    out->append(greeting);
    out->append("\n\n");
  }
  size_t body = out->size();
  Expand(v, PickFor(v, bank.request), out);
  if (rng_.Chance(email ? Pct(30) : Pct(8))) Sentence(v, PickFor(v, bank.detail), out);
  if (v.secondary != Cause::kNone && rng_.Chance(Pct(50))) {
    out->append(" Also ");
    Expand(v, PickFor(v, EnglishCause(v.secondary, false).minor), out);
    *out += '.';
  }
  if (rng_.Chance(Pct(5))) Sentence(v, rng_.Pick(en.pii_lines), out);
  Voice styled = v;
  styled.tone = Tone::kComplaint;
  Decorate(styled, body, out);
  Sv signoff = email ? rng_.Pick(en.signoffs) : Sv();
  if (!signoff.empty()) {
    out->append("\n\n");
    out->append(signoff);
  }
  if (out->size() == start) out->append("Hi, I need help with my order.");
}

void Composer::AgentReply(const Voice& v, bool late, std::string_view agent, std::string* out) {
  const GeneralBank& en = English();
  const CauseBank& bank = EnglishCause(v.cause, v.duplicate_charge);
  const bool email = v.form == Form::kEmail;
  Expand(v, late ? rng_.Pick(en.agent_sorry_wait) : rng_.Pick(en.agent_greetings), out);
  out->append(email ? "\n\n" : " ");
  Expand(v, PickFor(v, bank.reply), out);
  if (v.secondary != Cause::kNone && rng_.Chance(Pct(40))) {
    out->append(" I've also passed your feedback about the other issue to the right team.");
  }
  if (email) {
    out->append("\n\n");
    out->append(rng_.Pick(en.agent_closings));
    out->append("\n\nKind regards,\n");
    out->append(agent);
  }
}

void Composer::AgentFollowUp(const Voice& v, std::string_view agent, std::string* out) {
  const CauseBank& bank = EnglishCause(v.cause, v.duplicate_charge);
  static constexpr Sv kAgain[] = {"I've looked into this again.", "Thanks for letting me know.",
                                  "I've chased this with the team.",
                                  "Sorry this is still not fixed."};
  out->append(rng_.Pick(kAgain));
  *out += ' ';
  Expand(v, PickFor(v, bank.reply), out);
  if (v.form == Form::kEmail) {
    out->append("\n\n");
    out->append(agent);
  }
}

void Composer::StillWaiting(const Voice& v, int64_t waited, std::string* out) {
  waited_ = waited;
  size_t start = out->size();
  Sv t = rng_.Pick(English().still_waiting);
  // "{h}" needs some hours to have passed to make sense.
  if (waited < 2 * 3600 && t.find('{') != Sv::npos) t = "Hello? Is anyone there?";
  Expand(v, t, out);
  Voice styled = v;
  styled.tone = Tone::kComplaint;
  styled.severity = waited > 20 * 3600 ? 2 : 1;
  Decorate(styled, start, out);
}

void Composer::CustomerAfterReply(const Voice& v, bool fixed, int64_t waited, std::string* out) {
  const GeneralBank& en = English();
  waited_ = waited;
  size_t start = out->size();
  if (waited > 12 * 3600 && rng_.Chance(Pct(55))) {
    Expand(v, rng_.Pick(en.late_reply_reactions), out);
    *out += ' ';
  }
  if (fixed) {
    Expand(v, rng_.Pick(en.thanks), out);
  } else {
    Expand(v, PickFor(v, EnglishCause(v.cause, v.duplicate_charge).chase), out);
  }
  Voice styled = v;
  styled.tone = fixed ? Tone::kPraise : Tone::kComplaint;
  Decorate(styled, start, out);
}

void Composer::BotGreeting(std::string* out) {
  out->append(rng_.Pick(English().bot_greetings));
}
void Composer::BotAnswer(std::string* out) {
  out->append(rng_.Pick(English().bot_answers));
}
void Composer::BotHandoff(std::string* out) {
  out->append(rng_.Pick(English().bot_handoffs));
}

}  // namespace feedloop::samples
