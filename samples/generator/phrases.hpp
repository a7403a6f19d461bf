// The phrase banks the sample texts are assembled from: per root cause, per language, and the
// general ones (openings, closers, praise, support-conversation turns). Constant data.
//
// Templates hold slots the composer fills in: {p} product noun, {q} another product, {ap} and
// {aq} the same with an article ("a kettle", "some coffee beans"), {was} {is}
// {it} {It} {has} {does} (agreeing with the product), {d} days, {n} a small count, {w} a
// weekday, {c} a courier, {a} an amount of money, {o} an order id, {defect} / {Defect} a defect
// of the product, {praise} something good about it, {h} how long the customer has waited,
// {date} a date in a story. A template starting with "@" followed by ProductClass letters
// (A appliance, F fragile, C consumable, H hardware) and a space only fits those products.
#pragma once

#include <span>
#include <string_view>

#include "catalog.hpp"

namespace feedloop::samples {

using Bank = std::span<const std::string_view>;

// English phrases about one root cause.
struct CauseBank {
  Bank core;     // a complaint sentence, capitalised, with its final punctuation
  Bank detail;   // a further sentence about the same problem
  Bank terse;    // a short survey comment, lower case, no final punctuation
  Bank title;    // a review title
  Bank minor;    // a mild mention, lower case, no final punctuation ("the box was a bit crushed")
  Bank subject;  // a support ticket's subject line
  Bank request;  // the customer's first message to support (no greeting)
  Bank reply;    // the agent's answer that deals with it
  Bank chase;    // the customer's follow-up when it is still not fixed
};

// The bank of `cause`; for kSubscription with duplicate_charge, the "charged twice" bank.
const CauseBank& EnglishCause(Cause cause, bool duplicate_charge);

// The general English banks.
struct GeneralBank {
  Bank openings;        // start of a complaint: "Honestly,", "Ordered the {p} on {w}."
  Bank closers;         // end of a complaint: "Very disappointed."
  Bank angry_closers;   // "NEVER AGAIN."
  Bank praise;          // a whole positive sentence
  Bank praise_product;  // uses {praise}
  Bank praise_ops;      // positive about an operation: "Arrived next day, well packed."
  Bank negated;         // "No problems at all."
  Bank praise_closers;  // "Will order again."
  Bank praise_short;    // a survey comment: "love it"
  Bank praise_titles;
  Bank neutral;
  Bank neutral_short;
  Bank neutral_titles;
  Bank mixed_praise;       // the good half of a mixed text, lower case: "the {p} itself is great"
  Bank mixed_titles;       // "Good product, shame about the box"
  Bank effort_bad;         // CES: "Had to contact you {n} times."
  Bank effort_good;        // CES: "Sorted in one go."
  Bank context;            // neutral background: "I ordered the {p} for my dad's birthday."
  Bank praise_more;        // a further positive sentence
  Bank story_intro;        // start of a long rant
  Bank story_events;       // "On {date} I emailed customer service."
  Bank story_asides;       // a comment between events
  Bank story_reflections;  // a long sentence between paragraphs
  Bank story_endings;      // last paragraph
  Bank greetings;          // "Hi,"
  Bank signoffs;           // "Thanks"
  Bank agent_names;
  Bank agent_greetings;       // "Hi there, thanks for getting in touch."
  Bank agent_sorry_wait;      // apology for a late first reply
  Bank agent_closings;        // "Is there anything else I can help with?"
  Bank thanks;                // customer: "Thanks, that's great."
  Bank still_waiting;         // customer, before any reply: "Hello? Anyone there?" (uses {h})
  Bank late_reply_reactions;  // customer, after a late reply: "Took you long enough."
  Bank bot_greetings;
  Bank bot_handoffs;
  Bank bot_answers;  // the bot tries first
  Bank app_bugs;     // app reviews about the app itself (no operational cause)
  Bank pii_lines;    // contact details customers paste into messages
};
const GeneralBank& English();

// A language other than English: fewer phrases, no slots but {d} and {n}.
struct ForeignBank {
  Bank core[kCauseCount];
  Bank duplicate_charge;
  Bank praise;
  Bank neutral;
  Bank closers;
  Bank mixed;  // "bon produit mais le carton était écrasé" (packaging)
  Bank titles_bad;
  Bank titles_good;
};
const ForeignBank& Foreign(Lang lang);

}  // namespace feedloop::samples
