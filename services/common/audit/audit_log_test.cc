#include "services/common/audit/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/test_db.h"

namespace tandem::common::audit {
namespace {

const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 9, 0, 0),
                                       absl::UTCTimeZone());

AuditEntry Entry(absl::Time time, std::string subject, std::string action,
                 std::vector<std::string> couples = {}) {
  AuditEntry entry;
  entry.time = time;
  entry.subject = std::move(subject);
  entry.roles = "coordinator";
  entry.service = "booking";
  entry.action = std::move(action);
  entry.resource_ids = couples;
  entry.couple_ids = std::move(couples);
  entry.outcome = "OK";
  return entry;
}

std::unique_ptr<AuditLog> OpenLog(const std::string& path) {
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(path);
  EXPECT_TRUE(log.ok()) << log.status();
  return log.ok() ? *std::move(log) : nullptr;
}

// Appends `n` records, a minute apart, alternating two subjects; record i
// (1-based) touches couple "cp-<i>".
void AppendMany(AuditLog& log, int n) {
  for (int i = 1; i <= n; ++i) {
    ASSERT_TRUE(log.Append(Entry(kT0 + absl::Minutes(i - 1),
                                 i % 2 == 1 ? "dev:alice" : "dev:bob",
                                 "GetCouple", {absl::StrCat("cp-", i)}))
                    .ok());
  }
}

// Changes the file the way someone with disk access would: with sqlite3,
// after dropping the append-only triggers.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string all = absl::StrCat(
      "DROP TRIGGER IF EXISTS audit_records_no_update;"
      "DROP TRIGGER IF EXISTS audit_records_no_delete;"
      "DROP TRIGGER IF EXISTS audit_couples_no_update;"
      "DROP TRIGGER IF EXISTS audit_couples_no_delete;",
      sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, all.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

VerifyReport VerifyOk(const AuditLog& log) {
  absl::StatusOr<VerifyReport> report = log.Verify();
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : VerifyReport{};
}

std::vector<int64_t> Seqs(const std::vector<AuditRecord>& records) {
  std::vector<int64_t> seqs;
  for (const AuditRecord& r : records) seqs.push_back(r.seq);
  return seqs;
}

// ---- append and list ----------------------------------------------------

TEST(AuditLogTest, AppendChainsRecordsAndListReturnsThemInOrder) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  AuditEntry first = Entry(kT0, "dev:alice", "GetCouple", {"cp-1", "cp-2"});
  first.resource_ids = {"cp-1", "in-5"};
  ASSERT_TRUE(log->Append(first).ok());
  AppendMany(*log, 2);

  absl::StatusOr<std::vector<AuditRecord>> records = log->List({});
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(Seqs(*records), (std::vector<int64_t>{1, 2, 3}));
  const AuditRecord& r1 = (*records)[0];
  EXPECT_EQ(r1.entry.time, kT0);
  EXPECT_EQ(r1.entry.subject, "dev:alice");
  EXPECT_EQ(r1.entry.roles, "coordinator");
  EXPECT_EQ(r1.entry.service, "booking");
  EXPECT_EQ(r1.entry.action, "GetCouple");
  EXPECT_EQ(r1.entry.resource_ids, (std::vector<std::string>{"cp-1", "in-5"}));
  EXPECT_EQ(r1.entry.couple_ids, (std::vector<std::string>{"cp-1", "cp-2"}));
  EXPECT_EQ(r1.entry.outcome, "OK");
  EXPECT_EQ(r1.prev_hash, kGenesisHash);
  for (size_t i = 0; i < records->size(); ++i) {
    const AuditRecord& r = (*records)[i];
    EXPECT_EQ(r.hash.size(), 64u);
    EXPECT_EQ(r.hash, RecordHash(r.seq, r.entry, r.prev_hash));
    if (i > 0) {
      EXPECT_EQ(r.prev_hash, (*records)[i - 1].hash);
    }
  }
  EXPECT_EQ(log->head_seq(), 3);
  EXPECT_EQ(log->head_hash(), records->back().hash);
}

TEST(AuditLogTest, TimeIsKeptToTheMicrosecond) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  ASSERT_TRUE(
      log->Append(Entry(kT0 + absl::Nanoseconds(1500), "dev:a", "X")).ok());
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].entry.time, kT0 + absl::Microseconds(1));
  EXPECT_TRUE(VerifyOk(*log).intact);
}

