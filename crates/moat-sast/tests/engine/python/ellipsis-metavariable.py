import logging

import requests

logger = logging.getLogger(__name__)


def fetch(url, headers):
    # ruleid: ellipsis-metavariable-verify-last
    requests.get(url, headers=headers, verify=False)
    # ruleid: ellipsis-metavariable-verify-last
    requests.get(url, verify=False)
    # ruleid: ellipsis-metavariable-verify-last
    requests.get(verify=False)
    # ok: ellipsis-metavariable-verify-last
    requests.get(url, headers=headers)
    # ok: ellipsis-metavariable-verify-last
    requests.post(url, verify=False)


def save(path, size):
    # ruleid: ellipsis-metavariable-duplicate-print
    logger.info("saved %s (%d bytes)", path, size)
    print("saved %s (%d bytes)", path, size)


def save_quietly(path, size):
    # ok: ellipsis-metavariable-duplicate-print
    logger.info("saved %s (%d bytes)", path, size)
    print("saved", path)


def announce():
    # ruleid: ellipsis-metavariable-duplicate-print
    logger.info()
    print()
