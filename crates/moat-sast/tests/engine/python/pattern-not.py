import subprocess


def archive(directory, command_line):
    # ruleid: pattern-not-subprocess-string-command
    subprocess.run(command_line, shell=True)
    # ruleid: pattern-not-subprocess-string-command
    subprocess.run("tar czf out.tgz " + directory)
    # ok: pattern-not-subprocess-string-command
    subprocess.run(["tar", "czf", "out.tgz", directory])
    # ok: pattern-not-subprocess-string-command
    subprocess.run(["git", "status"], check=True, capture_output=True)


def login(response, session_id):
    # ruleid: pattern-not-insecure-cookie
    response.set_cookie("sid", session_id)
    # ruleid: pattern-not-insecure-cookie
    response.set_cookie("sid", session_id, secure=False)
    # ok: pattern-not-insecure-cookie
    response.set_cookie("sid", session_id, secure=True, httponly=True)
    # ok: pattern-not-insecure-cookie
    response.set_cookie("sid", value=session_id, secure=True)
    return response
