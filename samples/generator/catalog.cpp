#include "catalog.hpp"

namespace feedloop::samples {
namespace {

using Sv = std::string_view;

constexpr Sv kKettleDefects[] = {"the kettle leaks from the base", "the lid won't stay shut",
                                 "it switches itself off before the water boils",
                                 "the water tastes of plastic",
                                 "limescale filter fell out on day two"};
constexpr Sv kKettlePraise[] = {"boils really quickly", "it's so quiet compared to my old one",
                                "looks great on the counter", "the temperature settings are handy"};
constexpr Sv kToasterDefects[] = {
    "it burns one side and leaves the other side white", "the lever won't stay down",
    "two of the four slots stopped working", "the crumb tray doesn't fit properly"};
constexpr Sv kToasterPraise[] = {"toasts really evenly", "fits four slices of thick bread",
                                 "the bagel setting is great"};
constexpr Sv kBeansDefects[] = {"the beans taste stale", "the roast date was months ago",
                                "the beans were oily and bitter",
                                "it tastes nothing like the description"};
constexpr Sv kBeansPraise[] = {"lovely fresh roast", "great crema every time",
                               "smells amazing when you open the bag", "smooth, not bitter at all"};
constexpr Sv kMugDefects[] = {
    "the glaze chipped after the first wash", "the handles get scorching hot",
    "the mugs are much smaller than in the photos", "one mug has a hairline crack that leaks"};
constexpr Sv kMugPraise[] = {"really nice weight to them", "the colours are gorgeous",
                             "perfect size for a proper brew"};
constexpr Sv kBlenderDefects[] = {"the motor burned out after two weeks", "the jug cracked",
                                  "it leaks from the bottom of the jug",
                                  "it smells of burning every time I use it"};
constexpr Sv kBlenderPraise[] = {"crushes ice like nothing", "smoothies are perfectly smooth",
                                 "powerful and easy to clean"};
constexpr Sv kTeaDefects[] = {"the tea was tasteless", "half the teabags were split",
                              "it smelt musty", "the earl grey tasted of soap"};
constexpr Sv kTeaPraise[] = {"a lovely mix of teas", "the rooibos is my new favourite",
                             "great way to try new blends"};
constexpr Sv kPressDefects[] = {"the plunger mesh bent the first time I used it",
                                "grounds get through the filter", "the glass is really thin"};
constexpr Sv kPressPraise[] = {"makes a great cup", "solid and easy to clean"};
constexpr Sv kGrinderDefects[] = {"the grind size is all over the place", "it jammed after a week",
                                  "it's incredibly loud and throws grounds everywhere"};
constexpr Sv kGrinderPraise[] = {"really consistent grind", "quieter than I expected"};
constexpr Sv kFrotherDefects[] = {"it stopped frothing after a month", "the whisk fell off",
                                  "the milk burns on the bottom"};
constexpr Sv kFrotherPraise[] = {"perfect foam for lattes", "so easy to use"};
constexpr Sv kTeapotDefects[] = {"it started rusting after a few uses", "the enamel inside chipped",
                                 "the lid rattles and drips"};
constexpr Sv kTeapotPraise[] = {"keeps the tea hot for ages", "beautiful and heavy"};
constexpr Sv kPodDefects[] = {"half the pods don't pierce properly",
                              "the coffee from the pods is watery",
                              "several pods were crushed in the sleeve"};
constexpr Sv kPodPraise[] = {"good strong coffee", "work perfectly in my machine"};
constexpr Sv kDescalerDefects[] = {"it didn't descale anything", "the sachets had leaked"};
constexpr Sv kDescalerPraise[] = {"my kettle looks brand new", "does exactly what it says"};
constexpr Sv kTravelMugDefects[] = {"it leaks everywhere even with the lid locked",
                                    "it doesn't keep coffee hot for more than an hour"};
constexpr Sv kTravelMugPraise[] = {"keeps my coffee hot all morning", "doesn't leak in my bag"};
constexpr Sv kCupDefects[] = {"the saucers don't fit the cups", "one cracked after a week",
                              "the gold rim came off in the dishwasher"};
constexpr Sv kCupPraise[] = {"lovely little cups", "look very elegant"};
constexpr Sv kSubDefects[] = {"this month's coffee was stale", "the blend was bitter and flat",
                              "the beans were ground even though I asked for whole beans"};
constexpr Sv kSubPraise[] = {"a different great coffee every month", "always fresh",
                             "I look forward to the box every month"};

constexpr Product kProducts[] = {
    {"KETTLE-2L", "kettle", false, kAppliance, false, 4999, 14, kKettleDefects, kKettlePraise},
    {"TOASTER-4S", "toaster", false, kAppliance, false, 5999, 8, kToasterDefects, kToasterPraise},
    {"COFFEE-BEANS-1KG", "coffee beans", true, kConsumable, false, 2499, 12, kBeansDefects,
     kBeansPraise},
    {"MUG-SET-6", "mugs", true, kFragile, false, 3499, 8, kMugDefects, kMugPraise},
    {"BLENDER-PRO", "blender", false, kAppliance, false, 8999, 6, kBlenderDefects, kBlenderPraise},
    {"TEA-SAMPLER", "tea sampler", false, kConsumable, true, 1899, 7, kTeaDefects, kTeaPraise},
    {"FRENCH-PRESS-1L", "french press", false, kFragile, false, 2999, 5, kPressDefects,
     kPressPraise},
    {"GRINDER-BURR", "grinder", false, kAppliance, false, 6999, 5, kGrinderDefects, kGrinderPraise},
    {"MILK-FROTHER", "milk frother", false, kAppliance, false, 3999, 5, kFrotherDefects,
     kFrotherPraise},
    {"TEAPOT-CAST", "teapot", false, kHardware, false, 4499, 3, kTeapotDefects, kTeapotPraise},
    {"COFFEE-PODS-50", "coffee pods", true, kConsumable, true, 1599, 8, kPodDefects, kPodPraise},
    {"DESCALER-3PK", "descaler", false, kConsumable, false, 899, 4, kDescalerDefects,
     kDescalerPraise},
    {"TRAVEL-MUG", "travel mug", false, kHardware, false, 2199, 5, kTravelMugDefects,
     kTravelMugPraise},
    {"ESPRESSO-CUPS-4", "espresso cups", true, kFragile, false, 2799, 3, kCupDefects, kCupPraise},
    {"SUB-COFFEE-MONTHLY", "subscription box", false, kConsumable, true, 1999, 10, kSubDefects,
     kSubPraise},
};

constexpr Sv kUkCouriers[] = {"Royal Mail", "Evri", "DPD"};
constexpr Sv kDeCouriers[] = {"DHL", "Hermes", "DPD"};
constexpr Sv kFrCouriers[] = {"Colissimo", "Chronopost"};
constexpr Sv kUsCouriers[] = {"UPS", "FedEx", "USPS"};
constexpr Sv kEsCouriers[] = {"SEUR", "Correos"};
constexpr Sv kNlCouriers[] = {"PostNL", "DHL"};

constexpr Region kRegions[] = {
    {"UK", 30, "£", false, kUkCouriers, Lang::kEn}, {"US", 22, "$", false, kUsCouriers, Lang::kEn},
    {"DE", 18, "€", true, kDeCouriers, Lang::kDe},  {"FR", 12, "€", true, kFrCouriers, Lang::kFr},
    {"NL", 10, "€", true, kNlCouriers, Lang::kEn},  {"ES", 8, "€", true, kEsCouriers, Lang::kEs},
};

}  // namespace

std::string_view CauseLabel(Cause cause) {
  static constexpr Sv kLabels[] = {"delivery", "tracking", "packaging",    "wrong_item",
                                   "stock",    "returns",  "subscription", "support",
                                   "billing",  "quality",  "price",        "none"};
  return kLabels[static_cast<int>(cause)];
}

std::string_view LangTag(Lang lang) {
  static constexpr Sv kTags[] = {"en", "es", "fr", "de", "pt"};
  return kTags[static_cast<int>(lang)];
}

std::span<const Product> Products() {
  return kProducts;
}

const Product* FindProduct(std::string_view sku) {
  for (const Product& p : kProducts) {
    if (p.sku == sku) return &p;
  }
  return nullptr;
}

std::span<const Region> Regions() {
  return kRegions;
}

}  // namespace feedloop::samples