TEST(AuditLogTest, ListFiltersByHalfOpenTimeRange) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  AppendMany(*log, 5);  // kT0, +1m, ... +4m
  AuditFilter filter;
  filter.from = kT0 + absl::Minutes(1);
  filter.to = kT0 + absl::Minutes(3);
  auto records = log->List(filter);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{2, 3}));

  filter.to = absl::InfiniteFuture();
  records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{2, 3, 4, 5}));
}

TEST(AuditLogTest, ListFiltersBySubject) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  AppendMany(*log, 5);
  AuditFilter filter;
  filter.subject = "dev:bob";
  auto records = log->List(filter);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{2, 4}));
  filter.subject = "dev:nobody";
  records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(AuditLogTest, ListFiltersByCoupleAndSubject) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  ASSERT_TRUE(log->Append(Entry(kT0, "dev:alice", "GetCouple", {"cp-7"})).ok());
  ASSERT_TRUE(log->Append(Entry(kT0, "dev:bob", "ListCouples", {})).ok());
  ASSERT_TRUE(
      log->Append(Entry(kT0, "dev:bob", "GetIntensive", {"cp-7", "cp-8"}))
          .ok());
  // The same couple twice in one record is indexed once.
  ASSERT_TRUE(log->Append(Entry(kT0, "dev:alice", "X", {"cp-8", "cp-8"})).ok());

  AuditFilter filter;
  filter.couple_id = "cp-7";
  auto records = log->List(filter);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{1, 3}));

  filter.subject = "dev:bob";
  records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{3}));

  filter = AuditFilter();
  filter.couple_id = "cp-8";
  records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(VerifyOk(*log).intact);
}

TEST(AuditLogTest, ListPagesWithAfterSeqAndLimit) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  AppendMany(*log, 7);
  AuditFilter filter;
  filter.limit = 3;
  std::vector<int64_t> seen;
  for (int page = 0; page < 5; ++page) {
    auto records = log->List(filter);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_LE(records->size(), 3u);
    if (records->empty()) break;
    for (int64_t seq : Seqs(*records)) seen.push_back(seq);
    filter.after_seq = records->back().seq;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));

  // Paging with a subject filter as well.
  filter = AuditFilter();
  filter.subject = "dev:alice";  // 1, 3, 5, 7
  filter.after_seq = 3;
  filter.limit = 1;
  auto records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Seqs(*records), (std::vector<int64_t>{5}));
}

TEST(AuditLogTest, ListRejectsLimitBelowOne) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  AuditFilter filter;
  filter.limit = 0;
  auto records = log->List(filter);
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(records.status().message().find("limit"), absl::string_view::npos);
}

TEST(AuditLogTest, InvalidUtf8IsStoredAsValidUtf8AndStillVerifies) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  ASSERT_TRUE(
      log->Append(Entry(kT0, "dev:\xff", "GetCouple", {"cp-\xfe"})).ok());
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].entry.subject, "dev:\xEF\xBF\xBD");
  EXPECT_EQ((*records)[0].entry.couple_ids,
            (std::vector<std::string>{"cp-\xEF\xBF\xBD"}));
  EXPECT_TRUE(VerifyOk(*log).intact);
}

TEST(AuditLogTest, OpenRefusesInMemoryDatabase) {
  EXPECT_EQ(AuditLog::Open(":memory:").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- the chain across restarts ------------------------------------------

TEST(AuditLogTest, ReopenContinuesTheChain) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  std::string second_hash;
  {
    auto log = OpenLog(path);
    AppendMany(*log, 2);
    second_hash = log->head_hash();
  }
  auto log = OpenLog(path);
  EXPECT_EQ(log->head_seq(), 2);
  EXPECT_EQ(log->head_hash(), second_hash);
  ASSERT_TRUE(log->Append(Entry(kT0, "dev:carol", "ListCouples")).ok());
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(Seqs(*records), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ((*records)[2].prev_hash, second_hash);
  VerifyReport report = VerifyOk(*log);
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.records_checked, 3);
}

// ---- verify -------------------------------------------------------------

TEST(AuditLogTest, VerifyReportsIntactChainWithItsCount) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  VerifyReport empty = VerifyOk(*log);
  EXPECT_TRUE(empty.intact);
  EXPECT_EQ(empty.records_checked, 0);
  AppendMany(*log, 6);
  VerifyReport report = VerifyOk(*log);
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.records_checked, 6);
  EXPECT_EQ(report.first_bad_seq, 0);
  EXPECT_EQ(report.problem, "");
}

