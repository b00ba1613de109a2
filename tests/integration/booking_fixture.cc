#include "tests/integration/booking_fixture.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/integration/health_check.h"

namespace tandem::testing {

namespace dir = ::tandem::directory::v1;

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

tandem::common::v1::Date DateProto(absl::CivilDay day) {
  tandem::common::v1::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool WaitForBookingHealth(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& want) {
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  std::string reply;
  while (absl::Now() < give_up) {
    if (CheckHealth(channel, "tandem.booking.v1.BookingService", &reply)
            .ok() &&
        reply == want) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

tandem::booking::v1::Couple TestCouple(const std::string& family_name) {
  tandem::booking::v1::Couple couple;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      absl::StrCat(R"pb(
        partner_a { given_name: "Oskari" sex: SEX_MALE phone: "+358401112223"
                    preferred_channel: CONTACT_CHANNEL_SMS sms_consent: true }
        partner_b { given_name: "Liisa" sex: SEX_FEMALE
                    preferred_channel: CONTACT_CHANNEL_NONE }
        language: "fi")pb"),
      &couple));
  couple.mutable_partner_a()->set_family_name(family_name);
  couple.mutable_partner_b()->set_family_name(family_name);
  return couple;
}

void SeedClinic(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = dir::DirectoryService::NewStub(channel);
  {
    dir::UpdateClinicSettingsRequest request;
    request.set_request_id("seed-settings");
    request.mutable_settings()->set_time_zone("Europe/London");
    request.mutable_update_mask()->add_paths("time_zone");
    dir::UpdateClinicSettingsResponse response;
    ASSERT_TRUE(Call(*stub, &dir::DirectoryService::Stub::UpdateClinicSettings,
                     request, &response)
                    .ok());
  }
  std::string working_hours;
  for (int weekday = 1; weekday <= 5; ++weekday) {
    absl::StrAppend(&working_hours, " working_hours { weekday: ", weekday,
                    " start_time { hours: 8 } end_time { hours: 18 } }");
  }
  for (const char* sex : {"SEX_MALE", "SEX_FEMALE"}) {
    dir::CreateTherapistRequest request;
    request.set_request_id(absl::StrCat("seed-", sex));
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        absl::StrCat("display_name: \"T\" languages: \"fi\" active: true "
                     "daily_session_minutes_cap: 480 sex: ",
                     sex, working_hours),
        request.mutable_therapist()));
    dir::CreateTherapistResponse response;
    ASSERT_TRUE(Call(*stub, &dir::DirectoryService::Stub::CreateTherapist,
                     request, &response)
                    .ok());
  }
  const char* const kinds[] = {"ROOM_KIND_JOINT", "ROOM_KIND_INDIVIDUAL",
                               "ROOM_KIND_INDIVIDUAL"};
  for (int n = 0; n < 3; ++n) {
    dir::CreateRoomRequest request;
    request.set_request_id(absl::StrCat("seed-room-", n));
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        absl::StrCat("display_name: \"Room\" capacity: 4 active: true kinds: ",
                     kinds[n]),
        request.mutable_room()));
    dir::CreateRoomResponse response;
    ASSERT_TRUE(
        Call(*stub, &dir::DirectoryService::Stub::CreateRoom, request, &response)
            .ok());
  }
}

tandem::booking::v1::Intensive BookTenDayIntensive(
    tandem::booking::v1::BookingService::Stub& stub,
    const tandem::booking::v1::Couple& couple, const std::string& tag) {
  namespace bk = ::tandem::booking::v1;
  using BookingStub = bk::BookingService::Stub;
  bk::CreateCoupleRequest create;
  create.set_request_id(absl::StrCat("couple-", tag));
  *create.mutable_couple() = couple;
  bk::CreateCoupleResponse created;
  EXPECT_TRUE(Call(stub, &BookingStub::CreateCouple, create, &created).ok());
  const absl::CivilDay first =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 7;
  bk::ProposeIntensiveRequest propose;
  propose.set_couple_id(created.couple().id());
  propose.set_template_id("pt-1");
  *propose.mutable_earliest_start() = DateProto(first);
  *propose.mutable_latest_start() = DateProto(first + 30);
  bk::ProposeIntensiveResponse proposed;
  grpc::Status s =
      Call(stub, &BookingStub::ProposeIntensive, propose, &proposed);
  EXPECT_TRUE(s.ok()) << s.error_message();
  if (proposed.plans_size() == 0) {
    ADD_FAILURE() << "no plan: " << proposed.ShortDebugString();
    return bk::Intensive();
  }
  bk::HoldIntensiveRequest hold;
  hold.set_request_id(absl::StrCat("hold-", tag));
  hold.set_couple_id(created.couple().id());
  *hold.mutable_plan() = proposed.plans(0);
  bk::HoldIntensiveResponse held;
  s = Call(stub, &BookingStub::HoldIntensive, hold, &held);
  EXPECT_TRUE(s.ok()) << s.error_message();
  bk::ConfirmIntensiveRequest confirm;
  confirm.set_request_id(absl::StrCat("confirm-", tag));
  confirm.set_id(held.intensive().id());
  bk::ConfirmIntensiveResponse confirmed;
  s = Call(stub, &BookingStub::ConfirmIntensive, confirm, &confirmed);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return confirmed.intensive();
}

void StartBookingServices(const std::vector<std::string>& booking_flags,
                          BookingServices* out) {
  auto directory = ServiceProcess::Start(TANDEM_DIRECTORY_BINARY, {});
  ASSERT_TRUE(directory.ok()) << directory.status();
  out->directory = std::move(*directory);
  SeedClinic(out->directory->channel());
  std::vector<std::string> flags = booking_flags;
  flags.push_back(absl::StrCat("--directory=", out->directory->target()));
  auto booking = ServiceProcess::Start(TANDEM_BOOKING_BINARY, flags);
  ASSERT_TRUE(booking.ok()) << booking.status();
  out->booking = std::move(*booking);
  ASSERT_TRUE(WaitForBookingHealth(out->booking->channel(), kServingReply));
}

int64_t QueryInt64(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY,
                            nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

}  // namespace tandem::testing
