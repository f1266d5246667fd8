import os

# ruleid: python.lang.hardcoded-password-assignment
DB_PASSWORD = "s3cr3t-Pa55"


class Client:
    def __init__(self, user):
        self.user = user
        # ruleid: python.lang.hardcoded-password-assignment
        self.password = "hunter2"


def connect():
    # ruleid: python.lang.hardcoded-password-assignment
    admin_pwd = 'letmein'
    return admin_pwd


# ok: python.lang.hardcoded-password-assignment
SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]

# ok: python.lang.hardcoded-password-assignment
password = ""

# ok: python.lang.hardcoded-password-assignment
password_reset_url = "/accounts/reset/"

# ok: python.lang.hardcoded-password-assignment
username = "admin"

# ok: python.lang.hardcoded-password-assignment
MASKED_PASSWORD = "********"

# ok: python.lang.hardcoded-password-assignment
ENV_DB_PASSWORD = "APP_DB_PASSWORD"

# ok: python.lang.hardcoded-password-assignment
template_password = "<your-password>"
