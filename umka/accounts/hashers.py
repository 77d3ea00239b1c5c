"""Password hasher for one-time passwords handed out by an import.

A one-time password is 12 random characters (about 70 bits), so it needs no key
stretching to resist guessing; fewer rounds let an import create thousands of
accounts in seconds. The person must replace it at first sign-in, and the new
password is stored with the default (strong) hasher.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "umka_onetime_pbkdf2"
    iterations = 2_000
