#include "clients/tandemctl/audit_view.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/common/proto_time.h"

namespace tandem::cli {
namespace {

namespace au = tandem::audit::v1;

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}

absl::Time At(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), London());
}

au::AuditRecord Record(const std::string& service, int64_t seq,
                       absl::Time time) {
  au::AuditRecord r;
  r.set_service(service);
  r.set_seq(seq);
  *r.mutable_time() = common::ToProto(time);
  return r;
}

TEST(AuditServices, AllOrNothingMeansEveryServiceInOrder) {
  const std::vector<std::string> every = {"directory", "booking", "followup",
                                          "roster"};
  EXPECT_EQ(AuditServices({}), every);
  EXPECT_EQ(AuditServices({"all"}), every);
  EXPECT_EQ(AuditServices({"roster", "all"}), every);
}

TEST(AuditServices, NamedServicesOnceInTheUsualOrder) {
  EXPECT_EQ(AuditServices({"roster", "booking", "roster"}),
            (std::vector<std::string>{"booking", "roster"}));
}

TEST(ParseAuditBound, DaysStartOrEndAtClinicMidnight) {
  const ClinicTime clinic(London());
  const absl::CivilDay today(2026, 7, 1);
  auto since = ParseAuditBound("2026-06-30", clinic, today, false, "--since");
  ASSERT_TRUE(since.ok()) << since.status();
  EXPECT_EQ(*since, At(2026, 6, 30, 0, 0));
  auto until = ParseAuditBound("today", clinic, today, true, "--until");
  ASSERT_TRUE(until.ok()) << until.status();
  EXPECT_EQ(*until, At(2026, 7, 2, 0, 0));  // through the whole of today
  auto week = ParseAuditBound("-7", clinic, today, false, "--since");
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(*week, At(2026, 6, 24, 0, 0));
}

TEST(ParseAuditBound, TimesAreClinicLocalAndExact) {
  const ClinicTime clinic(London());
  const absl::CivilDay today(2026, 7, 1);
  for (bool until : {false, true}) {
    auto t = ParseAuditBound("2026-07-01T09:30", clinic, today, until, "--x");
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(*t, At(2026, 7, 1, 9, 30));  // 08:30 UTC in summer
  }
}

TEST(ParseAuditBound, NonsenseNamesTheFlag) {
  const ClinicTime clinic(London());
  auto t = ParseAuditBound("yesterdayish", clinic, absl::CivilDay(2026, 7, 1),
                           false, "--since");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message().rfind("--since: ", 0), 0u)
      << t.status().message();
}

TEST(MergeAuditRecords, OrdersByTimeThenServiceThenSeq) {
  const absl::Time t = At(2026, 7, 1, 9, 0);
  std::vector<au::ListAuditRecordsResponse> pages(2);
  *pages[0].add_records() = Record("booking", 1, t + absl::Seconds(5));
  *pages[0].add_records() = Record("booking", 2, t + absl::Seconds(7));
  *pages[1].add_records() = Record("directory", 8, t);
  *pages[1].add_records() = Record("directory", 9, t + absl::Seconds(7));
  *pages[1].add_records() =
      Record("directory", 10, t + absl::Seconds(7) + absl::Microseconds(1));
  bool truncated = true;
  au::ListAuditRecordsResponse merged =
      MergeAuditRecords(pages, 10, &truncated);
  EXPECT_FALSE(truncated);
  std::vector<std::string> order;
  for (const auto& r : merged.records()) {
    order.push_back(r.service() + "#" + std::to_string(r.seq()));
  }
  EXPECT_EQ(order,
            (std::vector<std::string>{"directory#8", "booking#1", "booking#2",
                                      "directory#9", "directory#10"}));
}

TEST(MergeAuditRecords, KeepsTheOldestUpToTheLimit) {
  const absl::Time t = At(2026, 7, 1, 9, 0);
  std::vector<au::ListAuditRecordsResponse> pages(2);
  *pages[0].add_records() = Record("booking", 1, t + absl::Minutes(2));
  *pages[1].add_records() = Record("roster", 1, t);
  *pages[1].add_records() = Record("roster", 2, t + absl::Minutes(3));
  bool truncated = false;
  au::ListAuditRecordsResponse merged = MergeAuditRecords(pages, 2, &truncated);
  EXPECT_TRUE(truncated);
  ASSERT_EQ(merged.records_size(), 2);
  EXPECT_EQ(merged.records(0).service(), "roster");
  EXPECT_EQ(merged.records(1).service(), "booking");
}

TEST(AuditTable, ShowsClinicTimeToTheSecondAndEachIdOnce) {
  au::ListAuditRecordsResponse records;
  au::AuditRecord* r = records.add_records();
  *r = Record("booking", 17, At(2026, 7, 1, 9, 30, 12));
  r->set_subject("dev:alice");
  r->set_roles("admin+coordinator");
  r->set_action("GetIntensive");
  r->add_resource_ids("in-5");
  r->add_resource_ids("cp-3");
  r->add_couple_ids("cp-3");
  r->add_couple_ids("cp-4");
  r->set_outcome("OK");
  EXPECT_EQ(AuditTable(records, ClinicTime(London())),
            "TIME                 SERVICE  SEQ  SUBJECT    ROLES              "
            "ACTION        IDS               OUTCOME\n"
            "2026-07-01 09:30:12  booking  17   dev:alice  admin+coordinator  "
            "GetIntensive  in-5, cp-3, cp-4  OK\n");
}

TEST(VerifyWords, IntactOrWhereItBreaks) {
  au::VerifyAuditLogResponse r;
  r.set_intact(true);
  r.set_records_checked(1234);
  EXPECT_EQ(VerifyWords(r), "intact, 1234 records");
  r.set_records_checked(1);
  EXPECT_EQ(VerifyWords(r), "intact, 1 record");
  r.set_intact(false);
  r.set_first_bad_seq(17);
  r.set_problem("record 17 edited (its hash does not match its contents)");
  EXPECT_EQ(VerifyWords(r),
            "BROKEN at seq 17: record 17 edited (its hash does not match its "
            "contents)");
}

}  // namespace
}  // namespace tandem::cli
