// The object-level checks of FollowUpHandler (therapist_scope.h): a
// therapist sees and closes only their own contacts and sees only the plans
// they take part in; coordinators and services see everything.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "services/common/caller.h"
#include "services/common/proto_time.h"
#include "services/common/test_db.h"
#include "services/followup/booking_client.h"
#include "services/followup/followup_handler.h"
#include "services/followup/ids.h"
#include "services/followup/plan_builder.h"

namespace tandem::followup {
namespace {

using common::Caller;
using common::Role;

Caller Therapist(const std::string& therapist_id) {
  Caller caller;
  caller.subject = "user-" + therapist_id;
  caller.roles = {Role::kTherapist};
  caller.therapist_id = therapist_id;
  return caller;
}

Caller Coordinator() {
  Caller caller;
  caller.subject = "user-coordinator";
  caller.roles = {Role::kCoordinator};
  return caller;
}

Caller RosterService() {
  Caller caller;
  caller.subject = "roster";
  caller.roles = {Role::kService};
  return caller;
}

class TherapistAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    common::DatabaseOptions options;
    options.path = dir_.File("followup.db");
    options.synchronous = common::Synchronous::kNormal;
    auto store = OpenFollowUpStore(options, now_);
    ASSERT_TRUE(store.ok()) << store.status();
    // Nothing here calls booking: the channels lead nowhere.
    auto nowhere =
        grpc::CreateChannel("127.0.0.1:9", grpc::InsecureChannelCredentials());
    client_ = std::make_unique<BookingClient>(nowhere, nowhere);
    handler_ = std::make_unique<FollowUpHandler>(
        std::move(*store), [this] { return now_; }, client_.get());
  }

  // The default template's plan of a programme of `male` and `female`:
  // five contacts, the 1st, 3rd and 5th the female therapist's, the 2nd and
  // 4th the male's.
  v1::FollowUpPlan SavePlan(const std::string& intensive_id,
                            const std::string& male,
                            const std::string& female) {
    booking::v1::Intensive intensive;
    intensive.set_id(intensive_id);
    intensive.set_couple_id("cp-1");
    intensive.mutable_end_date()->set_year(2027);
    intensive.mutable_end_date()->set_month(3);
    intensive.mutable_end_date()->set_day(12);
    intensive.mutable_team()->set_male_therapist_id(male);
    intensive.mutable_team()->set_female_therapist_id(female);
    v1::FollowUpPlan plan;
    absl::Status saved = handler_->store().Transact(
        [&](FollowUpStore* store, absl::Time now) -> absl::Status {
          ASSIGN_OR_RETURN(v1::FollowUpPlanTemplate t,
                           store->GetDefaultTemplate());
          ASSIGN_OR_RETURN(NewPlan made, BuildPlan(t, intensive));
          ASSIGN_OR_RETURN(plan, store->SavePlan(std::move(made.plan), now));
          for (ContactRow& row : made.contacts) {
            row.contact.set_plan_id(plan.id());
            RETURN_IF_ERROR(store->SaveContact(row, now));
          }
          ASSIGN_OR_RETURN(int64_t id, ParseId(kPlanPrefix, plan.id(), "id"));
          ASSIGN_OR_RETURN(plan, store->GetPlan(id));
          return absl::OkStatus();
        },
        [] {});
    EXPECT_TRUE(saved.ok()) << saved;
    return plan;
  }

  // Changes contact `id` in the store.
  void ChangeContact(const std::string& id,
                     const std::function<void(ContactRow&)>& change) {
    absl::Status changed = handler_->store().Transact(
        [&](FollowUpStore* store, absl::Time now) -> absl::Status {
          ASSIGN_OR_RETURN(int64_t n, ParseId(kContactPrefix, id, "id"));
          ASSIGN_OR_RETURN(ContactRow row, store->GetContact(n));
          change(row);
          return store->SaveContact(row, now);
        },
        [] {});
    ASSERT_TRUE(changed.ok()) << changed;
  }

  void Schedule(const std::string& id) {
    ChangeContact(id, [this](ContactRow& row) {
      row.contact.set_status(v1::CONTACT_STATUS_SCHEDULED);
      row.contact.set_appointment_id("ap-" + row.contact.id());
      *row.contact.mutable_scheduled_start_time() =
          common::ToProto(now_ + absl::Hours(48));
      row.pending = Pending::kNone;
    });
  }

  absl::StatusOr<v1::FollowUpContact> Get(const Caller& caller,
                                          const std::string& id) {
    v1::GetFollowUpContactRequest request;
    request.set_id(id);
    v1::GetFollowUpContactResponse response;
    absl::Status status =
        handler_->GetFollowUpContact(caller, request, &response);
    if (!status.ok()) {
      EXPECT_FALSE(response.has_follow_up_contact()) << "data with a denial";
      return status;
    }
    return response.follow_up_contact();
  }

