#include "services/booking/booking_handler.h"

#include <gtest/gtest.h>

#include "services/common/test_db.h"
#include "services/common/text_proto.h"

namespace tandem::booking {
namespace {

template <typename T>
T Parse(const std::string& text) {
  return common::ParseTextProto<T>(text);
}

constexpr char kCouple[] = R"pb(
  partner_a {
    given_name: "Aino"
    family_name: "Korhonen"
    phone: "+358401234567"
    preferred_channel: CONTACT_CHANNEL_SMS
    sms_consent: true
  }
  partner_b {
    given_name: "Bela"
    family_name: "Lakatos"
    email: "b@example.org"
    preferred_channel: CONTACT_CHANNEL_EMAIL
  }
  language: "fi"
  notes: "private note")pb";

class BookingHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenBookingStore({dir_.File("booking.db")}, now_);
    ASSERT_TRUE(store.ok()) << store.status();
    handler_ = std::make_unique<BookingHandler>(
        std::move(*store), [this] { return now_; }, nullptr);
  }

  absl::StatusOr<v1::Couple> Create(const std::string& request_id,
                                    const v1::Couple& couple) {
    v1::CreateCoupleRequest request;
    request.set_request_id(request_id);
    *request.mutable_couple() = couple;
    v1::CreateCoupleResponse response;
    absl::Status status = handler_->CreateCouple(caller_, request, &response);
    if (!status.ok()) return status;
    return response.couple();
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  common::Caller caller_{"coordinator-1", {common::Role::kCoordinator}, ""};
  std::unique_ptr<BookingHandler> handler_;
};

TEST_F(BookingHandlerTest, CreateFillsLabelAndIsIdempotent) {
  auto first = Create("r1", Parse<v1::Couple>(kCouple));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id(), "cp-1");
  EXPECT_EQ(first->display_label(), "A.K. & B.L.");
  EXPECT_EQ(first->create_time().seconds(), 1800000000);
  auto again = Create("r1", Parse<v1::Couple>(kCouple));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id(), first->id());
  v1::ListCouplesResponse list;
  ASSERT_TRUE(handler_->ListCouples(caller_, {}, &list).ok());
  EXPECT_EQ(list.couples_size(), 1);
}

TEST_F(BookingHandlerTest, ValidationNamesTheFieldAndNeverTheValue) {
  auto couple = Parse<v1::Couple>(kCouple);
  couple.mutable_partner_a()->set_phone("0401234567");
  absl::Status status = Create("r1", couple).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("couple.partner_a.phone"), std::string::npos);
  EXPECT_EQ(status.message().find("0401234567"), std::string::npos);

  couple = Parse<v1::Couple>(kCouple);
  couple.mutable_partner_b()->clear_email();  // EMAIL reminders need one
  status = Create("r2", couple).status();
  EXPECT_NE(status.message().find("couple.partner_b.email"), std::string::npos);

  couple = Parse<v1::Couple>(kCouple);
  couple.add_excluded_therapist_ids("rm-1");
  status = Create("r3", couple).status();
  EXPECT_NE(status.message().find("couple.excluded_therapist_ids[0]"),
            std::string::npos);
}

TEST_F(BookingHandlerTest, NamePrefixFindsEitherPartnerAtWordStart) {
  ASSERT_TRUE(Create("r1", Parse<v1::Couple>(kCouple)).ok());
  v1::ListCouplesRequest request;
  v1::ListCouplesResponse response;
  request.set_name_prefix("LAKA");
  ASSERT_TRUE(handler_->ListCouples(caller_, request, &response).ok());
  EXPECT_EQ(response.couples_size(), 1);
  request.set_name_prefix("akatos");  // not a word start
  response.Clear();
  ASSERT_TRUE(handler_->ListCouples(caller_, request, &response).ok());
  EXPECT_EQ(response.couples_size(), 0);
}

