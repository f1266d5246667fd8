# ruleid: ellipsis-collections-wildcard-host
ALLOWED_HOSTS = ["example.com", "*"]

# ruleid: ellipsis-collections-wildcard-host
ALLOWED_HOSTS = ["*"]

# ruleid: ellipsis-collections-wildcard-host
ALLOWED_HOSTS = [
    "api.example.com",
    "*",
    "admin.example.com",
]

# ok: ellipsis-collections-wildcard-host
ALLOWED_HOSTS = ["example.com", "*.example.com"]

# ok: ellipsis-collections-wildcard-host
CORS_ORIGINS = ["*"]

# ruleid: ellipsis-collections-autoescape-off
JINJA_OPTIONS = {"autoescape": False, "cache_size": 400}

# ruleid: ellipsis-collections-autoescape-off
TEMPLATE_OPTIONS = {"trim_blocks": True, "autoescape": False}

# ok: ellipsis-collections-autoescape-off
SAFE_OPTIONS = {"autoescape": True, "cache_size": 400}

# ok: ellipsis-collections-autoescape-off
OTHER_OPTIONS = {"escape": False}

DATABASES = {
    # ruleid: ellipsis-collections-hardcoded-password-entry
    "default": {"user": "app", "password": "hunter2", "host": "db"},
    # ok: ellipsis-collections-hardcoded-password-entry
    "replica": {"user": "app", "password": REPLICA_PASSWORD, "host": "db2"},
    # ok: ellipsis-collections-hardcoded-password-entry
    "cache": {"user": "app", "host": "cache"},
}
