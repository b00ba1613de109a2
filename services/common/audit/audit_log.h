// A service's audit trail: one record per audited call (who, what, which
// ids, outcome), appended to its own SQLite file as a hash chain, so that
// changes made to the file behind the service's back are found.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<AuditLog> log,
//                    AuditLog::Open("/var/lib/tandem/booking.audit.db"));
//   RETURN_IF_ERROR(log->Append({absl::Now(), "dev:alice", "coordinator",
//                                "booking", "GetCouple", {"cp-3"}, {"cp-3"},
//                                "OK"}));
//   ASSIGN_OR_RETURN(VerifyReport report, log->Verify());
//
// Record n's hash is SHA-256 over a length-prefixed serialisation of n, the
// entry and record n-1's hash (RecordHash below); record 1 chains to 64 '0's.
// The file also keeps the newest seq and hash (the chain head), written in
// the same transaction as each record. Verify therefore finds an edited
// record (its hash no longer matches), a deleted one (a gap in seq), a
// forged hash (the next record's prev_hash no longer matches) and a deleted
// tail (the head is ahead of the last record). Whoever can rewrite the whole
// file, recomputing every hash and the head, is not caught by the file
// alone: that needs the head kept somewhere else as well.
//
// Records hold ids, never client data: callers must not put names, contact
// details or notes in any field.
#ifndef TANDEM_SERVICES_COMMON_AUDIT_AUDIT_LOG_H_
#define TANDEM_SERVICES_COMMON_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/sqlite.h"

namespace tandem::common::audit {

struct AuditEntry {
  absl::Time time;      // stored with microsecond precision
  std::string subject;  // "dev:alice" or "service:roster": never a name
  std::string roles;    // Roles::ToString(), e.g. "admin+coordinator"
  std::string service;  // "booking"
  std::string action;   // the RPC method, "GetCouple"
  std::vector<std::string> resource_ids;  // ids only, never data
  std::vector<std::string> couple_ids;
  std::string outcome;  // absl::StatusCodeToString-style: "OK", ...
};

struct AuditRecord {
  int64_t seq;  // 1, 2, 3... without gaps
  AuditEntry entry;
  std::string prev_hash;  // lowercase hex; 64 '0's for seq 1
  std::string hash;       // RecordHash(seq, entry, prev_hash)
};

// Which records List returns: all of these hold at once. Time is half-open,
// [from, to).
struct AuditFilter {
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string subject;    // exact; empty: any
  std::string couple_id;  // records whose couple_ids contain it; empty: any
  int64_t after_seq = 0;  // only seq > after_seq (for paging)
  int limit = 100;        // at most this many; must be positive
};

struct VerifyReport {
  int64_t records_checked = 0;
  bool intact = true;
  int64_t first_bad_seq = 0;  // 0 when intact
  // When broken: the kind of break and its seq, e.g. "record 17 edited";
  // never record contents.
  std::string problem;
};

// The previous hash of the first record: 64 '0's.
inline constexpr absl::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Lowercase hex SHA-256 over "tandem.audit.v1", seq, the entry's time in
// unix microseconds, every field of the entry (lists as a count, then their
// items) and prev_hash. Integers are 8 bytes big-endian; every string is
// preceded by its length as such an integer, so no two different records
// serialise alike.
std::string RecordHash(int64_t seq, const AuditEntry& entry,
                       absl::string_view prev_hash);

// Thread-safe: Append and List may be called from many threads; each takes
// a mutex for its short transaction. Verify reads on its own connection, so
// it does not hold up appends while it walks the chain.
class AuditLog {
 public:
  // Opens or creates the audit file at `path` (WAL, synchronous=NORMAL: a
  // power cut may lose the newest records, never break the chain; a process
  // crash loses nothing) and reads the chain head. `path` must be a file,
  // not ":memory:". INVALID_ARGUMENT for ":memory:"; UNAVAILABLE when the
  // file cannot be opened; FAILED_PRECONDITION for a newer schema.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      const std::string& path);
  // The same with other storage options (path, synchronous, busy timeout).
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(
      const DatabaseOptions& options);

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `entry` as the next record, in one transaction with the chain
  // head. FAILED_PRECONDITION when the file's head is no longer the one
  // this object wrote last (another writer, or tampering): nothing is
  // written, and every later Append fails the same way until the file is
  // checked and reopened. ABORTED when the file stayed locked too long.
  absl::Status Append(const AuditEntry& entry);

  // Records matching `filter`, ordered by seq. INVALID_ARGUMENT naming
  // "limit" when it is not positive.
  absl::StatusOr<std::vector<AuditRecord>> List(
      const AuditFilter& filter) const;

  // Walks the whole chain in seq order (one consistent snapshot) and
  // reports the first break. An error status only when the file cannot be
  // read; a broken chain is an OK status with intact == false.
  absl::StatusOr<VerifyReport> Verify() const;

  // Verifies the audit file at `path` offline (tandem-audit-verify), as
  // Verify does, without creating or migrating anything: NOT_FOUND when
  // there is no such file, FAILED_PRECONDITION when it is not an audit file
  // of this schema.
  static absl::StatusOr<VerifyReport> VerifyFile(const std::string& path);

  // The newest record's seq (0 when empty) and hash, as kept in memory.
  int64_t head_seq() const;
  std::string head_hash() const;

 private:
  AuditLog(DatabaseOptions options, std::unique_ptr<Database> db,
           int64_t head_seq, std::string head_hash);

  const DatabaseOptions options_;  // for Verify's own connection
  mutable absl::Mutex mu_;
  const std::unique_ptr<Database> db_ ABSL_PT_GUARDED_BY(mu_);
  int64_t head_seq_ ABSL_GUARDED_BY(mu_);
  std::string head_hash_ ABSL_GUARDED_BY(mu_);
  // Set when the file's head moved under us; Append then refuses.
  bool head_lost_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tandem::common::audit

#endif  // TANDEM_SERVICES_COMMON_AUDIT_AUDIT_LOG_H_
