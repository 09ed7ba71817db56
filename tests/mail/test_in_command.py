"""`manage.py mail_receiver` as the MTA meets it: a process that listens, speaks LMTP when asked, answers
451 (try again later) while its database is not there, and stops cleanly on SIGTERM."""

import smtplib
import sys

from tests.processes import Process, free_port, real_env, wait_for


def test_the_command_serves_lmtp_answers_451_without_a_database_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = real_env(tmp_path)  # a fresh var directory: its SQLite database has no tables yet
    receiver = Process(
        [sys.executable, "manage.py", "mail_receiver", "--lmtp", "--port", str(port)],
        env=env,
        log=tmp_path / "receiver.log",
    )
    try:
        wait_for(lambda: "Receiving mail over LMTP" in receiver.output(), timeout=30, what="the receiver to start")
        with smtplib.LMTP("127.0.0.1", port, timeout=10) as lmtp:
            assert lmtp.ehlo()[0] == 250  # smtplib's LMTP sends LHLO
            assert lmtp.mail("ana@example.org")[0] == 250
            code, text = lmtp.rcpt("replies+0123456789abcdef0123456789abcdef@localhost")
        assert code == 451 and b"try again later" in text, receiver.output()
        assert receiver.alive()
    finally:
        code = receiver.stop()
    assert code == 0, receiver.output()
    assert "Stopped." in receiver.output()
