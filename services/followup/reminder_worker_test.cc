#include "services/followup/reminder_worker.h"

#include <gtest/gtest.h>

#include <vector>

#include "services/common/proto_time.h"

namespace tandem::followup {
namespace {

v1::FollowUpContact Contact(v1::ContactKind kind, v1::ContactStatus status,
                            absl::Time start) {
  v1::FollowUpContact c;
  c.set_kind(kind);
  c.set_status(status);
  *c.mutable_scheduled_start_time() = common::ToProto(start);
  return c;
}

TEST(CountCallsTest, CountsScheduledCallsFromTheEarliest) {
  const absl::Time nine = absl::FromUnixSeconds(1800000000);
  const std::vector<v1::FollowUpContact> contacts = {
      Contact(v1::CONTACT_KIND_PHONE_CALL, v1::CONTACT_STATUS_SCHEDULED,
              nine + absl::Hours(2)),
      Contact(v1::CONTACT_KIND_OFFICE_VISIT, v1::CONTACT_STATUS_SCHEDULED,
              nine - absl::Hours(1)),  // a visit: not a call
      Contact(v1::CONTACT_KIND_PHONE_CALL, v1::CONTACT_STATUS_CANCELLED,
              nine - absl::Hours(2)),  // cancelled: not due
      Contact(v1::CONTACT_KIND_PHONE_CALL, v1::CONTACT_STATUS_SCHEDULED, nine),
  };
  const CallsOfDay calls = CountCalls(contacts);
  EXPECT_EQ(calls.count, 2);
  EXPECT_EQ(calls.first, nine);
  EXPECT_EQ(CountCalls({}).count, 0);
}

}  // namespace
}  // namespace tandem::followup
