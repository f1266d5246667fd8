# ruleid: python.django.django-weak-password-hasher
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

# ruleid: python.django.django-weak-password-hasher
PASSWORD_HASHERS = (
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)

# ok: python.django.django-weak-password-hasher
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

# ok: python.django.django-weak-password-hasher
PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
