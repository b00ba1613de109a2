// Programme templates: the shipped formats as the API shows them, their
// round trip to the planner, and the rules for coordinators' own templates.
#include <gtest/gtest.h>

#include "google/protobuf/text_format.h"
#include "scheduler/programme_template.h"
#include "services/booking/booking_handler.h"
#include "services/booking/proposal_token.h"
#include "services/booking/template_convert.h"
#include "services/booking/validation.h"
#include "services/common/test_db.h"

namespace tandem::booking {
namespace {

namespace sch = ::tandem::scheduler;

class TemplateTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    handler_.reset();
    auto store = OpenBookingStore({dir_.File("booking.db")}, now_);
    ASSERT_TRUE(store.ok()) << store.status();
    handler_ = std::make_unique<BookingHandler>(
        std::move(*store), [this] { return now_; }, nullptr);
  }
  std::vector<v1::ProgrammeTemplate> ListAll() {
    v1::ListProgrammeTemplatesResponse response;
    EXPECT_TRUE(handler_->ListProgrammeTemplates(caller_, {}, &response).ok());
    return {response.programme_templates().begin(),
            response.programme_templates().end()};
  }
  v1::ProgrammeTemplate Custom() {
    v1::ProgrammeTemplate t =
        ShippedTemplateToProto(sch::ShippedTemplates()[0]);
    t.clear_shipped();
    t.set_display_name("Our intensive");
    return t;
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  common::Caller caller_{"coordinator-1", {common::Role::kCoordinator}, ""};
  std::unique_ptr<BookingHandler> handler_;
};

TEST_F(TemplateTest, ShippedTemplatesArePresentOnceWithStableIds) {
  std::vector<v1::ProgrammeTemplate> listed = ListAll();
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].id(), "pt-1");
  EXPECT_EQ(listed[0].display_name(), "Ten-day intensive");
  EXPECT_TRUE(listed[0].shipped());
  Open();  // a restart must not add them again
  EXPECT_EQ(ListAll().size(), 4u);
}

TEST_F(TemplateTest, ProposalKeyIsGeneratedOnceAndKept) {
  const std::string key = handler_->store().Lock()->proposal_key();
  EXPECT_EQ(key.size(), kProposalKeyBytes);
  Open();  // proposals signed before a restart must still verify after it
  EXPECT_EQ(handler_->store().Lock()->proposal_key(), key);
}

TEST_F(TemplateTest, TenDayIntensiveReadsAsTheFormat) {
  const v1::ProgrammeTemplate t = ListAll()[0];
  EXPECT_EQ(t.kind(), v1::PROGRAMME_KIND_INTENSIVE);
  EXPECT_TRUE(t.referral_clearance_required());
  ASSERT_EQ(t.days_size(), 10);
  const v1::TemplateDay& day1 = t.days(0);
  ASSERT_EQ(day1.sessions_size(), 3);
  EXPECT_EQ(day1.sessions(0).kind(), v1::SESSION_KIND_JOINT);
  EXPECT_EQ(day1.sessions(1).kind(), v1::SESSION_KIND_INDIVIDUAL_ASSESSMENT);
  EXPECT_EQ(day1.sessions(2).parallel_with(), day1.sessions(1).key());
  EXPECT_EQ(day1.sessions(2).participants(),
            v1::SESSION_PARTICIPANTS_PARTNER_B);
  EXPECT_EQ(t.days(9).sessions(0).duration().seconds(), 120 * 60);
  EXPECT_TRUE(ValidateProgrammeTemplate(t).ok());
}

