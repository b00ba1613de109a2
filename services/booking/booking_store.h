// All of the booking service's SQL. The schema so far holds the clients'
// records (couples, referrals) and programme templates; intensives,
// sessions, commitments and appointments arrive as later numbered migrations.
//
// Couples are personal data: the body holds names and contact details, the
// `search_key` column lower-cased names for ListCouples' name_prefix. Nothing
// from either ever reaches a log line, an error message or a Change.
//
// Not thread-safe: used through common::GuardedStore. Writes run inside the
// caller's transaction.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/list_page.h"
#include "services/common/sqlite.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::booking {

namespace v1 = ::tandem::booking::v1;
using common::Page;

struct CoupleFilter {
  bool include_archived = false;
  std::string name_prefix;  // lower-cased; empty matches all
};

struct TemplateFilter {
  v1::ProgrammeKind kind = v1::PROGRAMME_KIND_UNSPECIFIED;  // all kinds
};

struct ReferralFilter {
  std::optional<int64_t> couple_id;
  std::vector<v1::ReferralStatus> statuses;  // empty matches all
};

class BookingStore {
 public:
  // `now` stamps the shipped templates inserted on first open.
  static absl::StatusOr<std::unique_ptr<BookingStore>> Open(
      const common::DatabaseOptions& options, absl::Time now);

  common::Database& db() { return *db_; }
  // The key that signs proposals (see proposal_token.h): generated on first
  // open and kept in the database, so tokens survive a restart.
  const std::string& proposal_key() const { return proposal_key_; }
  absl::StatusOr<int64_t> Revision();

  // NOT_FOUND naming the couple when the id is unknown.
  absl::StatusOr<v1::Couple> GetCouple(int64_t id);
  absl::StatusOr<Page<v1::Couple>> ListCouples(const CoupleFilter& filter,
                                               const common::PageCursor& after,
                                               int limit);
  absl::StatusOr<v1::Couple> InsertCouple(v1::Couple couple, absl::Time now);
  // Replaces the stored couple (id from `couple`), keeping create_time.
  absl::StatusOr<v1::Couple> UpdateCouple(int64_t id, v1::Couple couple,
                                          absl::Time now);

  absl::StatusOr<v1::Referral> GetReferral(int64_t id);
  absl::StatusOr<Page<v1::Referral>> ListReferrals(
      const ReferralFilter& filter, const common::PageCursor& after, int limit);
  absl::StatusOr<v1::Referral> InsertReferral(v1::Referral referral,
                                              int64_t couple_id,
                                              absl::Time now);
  absl::StatusOr<v1::Referral> UpdateReferral(int64_t id, v1::Referral referral,
                                              absl::Time now);

  // Programme templates. The shipped ones are inserted by Open() the first
  // time a database sees them (keyed by the planner's template id), so a
  // clinic's database always holds them and their ids never change.
  absl::StatusOr<v1::ProgrammeTemplate> GetTemplate(int64_t id);
  absl::StatusOr<Page<v1::ProgrammeTemplate>> ListTemplates(
      const TemplateFilter& filter, const common::PageCursor& after, int limit);
  absl::StatusOr<v1::ProgrammeTemplate> InsertTemplate(v1::ProgrammeTemplate t,
                                                       absl::Time now);
  absl::StatusOr<v1::ProgrammeTemplate> UpdateTemplate(int64_t id,
                                                       v1::ProgrammeTemplate t,
                                                       absl::Time now);
  absl::Status DeleteTemplate(int64_t id, absl::Time now);

 private:
  explicit BookingStore(std::unique_ptr<common::Database> db)
      : db_(std::move(db)) {}

  // A couple change on the stream carries only the id: followers (follow-up)
  // fetch what they need, so names never spread through change logs.
  absl::Status AppendCoupleChange(const std::string& couple_id, absl::Time now);

  absl::Status InsertShippedTemplates(absl::Time now);
  absl::StatusOr<std::string> LoadOrCreateKey(absl::string_view name);
  absl::Status AppendTemplateChange(v1::ChangeKind kind,
                                    const v1::ProgrammeTemplate& t,
                                    absl::Time now);

  std::unique_ptr<common::Database> db_;
  std::string proposal_key_;
};

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_STORE_H_
