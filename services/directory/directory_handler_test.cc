#include "services/directory/directory_handler.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/test_db.h"
#include "services/common/text_proto.h"

namespace tandem::directory {
namespace {

using common::Caller;

template <typename T>
T Parse(const std::string& text) {
  return common::ParseTextProto<T>(text);
}

class DirectoryHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenDirectoryStore({dir_.File("directory.db")});
    ASSERT_TRUE(store.ok()) << store.status();
    handler_ = std::make_unique<DirectoryHandler>(std::move(*store),
                                                  [this] { return now_; });
  }

  v1::Therapist AddTherapist(const std::string& request_id, v1::Sex sex) {
    v1::CreateTherapistRequest request;
    request.set_request_id(request_id);
    *request.mutable_therapist() = Parse<v1::Therapist>(
        R"pb(display_name: "T"
             languages: "en"
             daily_session_minutes_cap: 300
             active: true)pb");
    request.mutable_therapist()->set_sex(sex);
    v1::CreateTherapistResponse response;
    EXPECT_TRUE(handler_->CreateTherapist(caller_, request, &response).ok());
    return response.therapist();
  }

  int64_t Revision() {
    v1::ListTeamsResponse response;
    EXPECT_TRUE(handler_->ListTeams(caller_, {}, &response).ok());
    return response.revision();
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  Caller caller_{"test", {common::Role::kAdmin}, ""};
  std::unique_ptr<DirectoryHandler> handler_;
};

TEST_F(DirectoryHandlerTest, RetriedCreateReturnsTheSameTherapist) {
  v1::Therapist first = AddTherapist("r1", v1::SEX_MALE);
  v1::Therapist again = AddTherapist("r1", v1::SEX_MALE);
  EXPECT_EQ(first.id(), "th-1");
  EXPECT_EQ(again.id(), first.id());
  v1::ListTherapistsResponse list;
  ASSERT_TRUE(handler_->ListTherapists(caller_, {}, &list).ok());
  EXPECT_EQ(list.therapists_size(), 1);
  EXPECT_EQ(list.revision(), 1);
}

TEST_F(DirectoryHandlerTest, TeamOfTwoMenIsRejectedAndNothingIsWritten) {
  v1::Therapist a = AddTherapist("a", v1::SEX_MALE);
  v1::Therapist b = AddTherapist("b", v1::SEX_MALE);
  const int64_t before = Revision();
  v1::CreateTeamRequest request;
  request.set_request_id("team");
  request.mutable_team()->set_male_therapist_id(a.id());
  request.mutable_team()->set_female_therapist_id(b.id());
  v1::CreateTeamResponse response;
  absl::Status status = handler_->CreateTeam(caller_, request, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("team.female_therapist_id"),
            std::string::npos);
  EXPECT_EQ(Revision(), before);
}

TEST_F(DirectoryHandlerTest, UpdateChangesOnlyMaskedFields) {
  v1::Therapist t = AddTherapist("a", v1::SEX_FEMALE);
  now_ += absl::Minutes(5);
  v1::UpdateTherapistRequest request;
  request.set_request_id("u");
  request.mutable_therapist()->set_id(t.id());
  request.mutable_therapist()->set_display_name("Renamed");
  request.mutable_therapist()->set_daily_session_minutes_cap(1);  // not masked
  request.mutable_update_mask()->add_paths("display_name");
  v1::UpdateTherapistResponse response;
  ASSERT_TRUE(handler_->UpdateTherapist(caller_, request, &response).ok());
  EXPECT_EQ(response.therapist().display_name(), "Renamed");
  EXPECT_EQ(response.therapist().daily_session_minutes_cap(), 300);
  EXPECT_EQ(response.therapist().update_time().seconds(), 1800000300);
}

TEST_F(DirectoryHandlerTest, UnknownTherapistIsNotFound) {
  v1::GetTherapistRequest request;
  request.set_id("th-99");
  v1::GetTherapistResponse response;
  EXPECT_EQ(handler_->GetTherapist(caller_, request, &response).code(),
            absl::StatusCode::kNotFound);
  request.set_id("rm-1");
  EXPECT_EQ(handler_->GetTherapist(caller_, request, &response).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DirectoryHandlerTest, ClosuresPageInDateOrder) {
  for (int day : {20, 3, 11}) {
    v1::CreateClosureRequest request;
    request.set_request_id(absl::StrCat("c", day));
    *request.mutable_closure() =
        Parse<v1::Closure>(absl::StrCat("date { year: 2027 month: 5 day: ", day,
                                        " } kind: CLOSURE_KIND_ONE_OFF"));
    v1::CreateClosureResponse response;
    ASSERT_TRUE(handler_->CreateClosure(caller_, request, &response).ok());
  }
  v1::ListClosuresRequest request;
  request.set_page_size(2);
  v1::ListClosuresResponse first, second;
  ASSERT_TRUE(handler_->ListClosures(caller_, request, &first).ok());
  ASSERT_EQ(first.closures_size(), 2);
  EXPECT_EQ(first.closures(0).date().day(), 3);
  EXPECT_EQ(first.closures(1).date().day(), 11);
  request.set_page_token(first.next_page_token());
  ASSERT_TRUE(handler_->ListClosures(caller_, request, &second).ok());
  ASSERT_EQ(second.closures_size(), 1);
  EXPECT_EQ(second.closures(0).date().day(), 20);
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST_F(DirectoryHandlerTest, ImportIsAllOrNothing) {
  v1::CreateClosureRequest existing;
  existing.set_request_id("c");
  *existing.mutable_closure() = Parse<v1::Closure>(
      "date { year: 2027 month: 12 day: 25 } kind: "
      "CLOSURE_KIND_PUBLIC_HOLIDAY");
  v1::CreateClosureResponse created;
  ASSERT_TRUE(handler_->CreateClosure(caller_, existing, &created).ok());

  v1::ImportClosuresRequest request;
  request.set_request_id("import");
  request.set_ics_content(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
      "BEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20271224\r\n"
      "DTEND;VALUE=DATE:20271227\r\nSUMMARY:Winter\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n");
  v1::ImportClosuresResponse response;
  ASSERT_TRUE(handler_->ImportClosures(caller_, request, &response).ok());
  EXPECT_EQ(response.created_size(), 2);  // 24th and 26th
  EXPECT_EQ(response.skipped_existing(), 1);
  EXPECT_EQ(response.created(0).kind(), v1::CLOSURE_KIND_PUBLIC_HOLIDAY);
}

TEST_F(DirectoryHandlerTest, ChangeLogCarriesEveryCommitInOrder) {
  v1::Therapist m = AddTherapist("m", v1::SEX_MALE);
  v1::Therapist f = AddTherapist("f", v1::SEX_FEMALE);
  v1::CreateAbsenceRequest request;
  request.set_request_id("abs");
  request.mutable_absence()->set_therapist_id(f.id());
  request.mutable_absence()->mutable_start_time()->set_seconds(1800000000);
  request.mutable_absence()->mutable_end_time()->set_seconds(1800086400);
  request.mutable_absence()->set_reason(v1::ABSENCE_REASON_SICKNESS);
  v1::CreateAbsenceResponse absence;
  ASSERT_TRUE(handler_->CreateAbsence(caller_, request, &absence).ok());
  v1::DeleteAbsenceRequest remove;
  remove.set_request_id("del");
  remove.set_id(absence.absence().id());
  v1::DeleteAbsenceResponse removed;
  ASSERT_TRUE(handler_->DeleteAbsence(caller_, remove, &removed).ok());

  auto changes = handler_->store().change_reader()(1, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  v1::Change last;
  ASSERT_TRUE(last.ParseFromString(changes->back().change));
  EXPECT_EQ(changes->back().revision, 4);
  EXPECT_EQ(last.kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(last.absence().therapist_id(), f.id());
  EXPECT_NE(m.id(), f.id());
}

}  // namespace
}  // namespace tandem::directory
