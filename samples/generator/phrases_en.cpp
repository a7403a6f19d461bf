// English phrase banks. Texts are written the way customers write: uneven, sometimes rude,
// sometimes vague. Misspellings, shouting and emoji are added later by the composer.
#include "phrases.hpp"

namespace feedloop::samples {
namespace {

using Sv = std::string_view;

// ---------------------------------------------------------------- delivery (late, slow, missed)
constexpr Sv kDeliveryCore[] = {
    "My order arrived {d} days late.",
    "Delivery took {d} days when it said next day.",
    "The {p} turned up {d} days after the date I was given.",
    "Still waiting for my {p}, it was supposed to be here on {w}.",
    "Paid for express delivery and it took over a week.",
    "Delivery was late again.",
    "The driver from {c} missed the delivery slot twice.",
    "It was meant to arrive on {w} and came the following week.",
    "Waited in all day for the delivery and nobody came.",
    "Took forever to arrive.",
    "Ordered it as a birthday present and it arrived {d} days after the birthday.",
    "The order was delayed with no explanation.",
    "The estimated delivery date kept getting pushed back.",
    "Slow delivery, {d} days for {ap}.",
    "The delivery date came and went.",
    "The parcel sat at the depot for {d} days.",
    "{c} left a card saying they tried to deliver, but I was home all day.",
    "Next day delivery my foot, it took {d} days.",
    "I received the {p} a full week after the promised date.",
    "Delivery is getting slower and slower with every order.",
    "Your delivery times are a joke.",
    "It arrived late, which meant I had to go and buy one in a shop anyway.",
};
constexpr Sv kDeliveryDetail[] = {
    "I had taken a day off work to be in.",
    "No email, no text, nothing to say it would be late.",
    "The website said 2-3 working days.",
    "This is the third late order in a row.",
    "By the time it came I had bought one locally.",
    "Honestly, {c} are hopeless.",
    "It was for a gift so that was embarrassing.",
    "I paid extra for faster delivery and want that money back.",
    "Why promise a date you can't keep?",
    "The delivery window was 7am to 9pm, really helpful.",
};
constexpr Sv kDeliveryTerse[] = {
    "late delivery", "delivery too slow",  "took {d} days to arrive",
    "arrived late",  "slow shipping",      "delivery delays",
    "late again",    "delivery took ages", "delivery was {d} days late",
    "slow delivery",
};
constexpr Sv kDeliveryTitle[] = {
    "Late delivery",     "Arrived {d} days late",
    "Slow, slow, slow",  "So much for next day delivery",
    "Delivery let down", "Still waiting",
    "Late again",        "Took forever",
};
constexpr Sv kDeliveryMinor[] = {
    "delivery took a day longer than promised",
    "it came a bit later than expected",
    "the courier was a day late",
    "delivery was slower than last time",
    "it took {d} days to get here",
};
constexpr Sv kDeliverySubject[] = {
    "Order {o} not arrived", "Late delivery",   "Where is my delivery?",
    "Delivery delayed",      "Missed delivery", "Order {o} late",
};
constexpr Sv kDeliveryRequest[] = {
    "My order {o} was due on {w} and still hasn't arrived. Can you tell me what's going on?",
    "I ordered {ap} over a week ago with next day delivery. It's still not here.",
    "My delivery was supposed to come yesterday and nobody turned up. Order {o}.",
    "Order {o} is {d} days late now. I need it by the weekend, can you chase it please?",
    "The delivery date for my {p} keeps moving. First {w}, now next week. What is happening?",
    "My parcel still hasn't been delivered by {c} and it's {d} days past the date. Order number "
    "{o}.",
};
constexpr Sv kDeliveryReply[] = {
    "I'm sorry your order is late. I've checked with {c} and it is now due within the next 2 "
    "working days.",
    "Apologies for the delay. The parcel was held at the depot; it's back on the road and should "
    "arrive tomorrow.",
    "Sorry about this. I've refunded the delivery charge and flagged the delay with our carrier.",
    "I'm really sorry. We have delays in some areas at the moment. Your parcel is out for "
    "delivery today.",
};
constexpr Sv kDeliveryChase[] = {
    "It still hasn't come.", "Any update? Still nothing.", "That's what I was told last time.",
    "Still no parcel.",      "It's now {d} days late.",
};

// ---------------------------------------------------------------- tracking (where is my order)
constexpr Sv kTrackingCore[] = {
    "Where is my order?? Tracking hasn't updated in {d} days.",
    "The tracking link doesn't work.",
    "Tracking says delivered but there's nothing here.",
    "No tracking number was ever sent.",
    "Tracking has said 'in transit' for a week.",
    "I have no idea where my parcel is and nobody can tell me.",
    "The tracking page just says 'label created'.",
    "Got a 'your order is on its way' email {d} days ago and nothing since.",
    "Can't track my order, {c} don't recognise the tracking number.",
    "It was marked as delivered to a neighbour. None of my neighbours have it.",
    "Where is my order? No updates, no emails, nothing.",
    "The tracking shows my parcel going back and forth between two depots.",
    "Says out for delivery every day and never comes.",
    "Tracking info is useless, it hasn't moved since {w}.",
};
constexpr Sv kTrackingDetail[] = {
    "I've refreshed the tracking page a hundred times.",
    "How hard is it to send a working tracking link?",
    "The app shows a different status from the email.",
    "Is it lost? Just tell me.",
    "The photo on the delivery confirmation is not my door.",
    "{c} say it's your problem and you say it's theirs.",
};
constexpr Sv kTrackingTerse[] = {
    "no tracking updates",    "where is my order", "tracking useless",
    "tracking never updated", "parcel lost?",      "says delivered, never got it",
    "no tracking number",
};
constexpr Sv kTrackingTitle[] = {
    "Where is my order?", "Tracking is useless", "Says delivered, it wasn't",
    "No tracking info",   "Lost parcel",         "Where is my parcel???",
};
constexpr Sv kTrackingMinor[] = {
    "the tracking link didn't work",
    "the tracking info was a bit vague",
    "tracking didn't update until it arrived",
};
constexpr Sv kTrackingSubject[] = {
    "Where is my order?",
    "Tracking not updating",
    "Order {o} - no tracking",
    "Parcel marked delivered but not received",
    "WISMO {o}",
};
constexpr Sv kTrackingRequest[] = {
    "Where is my order {o}? The tracking hasn't moved since {w}.",
    "Tracking says my parcel was delivered but I haven't got it. Order {o}.",
    "I never got a tracking number for order {o}, can you send it?",
    "The tracking link in the email says 'not found'. Order {o}, {ap}.",
    "My order {o} says out for delivery since {w}. Where is it actually?",
};
constexpr Sv kTrackingReply[] = {
    "{c} confirm the parcel is at your local depot and will be delivered tomorrow.",
    "I've opened an investigation with {c}. If it isn't found within 48 hours we'll send a "
    "replacement.",
    "Here is a working tracking link: https://track.example.com/{o}. It shows the parcel due "
    "tomorrow.",
    "The parcel was delivered to your safe place (behind the bin) according to {c}. Could you "
    "check there?",
};
constexpr Sv kTrackingChase[] = {
    "The tracking still says the same thing.",
    "Still no sign of it.",
    "It isn't behind the bin. It isn't anywhere.",
    "Any news from the investigation?",
};

// ---------------------------------------------------------------- packaging and damage
constexpr Sv kPackagingCore[] = {
    "The box arrived completely crushed.",
    "@AH The {p} {was} dented when I opened it.",
    "@F The {p} arrived broken, no bubble wrap at all.",
    "Zero packaging, the {p} {was} just rattling around in a huge box.",
    "The outer box was crushed and the {p} inside {was} damaged.",
    "@C The bag had split open inside the box.",
    "The parcel looked like it had been kicked across the depot.",
    "The box was soaking wet and falling apart.",
    "@AH Big dent in the side of the {p}, clearly dropped.",
    "Arrived damaged.",
    "The packaging was ripped open and taped back up.",
    "@AH The {p} came scratched and dented, the box was caved in on one side.",
    "@F Two of the {p} were smashed to pieces.",
    "@AH The box was crushed flat and the {p} {has} a huge dent in it.",
    "Damaged in transit, the box was crushed.",
    "Box was squashed and the {p} inside {was} damaged.",
    "@C Coffee everywhere, the packet burst in the post.",
    "The item was damaged because it was just thrown in a thin bag.",
};
constexpr Sv kPackagingDetail[] = {
    "Photos attached.",
    "I had to send it back, which was another hassle.",
    "Please use proper padding.",
    "The box was held together with one bit of tape.",
    "It looked like someone had sat on it.",
    "Not the first time either.",
    "Who packs {ap} with no protection at all?",
    "I couldn't even give it as a present looking like that.",
};
constexpr Sv kPackagingTerse[] = {
    "damaged box",       "arrived crushed",   "poor packaging",  "dented on arrival",
    "broken in transit", "box crushed again", "arrived damaged",
};
constexpr Sv kPackagingTitle[] = {
    "Arrived damaged",       "Crushed box",        "Dented {p}",
    "Pack things properly!", "Damaged in transit", "Broken on arrival",
};
constexpr Sv kPackagingMinor[] = {
    "the box was a bit crushed", "the outer box was battered",   "the packaging was a bit flimsy",
    "the box was crushed",       "the box had a big dent in it",
};
constexpr Sv kPackagingSubject[] = {
    "Damaged item", "Arrived broken",           "Crushed parcel - order {o}",
    "Dented {p}",   "Item damaged in delivery",
};
constexpr Sv kPackagingRequest[] = {
    "My {p} arrived damaged. The box was crushed and the {p} {is} dented. Order {o}. Photos "
    "attached.",
    "The parcel for order {o} was wet and torn and the {p} inside {is} broken. What can you do?",
    "Just opened my order {o}, the {p} {is} damaged. There was no padding in the box at all.",
    "The box was crushed on delivery and the {p} {is} scratched and dented. I'd like a "
    "replacement.",
};
constexpr Sv kPackagingReply[] = {
    "So sorry it arrived damaged. I've arranged a replacement, there's no need to send the "
    "damaged one back.",
    "Thanks for the photos. I've logged this with our warehouse team and sent a replacement "
    "today.",
    "I'm sorry about the damage. Would you prefer a replacement or a full refund?",
};
constexpr Sv kPackagingChase[] = {
    "Has the replacement been sent?",
    "Any news on the replacement?",
    "The replacement arrived damaged too!!",
};

// ---------------------------------------------------------------- wrong or missing item
constexpr Sv kWrongCore[] = {
    "I ordered the {p} and received {aq}.",
    "Wrong item sent.",
    "Half my order was missing.",
    "The {p} {was} missing from the box, everything else was there.",
    "Got the wrong colour.",
    "Received someone else's order.",
    "The box was empty apart from the packing slip.",
    "@A Parts were missing from the box, no plug and no base.",
    "The packing slip says 2 items, I got one.",
    "You sent me {aq} instead of {ap}. How does that even happen?",
    "The order arrived with the wrong product in it.",
    "Only half of what I paid for was in the parcel.",
    "I got {aq}. I didn't order {aq}.",
    "Missing item from my order and no note to say why.",
};
constexpr Sv kWrongDetail[] = {
    "Now I have to wait for a replacement.",
    "I checked the order confirmation twice.",
    "Happened last month too.",
    "Does anyone check orders before they go out?",
    "Now I have to send it back at my own cost.",
};
constexpr Sv kWrongTerse[] = {
    "wrong item",    "item missing", "incomplete order", "sent the wrong product",
    "missing items", "wrong order",
};
constexpr Sv kWrongTitle[] = {
    "Wrong item!",      "Missing items",        "Not what I ordered",
    "Incomplete order", "Sent the wrong thing",
};
constexpr Sv kWrongMinor[] = {
    "one small item was missing",
    "they sent the wrong colour but I kept it",
    "the free sample I was promised wasn't in the box",
};
constexpr Sv kWrongSubject[] = {
    "Wrong item received",
    "Missing item order {o}",
    "Incorrect order",
    "Item missing from parcel",
};
constexpr Sv kWrongRequest[] = {
    "I ordered {ap} (order {o}) but received {aq}. Can you send the right one?",
    "My order {o} arrived but the {p} {was} missing.",
    "I've received someone else's order. My order number is {o} and I was expecting {ap}.",
    "Order {o} only had one of my two items in it.",
};
constexpr Sv kWrongReply[] = {
    "Sorry about the mix-up. The correct item has been dispatched today, and you'll get a returns "
    "label for the wrong one.",
    "Apologies, the item was missed at packing. It's been sent separately and should arrive in "
    "2 days.",
    "I'm sorry. I've refunded the missing item; you should see it in 3-5 working days.",
};
constexpr Sv kWrongChase[] = {
    "I still haven't got the right one.",
    "No returns label has arrived.",
    "The replacement was wrong as well.",
};

// ---------------------------------------------------------------- out of stock
constexpr Sv kStockCore[] = {
    "The {p} showed as in stock, then a week later I got an email saying it was out of stock.",
    "Always out of stock.",
    "Order cancelled because the item was out of stock, after taking my money.",
    "Backordered for {d} weeks with no warning.",
    "The website said in stock. It wasn't.",
    "Been trying to buy the {p} for a month, constantly sold out.",
    "They replaced my {p} with something else without asking because it was out of stock.",
    "Half my order is on backorder.",
    "Please restock the {p}, it's been sold out forever.",
    "Every time I want to reorder, it's unavailable.",
    "Out of stock again, third time this month.",
};
constexpr Sv kStockDetail[] = {
    "Why let people order something you don't have?",
    "I'd have bought it elsewhere if I had known.",
    "The 'notify me' email never came.",
    "Now I have to find it somewhere else.",
};
constexpr Sv kStockTerse[] = {
    "out of stock", "always sold out", "items unavailable", "backorder nightmare", "never in stock",
};
constexpr Sv kStockTitle[] = {
    "Out of stock again",
    "Sold out",
    "Stop selling what you don't have",
    "Never in stock",
};
constexpr Sv kStockMinor[] = {
    "one item was on backorder",
    "my usual {p} {was} out of stock",
    "the one I wanted was sold out",
};
constexpr Sv kStockSubject[] = {
    "Item out of stock",
    "Backorder query - order {o}",
    "When will the {p} be back in stock?",
    "Order cancelled - out of stock",
};
constexpr Sv kStockRequest[] = {
    "My order {o} says the {p} {is} on backorder. When will it be back in stock?",
    "I got an email that my {p} {is} out of stock and the order is cancelled. I've already paid, "
    "what happens now?",
    "Any idea when the {p} will be available again? It's been sold out for weeks.",
};
constexpr Sv kStockReply[] = {
    "The {p} {is} expected back in stock next week; your order will ship as soon as it arrives.",
    "Sorry, the {p} sold out. I've refunded you in full, it will show in 3-5 working days.",
    "We're waiting on a delivery from our supplier. I've added you to the restock list.",
};
constexpr Sv kStockChase[] = {
    "It's still showing as out of stock.",
    "Still no refund for the cancelled order.",
};

// ---------------------------------------------------------------- returns and refunds
constexpr Sv kReturnsCore[] = {
    "Sent the {p} back {d} weeks ago and still no refund.",
    "Returned my order a month ago, still waiting for my money.",
    "The returns process is a joke.",
    "Refund still not received after {d} days.",
    "They received my return (I have proof) but say they can't find it.",
    "There was no returns label in the box and the returns page gives an error.",
    "Had to pay for return postage on a faulty item.",
    "The refund was less than I paid.",
    "Asked for a refund {n} times.",
    "Promised a refund within 5 days, it's been {d}.",
    "Returning anything here is a nightmare.",
    "My refund has been 'processing' for weeks.",
    "I returned the {p} and got a voucher instead of my money back.",
};
constexpr Sv kReturnsDetail[] = {
    "I have the proof of postage.",      "Where is my money?",
    "Nobody replies about it.",          "I won't buy again until I get my money back.",
    "The return was signed for on {w}.", "I'm going to my bank next.",
};
constexpr Sv kReturnsTerse[] = {
    "refund not received", "returns process awful", "still waiting for refund",
    "slow refunds",        "impossible to return",  "no refund yet",
};
constexpr Sv kReturnsTitle[] = {
    "Where is my refund?",  "Returns nightmare", "Still no refund",
    "Impossible to return", "Refund hell",
};
constexpr Sv kReturnsMinor[] = {
    "the refund took a while",
    "returning the first one was a bit of a faff",
    "the returns label was hard to find",
};
constexpr Sv kReturnsSubject[] = {
    "Refund not received", "Return for order {o}",  "Returns label",
    "Refund status",       "How do I return this?",
};
constexpr Sv kReturnsRequest[] = {
    "I returned the {p} from order {o} two weeks ago and haven't had my refund yet.",
    "How do I return the {p}? The returns page keeps erroring.",
    "You've had my return since {w} according to the tracking. Where is my refund for order {o}?",
    "I'd like to return the {p} from order {o}, it's not what I expected. Can you send a label?",
};
constexpr Sv kReturnsReply[] = {
    "I can see your return arrived at our warehouse. I've processed the refund today, please "
    "allow 3-5 working days.",
    "Here is a prepaid returns label. Once it's scanned we'll refund you.",
    "Sorry for the wait. The refund has been approved and sent back to your original payment "
    "method.",
};
constexpr Sv kReturnsChase[] = {
    "Still no refund in my account.",
    "The label still doesn't work.",
    "It's been another week, no money.",
};

// ---------------------------------------------------------------- subscriptions
constexpr Sv kSubscriptionCore[] = {
    "Tried to pause my subscription and the button doesn't work.",
    "Impossible to cancel the subscription online.",
    "My {p} delivery was skipped this month without any notice.",
    "The subscription box didn't arrive this month and nobody told me why.",
    "Changed my delivery frequency to every 6 weeks but it's still coming monthly.",
    "I cancelled my subscription and it still renewed.",
    "Can't skip a delivery, the app just spins.",
    "You have to phone to cancel the subscription. In 2026. Really?",
    "Paused my plan in the app and got a box anyway.",
    "My subscription was cancelled by itself and I lost my discount.",
    "Skipped delivery again, that's two months in a row.",
    "I can't change the address on my subscription.",
};
constexpr Sv kSubscriptionDetail[] = {
    "This is meant to be convenient.",
    "I'm going to cancel the whole thing.",
    "The account page says active, I cancelled it on {w}.",
    "I've been a subscriber for two years.",
    "Make it possible to manage it online please.",
};
constexpr Sv kSubscriptionTerse[] = {
    "can't cancel subscription",   "skipped delivery",      "subscription issues", "can't pause",
    "subscription keeps renewing", "missed my monthly box",
};
constexpr Sv kSubscriptionTitle[] = {
    "Can't cancel my subscription",
    "Subscription chaos",
    "Skipped my delivery",
    "Subscription is a trap",
};
constexpr Sv kSubscriptionMinor[] = {
    "changing the subscription date was fiddly",
    "I couldn't find where to pause my plan",
    "last month's box was skipped",
};
constexpr Sv kSubscriptionSubject[] = {
    "Cancel my subscription",        "Pause subscription",
    "Subscription box not received", "Skipped delivery",
    "Change subscription frequency",
};
constexpr Sv kSubscriptionRequest[] = {
    "I want to pause my subscription for a month but there's no option in my account.",
    "My subscription box didn't come this month. Order {o}.",
    "Please cancel my subscription, the website won't let me.",
    "I changed my subscription to every 6 weeks but I've been sent a box after 4 again.",
};
constexpr Sv kSubscriptionReply[] = {
    "I've paused your subscription; the next box will go out in 4 weeks.",
    "Your subscription is now cancelled and you won't be charged again.",
    "The delivery was skipped because of a payment retry. I've sent this month's box today.",
};
constexpr Sv kSubscriptionChase[] = {
    "It still shows as active.",
    "I've just been sent another box!",
    "It still won't let me change it.",
};

// ---------------------------------------------------------------- duplicate subscription charge
constexpr Sv kDuplicateCore[] = {
    "I was charged twice for my subscription this month.",
    "Double charged for my subscription AGAIN.",
    "Two payments of {a} taken on the same day for one subscription box.",
    "My monthly plan took the payment twice.",
    "Got charged twice for the same delivery.",
    "The subscription renewal charged my card two times.",
    "My bank statement shows {a} twice from you this month.",
    "You took my subscription payment twice and I only got one box.",
    "Charged 2x for my monthly coffee.",
    "Double charged on my monthly subscription.",
    "Two identical charges for my plan this month.",
};
constexpr Sv kDuplicateDetail[] = {
    "That's {a} I didn't budget for.",         "My account went overdrawn because of it.",
    "I want the second payment refunded now.", "A friend of mine had the same thing.",
    "Is anyone checking your payment system?",
};
constexpr Sv kDuplicateTerse[] = {
    "double charged", "charged twice for subscription", "duplicate payment",
    "billed twice",   "charged twice this month",       "double charged on my plan",
};
constexpr Sv kDuplicateTitle[] = {
    "Charged twice!",
    "Double charged for subscription",
    "Took my money twice",
    "Duplicate subscription payment",
};
constexpr Sv kDuplicateMinor[] = {
    "I was charged twice for the subscription once",
    "they double charged me but refunded it",
};
constexpr Sv kDuplicateSubject[] = {
    "Charged twice",        "Double charge on subscription", "Duplicate payment",
    "Refund second charge", "Billed twice this month",
};
constexpr Sv kDuplicateRequest[] = {
    "I've been charged twice for my subscription this month ({a} each). Please refund one.",
    "There are two payments for my monthly plan on my card. Order {o}.",
    "Why have I been double charged for my subscription?",
    "My subscription renewal went through twice today, {a} x2. I only want one box!",
};
constexpr Sv kDuplicateReply[] = {
    "I'm sorry, a payment system error charged some monthly plans twice. I've refunded the "
    "duplicate, it will show in 3-5 days.",
    "Apologies. The second charge of {a} has been refunded.",
    "Sorry about that. Our billing team is aware of duplicate renewals this month; your refund "
    "is on its way.",
};
constexpr Sv kDuplicateChase[] = {
    "The duplicate payment still hasn't been refunded.",
    "Still waiting on the refund for the second charge.",
    "I've been charged twice AGAIN.",
};

// ---------------------------------------------------------------- customer service
constexpr Sv kSupportCore[] = {
    "Emailed customer service {n} times and got no reply.",
    "Waited over an hour on hold.",
    "Nobody answers the chat.",
    "Customer service took {d} days to reply and didn't even answer my question.",
    "Still waiting for a response to my email from last week.",
    "The chatbot just goes round in circles.",
    "Support closed my ticket without fixing anything.",
    "Got a copy-paste reply that ignored what I wrote.",
    "Rude agent on the phone.",
    "No reply for days.",
    "Your customer service is non-existent.",
    "It took them {d} days to answer a simple question.",
    "I've sent {n} messages and nobody has got back to me.",
};
constexpr Sv kSupportDetail[] = {
    "Is anyone actually working there?",
    "I've given up.",
    "Every time I get a different answer.",
    "The automatic reply said 24 hours. It's been {d} days.",
    "I just want someone to read my email properly.",
};
constexpr Sv kSupportTerse[] = {
    "slow customer service",  "no reply from support",   "bad customer service",
    "support ignores emails", "waited days for a reply", "customer service useless",
};
constexpr Sv kSupportTitle[] = {
    "Customer service non-existent", "No reply", "Terrible support", "Nobody answers",
    "Ignored by customer service",
};
constexpr Sv kSupportMinor[] = {
    "customer service took a while to get back to me",
    "the chat wait was long",
    "it took a couple of emails to get an answer",
};
constexpr Sv kSupportSubject[] = {
    "No reply to my emails",
    "Complaint",
    "Still waiting for an answer",
    "Third time asking",
};
constexpr Sv kSupportRequest[] = {
    "I emailed {d} days ago about my order {o} and nobody replied. Can someone please get back "
    "to me?",
    "This is my third message. Why is nobody answering?",
    "I was promised a call back on {w} and it never happened.",
};
constexpr Sv kSupportReply[] = {
    "I'm very sorry for the slow reply, we've had a lot more messages than usual.",
    "Apologies for the wait. I've read back through your emails and I'm sorting this now.",
};
constexpr Sv kSupportChase[] = {
    "Hello?? Is anyone there?",
    "Still waiting for a reply.",
    "It's been 2 days. Anyone?",
    "Why does it take DAYS to get an answer?",
};

// ---------------------------------------------------------------- billing and payment
constexpr Sv kBillingCore[] = {
    "Payment failed at checkout {n} times, but the money left my account.",
    "The promo code wasn't applied and I was charged full price.",
    "The invoice shows the wrong amount.",
    "Charged {a} more than the price on the website.",
    "Card declined even though it works everywhere else.",
    "Can't get a VAT invoice for my order.",
    "Checkout added a delivery charge at the very last step.",
    "There's still a pending payment of {a} on my card for a cancelled order.",
    "PayPal payment went through but the order says unpaid.",
    "Gift card balance disappeared at checkout.",
    "My discount code was accepted and then the full price was taken.",
    "The checkout keeps failing at the payment step.",
};
constexpr Sv kBillingDetail[] = {
    "I checked my bank app twice.",
    "That's not a small amount for me.",
    "Please fix your checkout.",
    "I have screenshots of the price.",
};
constexpr Sv kBillingTerse[] = {
    "payment problems",     "overcharged",     "billing error",
    "discount not applied", "checkout broken", "wrong amount charged",
};
constexpr Sv kBillingTitle[] = {
    "Overcharged",
    "Billing mess",
    "Checkout broken",
    "Payment problems",
};
constexpr Sv kBillingMinor[] = {
    "the discount code didn't work at first",
    "paying by card took a few goes",
    "the invoice was a bit confusing",
};
constexpr Sv kBillingSubject[] = {
    "Payment issue",          "Overcharged on order {o}",       "Invoice request",
    "Promo code not applied", "Payment taken but order failed",
};
constexpr Sv kBillingRequest[] = {
    "I was charged {a} but the website price was lower. Order {o}.",
    "My payment failed but the money was taken. Can you check order {o}?",
    "Could you send a proper VAT invoice for order {o}?",
    "My promo code didn't apply on order {o}, can you refund the difference?",
};
constexpr Sv kBillingReply[] = {
    "I've checked and refunded the difference of {a}.",
    "The payment was only pre-authorised; it will drop off your card in a few days.",
    "I've attached your VAT invoice to this email.",
};
constexpr Sv kBillingChase[] = {
    "The money still hasn't come back.",
    "The invoice still has the wrong amount.",
};

// ---------------------------------------------------------------- product quality
constexpr Sv kQualityCore[] = {
    "{Defect}.",
    "Really poor quality, {defect}.",
    "After {d} days {defect}.",
    "Cheap rubbish: {defect}.",
    "Not fit for purpose, {defect}.",
    "Very poor quality. {Defect}.",
    "The {p} {is} faulty, {defect}.",
    "Used it {n} times and {defect}.",
    "Poorly made. {Defect}.",
    "Honestly the quality has gone downhill, {defect}.",
};
constexpr Sv kQualityDetail[] = {
    "For the price I expected much better.",
    "My old one lasted ten years.",
    "It feels cheap too.",
    "It's going straight back.",
    "Such a shame because it looks nice.",
};
constexpr Sv kQualityTerse[] = {
    "poor quality", "broke quickly", "faulty", "cheap and nasty", "stopped working", "{defect}",
};
constexpr Sv kQualityTitle[] = {
    "Poor quality", "Broke after {d} days", "Faulty {p}", "Cheaply made", "Not fit for purpose",
};
constexpr Sv kQualityMinor[] = {
    "the {p} feels a bit flimsy",
    "it's not as sturdy as I hoped",
    "the finish is a bit rough",
};
constexpr Sv kQualitySubject[] = {
    "Faulty {p}",
    "{p} not working",
    "Warranty claim",
    "Defective product",
};
constexpr Sv kQualityRequest[] = {
    "My {p} {has} stopped working properly: {defect}. It's only {d} weeks old. Order {o}.",
    "Is this normal? {Defect}. Order {o}.",
    "I'd like a replacement {p}, {defect}.",
};
constexpr Sv kQualityReply[] = {
    "Sorry to hear that. That's covered by the warranty, so I've arranged a replacement.",
    "Thanks for letting us know. Could you send a photo or a short video so we can check?",
    "I'm sorry it's faulty. I've refunded you in full, no need to return it.",
};
constexpr Sv kQualityChase[] = {
    "The replacement has the same problem.",
    "I sent the video two days ago.",
};

// ---------------------------------------------------------------- price and value
constexpr Sv kPriceCore[] = {
    "Way overpriced for what it is.",
    "The {p} went up by {a} since my last order.",
    "Found the exact same {p} for much less elsewhere.",
    "The delivery charge is ridiculous for such a small order.",
    "Prices keep going up every month.",
    "Not worth the money.",
    "The subscription price went up with no warning.",
    "Tiny amount for {a}, you're having a laugh.",
    "Too expensive now, I can't justify it.",
    "Half the price at the supermarket.",
};
constexpr Sv kPriceDetail[] = {
    "I used to recommend you, not at these prices.",
    "The quality is fine, the price isn't.",
    "I'll be shopping around from now on.",
};
constexpr Sv kPriceTerse[] = {
    "too expensive", "overpriced", "poor value", "price increases", "not worth the money",
};
constexpr Sv kPriceTitle[] = {
    "Overpriced",
    "Not worth it",
    "Prices up again",
    "Poor value",
};
constexpr Sv kPriceMinor[] = {
    "it's a bit pricey",
    "it's not the cheapest",
    "delivery costs a bit much",
};
constexpr Sv kPriceSubject[] = {
    "Price increase",
    "Price match?",
    "Why has the price gone up?",
};
constexpr Sv kPriceRequest[] = {
    "Why has the price of my {p} gone up by {a}?",
    "Do you price match? The {p} {is} much cheaper elsewhere.",
};
constexpr Sv kPriceReply[] = {
    "Our prices were updated because of rising costs. Your current price is locked for 3 months.",
    "We don't price match, but here's a 10% code for your next order.",
};
constexpr Sv kPriceChase[] = {"That doesn't really answer my question."};

constexpr CauseBank kCauseBanks[] = {
    {kDeliveryCore, kDeliveryDetail, kDeliveryTerse, kDeliveryTitle, kDeliveryMinor,
     kDeliverySubject, kDeliveryRequest, kDeliveryReply, kDeliveryChase},
    {kTrackingCore, kTrackingDetail, kTrackingTerse, kTrackingTitle, kTrackingMinor,
     kTrackingSubject, kTrackingRequest, kTrackingReply, kTrackingChase},
    {kPackagingCore, kPackagingDetail, kPackagingTerse, kPackagingTitle, kPackagingMinor,
     kPackagingSubject, kPackagingRequest, kPackagingReply, kPackagingChase},
    {kWrongCore, kWrongDetail, kWrongTerse, kWrongTitle, kWrongMinor, kWrongSubject, kWrongRequest,
     kWrongReply, kWrongChase},
    {kStockCore, kStockDetail, kStockTerse, kStockTitle, kStockMinor, kStockSubject, kStockRequest,
     kStockReply, kStockChase},
    {kReturnsCore, kReturnsDetail, kReturnsTerse, kReturnsTitle, kReturnsMinor, kReturnsSubject,
     kReturnsRequest, kReturnsReply, kReturnsChase},
    {kSubscriptionCore, kSubscriptionDetail, kSubscriptionTerse, kSubscriptionTitle,
     kSubscriptionMinor, kSubscriptionSubject, kSubscriptionRequest, kSubscriptionReply,
     kSubscriptionChase},
    {kSupportCore, kSupportDetail, kSupportTerse, kSupportTitle, kSupportMinor, kSupportSubject,
     kSupportRequest, kSupportReply, kSupportChase},
    {kBillingCore, kBillingDetail, kBillingTerse, kBillingTitle, kBillingMinor, kBillingSubject,
     kBillingRequest, kBillingReply, kBillingChase},
    {kQualityCore, kQualityDetail, kQualityTerse, kQualityTitle, kQualityMinor, kQualitySubject,
     kQualityRequest, kQualityReply, kQualityChase},
    {kPriceCore, kPriceDetail, kPriceTerse, kPriceTitle, kPriceMinor, kPriceSubject, kPriceRequest,
     kPriceReply, kPriceChase},
};
constexpr CauseBank kDuplicateBank = {kDuplicateCore,    kDuplicateDetail, kDuplicateTerse,
                                      kDuplicateTitle,   kDuplicateMinor,  kDuplicateSubject,
                                      kDuplicateRequest, kDuplicateReply,  kDuplicateChase};
static_assert(sizeof(kCauseBanks) / sizeof(kCauseBanks[0]) == kCauseCount);

// ---------------------------------------------------------------- general
constexpr Sv kOpenings[] = {
    "Honestly,",
    "Well.",
    "Ordered the {p} on {w}.",
    "Second time this has happened.",
    "Long time customer here.",
    "Where do I start...",
    "Not happy.",
    "Ugh.",
    "So,",
    "I don't normally leave reviews but",
    "Bought the {p} for my mum.",
    "Third order with you.",
    "Really wanted to like this company.",
    "Oh dear.",
    "Very disappointed.",
};
constexpr Sv kClosers[] = {
    "Very disappointed.",
    "Not ordering again.",
    "Sort it out!",
    "Will think twice next time.",
    "Please fix this.",
    "Definitely not recommending you.",
    "Cancelling my account.",
    "Shame, because I used to love this shop.",
    "Not good enough.",
    "Really disappointed.",
    "Expected better.",
    "Won't be back.",
    "Do better.",
    "Avoid.",
    "I'd give zero stars if I could.",
    "Such a let down.",
};
constexpr Sv kAngryClosers[] = {
    "NEVER AGAIN.",       "ABSOLUTE JOKE.",    "Disgraceful!!", "Utterly useless company.",
    "AVOID AVOID AVOID.", "Shocking service.",
};
constexpr Sv kPraise[] = {
    "Great service, will order again.",
    "Love it!",
    "Excellent, thank you.",
    "Really happy with my {p}.",
    "Brilliant {p}, exactly as described.",
    "Five stars.",
    "Couldn't be happier.",
    "Fantastic shop, always reliable.",
    "Absolutely love my new {p}.",
    "Top quality and great service.",
    "Lovely {p}, really pleased.",
    "Perfect, thank you!",
    "Great value for money.",
    "Does exactly what I wanted.",
    "Superb.",
    "Best {p} I've bought in a long time.",
    "Highly recommend.",
    "Really impressed.",
};
constexpr Sv kPraiseProduct[] = {
    "The {p} {is} great, {praise}.", "Love the {p}: {praise}.", "{Praise}, really pleased.",
    "Really happy, {praise}.",       "{Praise}. Great buy.",    "Brilliant, {praise}.",
};
constexpr Sv kPraiseOps[] = {
    "Arrived next day, well packed.",
    "Delivery was quick and the courier was friendly.",
    "Tracking was spot on the whole way.",
    "My refund came through in two days, painless.",
    "Customer service sorted my issue in minutes.",
    "Easy to pause my subscription in the app.",
    "Checkout was quick and easy.",
    "Well packaged, everything arrived in perfect condition.",
    "Delivered a day early!",
    "Returned one item and got the refund really fast.",
    "The chat team were lovely and helpful.",
    "Came beautifully packed.",
    "Fast delivery as always.",
    "Arrived on time.",
    "Always in stock when I need it.",
};
constexpr Sv kNegated[] = {
    "No problems at all.",
    "Not damaged, luckily, even though the box looked rough.",
    "Nothing missing.",
    "No issues with delivery.",
    "Never had a late delivery from them.",
    "Can't fault it.",
    "Not a single complaint.",
    "No complaints here.",
    "Never had to chase an order.",
    "No hassle at all.",
    "Nothing broken, nothing missing.",
    "Not one problem in two years.",
};
constexpr Sv kPraiseClosers[] = {
    "Will order again.",        "Thank you!",      "Highly recommend.", "Keep it up.", "10/10.",
    "Will definitely be back.", "Thanks so much.", "Happy customer.",
};
constexpr Sv kPraiseShort[] = {
    "love it",          "great service",
    "always reliable",  "good products",
    "easy to order",    "great coffee",
    "fast delivery",    "never had a problem",
    "quality products", "excellent customer service",
    "good value",       "nice {p}",
    "all good",         "perfect",
    "lovely stuff",     "very happy",
};
constexpr Sv kPraiseTitles[] = {
    "Great service", "Love it",    "Excellent", "Highly recommend", "Brilliant {p}",
    "Very happy",    "Five stars", "Perfect",   "Great shop",       "Spot on",
};
constexpr Sv kNeutral[] = {
    "It's ok.",
    "Does the job.",
    "Average.",
    "Fine, nothing special.",
    "As expected.",
    "Haven't used the {p} much yet.",
    "Decent {p} for the price.",
    "Not sure yet.",
    "Okay I guess.",
    "Same as the last one.",
    "It works, that's about it.",
    "Neither good nor bad.",
    "Reasonable.",
    "Bit early to say.",
};
constexpr Sv kNeutralShort[] = {
    "ok",           "fine",
    "average",      "nothing special",
    "it's alright", "no strong feelings",
    "does the job", "as expected",
    "decent",
};
constexpr Sv kNeutralTitles[] = {
    "OK", "Fine", "Average", "Does the job", "Nothing special",
};
constexpr Sv kMixedPraise[] = {
    "great {p}",
    "the {p} itself {is} great",
    "love the {p}",
    "the {p} {is} lovely",
    "good product",
    "{praise}",
    "nice quality",
    "the {p} {is} really good",
    "usually a great shop",
    "the coffee is great",
};
constexpr Sv kMixedTitles[] = {
    "Good product, shame about the rest",
    "Nearly perfect",
    "Great {p}, but...",
    "Mixed feelings",
    "Good but could be better",
    "Almost five stars",
};
constexpr Sv kEffortBad[] = {
    "Had to contact you {n} times to get it sorted.",
    "Took forever to sort out.",
    "I had to explain everything again each time.",
    "Far too much hassle.",
    "Nobody could give me a straight answer.",
    "Passed from one person to another.",
    "It should not be this hard.",
};
constexpr Sv kEffortGood[] = {
    "Sorted in one go.",        "Really easy, thank you.",
    "Quick and painless.",      "The agent fixed it straight away.",
    "Easy to sort out online.", "No effort at all.",
};
constexpr Sv kContext[] = {
    "I ordered the {p} for my dad's birthday.",
    "We've been buying our coffee here for about two years.",
    "This was my third order this year.",
    "I bought the {p} after seeing it recommended online.",
    "Ordered on a {w} evening.",
    "@AFH My old {p} finally gave up so I ordered this one.",
    "I was a bit hesitant after reading some of the reviews.",
    "Bought it as a gift for a friend who just moved house.",
    "We use the {p} every single day in our house.",
    "I'd been waiting for the {p} to come back in stock for a while.",
    "I ordered it together with a few other bits.",
    "A friend recommended this shop to me.",
    "I've ordered from here a few times before.",
    "First time ordering from this company.",
    "Ordered through the app during the sale.",
    "I needed it for the office kitchen.",
};
constexpr Sv kPraiseMore[] = {
    "I've used it every day for a few weeks now and it still looks brand new.",
    "The quality feels really premium for the price.",
    "Would definitely buy from here again.",
    "Everything was exactly as described on the website.",
    "It looks even better in real life than in the photos.",
    "The whole family loves it.",
    "Ordering was simple and I got updates at every step.",
    "It's the little touches that make the difference, like the handwritten thank-you note.",
    "Already recommended them to two friends.",
    "Much better than the one I had before.",
    "You can tell they care about what they sell.",
    "Great to find a shop that still gets the basics right.",
};
constexpr Sv kStoryReflections[] = {
    "I understand that mistakes happen, I really do, but what I can't understand is how nobody "
    "seems able to fix a simple problem once it has been pointed out to them several times.",
    "What makes it worse is that I have been a loyal customer for years and have recommended you "
    "to friends and family, some of whom have now asked me whether they should stop ordering too.",
    "Every single message I sent was answered with a template that had nothing to do with what I "
    "had actually written, and I started to wonder whether anybody was reading them at all.",
    "I spent more time on the phone and writing emails than the product is worth, and that is "
    "before you count the afternoon I took off work to wait for a delivery that never came.",
    "At one point I was told that the problem was with the courier, and the courier told me the "
    "problem was with you, and neither of you seemed interested in actually talking to the other.",
    "I've worked in customer service myself, so I know how hard it can be, but there is a basic "
    "level of ownership that I would expect from any company that wants to keep its customers.",
    "The most frustrating part is that each new person asked me to start again from the "
    "beginning, as if none of the previous conversations had ever happened.",
    "I kept a note of every call with the date, the time and the name of the person I spoke to, "
    "which is not something I ever expected to need when I ordered a few things for the kitchen.",
    "If this had been sorted out the first time I got in touch, I would have forgotten about it "
    "by now and happily carried on ordering, but instead here I am writing this.",
    "I have read other reviews that describe almost exactly the same thing, so I know I am not "
    "the only one, and I hope someone senior at the company reads these and does something.",
    "To be clear, the product itself was never the problem; it is everything around it that has "
    "made this such a miserable experience from start to finish.",
    "I would honestly have accepted a simple apology and a clear date, but even that seemed to "
    "be too much to ask for.",
};
constexpr Sv kStoryIntro[] = {
    "I don't normally write reviews but this has been a complete joke from start to finish.",
    "Buckle up, this is a long one.",
    "I've been a customer for three years and spent a small fortune here, so this really hurts.",
    "Here is exactly what happened, so nobody else goes through this.",
    "I want to put on record how this order went.",
};
constexpr Sv kStoryEvents[] = {
    "On {date} I emailed customer service.",
    "On {date} I got an automated reply saying someone would be in touch within 48 hours.",
    "On {date} I rang the helpline and waited 40 minutes before giving up.",
    "On {date} I was promised a call back that never came.",
    "On {date} I spoke to a very nice agent who said it would be escalated.",
    "On {date} I was told to wait another 5 working days.",
    "On {date} I opened a dispute with my bank.",
    "On {date} I posted on your Facebook page because nobody was answering emails.",
    "On {date} I got an email asking me to rate my experience. Seriously?",
    "On {date} I got another email with another copy-paste answer.",
    "On {date} the chat agent disconnected halfway through our conversation.",
    "On {date} I was told it would all be sorted by the end of the week.",
    "On {date} I was asked for my order number again, for the fourth time.",
    "On {date} I got a reply that was clearly meant for somebody else.",
    "On {date} I wrote to the complaints address listed on your website.",
    "On {date} I was transferred three times and ended up back at the start.",
    "On {date} I tried the chatbot, which sent me a link to the FAQ.",
    "On {date} I filled in the online contact form again.",
    "On {date} I was given a case number.",
    "On {date} I was told that case number didn't exist.",
    "On {date} I sent the same email again with URGENT in the subject line.",
    "On {date} I was offered a voucher, which I did not ask for.",
    "On {date} I was told a manager would call me the next day.",
    "On {date} nobody called.",
    "On {date} I checked my bank account. Nothing.",
    "On {date} I got an email saying my case was closed. Nobody had fixed anything.",
    "On {date} I reopened the case.",
    "On {date} someone told me the exact opposite of what the last person said.",
    "On {date} I asked to speak to a supervisor and was put on hold for 25 minutes.",
    "On {date} I sent a letter by recorded post.",
    "On {date} I was told my complaint had been passed to the relevant team.",
    "On {date} I asked which team that was. Nobody knew.",
    "On {date} I got a survey asking how likely I was to recommend you.",
    "On {date} I was told the system was down and to try again later.",
    "On {date} I tried again later.",
    "On {date} I finally got a reply, asking me to explain the problem from the beginning.",
};
constexpr Sv kStoryAsides[] = {
    "At this point I was starting to lose my patience.",
    "Every person I spoke to had no record of the previous conversation.",
    "I have screenshots of everything.",
    "Honestly I just want this sorted.",
    "I work full time, I don't have hours to spend chasing this.",
    "Nobody seems to talk to each other in that company.",
    "I have kept every email.",
    "You would think one of them would take ownership.",
    "I was polite every single time, which is more than I can say for some of the replies.",
    "My partner told me to give up, but it's the principle.",
    "It's not even about the money any more.",
    "I genuinely don't understand how a business runs like this.",
    "Each reply started with 'we appreciate your patience'. My patience ran out weeks ago.",
    "I've lost count of the hours I've spent on this.",
};
constexpr Sv kStoryEndings[] = {
    "So that's where we are. I'm still waiting and I've lost all faith in this company.",
    "In the end my bank refunded me, not you. That says it all.",
    "I'm posting this so other people know what they're getting into.",
    "If anyone from the company reads this, you know how to find me. I won't hold my breath.",
};
constexpr Sv kGreetings[] = {
    "Hi,", "Hello,", "Hi there,", "Good morning,", "Hello.", "Hi team,", "", "",
};
constexpr Sv kSignoffs[] = {
    "Thanks", "Thank you", "Regards", "Cheers", "Thanks in advance", "", "",
};
constexpr Sv kAgentNames[] = {
    "Priya", "Tom", "Sofia", "Jamal", "Hannah", "Lukas", "Chloe", "Marco", "Aisha", "Ben",
};
constexpr Sv kAgentGreetings[] = {
    "Hi, thanks for getting in touch.",    "Hello, thank you for your message.",
    "Hi there, thanks for contacting us.", "Thanks for reaching out.",
    "Hi, I'm sorry to hear this.",
};
constexpr Sv kAgentSorryWait[] = {
    "I'm so sorry for the delay in getting back to you, we're dealing with a very high volume of "
    "messages.",
    "Apologies for the slow reply, our team is very busy at the moment.",
    "Sorry for the long wait for a reply.",
    "Thank you for your patience, and sorry it has taken us so long to reply.",
};
constexpr Sv kAgentClosings[] = {
    "Is there anything else I can help with?",
    "Have a lovely day.",
    "Let me know if there's anything else.",
    "Sorry again for the trouble.",
};
constexpr Sv kThanks[] = {
    "Thanks, that's great.",         "Perfect, thank you!",
    "Thanks for sorting it.",        "Ok thanks.",
    "Great, thanks for your help 🙏", "Cheers.",
    "Thank you, appreciated.",
};
constexpr Sv kStillWaiting[] = {
    "Hello? Is anyone there?",
    "Still waiting for a reply, it's been {h}.",
    "It's been {h} and nobody has answered. Not impressed.",
    "Can someone please reply? {H} now.",
    "Any update?? I've been waiting {h}.",
    "Hello?? {H} and not a word.",
    "Why is nobody answering? I've been waiting {h} 😡",
    "Is this inbox even monitored?",
};
constexpr Sv kLateReplyReactions[] = {
    "Took you long enough.",
    "Finally. {H} to get a reply is not acceptable.",
    "Ok, but why did it take {h} to answer?",
    "Thanks, but the wait was ridiculous.",
    "About time.",
};
constexpr Sv kBotGreetings[] = {
    "Hi! I'm Bean, the virtual assistant. How can I help today?",
    "Hello! Ask me anything about your order.",
    "Hi there 👋 What can I help you with?",
};
constexpr Sv kBotHandoffs[] = {
    "I'll pass you to one of our team. Someone will reply here as soon as possible.",
    "Let me connect you with an agent. You can close this window, we'll reply here.",
    "I've passed your question to the team. They'll reply in this chat.",
};
constexpr Sv kBotAnswers[] = {
    "Here's our help article on that: https://help.example.com/orders",
    "You can track your order from the Orders page in your account.",
    "I'm sorry, I didn't understand that. Could you rephrase?",
};
constexpr Sv kAppBugs[] = {
    "The app crashes every time I open my basket.",
    "Keeps logging me out.",
    "The latest update broke the search.",
    "The app is so slow to load.",
    "Can't log in after the update.",
};
constexpr Sv kPiiLines[] = {
    "You can call me on 07700 900123.",
    "My email is jane.doe@example.com if that's easier.",
    "Please call me back on +44 20 7946 0958.",
    "Reach me at sam.k@example.org.",
    "My card number is 4111 1111 1111 1111 if you need it to refund me.",
    "My number is (555) 010-4477.",
};

constexpr GeneralBank kEnglish = {
    kOpenings,       kClosers,          kAngryClosers,
    kPraise,         kPraiseProduct,    kPraiseOps,
    kNegated,        kPraiseClosers,    kPraiseShort,
    kPraiseTitles,   kNeutral,          kNeutralShort,
    kNeutralTitles,  kMixedPraise,      kMixedTitles,
    kEffortBad,      kEffortGood,       kContext,
    kPraiseMore,     kStoryIntro,       kStoryEvents,
    kStoryAsides,    kStoryReflections, kStoryEndings,
    kGreetings,      kSignoffs,         kAgentNames,
    kAgentGreetings, kAgentSorryWait,   kAgentClosings,
    kThanks,         kStillWaiting,     kLateReplyReactions,
    kBotGreetings,   kBotHandoffs,      kBotAnswers,
    kAppBugs,        kPiiLines,
};

}  // namespace

const CauseBank& EnglishCause(Cause cause, bool duplicate_charge) {
  if (cause == Cause::kSubscription && duplicate_charge) return kDuplicateBank;
  return kCauseBanks[static_cast<int>(cause)];
}

const GeneralBank& English() {
  return kEnglish;
}

}  // namespace feedloop::samples