TEST_F(BookingHandlerTest, ArchivedCouplesAreHiddenAndFrozen) {
  auto couple = Create("r1", Parse<v1::Couple>(kCouple));
  ASSERT_TRUE(couple.ok());
  v1::ArchiveCoupleRequest archive;
  archive.set_request_id("a1");
  archive.set_id(couple->id());
  v1::ArchiveCoupleResponse archived;
  ASSERT_TRUE(handler_->ArchiveCouple(caller_, archive, &archived).ok());
  EXPECT_TRUE(archived.couple().archived());

  v1::ListCouplesResponse list;
  ASSERT_TRUE(handler_->ListCouples(caller_, {}, &list).ok());
  EXPECT_EQ(list.couples_size(), 0);

  v1::UpdateCoupleRequest update;
  update.set_request_id("u1");
  update.mutable_couple()->set_id(couple->id());
  update.mutable_couple()->set_language("en");
  update.mutable_update_mask()->add_paths("language");
  v1::UpdateCoupleResponse updated;
  EXPECT_EQ(handler_->UpdateCouple(caller_, update, &updated).code(),
            absl::StatusCode::kFailedPrecondition);
  update.set_request_id("u2");
  update.mutable_update_mask()->set_paths(0, "archived");
  EXPECT_EQ(handler_->UpdateCouple(caller_, update, &updated).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BookingHandlerTest, ChangeStreamCarriesCoupleIdOnly) {
  const int64_t before = *handler_->store().Lock()->Revision();
  ASSERT_TRUE(Create("r1", Parse<v1::Couple>(kCouple)).ok());
  auto changes = handler_->store().change_reader()(before, 10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ(changes->front().change.find("Korhonen"), std::string::npos);
  EXPECT_EQ(changes->front().change.find("private note"), std::string::npos);
  v1::Change change;
  ASSERT_TRUE(change.ParseFromString(changes->front().change));
  EXPECT_EQ(change.couple_id(), "cp-1");
}

TEST_F(BookingHandlerTest, ReferralsFollowTheCouple) {
  auto couple = Parse<v1::Couple>(kCouple);
  couple.clear_partner_b();
  auto single = Create("r1", couple);
  ASSERT_TRUE(single.ok());
  v1::CreateReferralRequest request;
  request.set_request_id("f1");
  *request.mutable_referral() = Parse<v1::Referral>(
      R"pb(partner: PARTNER_ROLE_B
           specialty: REFERRAL_SPECIALTY_UROLOGY
           status: REFERRAL_STATUS_SUGGESTED)pb");
  request.mutable_referral()->set_couple_id(single->id());
  v1::CreateReferralResponse created;
  EXPECT_EQ(handler_->CreateReferral(caller_, request, &created).code(),
            absl::StatusCode::kInvalidArgument);
  request.mutable_referral()->set_partner(v1::PARTNER_ROLE_A);
  request.set_request_id("f2");
  ASSERT_TRUE(handler_->CreateReferral(caller_, request, &created).ok());

  v1::UpdateReferralRequest update;
  update.set_request_id("f3");
  update.mutable_referral()->set_id(created.referral().id());
  update.mutable_referral()->set_status(v1::REFERRAL_STATUS_CLEARED);
  update.mutable_update_mask()->add_paths("status");
  v1::UpdateReferralResponse updated;
  ASSERT_TRUE(handler_->UpdateReferral(caller_, update, &updated).ok());

  v1::ListReferralsRequest list;
  list.set_couple_id(single->id());
  list.add_statuses(v1::REFERRAL_STATUS_CLEARED);
  v1::ListReferralsResponse listed;
  ASSERT_TRUE(handler_->ListReferrals(caller_, list, &listed).ok());
  ASSERT_EQ(listed.referrals_size(), 1);
  EXPECT_EQ(listed.referrals(0).specialty(), v1::REFERRAL_SPECIALTY_UROLOGY);
  list.set_statuses(0, v1::REFERRAL_STATUS_REQUESTED);
  listed.Clear();
  ASSERT_TRUE(handler_->ListReferrals(caller_, list, &listed).ok());
  EXPECT_EQ(listed.referrals_size(), 0);
}

}  // namespace
}  // namespace tandem::booking
