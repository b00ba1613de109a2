// The gRPC-Web wire format (binary mode, application/grpc-web+proto), as
// browsers' clients such as Connect's createGrpcWebTransport speak it:
//
//   body    = frame*
//   frame   = flag (1 byte) length (4 bytes, big-endian) payload
//   flag    = 0x00 a message, 0x80 the trailer (bit 0 set: compressed)
//   trailer = "name: value\r\n"* (HTTP/1 header lines; grpc-status first)
//
// Pure functions over bytes: no gRPC, no HTTP server, so every corner can be
// unit tested (grpc_web_frames_test.cc).
#ifndef TANDEM_SERVICES_GATEWAY_GRPC_WEB_FRAMES_H_
#define TANDEM_SERVICES_GATEWAY_GRPC_WEB_FRAMES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tandem::gateway {

inline constexpr uint8_t kMessageFlag = 0x00;
inline constexpr uint8_t kCompressedFlag = 0x01;
inline constexpr uint8_t kTrailerFlag = 0x80;
inline constexpr size_t kFrameHeaderBytes = 5;

// `payload` behind a frame header with `flag`.
std::string EncodeFrame(uint8_t flag, absl::string_view payload);

// The single message of a unary or server-streaming request body: exactly
// one uncompressed message frame and nothing after it. INVALID_ARGUMENT
// saying what is wrong for a truncated or empty body, a trailer frame,
// trailing bytes or a second message; UNIMPLEMENTED for a compressed frame
// (the gateway announces no grpc-accept-encoding, so none should arrive).
absl::StatusOr<std::string> ParseRequestBody(absl::string_view body);

// One trailer entry; names are lower case.
using Metadata = std::vector<std::pair<std::string, std::string>>;

// The trailer frame: "grpc-status: <code>\r\n", "grpc-message: <percent-
// encoded message>\r\n" when the message is not empty, then `extra` in
// order. Entries of `extra` named grpc-status or grpc-message, or whose
// name or value could break the header syntax (CR, LF, ':' in a name), are
// left out.
std::string EncodeTrailer(int code, absl::string_view message,
                          const Metadata& extra);

// gRPC's percent-encoding of grpc-message: bytes outside printable ASCII
// (0x20-0x7E) and '%' become %XX (upper-case hex); UTF-8 text thus survives
// byte for byte.
std::string PercentEncode(absl::string_view message);

// The grpc-timeout header ("<1-8 digits><unit>", unit one of H M S m u n)
// as a duration; nullopt when it does not follow that grammar.
std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value);

}  // namespace tandem::gateway

#endif  // TANDEM_SERVICES_GATEWAY_GRPC_WEB_FRAMES_H_
