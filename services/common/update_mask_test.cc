#include "services/common/update_mask.h"

#include <gtest/gtest.h>

#include "tandem/common/v1/types.pb.h"

namespace tandem::common {
namespace {

using tandem::common::v1::DateRange;

TEST(UpdateMaskTest, MustBeSetKnownAndNotOutputOnly) {
  DateRange range;
  google::protobuf::FieldMask mask;
  EXPECT_EQ(ValidateUpdateMask(mask, range, {}).code(),
            absl::StatusCode::kInvalidArgument);
  mask.add_paths("nickname");
  absl::Status unknown = ValidateUpdateMask(mask, range, {});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("update_mask"), absl::string_view::npos);
  mask.set_paths(0, "end_date");
  EXPECT_EQ(ValidateUpdateMask(mask, range, {"end_date"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateUpdateMask(mask, range, {"id"}).ok());
}

TEST(UpdateMaskTest, AppliesOnlyMaskedFields) {
  DateRange from, to;
  from.mutable_start_date()->set_year(2030);
  from.mutable_end_date()->set_year(2031);
  to.mutable_start_date()->set_year(2000);
  google::protobuf::FieldMask mask;
  mask.add_paths("end_date");
  ApplyUpdateMask(from, mask, &to);
  EXPECT_EQ(to.start_date().year(), 2000);
  EXPECT_EQ(to.end_date().year(), 2031);
}

}  // namespace
}  // namespace tandem::common