  // Every page of ListFollowUpContacts, `page_size` at a time.
  absl::StatusOr<std::vector<v1::FollowUpContact>> ListContacts(
      const Caller& caller, v1::ListFollowUpContactsRequest request,
      int* pages = nullptr) {
    std::vector<v1::FollowUpContact> all;
    int count = 0;
    do {
      v1::ListFollowUpContactsResponse response;
      RETURN_IF_ERROR(
          handler_->ListFollowUpContacts(caller, request, &response));
      ++count;
      for (const auto& c : response.follow_up_contacts()) all.push_back(c);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    if (pages != nullptr) *pages = count;
    return all;
  }

  absl::StatusOr<std::vector<v1::FollowUpPlan>> ListPlans(
      const Caller& caller, v1::ListFollowUpPlansRequest request,
      int* pages = nullptr) {
    std::vector<v1::FollowUpPlan> all;
    int count = 0;
    do {
      v1::ListFollowUpPlansResponse response;
      RETURN_IF_ERROR(handler_->ListFollowUpPlans(caller, request, &response));
      ++count;
      for (const auto& p : response.follow_up_plans()) all.push_back(p);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    if (pages != nullptr) *pages = count;
    return all;
  }

  absl::Status RecordOutcome(const Caller& caller, const std::string& id,
                             const std::string& request_id,
                             v1::RecordOutcomeResponse* response) {
    v1::RecordOutcomeRequest request;
    request.set_request_id(request_id);
    request.set_id(id);
    request.set_outcome(v1::CONTACT_OUTCOME_DONE);
    return handler_->RecordOutcome(caller, request, response);
  }

  common::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
  std::unique_ptr<BookingClient> client_;
  std::unique_ptr<FollowUpHandler> handler_;
};

TEST_F(TherapistAccessTest, ATherapistGetsOnlyTheirOwnContacts) {
  const v1::FollowUpPlan plan = SavePlan("in-1", "th-1", "th-2");
  const std::string mine = plan.contacts(1).id();    // th-1's
  const std::string theirs = plan.contacts(0).id();  // th-2's
  ASSERT_EQ(plan.contacts(1).therapist_id(), "th-1");
  ASSERT_EQ(plan.contacts(0).therapist_id(), "th-2");

  auto own = Get(Therapist("th-1"), mine);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->id(), mine);

  auto other = Get(Therapist("th-1"), theirs);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(other.status().message(), "id: not one of your contacts");
  // An id that does not exist looks the same: nothing to probe.
  auto missing = Get(Therapist("th-1"), "fc-999");
  EXPECT_EQ(missing.status(), other.status());

  // Coordinators and services see every contact (and learn what is missing).
  EXPECT_TRUE(Get(Coordinator(), theirs).ok());
  EXPECT_TRUE(Get(RosterService(), theirs).ok());
  EXPECT_EQ(Get(Coordinator(), "fc-999").status().code(),
            absl::StatusCode::kNotFound);
  // A therapist who also coordinates is not limited to their own.
  Caller both = Therapist("th-1");
  both.roles.Add(Role::kCoordinator);
  EXPECT_TRUE(Get(both, theirs).ok());
}

TEST_F(TherapistAccessTest, ATherapistWithoutATherapistIdSeesNothing) {
  const v1::FollowUpPlan plan = SavePlan("in-1", "th-1", "th-2");
  Caller anonymous = Therapist("");
  EXPECT_EQ(Get(anonymous, plan.contacts(0).id()).status().code(),
            absl::StatusCode::kPermissionDenied);
  // An empty filter would otherwise mean "everyone's".
  EXPECT_EQ(ListContacts(anonymous, {}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ListPlans(anonymous, {}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(TherapistAccessTest, ContactListsHoldOnlyTheTherapistsOwnAcrossPages) {
  SavePlan("in-1", "th-1", "th-2");  // th-1: 2 contacts, th-2: 3
  SavePlan("in-2", "th-1", "th-3");  // th-1: 2 contacts, th-3: 3
  SavePlan("in-3", "th-4", "th-2");  // th-4: 2 contacts, th-2: 3

  v1::ListFollowUpContactsRequest request;
  request.set_page_size(2);
  int pages = 0;
  auto mine = ListContacts(Therapist("th-2"), request, &pages);
  ASSERT_TRUE(mine.ok()) << mine.status();
  std::set<std::string> ids;
  for (const auto& c : *mine) {
    EXPECT_EQ(c.therapist_id(), "th-2") << c.id();
    ids.insert(c.id());
  }
  // Filtered in the query: full pages, nothing repeated or skipped.
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_EQ(mine->size(), 6u);
  EXPECT_EQ(pages, 3);

  // Naming themselves is fine; naming someone else is not.
  request.set_therapist_id("th-2");
  EXPECT_EQ(ListContacts(Therapist("th-2"), request)->size(), 6u);
  request.set_therapist_id("th-1");
  auto others = ListContacts(Therapist("th-2"), request);
  EXPECT_EQ(others.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(others.status().message(),
            "therapist_id: must be your own therapist id");

  // Coordinators and the roster service see all fifteen, or any one's.
  EXPECT_EQ(ListContacts(Coordinator(), {})->size(), 15u);
  EXPECT_EQ(ListContacts(RosterService(), {})->size(), 15u);
  EXPECT_EQ(ListContacts(RosterService(), request)->size(), 4u);
}

TEST_F(TherapistAccessTest, ATherapistSeesThePlansTheyTakePartIn) {
  const v1::FollowUpPlan a = SavePlan("in-1", "th-1", "th-2");
  const v1::FollowUpPlan b = SavePlan("in-2", "th-1", "th-3");
  const v1::FollowUpPlan c = SavePlan("in-3", "th-4", "th-2");

  v1::GetFollowUpPlanRequest get;
  get.set_id(b.id());
  v1::GetFollowUpPlanResponse got;
  absl::Status denied = handler_->GetFollowUpPlan(Therapist("th-2"), get, &got);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "id: not one of your plans");
  EXPECT_FALSE(got.has_follow_up_plan());
  get.set_id("fp-999");
  EXPECT_EQ(handler_->GetFollowUpPlan(Therapist("th-2"), get, &got), denied);

  // Their plan, with only their own contacts in it.
  get.set_id(a.id());
  ASSERT_TRUE(handler_->GetFollowUpPlan(Therapist("th-2"), get, &got).ok());
  ASSERT_EQ(got.follow_up_plan().contacts_size(), 3);
  for (const auto& contact : got.follow_up_plan().contacts()) {
    EXPECT_EQ(contact.therapist_id(), "th-2");
  }
  // A coordinator gets all five.
  ASSERT_TRUE(handler_->GetFollowUpPlan(Coordinator(), get, &got).ok());
  EXPECT_EQ(got.follow_up_plan().contacts_size(), 5);

  // Listed one per page: a and c, never b.
  v1::ListFollowUpPlansRequest list;
  list.set_page_size(1);
  int pages = 0;
  auto plans = ListPlans(Therapist("th-2"), list, &pages);
  ASSERT_TRUE(plans.ok()) << plans.status();
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].id(), a.id());
  EXPECT_EQ((*plans)[1].id(), c.id());
  EXPECT_EQ(pages, 2);
  for (const auto& plan : *plans) {
    for (const auto& contact : plan.contacts()) {
      EXPECT_EQ(contact.therapist_id(), "th-2") << plan.id();
    }
  }
  list.set_therapist_id("th-1");
  EXPECT_EQ(ListPlans(Therapist("th-2"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ListPlans(Coordinator(), {})->size(), 3u);

  // The plans follow the contacts: one of b's handed to th-2 brings b in.
  ChangeContact(b.contacts(0).id(),
                [](ContactRow& row) { row.contact.set_therapist_id("th-2"); });
  get.set_id(b.id());
  ASSERT_TRUE(handler_->GetFollowUpPlan(Therapist("th-2"), get, &got).ok());
  ASSERT_EQ(got.follow_up_plan().contacts_size(), 1);
  EXPECT_EQ(got.follow_up_plan().contacts(0).id(), b.contacts(0).id());
  list.clear_therapist_id();
  list.set_page_size(10);
  EXPECT_EQ(ListPlans(Therapist("th-2"), list)->size(), 3u);
}

TEST_F(TherapistAccessTest, ATherapistRecordsOutcomesOfTheirOwnContactsOnly) {
  const v1::FollowUpPlan plan = SavePlan("in-1", "th-1", "th-2");
  const std::string theirs = plan.contacts(0).id();  // th-2's
  Schedule(theirs);

  v1::RecordOutcomeResponse response;
  absl::Status denied =
      RecordOutcome(Therapist("th-1"), theirs, "req-1", &response);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "id: not one of your contacts");
  EXPECT_FALSE(response.has_follow_up_contact());
  EXPECT_EQ(RecordOutcome(Therapist("th-1"), "fc-999", "req-2", &response),
            denied);
  EXPECT_EQ(Get(Coordinator(), theirs)->status(), v1::CONTACT_STATUS_SCHEDULED);

  ASSERT_TRUE(
      RecordOutcome(Therapist("th-2"), theirs, "req-3", &response).ok());
  EXPECT_EQ(response.follow_up_contact().status(), v1::CONTACT_STATUS_CLOSED);
  EXPECT_EQ(response.follow_up_contact().outcome_actor(), "user-th-2");
  // Another therapist repeating the very same request is not answered from
  // the request log.
  v1::RecordOutcomeResponse replayed;
  EXPECT_EQ(RecordOutcome(Therapist("th-1"), theirs, "req-3", &replayed),
            denied);
  EXPECT_FALSE(replayed.has_follow_up_contact());
}

}  // namespace
}  // namespace tandem::followup
