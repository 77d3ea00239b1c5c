"""E-mail backends for tests: an SMTP server that is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class BrokenSMTPBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
