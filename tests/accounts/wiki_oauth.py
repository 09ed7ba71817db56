"""A small real OAuth 2.0 server speaking MediaWiki's endpoints (Extension:OAuth under rest.php), run in a
thread on a free local port for the Wikimedia login tests.

- GET  {rest}/oauth2/authorize: answers the consent screen at once, as the test decided (`decision`):
  a redirect back to redirect_uri with a one-use code and the state, or with error=access_denied.
- POST {rest}/oauth2/access_token: checks client id and secret, the code, that it is unused and unexpired,
  and that redirect_uri is the one the code was issued for; 400 invalid_grant otherwise.
- GET  {rest}/oauth2/resource/profile: the profile of the Bearer token's user.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

REST_PATH = "/w/rest.php"


@dataclass
class Grant:
    profile: dict[str, Any]
    redirect_uri: str
    client_id: str
    expires_at: float
    used: bool = False


@dataclass
class WikiOAuthServer:
    client_id: str = "agora-test-consumer"
    client_secret: str = "agora-test-secret"
    code_lifetime: float = 60.0
    # What the next visit to the consent screen answers: "allow" or "deny", for this profile.
    decision: str = "allow"
    profile: dict[str, Any] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_agents: list[str] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{REST_PATH}"

    def start(self) -> WikiOAuthServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # quiet
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self) -> str:
                server.user_agents.append(self.headers.get("User-Agent", ""))
                path = urlsplit(self.path).path
                return path.removeprefix(REST_PATH) if path.startswith(REST_PATH) else ""

            def do_GET(self):
                route = self._route()
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                if route == "/oauth2/authorize":
                    return self._authorize(query)
                if route == "/oauth2/resource/profile":
                    auth = self.headers.get("Authorization", "")
                    profile = server.tokens.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
                    if profile is None:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, profile)
                return self._json(404, {"error": "not_found"})

            def _authorize(self, query: dict[str, str]) -> None:
                if query.get("client_id") != server.client_id or query.get("response_type") != "code":
                    return self._json(400, {"error": "invalid_client"})
                redirect_uri = query.get("redirect_uri", "")
                back: dict[str, str] = {}
                if server.decision == "allow":
                    code = secrets.token_urlsafe(16)
                    server.grants[code] = Grant(
                        profile=dict(server.profile),
                        redirect_uri=redirect_uri,
                        client_id=server.client_id,
                        expires_at=time.time() + server.code_lifetime,
                    )
                    back["code"] = code
                else:
                    back["error"] = "access_denied"
                    back["error_description"] = "The user denied the request"
                if "state" in query:
                    back["state"] = query["state"]
                self.send_response(302)
                self.send_header("Location", f"{redirect_uri}?{urlencode(back)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                route = self._route()
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if route != "/oauth2/access_token":
                    return self._json(404, {"error": "not_found"})
                server.token_requests.append(form)
                if form.get("client_id") != server.client_id or form.get("client_secret") != server.client_secret:
                    return self._json(401, {"error": "invalid_client"})
                if form.get("grant_type") != "authorization_code":
                    return self._json(400, {"error": "unsupported_grant_type"})
                grant = server.grants.get(form.get("code", ""))
                if (
                    grant is None
                    or grant.used
                    or grant.expires_at < time.time()
                    or grant.redirect_uri != form.get("redirect_uri")
                ):
                    return self._json(
                        400, {"error": "invalid_grant", "message": "The authorization code is invalid or expired"}
                    )
                grant.used = True
                token = secrets.token_urlsafe(24)
                server.tokens[token] = grant.profile
                return self._json(200, {"token_type": "Bearer", "expires_in": 14400, "access_token": token})

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def expire_codes(self) -> None:
        for grant in self.grants.values():
            grant.expires_at = 0


def wiki_profile(sub: int | str = 48151623, username: str = "Jane Doe", **fields: Any) -> dict[str, Any]:
    """A profile as MediaWiki's /oauth2/resource/profile returns it (grant "User identity verification
    only, with access to real name and email address")."""
    profile: dict[str, Any] = {
        "sub": sub,  # an integer, the central user id on Wikimedia wikis
        "username": username,
        "editcount": 12,
        "confirmed_email": False,
        "blocked": False,
        "registered": "20240301120000",
        "groups": ["*", "user", "autoconfirmed"],
        "rights": ["read", "edit"],
        "realname": "",
        "email": "",
    }
    profile.update(fields)
    return profile
