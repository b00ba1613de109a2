"""A loopback SMTP server for tests: saves every accepted message to a
directory and can answer 421 to the first N messages.

  smtp_sink.py --port-file FILE --out DIR [--fail-first N]

It listens on 127.0.0.1 on a port the system picks and writes that port to
FILE (atomically) once it accepts connections. Message k (from 1) is saved
as DIR/NNNN.eml (the raw bytes received) and DIR/NNNN.env (envelope sender
and recipients, one per line). Rejected messages are not saved.
"""
import argparse
import asyncio
import os

from aiosmtpd.smtp import SMTP


class SavingHandler:
    def __init__(self, out, fail_first):
        self.out = out
        self.fail_first = fail_first
        self.seen = 0
        self.saved = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen <= self.fail_first:
            return "421 4.3.2 Service not available, try again later"
        self.saved += 1
        stem = os.path.join(self.out, "%04d" % self.saved)
        with open(stem + ".env.tmp", "w") as env:
            env.write(envelope.mail_from + "\n")
            env.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(stem + ".env.tmp", stem + ".env")
        with open(stem + ".eml.tmp", "wb") as eml:
            eml.write(envelope.original_content or envelope.content)
        os.rename(stem + ".eml.tmp", stem + ".eml")
        return "250 2.0.0 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    handler = SavingHandler(args.out, args.fail_first)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, hostname="sink.test"),
        "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(args.port_file + ".tmp", args.port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
