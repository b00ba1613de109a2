// A page of a List read from a store, and how it fills a List response
// (items, next_page_token, revision).
#ifndef TANDEM_SERVICES_COMMON_LIST_PAGE_H_
#define TANDEM_SERVICES_COMMON_LIST_PAGE_H_

#include <optional>
#include <utility>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/pagination.h"

namespace tandem::common {

// The rows of one page and the cursor after the last one (unset when there
// are no more rows).
template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<PageCursor> next;
};

template <typename T, typename Response>
void FillListResponse(Page<T> page, absl::string_view scope, int64_t revision,
                      google::protobuf::RepeatedPtrField<T>* items,
                      Response* response) {
  for (T& item : page.items) *items->Add() = std::move(item);
  if (page.next) {
    response->set_next_page_token(EncodePageToken(scope, *page.next));
  }
  response->set_revision(revision);
}

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_LIST_PAGE_H_
