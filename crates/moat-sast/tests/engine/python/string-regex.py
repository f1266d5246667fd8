import hashlib

import requests


def call_api(url):
    # ruleid: string-regex-plain-http
    requests.get("http://api.internal/users")
    # ruleid: string-regex-plain-http
    requests.get('http://api.internal/users', timeout=3)
    # ok: string-regex-plain-http
    requests.get("https://api.example.com/users")
    # ok: string-regex-plain-http
    requests.get(url)
    # ok: string-regex-plain-http
    requests.get("see http://docs.example.com")


def digest(data):
    # ruleid: string-regex-weak-hash-name
    first = hashlib.new("md5")
    # ruleid: string-regex-weak-hash-name
    second = hashlib.new("sha1", data)
    # ok: string-regex-weak-hash-name
    third = hashlib.new("sha256", data)
    # ok: string-regex-weak-hash-name
    fourth = hashlib.new("md5-sha1")
    return first, second, third, fourth
