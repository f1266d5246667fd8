//! What each vulnerability type means for the people who read a report: a title, how
//! bad it is, its CWE, why it matters and how to fix it. Outputs (`moat scan
//! --runtime-report`, later the server) read this instead of repeating it.

use crate::VulnType;

/// The description of one vulnerability type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeInfo {
    /// A short title.
    pub title: &'static str,
    /// `critical`, `high`, `medium` or `low`: the severity names of every Moat output.
    pub severity: &'static str,
    /// The CWE, as `CWE-89`.
    pub cwe: &'static str,
    /// Why it matters.
    pub description: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
}

impl VulnType {
    /// The rule id runtime findings carry (`iast.sql-injection`).
    pub fn rule_id(self) -> String {
        format!(
            "iast.{}",
            self.name().to_ascii_lowercase().replace('_', "-")
        )
    }

    /// What the type means; see [`TypeInfo`].
    #[expect(clippy::too_many_lines, reason = "one entry per type, as a table")]
    pub fn info(self) -> TypeInfo {
        let (title, severity, cwe, description, remediation) = match self {
            VulnType::SqlInjection => (
                "SQL injection",
                "critical",
                "CWE-89",
                "Request data changed the structure of an SQL statement the application ran.",
                "Pass request values as bound parameters (`cursor.execute(\"... WHERE id = ?\", (user_id,))`), never by building the SQL text.",
            ),
            VulnType::NosqlInjection => (
                "NoSQL injection",
                "high",
                "CWE-943",
                "Query operators from the request reached a document database query.",
                "Accept only plain values from the request (check types, reject keys starting with `$`) before building a query.",
            ),
            VulnType::CommandInjection => (
                "Command injection",
                "critical",
                "CWE-78",
                "Request data changed a shell command or chose the program the application ran.",
                "Run programs without a shell, with a fixed program and an argument list (`subprocess.run([\"ping\", host])`); quote with `shlex.quote` if a shell is unavoidable.",
            ),
            VulnType::CodeInjection => (
                "Code injection",
                "critical",
                "CWE-95",
                "Request data reached `eval`, `exec` or `compile`.",
                "Never evaluate request data as code; parse it (`ast.literal_eval`, `json.loads`) or map it to a fixed set of actions.",
            ),
            VulnType::PathTraversal => (
                "Path traversal",
                "high",
                "CWE-22",
                "Request data made a file path leave the directory the application meant.",
                "Resolve the path and check that it stays under the base directory (`os.path.realpath` plus a prefix check), or serve files with `send_from_directory`.",
            ),
            VulnType::Ssrf => (
                "Server-side request forgery",
                "high",
                "CWE-918",
                "Request data chose the scheme, host or port of an outgoing request.",
                "Keep the destination fixed, or check the host against an allow-list after parsing the URL.",
            ),
            VulnType::LdapInjection => (
                "LDAP injection",
                "high",
                "CWE-90",
                "Request data changed the structure of an LDAP search filter.",
                "Escape values with `escape_filter_chars` before putting them in a filter.",
            ),
            VulnType::XpathInjection => (
                "XPath injection",
                "high",
                "CWE-643",
                "Request data changed the structure of an XPath expression.",
                "Pass values as XPath variables (`tree.xpath(\"//user[name=$name]\", name=value)`) instead of building the expression.",
            ),
            VulnType::HeaderInjection => (
                "HTTP header injection",
                "medium",
                "CWE-113",
                "A line break from the request reached a response header.",
                "Reject or strip CR and LF from values put in headers.",
            ),
            VulnType::UnvalidatedRedirect => (
                "Unvalidated redirect",
                "medium",
                "CWE-601",
                "Request data chose where a redirect sends the user.",
                "Redirect only to relative paths or to hosts on an allow-list (`url_has_allowed_host_and_scheme` in Django).",
            ),
            VulnType::Xss => (
                "Cross-site scripting",
                "high",
                "CWE-79",
                "Request data reached an HTML response without escaping.",
                "Render HTML with an autoescaping template, or escape values with `html.escape` / `markupsafe.escape`; never wrap request data in `Markup`/`mark_safe`.",
            ),
            VulnType::TrustBoundaryViolation => (
                "Trust boundary violation",
                "low",
                "CWE-501",
                "Request data was stored in the session, where later code trusts it.",
                "Validate values before storing them in the session, and keep trusted and untrusted data apart.",
            ),
            VulnType::UntrustedDeserialization => (
                "Untrusted deserialization",
                "critical",
                "CWE-502",
                "Request data reached a deserializer that can run code (`pickle`, unsafe `yaml.load`, `marshal`).",
                "Use a data-only format (`json`, `yaml.safe_load`) for anything from the request.",
            ),
            VulnType::Xxe => (
                "XML external entities",
                "high",
                "CWE-611",
                "Request XML was parsed with external entities resolved.",
                "Parse with entity resolution and network access off (`XMLParser(resolve_entities=False, no_network=True)`), or use `defusedxml`.",
            ),
            VulnType::WeakHash => (
                "Weak hash algorithm",
                "medium",
                "CWE-328",
                "MD5 or SHA-1 was used where collisions may matter.",
                "Use SHA-256 or stronger; for passwords use a password hash (`argon2`, `bcrypt`, `hashlib.scrypt`). Pass `usedforsecurity=False` where the hash is not about security.",
            ),
            VulnType::WeakCipher => (
                "Weak cipher",
                "medium",
                "CWE-327",
                "A broken cipher (DES, 3DES, RC4, Blowfish) or ECB mode was used.",
                "Use AES-GCM or ChaCha20-Poly1305 (`cryptography`'s `AESGCM`).",
            ),
            VulnType::WeakRandomness => (
                "Weak randomness",
                "medium",
                "CWE-338",
                "A `random` module value was used for a token, cookie, session or password.",
                "Use the `secrets` module (`secrets.token_urlsafe()`) for anything an attacker must not guess.",
            ),
            VulnType::InsecureCookie => (
                "Cookie without Secure",
                "low",
                "CWE-614",
                "A cookie was set without the `Secure` flag, so it can travel over plain HTTP.",
                "Set cookies with `secure=True` (Flask: `SESSION_COOKIE_SECURE`; Django: `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`).",
            ),
            VulnType::NoHttponlyCookie => (
                "Cookie without HttpOnly",
                "low",
                "CWE-1004",
                "A cookie was set without `HttpOnly`, so page scripts (and XSS) can read it.",
                "Set cookies with `httponly=True` unless scripts truly need them.",
            ),
            VulnType::NoSamesiteCookie => (
                "Cookie without SameSite",
                "low",
                "CWE-1275",
                "A cookie was set without `SameSite`, so other sites' requests carry it.",
                "Set `samesite=\"Lax\"` (or `\"Strict\"`) on cookies.",
            ),
            VulnType::HstsHeaderMissing => (
                "HSTS header missing",
                "low",
                "CWE-319",
                "An HTML response had no `Strict-Transport-Security` header.",
                "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` (Django: `SECURE_HSTS_SECONDS`; Flask: an `after_request` hook or flask-talisman).",
            ),
            VulnType::XcontenttypeHeaderMissing => (
                "X-Content-Type-Options header missing",
                "low",
                "CWE-693",
                "An HTML response had no `X-Content-Type-Options: nosniff` header.",
                "Send `X-Content-Type-Options: nosniff` on every response (Django: `SECURE_CONTENT_TYPE_NOSNIFF`).",
            ),
            VulnType::StacktraceLeak => (
                "Stack trace leak",
                "low",
                "CWE-209",
                "A Python traceback was sent in a response.",
                "Log exceptions on the server and answer with a generic error page; never run with debug on in production.",
            ),
            VulnType::HardcodedSecret => (
                "Hardcoded secret",
                "high",
                "CWE-798",
                "A key or token written in the code reached a security call.",
                "Read secrets from the environment or a secret manager, and rotate the one in the code.",
            ),
            VulnType::HardcodedPassword => (
                "Hardcoded password",
                "high",
                "CWE-259",
                "A password written in the code reached an authentication call.",
                "Read passwords from the environment or a secret manager, and change the one in the code.",
            ),
        };
        TypeInfo {
            title,
            severity,
            cwe,
            description,
            remediation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_described() {
        for kind in VulnType::ALL {
            let info = kind.info();
            assert!(info.cwe.starts_with("CWE-"), "{kind:?}");
            assert!(["critical", "high", "medium", "low"].contains(&info.severity));
            assert!(!info.remediation.is_empty() && !info.description.is_empty());
        }
        assert_eq!(VulnType::SqlInjection.rule_id(), "iast.sql-injection");
        assert_eq!(
            VulnType::XcontenttypeHeaderMissing.rule_id(),
            "iast.xcontenttype-header-missing"
        );
    }
}