TEST(AuditLogTest, VerifyFindsDeletedMiddleRecord) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 5);
  Tamper(path, "DELETE FROM audit_records WHERE seq = 3;");
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("record 3 missing"), std::string::npos)
      << report.problem;
}

TEST(AuditLogTest, VerifyFindsDeletedFirstRecord) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 3);
  Tamper(path, "DELETE FROM audit_records WHERE seq = 1;");
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 1);
}

TEST(AuditLogTest, VerifyFindsEditedFieldWithoutQuotingIt) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 5);
  Tamper(path,
         "UPDATE audit_records SET subject = 'dev:mallory' WHERE seq = 2;");
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2);
  EXPECT_NE(report.problem.find("record 2 edited"), std::string::npos)
      << report.problem;
  EXPECT_EQ(report.problem.find("mallory"), std::string::npos);
  EXPECT_EQ(report.records_checked, 2);
}

TEST(AuditLogTest, VerifyFindsEditedIdsOutcomeAndTime) {
  const std::vector<std::string> edits = {
      "UPDATE audit_records SET couple_ids = '[\"cp-99\"]' WHERE seq = 4;",
      "UPDATE audit_records SET resource_ids = '[]' WHERE seq = 4;",
      "UPDATE audit_records SET outcome = 'PERMISSION_DENIED' WHERE seq = 4;",
      "UPDATE audit_records SET time_us = time_us + 1 WHERE seq = 4;",
      "UPDATE audit_records SET couple_ids = 'not json' WHERE seq = 4;",
  };
  for (const std::string& edit : edits) {
    TempDir dir;
    const std::string path = dir.File("a.db");
    auto log = OpenLog(path);
    AppendMany(*log, 5);
    Tamper(path, edit);
    VerifyReport report = VerifyOk(*log);
    EXPECT_FALSE(report.intact) << edit;
    EXPECT_EQ(report.first_bad_seq, 4) << edit << ": " << report.problem;
    EXPECT_NE(report.problem.find("record 4 edited"), std::string::npos)
        << edit << ": " << report.problem;
  }
}

TEST(AuditLogTest, VerifyFindsDeletedNewestRecord) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 5);
  Tamper(path, "DELETE FROM audit_records WHERE seq >= 4;");
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_NE(report.problem.find("deleted from the end"), std::string::npos)
      << report.problem;
  EXPECT_EQ(report.records_checked, 3);
}

TEST(AuditLogTest, VerifyFindsSwappedHashes) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 5);
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  Tamper(path,
         absl::StrCat("UPDATE audit_records SET hash = '", (*records)[2].hash,
                      "' WHERE seq = 2;", "UPDATE audit_records SET hash = '",
                      (*records)[1].hash, "' WHERE seq = 3;"));
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2);
}

TEST(AuditLogTest, VerifyFindsRecordRewrittenWithRecomputedHash) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 5);
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  // Someone who knows the format edits record 2 and recomputes its hash.
  AuditRecord forged = (*records)[1];
  forged.entry.subject = "dev:mallory";
  const std::string hash =
      RecordHash(forged.seq, forged.entry, forged.prev_hash);
  Tamper(path, absl::StrCat("UPDATE audit_records SET subject = "
                            "'dev:mallory', hash = '",
                            hash, "' WHERE seq = 2;"));
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 2);
  EXPECT_NE(report.problem.find("record 2 rewritten"), std::string::npos)
      << report.problem;
}

TEST(AuditLogTest, VerifyFindsNewestRecordRewrittenWithRecomputedHash) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 3);
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  AuditRecord forged = (*records)[2];
  forged.entry.outcome = "PERMISSION_DENIED";
  const std::string hash =
      RecordHash(forged.seq, forged.entry, forged.prev_hash);
  Tamper(path, absl::StrCat("UPDATE audit_records SET outcome = "
                            "'PERMISSION_DENIED', hash = '",
                            hash, "' WHERE seq = 3;"));
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST(AuditLogTest, VerifyFindsRecordAddedPastTheHead) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 4);
  // A well-chained record 5 written outside the service: the head stays 4.
  AuditEntry extra = Entry(kT0, "dev:mallory", "GetCouple");
  const std::string hash = RecordHash(5, extra, log->head_hash());
  Tamper(path, absl::StrCat("INSERT INTO audit_records VALUES (5, ",
                            absl::ToUnixMicros(kT0),
                            ", 'dev:mallory', 'coordinator', 'booking', "
                            "'GetCouple', '[]', '[]', 'OK', '",
                            log->head_hash(), "', '", hash, "');"));
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 5);
  // And the service no longer appends: its record 5 would clash.
  EXPECT_EQ(log->Append(Entry(kT0, "dev:alice", "X")).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(AuditLogTest, VerifyFindsAlteredCoupleIndex) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 4);
  // Hiding record 3 from "list by couple" without touching the record.
  Tamper(path, "DELETE FROM audit_couples WHERE seq = 3;");
  VerifyReport report = VerifyOk(*log);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("couple index"), std::string::npos)
      << report.problem;
}

