"""Password hashing: Argon2id at OWASP's minimum parameters (19 MiB memory, 2 passes, 1 lane).

Django's own Argon2PasswordHasher uses more memory and time than a 2-core server can spend per login when
many users arrive together; these parameters are the OWASP Password Storage Cheat Sheet's first
recommendation for Argon2id and keep a login well under 150 ms of server time. PBKDF2 stays second in
PASSWORD_HASHERS: an old PBKDF2 hash is still checked, and replaced by an Argon2id one at that login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    # Keeps the algorithm name "argon2": hashes stay readable by Django's stock Argon2 hasher, and a change of
    # the parameters below makes must_update() re-hash at the next login.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
