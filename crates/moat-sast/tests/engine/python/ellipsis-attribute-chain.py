import requests


def report(db, sql):
    # ruleid: ellipsis-attribute-chain-query-execute
    db.session.execute(sql)
    # ruleid: ellipsis-attribute-chain-query-execute
    db.session.connection().execution_options(stream_results=True).execute(sql)
    # ruleid: ellipsis-attribute-chain-query-execute
    app.db.session.begin().conn.execute(sql)
    # ok: ellipsis-attribute-chain-query-execute
    db.engine.execute(sql)
    # ok: ellipsis-attribute-chain-query-execute
    db.session.commit()


def fetch(url):
    # ruleid: ellipsis-attribute-chain-requests
    data = requests.get(url, timeout=5).json()
    # ruleid: ellipsis-attribute-chain-requests
    more = requests.Session().get(url).json()
    # ok: ellipsis-attribute-chain-requests
    other = client.get(url).json()
    # ok: ellipsis-attribute-chain-requests
    text = requests.get(url, timeout=5).text
    return data, more, other, text