TEST(AuditLogTest, AppendRefusesWhenTheHeadMovedOutside) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 3);
  Tamper(path, "UPDATE chain_head SET seq = 2;");
  EXPECT_EQ(log->Append(Entry(kT0, "dev:alice", "X")).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(log->head_seq(), 3);
  auto records = log->List({});
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 3u);  // nothing written
}

TEST(AuditLogTest, RecordsAreAppendOnlyThroughSql) {
  TempDir dir;
  const std::string path = dir.File("a.db");
  auto log = OpenLog(path);
  AppendMany(*log, 2);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_records SET subject = 'x'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(
      sqlite3_exec(db, "DELETE FROM audit_records", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  EXPECT_TRUE(VerifyOk(*log).intact);
}

// ---- concurrency --------------------------------------------------------

TEST(AuditLogTest, ConcurrentAppendsKeepTheChainIntact) {
  TempDir dir;
  auto log = OpenLog(dir.File("a.db"));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(
            log->Append(Entry(kT0 + absl::Seconds(i), absl::StrCat("dev:t", t),
                              "GetCouple", {absl::StrCat("cp-", t)}))
                .ok());
      }
    });
  }
  // Verify while appends go on: each sees a consistent snapshot.
  threads.emplace_back([&log] {
    for (int i = 0; i < 5; ++i) {
      absl::StatusOr<VerifyReport> report = log->Verify();
      ASSERT_TRUE(report.ok()) << report.status();
      EXPECT_TRUE(report->intact) << report->problem;
    }
  });
  for (std::thread& thread : threads) thread.join();

  VerifyReport report = VerifyOk(*log);
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.records_checked, kThreads * kPerThread);
  EXPECT_EQ(log->head_seq(), kThreads * kPerThread);
  AuditFilter filter;
  filter.couple_id = "cp-3";
  filter.limit = 1000;
  auto records = log->List(filter);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), static_cast<size_t>(kPerThread));
}

// ---- the hash and offline verification ----------------------------------

TEST(AuditLogTest, RecordHashSeparatesFieldsUnambiguously) {
  AuditEntry a = Entry(kT0, "dev:ab", "c");
  AuditEntry b = Entry(kT0, "dev:a", "bc");
  EXPECT_NE(RecordHash(1, a, kGenesisHash), RecordHash(1, b, kGenesisHash));
  AuditEntry c = Entry(kT0, "dev:a", "X", {"cp-1", "cp-2"});
  AuditEntry d = Entry(kT0, "dev:a", "X", {"cp-1cp-2"});
  EXPECT_NE(RecordHash(1, c, kGenesisHash), RecordHash(1, d, kGenesisHash));
  AuditEntry e = c;
  e.resource_ids = {};
  EXPECT_NE(RecordHash(1, c, kGenesisHash), RecordHash(1, e, kGenesisHash));
  EXPECT_NE(RecordHash(1, a, kGenesisHash), RecordHash(2, a, kGenesisHash));
  EXPECT_EQ(RecordHash(1, a, kGenesisHash), RecordHash(1, a, kGenesisHash));
}

TEST(AuditLogTest, VerifyFileChecksAuditFilesOffline) {
  TempDir dir;
  const std::string path = dir.File("booking.audit.db");
  {
    auto log = OpenLog(path);
    AppendMany(*log, 3);
  }
  absl::StatusOr<VerifyReport> report = AuditLog::VerifyFile(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->intact);
  EXPECT_EQ(report->records_checked, 3);

  Tamper(path, "DELETE FROM audit_records WHERE seq = 2;");
  report = AuditLog::VerifyFile(path);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, 2);
}

TEST(AuditLogTest, VerifyFileLeavesOtherFilesAlone) {
  TempDir dir;
  EXPECT_EQ(AuditLog::VerifyFile(dir.File("missing.db")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));

  const std::string other = dir.File("booking.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE couples (id TEXT)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(AuditLog::VerifyFile(other).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT COUNT(*) FROM sqlite_master WHERE "
                               "name = 'chain_head'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 0);  // no audit schema added
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace tandem::common::audit
