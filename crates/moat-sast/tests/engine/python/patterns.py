import shutil

import requests


def fetch(url, payload, session):
    # ruleid: patterns-requests-verify-off
    requests.get(url, verify=False)
    # ruleid: patterns-requests-verify-off
    response = requests.post(url, json=payload, verify=False, timeout=5)
    # ok: patterns-requests-verify-off
    requests.get(url, verify=True)
    # ok: patterns-requests-verify-off
    session.get(url, verify=False)
    # ok: patterns-requests-verify-off
    requests.get(url)
    return response


def backup(report_path, backup_path):
    # ruleid: patterns-copy-onto-itself
    shutil.copy(report_path, report_path)
    # ok: patterns-copy-onto-itself
    shutil.copy(report_path, backup_path)
    # ok: patterns-copy-onto-itself
    shutil.move(report_path, report_path)
