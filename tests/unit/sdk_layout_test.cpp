// The SDK reads the host's arrays of structs by their struct_size, so that a later ABI minor can
// append fields to turns, annotations and labels without moving what an older plugin reads.
#include <gtest/gtest.h>

#include <cstring>
#include <feedloop/sdk.hpp>
#include <vector>

namespace feedloop::sdk {
namespace {

// What a newer host might pass: each element carries 24 more bytes than this plugin knows of.
template <class T>
struct Grown {
  T known;
  char appended[24];
};

TEST(SdkLayout, ArraysAreSteppedByTheHostsStructSize) {
  std::vector<Grown<feedloop_label_view>> labels(3);
  const char* names[] = {"delivery/late", "packaging/damaged", "billing/duplicate"};
  for (size_t i = 0; i < labels.size(); ++i) {
    std::memset(labels[i].appended, 0x5A, sizeof(labels[i].appended));
    labels[i].known = {};
    labels[i].known.struct_size = sizeof(Grown<feedloop_label_view>);
    labels[i].known.label = Str(names[i]);
    labels[i].known.confidence = 0.25 * static_cast<double>(i + 1);
  }
  std::vector<Grown<feedloop_annotation_view>> annotations(2);
  for (auto& a : annotations) {
    std::memset(a.appended, 0x5A, sizeof(a.appended));
    a.known = {};
    a.known.struct_size = sizeof(Grown<feedloop_annotation_view>);
  }
  annotations[0].known.name = Str("sentiment");
  annotations[1].known.name = Str("tags");
  annotations[1].known.labels = &labels[0].known;
  annotations[1].known.label_count = labels.size();
  std::vector<Grown<feedloop_turn_view>> turns(2);
  for (auto& t : turns) {
    std::memset(t.appended, 0x5A, sizeof(t.appended));
    t.known = {};
    t.known.struct_size = sizeof(Grown<feedloop_turn_view>);
  }
  turns[0].known.role = Str("customer");
  turns[1].known.role = Str("agent");

  feedloop_item_view view{};
  view.struct_size = sizeof(view);
  view.annotations = &annotations[0].known;
  view.annotation_count = annotations.size();
  view.turns = &turns[0].known;
  view.turn_count = turns.size();
  Item item(&view);

  EXPECT_EQ(View(item.turn(1).role), "agent");
  const feedloop_annotation_view* tags = item.annotation("tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags, &annotations[1].known);
  ASSERT_EQ(tags->label_count, 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(View(Label(*tags, i).label), names[i]);
    EXPECT_EQ(Label(*tags, i).confidence, 0.25 * static_cast<double>(i + 1));
  }
  EXPECT_EQ(item.annotation("root_cause"), nullptr);
}

}  // namespace
}  // namespace feedloop::sdk
