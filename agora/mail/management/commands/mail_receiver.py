"""Run the inbound mail receiver: an SMTP (or LMTP) server the MTA hands replies and new topics to."""

import asyncio
import signal

from django.core.management.base import BaseCommand

from agora.mail.inbound import server_factory


class Command(BaseCommand):
    help = (
        "Receive mail from the MTA over SMTP (or LMTP with --lmtp): replies by email and new topics by email, "
        "checked and refused during the conversation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on (default 2525).")
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP (Postfix's lmtp: transport) not SMTP.")
        parser.add_argument("--hostname", default=None, help="The name the server greets with (default: FQDN).")

    def handle(self, *args, host: str, port: int, lmtp: bool, hostname: str | None, **options):
        asyncio.run(self._serve(host, port, lmtp, hostname))

    async def _serve(self, host: str, port: int, lmtp: bool, hostname: str | None) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        server = await loop.create_server(server_factory(lmtp=lmtp, hostname=hostname), host=host, port=port)
        self.stdout.write(f"Receiving mail over {'LMTP' if lmtp else 'SMTP'} on {host}:{port}", ending="\n")
        self.stdout.flush()
        async with server:
            await stop.wait()
        self.stdout.write("Stopped.")
