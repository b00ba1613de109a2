// Fills a List response from a store Page: items, next_page_token, revision.
#ifndef TANDEM_SERVICES_DIRECTORY_LIST_RESPONSE_H_
#define TANDEM_SERVICES_DIRECTORY_LIST_RESPONSE_H_

#include <utility>

#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/pagination.h"
#include "services/directory/directory_store.h"

namespace tandem::directory {

template <typename T, typename Response>
void FillListResponse(Page<T> page, absl::string_view scope, int64_t revision,
                      google::protobuf::RepeatedPtrField<T>* items,
                      Response* response) {
  for (T& item : page.items) *items->Add() = std::move(item);
  if (page.next) {
    response->set_next_page_token(common::EncodePageToken(scope, *page.next));
  }
  response->set_revision(revision);
}

}  // namespace tandem::directory

#endif  // TANDEM_SERVICES_DIRECTORY_LIST_RESPONSE_H_
