"""An aiosmtpd handler that holds every message at RCPT for HOLD_SECONDS, after touching the file
named by $FAULTS_SMTP_MARKER: the worker test kills the worker while it waits there, mid-send.

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c tests.faults.slow_smtp.SlowMailbox MAILDIR
"""

import asyncio
import os
from pathlib import Path

from aiosmtpd.handlers import Mailbox

HOLD_SECONDS = 60


class SlowMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        Path(os.environ["FAULTS_SMTP_MARKER"]).touch()
        await asyncio.sleep(HOLD_SECONDS)
        envelope.rcpt_tos.append(address)
        return "250 OK"