TEST_F(TemplateTest, EveryShippedTemplateRoundTripsToThePlanner) {
  for (const sch::ProgrammeTemplate& shipped : sch::ShippedTemplates()) {
    v1::ProgrammeTemplate api = ShippedTemplateToProto(shipped);
    EXPECT_TRUE(ValidateProgrammeTemplate(api).ok())
        << shipped.id << ": " << ValidateProgrammeTemplate(api);
    api.set_id(shipped.id);
    auto back = ToPlannerTemplate(api);
    ASSERT_TRUE(back.ok()) << back.status();
    back->name = shipped.name;
    ASSERT_EQ(back->days.size(), shipped.days.size()) << shipped.id;
    for (size_t d = 0; d < shipped.days.size(); ++d) {
      if (d > 0) {
        EXPECT_EQ(back->days[d].min_days_after_previous,
                  shipped.days[d].min_days_after_previous);
      }
      EXPECT_EQ(back->days[d].sessions.size(), shipped.days[d].sessions.size());
      for (size_t i = 0; i < shipped.days[d].sessions.size(); ++i) {
        const auto& a = back->days[d].sessions[i];
        const auto& b = shipped.days[d].sessions[i];
        EXPECT_EQ(a.key, b.key);
        EXPECT_EQ(a.duration_minutes, b.duration_minutes);
        EXPECT_EQ(a.participants, b.participants);
        EXPECT_EQ(a.therapists, b.therapists);
        EXPECT_EQ(a.room_kind, b.room_kind);
        EXPECT_EQ(a.parallel_with, b.parallel_with);
      }
    }
    EXPECT_EQ(back->max_span_days, shipped.max_span_days);
  }
  const v1::ProgrammeTemplate weekly =
      ShippedTemplateToProto(sch::ShippedTemplates()[2]);
  EXPECT_EQ(weekly.kind(), v1::PROGRAMME_KIND_WEEKLY);
  EXPECT_EQ(weekly.sessions_per_week(), 1);
  EXPECT_EQ(weekly.weeks(), 8);
}

TEST_F(TemplateTest, CustomTemplatesAreValidated) {
  v1::ProgrammeTemplate t = Custom();
  // Parallel sessions that need the same partner.
  t.mutable_days(0)->mutable_sessions(2)->set_participants(
      v1::SESSION_PARTICIPANTS_PARTNER_A);
  absl::Status status = ValidateProgrammeTemplate(t);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("days[0].sessions[2].parallel_with"),
            std::string::npos)
      << status;
  t = Custom();
  t.set_max_span_days(9);  // ten treatment days cannot fit in nine
  EXPECT_NE(ValidateProgrammeTemplate(t).message().find("max_span_days"),
            absl::string_view::npos);
  t = Custom();
  t.mutable_days(1)->mutable_sessions(0)->mutable_duration()->set_seconds(61);
  EXPECT_NE(ValidateProgrammeTemplate(t).message().find(
                "days[1].sessions[0].duration"),
            absl::string_view::npos);
  t = Custom();
  t.mutable_days(3)->set_day_number(7);
  EXPECT_NE(ValidateProgrammeTemplate(t).message().find("days[3].day_number"),
            absl::string_view::npos);
}

TEST_F(TemplateTest, ShippedAreReadOnlyCustomOnesAreNot) {
  v1::UpdateProgrammeTemplateRequest update;
  update.set_request_id("u1");
  update.mutable_programme_template()->set_id("pt-1");
  update.mutable_programme_template()->set_display_name("Mine");
  update.mutable_update_mask()->add_paths("display_name");
  v1::UpdateProgrammeTemplateResponse updated;
  EXPECT_EQ(handler_->UpdateProgrammeTemplate(caller_, update, &updated).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::CreateProgrammeTemplateRequest create;
  create.set_request_id("c1");
  *create.mutable_programme_template() = Custom();
  create.mutable_programme_template()->set_shipped(true);  // ignored
  v1::CreateProgrammeTemplateResponse created;
  ASSERT_TRUE(
      handler_->CreateProgrammeTemplate(caller_, create, &created).ok());
  EXPECT_EQ(created.programme_template().id(), "pt-5");
  EXPECT_FALSE(created.programme_template().shipped());

  update.set_request_id("u2");
  update.mutable_programme_template()->set_id("pt-5");
  ASSERT_TRUE(
      handler_->UpdateProgrammeTemplate(caller_, update, &updated).ok());
  EXPECT_EQ(updated.programme_template().display_name(), "Mine");

  v1::DeleteProgrammeTemplateRequest remove;
  remove.set_request_id("d1");
  remove.set_id("pt-5");
  v1::DeleteProgrammeTemplateResponse removed;
  ASSERT_TRUE(
      handler_->DeleteProgrammeTemplate(caller_, remove, &removed).ok());
  EXPECT_EQ(ListAll().size(), 4u);
  remove.set_request_id("d2");
  remove.set_id("pt-2");
  EXPECT_EQ(handler_->DeleteProgrammeTemplate(caller_, remove, &removed).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tandem::booking
