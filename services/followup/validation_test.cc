#include "services/followup/validation.h"

#include <gtest/gtest.h>

#include <string>

#include "services/followup/plan_builder.h"

namespace tandem::followup {
namespace {

std::string ErrorOf(const v1::FollowUpPlanTemplate& t) {
  absl::Status s = ValidateTemplate(t, "follow_up_plan_template");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return std::string(s.message());
}

TEST(ValidateTemplateTest, TheDefaultIsValid) {
  EXPECT_TRUE(ValidateTemplate(DefaultTemplate(), "t").ok());
}

TEST(ValidateTemplateTest, NamesTheBadField) {
  v1::FollowUpPlanTemplate t = DefaultTemplate();
  t.set_display_name("");
  EXPECT_EQ(ErrorOf(t),
            "follow_up_plan_template.display_name: 1-100 characters");

  t = DefaultTemplate();
  t.clear_steps();
  EXPECT_EQ(ErrorOf(t), "follow_up_plan_template.steps: 1-20 steps");

  t = DefaultTemplate();
  t.mutable_steps(2)->mutable_duration()->set_seconds(3 * 60 * 60);
  EXPECT_EQ(ErrorOf(t),
            "follow_up_plan_template.steps[2].duration: whole minutes, 5 "
            "minutes to 2 hours");

  t = DefaultTemplate();
  t.mutable_steps(1)->mutable_duration()->set_seconds(20 * 60 + 30);
  EXPECT_NE(ErrorOf(t).find("steps[1].duration"), std::string::npos);

  t = DefaultTemplate();
  t.mutable_steps(0)->clear_offset();
  EXPECT_NE(ErrorOf(t).find("steps[0].offset: must fall after"),
            std::string::npos);

  t = DefaultTemplate();
  t.mutable_steps(0)->mutable_offset()->set_months(61);
  EXPECT_NE(ErrorOf(t).find("steps[0].offset.months"), std::string::npos);

  t = DefaultTemplate();
  t.mutable_steps(4)->set_window_days(31);
  EXPECT_NE(ErrorOf(t).find("steps[4].window_days"), std::string::npos);

  t = DefaultTemplate();
  t.mutable_steps(3)->set_kind(v1::CONTACT_KIND_UNSPECIFIED);
  EXPECT_NE(ErrorOf(t).find("steps[3].kind"), std::string::npos);

  t = DefaultTemplate();
  t.set_assignment_rule(v1::ASSIGNMENT_RULE_UNSPECIFIED);
  EXPECT_NE(ErrorOf(t).find("assignment_rule"), std::string::npos);

  t = DefaultTemplate();
  for (int i = 0; i < 16; ++i) *t.add_steps() = t.steps(0);
  EXPECT_NE(ErrorOf(t).find("1-20 steps"), std::string::npos);
}

TEST(ValidateNoteTest, ShortPrintableText) {
  EXPECT_TRUE(ValidateNote("", "note").ok());
  EXPECT_TRUE(ValidateNote("asked to call after 6 pm", "note").ok());
  // 200 two-byte characters are 200 characters.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "\xc3\xa4";
  EXPECT_TRUE(ValidateNote(umlauts, "note").ok());
  EXPECT_EQ(ValidateNote(umlauts + "a", "note").message(),
            "note: at most 200 characters");
  EXPECT_EQ(ValidateNote("line\nbreak", "note").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNote("\xff", "note").message(), "note: not valid UTF-8");
}

}  // namespace
}  // namespace tandem::followup
