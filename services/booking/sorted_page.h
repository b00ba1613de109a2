// Reading one page of rows ordered by (sort key, id): the shape of every
// booking List that is ordered by time or date. Rows are (id, body,
// sort_key, ...); the cursor of the next page is the last row's
// (sort_key, id).
#ifndef TANDEM_SERVICES_BOOKING_SORTED_PAGE_H_
#define TANDEM_SERVICES_BOOKING_SORTED_PAGE_H_

#include <utility>

#include "services/common/list_page.h"
#include "services/common/resource_rows.h"
#include "services/common/sqlite.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

inline constexpr int kSortedBodyColumn = 1;
inline constexpr int kSortKeyColumn = 2;

// Reads until `limit` rows passed `keep` (a further passing row means there
// is a next page); `finish(T&)` completes each kept item (e.g. attaches
// sessions) and may fail.
template <typename T, typename Keep, typename Finish>
absl::StatusOr<common::Page<T>> ReadSortedPage(common::Statement& stmt,
                                               absl::string_view prefix,
                                               int limit, Keep keep,
                                               Finish finish) {
  common::Page<T> page;
  common::PageCursor last;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (!keep(stmt)) continue;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next = last;
      break;
    }
    ASSIGN_OR_RETURN(T item, common::ResourceFromRow<T>(stmt, kSortedBodyColumn,
                                                        prefix));
    last = common::PageCursor{stmt.ColumnInt64(kSortKeyColumn),
                              stmt.ColumnInt64(0)};
    page.items.push_back(std::move(item));
  }
  for (T& item : page.items) RETURN_IF_ERROR(finish(item));
  return page;
}

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_SORTED_PAGE_H_
