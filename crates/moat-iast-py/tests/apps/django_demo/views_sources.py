"""Every kind of request data Django hands a view, each reaching a sink (raw SQL, or
unpickling for the body, which is bytes): query parameters, form fields, cookies, headers,
META, the body, uploaded file names, URL path variables and the request path itself."""

import io
import pickle

from django.db import connection
from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases import case

ATTACK = "x' OR '1'='1"
# Request paths cannot hold spaces: this one closes the value and adds a row.
PATH_ATTACK = "x'),('injected"


def emails(rows):
    return JsonResponse({"emails": [row[0] for row in rows]})


@case("SQL_INJECTION", True, params={"name": ATTACK})
def sqli_get(request):
    name = request.GET.get("name", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + name + "'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, params={"role": ATTACK})
def sqli_get_item(request):
    role = request.GET["role"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email FROM accounts_account WHERE role = '{role}'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, params={"name": ["alice", "x') OR ('1'='1"]})
def sqli_getlist(request):
    names = request.GET.getlist("name")
    quoted = ", ".join("'" + name + "'" for name in names)
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name IN (" + quoted + ")")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, params={"role": ATTACK})
def sqli_get_items(request):
    conditions = []
    for field, value in request.GET.dict().items():
        if field in ("name", "role"):
            conditions.append(f"{field} = '{value}'")
    where = " AND ".join(conditions) or "1 = 1"
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE " + where)  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", False, params={"name": ATTACK})
def sqli_get_parameterised(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = %s", [request.GET.get("name", "")])
        return emails(cursor.fetchall())


@csrf_exempt
@require_POST
@case("SQL_INJECTION", True, method="POST", form={"name": ATTACK})
def sqli_post(request):
    name = request.POST["name"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '%s'" % name)  # report
        return emails(cursor.fetchall())


@csrf_exempt
@require_POST
@case("SQL_INJECTION", False, method="POST", form={"name": ATTACK})
def sqli_post_parameterised(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = %s", [request.POST.get("name")])
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, cookies={"account": ATTACK})
def sqli_cookie(request):
    account = request.COOKIES.get("account", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + account + "'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", False, cookies={"account": ATTACK})
def sqli_cookie_other_key(request):
    # The cookie is read, but the query uses the server's own value.
    preferences = {"account": request.COOKIES.get("account", ""), "default": "alice"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + preferences["default"] + "'")
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, headers={"X-Account": ATTACK})
def sqli_header(request):
    account = request.headers.get("X-Account", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + account + "'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, headers={"X-Role": ATTACK})
def sqli_meta(request):
    role = request.META.get("HTTP_X_ROLE", "member")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE role = '" + role + "'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", False, headers={"X-Role": ATTACK})
def sqli_meta_server_name(request):
    # META also holds what the server set, which the client does not choose.
    server = request.META.get("SERVER_NAME", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + server + "'")
        return emails(cursor.fetchall())


class PlainDataUnpickler(pickle.Unpickler):
    """Unpickles plain data only: no class or function may be loaded."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


# A pickle that calls a function as it loads (a harmless one: len).
PICKLE_CALL = "cbuiltins\nlen\n(S'owned'\ntR."
OCTETS = {"Content-Type": "application/octet-stream"}


@csrf_exempt
@require_POST
@case("UNTRUSTED_DESERIALIZATION", True, method="POST", data=PICKLE_CALL, headers=OCTETS)
def restore_state(request):
    state = pickle.loads(request.body)  # report
    return JsonResponse({"state": repr(state)})


@csrf_exempt
@require_POST
@case("UNTRUSTED_DESERIALIZATION", False, method="POST", data=PICKLE_CALL, headers=OCTETS)
def restore_state_plain_data(request):
    try:
        state = PlainDataUnpickler(io.BytesIO(request.body)).load()
    except pickle.UnpicklingError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"state": repr(state)})


UPLOAD = (
    "--demo-boundary\r\n"
    'Content-Disposition: form-data; name="attachment"; filename="x\'),(\'injected.txt"\r\n'
    "Content-Type: text/plain\r\n\r\n"
    "quarterly numbers\r\n"
    "--demo-boundary--\r\n"
)
MULTIPART = {"Content-Type": "multipart/form-data; boundary=demo-boundary"}


@csrf_exempt
@require_POST
@case("SQL_INJECTION", True, method="POST", data=UPLOAD, headers=MULTIPART)
def upload_name(request):
    upload = request.FILES["attachment"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_visit (page) VALUES ('" + upload.name + "')")  # report
    return JsonResponse({"stored": upload.name, "size": upload.size})


@csrf_exempt
@require_POST
@case("SQL_INJECTION", False, method="POST", data=UPLOAD, headers=MULTIPART)
def upload_name_parameterised(request):
    upload = request.FILES["attachment"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_visit (page) VALUES (%s)", [upload.name])
    return JsonResponse({"stored": upload.name, "size": upload.size})


@case("SQL_INJECTION", True, path="/accounts/x'OR'1'='1/email")
def sqli_path_parameter(request, name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE name = '" + name + "'")  # report
        return emails(cursor.fetchall())


@case("SQL_INJECTION", False, path="/accounts/2/email-by-id")
def sqli_path_parameter_int(request, account_id):
    # The int converter hands the view a number.
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM accounts_account WHERE id = " + str(account_id))
        return emails(cursor.fetchall())


@case("SQL_INJECTION", True, path="/visits/" + PATH_ATTACK)
def visit_path(request, page):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_visit (page) VALUES ('" + request.path + "')")  # report
    return JsonResponse({"recorded": page})


@case("SQL_INJECTION", True, path="/archive/2024/" + PATH_ATTACK)
def visit_full_path(request, year, slug):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO accounts_visit (page) VALUES ('{request.get_full_path()}')")  # report
    return JsonResponse({"recorded": slug})


@case("SQL_INJECTION", False, path="/visits-home", params={"ref": PATH_ATTACK})
def visit_literal_path(request):
    # Only the route's literal text is in the path: the client's data is in the query.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO accounts_visit (page) VALUES ('" + request.path + "')")
    return JsonResponse({"recorded": request.path})


urlpatterns = [
    path("sqli-get", sqli_get),
    path("sqli-get-item", sqli_get_item),
    path("sqli-getlist", sqli_getlist),
    path("sqli-get-items", sqli_get_items),
    path("sqli-get-parameterised", sqli_get_parameterised),
    path("sqli-post", sqli_post),
    path("sqli-post-parameterised", sqli_post_parameterised),
    path("sqli-cookie", sqli_cookie),
    path("sqli-cookie-other-key", sqli_cookie_other_key),
    path("sqli-header", sqli_header),
    path("sqli-meta", sqli_meta),
    path("sqli-meta-server-name", sqli_meta_server_name),
    path("restore-state", restore_state),
    path("restore-state-plain-data", restore_state_plain_data),
    path("upload-name", upload_name),
    path("upload-name-parameterised", upload_name_parameterised),
    path("accounts/<str:name>/email", sqli_path_parameter),
    path("accounts/<int:account_id>/email-by-id", sqli_path_parameter_int),
    path("visits/<str:page>", visit_path),
    re_path(r"^archive/(?P<year>[0-9]{4})/(?P<slug>[^/]+)$", visit_full_path),
    path("visits-home", visit_literal_path),
]
