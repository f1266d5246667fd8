import os
import subprocess


def backup(target, command):
    # ok: focus-metavariable-shell-command
    subprocess.run(
        # ruleid: focus-metavariable-shell-command
        "tar czf backup.tgz " + target,
        shell=True,
        check=True,
    )
    # ruleid: focus-metavariable-shell-command
    subprocess.run(command, shell=True)
    # ok: focus-metavariable-shell-command
    subprocess.run(["tar", "czf", "backup.tgz", target], check=True)
    # ok: focus-metavariable-shell-command
    subprocess.run(command, shell=False)


def settings():
    # ok: focus-metavariable-secret-default
    secret = os.environ.get(
        "SECRET_KEY",
        # ruleid: focus-metavariable-secret-default
        "insecure-development-key",
    )
    # ruleid: focus-metavariable-secret-default
    other = os.environ.get("SECRET_KEY", "dev")
    # ok: focus-metavariable-secret-default
    required = os.environ["SECRET_KEY"]
    # ok: focus-metavariable-secret-default
    region = os.environ.get("AWS_REGION", "eu-west-1")
    return secret, other, required, region
