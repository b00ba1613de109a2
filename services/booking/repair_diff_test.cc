#include "services/booking/repair_diff.h"

#include <gtest/gtest.h>

namespace tandem::booking {
namespace {

namespace v1 = tandem::booking::v1;

// Two sessions on days 1 and 2, 09:00-10:30 (seconds since the epoch are
// enough here), room-1, therapists th-1 and th-2.
template <typename Session>
void Fill(Session* s, int day) {
  s->set_template_session_key("therapy");
  s->set_day_number(day);
  s->mutable_start_time()->set_seconds(day * 86400 + 9 * 3600);
  s->mutable_end_time()->set_seconds(day * 86400 + 10 * 3600 + 1800);
  s->add_room_ids("room-1");
  s->add_therapist_ids("th-1");
  s->add_therapist_ids("th-2");
}

struct Pair {
  v1::Intensive current;
  v1::Plan plan;
};

Pair Same() {
  Pair p;
  for (int day : {1, 2}) {
    Fill(p.current.add_sessions(), day);
    Fill(p.plan.add_sessions(), day);
  }
  return p;
}

TEST(ChangedSessionCountTest, AnIdenticalPlanChangesNothing) {
  Pair p = Same();
  EXPECT_EQ(ChangedSessionCount(p.current, p.plan), 0);
  // Order of therapists does not matter.
  p.plan.mutable_sessions(0)->mutable_therapist_ids()->SwapElements(0, 1);
  EXPECT_EQ(ChangedSessionCount(p.current, p.plan), 0);
}

TEST(ChangedSessionCountTest, EachKindOfChangeCounts) {
  Pair therapist = Same();
  therapist.plan.mutable_sessions(1)->set_therapist_ids(0, "th-3");
  EXPECT_EQ(ChangedSessionCount(therapist.current, therapist.plan), 1);

  Pair room = Same();
  room.plan.mutable_sessions(0)->set_room_ids(0, "room-2");
  EXPECT_EQ(ChangedSessionCount(room.current, room.plan), 1);

  Pair time = Same();
  for (int i : {0, 1}) {
    time.plan.mutable_sessions(i)->mutable_start_time()->set_seconds(
        time.plan.sessions(i).start_time().seconds() + 3600);
  }
  EXPECT_EQ(ChangedSessionCount(time.current, time.plan), 2);

  Pair missing = Same();
  missing.plan.mutable_sessions()->RemoveLast();
  EXPECT_EQ(ChangedSessionCount(missing.current, missing.plan), 1);
}

}  // namespace
}  // namespace tandem::booking
