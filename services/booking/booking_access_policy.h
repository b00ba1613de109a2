// Which roles may call each booking RPC, and which calls are audited.
// Couples' data is for coordinators and for the therapists who treat them
// (the handlers narrow a therapist to their own intensives); administrators
// run the clinic's settings and do not read couples. Services: the
// follow-up service books contacts' appointments and reads intensives; the
// roster service reads sessions, intensives, couples and appointments.
#ifndef TANDEM_SERVICES_BOOKING_BOOKING_ACCESS_POLICY_H_
#define TANDEM_SERVICES_BOOKING_BOOKING_ACCESS_POLICY_H_

#include "services/common/access_policy.h"

namespace tandem::booking {

const common::AccessPolicy& BookingAccessPolicy();

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_BOOKING_ACCESS_POLICY_H_
