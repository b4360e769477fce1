"""The desk over HTTP, as any client sees it: cookies and headers, CSRF, roles enforced on the server,
lockout, and the API's findings filed as cases. (What a person sees is tests/ui/test_browser.py.)"""

from __future__ import annotations

import json
import re

import httpx
from desk_server import PASSWORD, DeskServer

from chipscreen.paths import data_dir
from chipscreen.review import UserStore
from chipscreen.service.audit import AuditLog


def login(client: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/ui/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return client.post("/ui/login", data={"name": name, "password": password, "login_token": token.group(1),
                                          "next": "/ui/queue"})


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def whole_queue(client: httpx.Client) -> str:
    """Every page of the review queue, as one text: a new case may be filed on any page."""
    first = client.get("/ui/queue").text
    found = re.search(r"page 1 of (\d+)", first)
    assert found, "the queue page says how many pages it has"
    return first + "".join(client.get("/ui/queue", params={"page": p}).text for p in range(2, int(found[1]) + 1))


def test_a_page_without_a_session_sends_to_the_login_page(desk: DeskServer) -> None:
    with desk.client() as c:
        r = c.get("/ui/queue?page=2")
        assert r.status_code == 303 and r.headers["location"] == "/ui/login?next=%2Fui%2Fqueue%3Fpage%3D2"


def test_the_session_cookie_is_httponly_strict_and_scoped_and_pages_forbid_script(desk: DeskServer) -> None:
    with desk.client() as c:
        r = login(c, "ana")
        assert r.status_code == 303 and r.headers["location"] == "/ui/queue"
        cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("chipscreen_desk="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
        assert "Secure" not in cookie  # plain HTTP on loopback; over TLS the flag is set
        page = c.get("/ui/queue")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"


def test_a_form_without_its_csrf_token_is_refused(desk: DeskServer) -> None:
    with desk.client() as c:
        login(c, "ana")
        r = c.post("/ui/screen", data={"name": "Huawei"})
        assert r.status_code == 403 and "CSRF" in r.text


def test_the_next_parameter_cannot_leave_the_desk(desk: DeskServer) -> None:
    with desk.client() as c:
        page = c.get("/ui/login", params={"next": "//evil.example/"})
        token = re.search(r'name="login_token" value="([^"]+)"', page.text)
        assert token
        r = c.post("/ui/login", data={"name": "ana", "password": PASSWORD, "login_token": token.group(1),
                                      "next": "//evil.example/"})
        assert r.headers["location"] == "/ui/screen"


def test_a_viewer_may_read_but_not_screen_dispose_or_approve(desk: DeskServer) -> None:
    with desk.client() as c:
        login(c, "vic")
        csrf = csrf_of(c.get("/ui/queue").text)
        assert c.get("/ui/lists").status_code == 200
        assert c.post("/ui/screen", data={"name": "Huawei", "csrf": csrf}).status_code == 403
        assert c.post("/ui/cases/1/dispose", data={"disposition": "false_positive", "comment": "x",
                                                   "csrf": csrf}).status_code == 403
        assert c.post("/ui/cases/1/approve", data={"csrf": csrf}).status_code == 403


def test_repeated_failed_logins_lock_the_account(desk: DeskServer) -> None:
    UserStore(desk.home).add("locky", "viewer", PASSWORD)
    with desk.client() as c:
        for _ in range(5):
            assert login(c, "locky", "wrong password").status_code == 401
        r = login(c, "locky")
        assert r.status_code == 401 and "locked" in r.text


def test_the_apis_matches_become_cases(desk: DeskServer) -> None:
    body = {"queries": {"q1": {"schema": "Company", "properties": {"name": ["Megvii Technology"],
                                                                   "country": ["cn"]}}}}
    with desk.client() as c:
        r = c.post("/match/default", json=body, headers={"Authorization": f"ApiKey {desk.api_key}"})
        assert r.status_code == 200 and r.json()["responses"]["q1"]["results"]
        login(c, "rev")
        text = whole_queue(c)
        assert "Megvii Technology (CN)" in text and "api/match" in text


def test_a_licence_required_check_from_the_api_becomes_a_case(desk: DeskServer) -> None:
    tx = next(json.loads(line) for line in
              (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8").splitlines()
              if json.loads(line)["id"] == "X-03")
    with desk.client() as c:
        r = c.post("/check", json={"queries": {"t": tx}}, headers={"Authorization": f"ApiKey {desk.api_key}"})
        assert r.json()["responses"]["t"]["decision"]["license_required"] is True
        login(c, "rev")
        text = whole_queue(c)
        assert "decision: export of" in text and "api/check" in text


def test_a_reviewer_sends_a_disposition_back_and_the_case_reopens_audited(desk: DeskServer) -> None:
    from chipscreen.review import CaseInput, CaseStore

    cases = CaseStore(desk.home)
    (case,) = cases.file([CaseInput("Send Back Trading Ltd", "HK", "el-sendback", "EL", "SEND BACK TRADING",
                                    "h-sendback", "match", "test", 0.8, None, {})])
    cases.close()
    with desk.client() as ana, desk.client() as rev:
        login(ana, "ana")
        csrf = csrf_of(ana.get(f"/ui/cases/{case.id}").text)
        ana.post(f"/ui/cases/{case.id}/dispose", data={"disposition": "true_match", "comment": "same name",
                                                        "csrf": csrf})
        assert ana.post(f"/ui/cases/{case.id}/send-back", data={"comment": "x", "csrf": csrf}).status_code == 403
        login(rev, "rev")
        page = rev.get(f"/ui/cases/{case.id}").text
        assert "Send back" in page
        csrf = csrf_of(page)
        assert rev.post(f"/ui/cases/{case.id}/send-back", data={"comment": "", "csrf": csrf}).status_code == 400
        r = rev.post(f"/ui/cases/{case.id}/send-back", data={"comment": "name alone is not enough", "csrf": csrf})
        assert r.status_code == 303
        page = rev.get(f"/ui/cases/{case.id}").text
        assert "Sent back by rev" in page and "was true_match by ana" in page and "Record disposition" in page
    audit = AuditLog(desk.home)
    (rec,) = [r for r in audit.records() if r["endpoint"] == f"/ui/cases/{case.id}/send-back"]
    audit.close()
    summary = json.loads(rec["summary"]) if isinstance(rec["summary"], str) else rec["summary"]
    assert rec["key_id"] == "user:rev" and summary["status"] == "open" and summary["disposition"] is None
