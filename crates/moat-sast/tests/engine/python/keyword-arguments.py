import subprocess


def serve(app):
    # ruleid: keyword-arguments-exact
    app.run(host="0.0.0.0", port=80)
    # ruleid: keyword-arguments-exact
    app.run(port=8080, host="0.0.0.0")
    # ok: keyword-arguments-exact
    app.run(port=8080, host="0.0.0.0", debug=True)
    # ok: keyword-arguments-exact
    app.run(host="127.0.0.1", port=80)
    # ok: keyword-arguments-exact
    app.run(host="0.0.0.0")


def pipeline(cmd):
    # ruleid: keyword-arguments-with-ellipsis
    first = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)
    # ruleid: keyword-arguments-with-ellipsis
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, shell=True)
    # ruleid: keyword-arguments-with-ellipsis
    third = subprocess.Popen(cmd, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, text=True, shell=True)
    # ok: keyword-arguments-with-ellipsis
    fourth = subprocess.Popen(cmd, stdout=subprocess.PIPE, shell=False)
    # ok: keyword-arguments-with-ellipsis
    fifth = subprocess.Popen(cmd, shell=True)
    return first, second, third, fourth, fifth
