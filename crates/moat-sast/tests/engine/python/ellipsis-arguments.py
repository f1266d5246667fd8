import hashlib
import hmac
import pickle


def restore(fh):
    # ruleid: ellipsis-arguments-any
    state = pickle.load(fh)
    # ruleid: ellipsis-arguments-any
    legacy = pickle.load(fh, encoding="latin1", fix_imports=True)
    # ok: ellipsis-arguments-any
    pickle.dump(state, fh)
    return state, legacy


def register(app, view, prefix):
    # ruleid: ellipsis-arguments-first
    app.add_url_rule("/admin", "admin", view)
    # ruleid: ellipsis-arguments-first
    app.add_url_rule("/admin")
    # ok: ellipsis-arguments-first
    app.add_url_rule("/login", "login", view)
    # ok: ellipsis-arguments-first
    app.add_url_rule(prefix + "/admin", "admin", view)


def sign(key, message):
    # ruleid: ellipsis-arguments-last
    legacy = hmac.new(key, message, hashlib.md5)
    # ruleid: ellipsis-arguments-last
    digest = hmac.new(key, None, hashlib.md5).hexdigest()
    # ok: ellipsis-arguments-last
    modern = hmac.new(key, message, hashlib.sha256)
    # ok: ellipsis-arguments-last
    keyword = hmac.new(key, message, digestmod=hashlib.md5)
    return legacy, digest, modern, keyword


def start(app):
    # ruleid: ellipsis-arguments-keyword
    app.run(debug=True)
    # ruleid: ellipsis-arguments-keyword
    app.run("0.0.0.0", 5000, debug=True)
    # ruleid: ellipsis-arguments-keyword
    app.run(debug=True, port=8000)
    # ok: ellipsis-arguments-keyword
    app.run(debug=False)
    # ok: ellipsis-arguments-keyword
    app.run(host="0.0.0.0")
