-- Moat server schema, SQLite flavour. Keep in step with ../postgres/0001_initial.sql:
-- the same tables, columns and indexes; only the id and integer types differ.
-- Times are unix milliseconds (INTEGER).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('upload', 'read', 'admin')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('repository', 'service')),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    kind TEXT NOT NULL CHECK (kind IN ('full', 'partial', 'runtime', 'sbom')),
    format TEXT NOT NULL,
    tool TEXT,
    branch TEXT,
    commit_sha TEXT,
    environment TEXT,
    uploaded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    findings INTEGER NOT NULL DEFAULT 0,
    created_count INTEGER NOT NULL DEFAULT 0,
    reopened_count INTEGER NOT NULL DEFAULT 0,
    fixed_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_by_project ON scans (project_id, created_at);

CREATE TABLE vulnerabilities (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    -- ',CWE-89,CWE-564,' so one CWE is found with LIKE '%,CWE-89,%'; '' when none.
    cwe TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    snippet TEXT NOT NULL,
    remediation TEXT NOT NULL,
    evidence TEXT NOT NULL,
    details TEXT NOT NULL,
    environment TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'muted', 'false_positive', 'risk_accepted', 'fixed')),
    status_reason TEXT,
    mute_until INTEGER,
    assignee TEXT REFERENCES users (username) ON DELETE SET NULL,
    first_seen INTEGER NOT NULL,
    first_scan_id INTEGER NOT NULL REFERENCES scans (id),
    last_seen INTEGER NOT NULL,
    last_scan_id INTEGER NOT NULL REFERENCES scans (id),
    updated_at INTEGER NOT NULL,
    UNIQUE (project_id, fingerprint)
);
-- The default order of the list, and one index per filter and facet.
CREATE INDEX vulnerabilities_by_rank ON vulnerabilities (severity_rank DESC, last_seen DESC, id DESC);
CREATE INDEX vulnerabilities_by_status ON vulnerabilities (status, severity_rank);
CREATE INDEX vulnerabilities_by_kind ON vulnerabilities (kind, severity_rank);
CREATE INDEX vulnerabilities_by_project_status ON vulnerabilities (project_id, status);
CREATE INDEX vulnerabilities_by_rule ON vulnerabilities (rule_id);
CREATE INDEX vulnerabilities_by_environment ON vulnerabilities (environment);
CREATE INDEX vulnerabilities_by_assignee ON vulnerabilities (assignee);
CREATE INDEX vulnerabilities_by_first_scan ON vulnerabilities (first_scan_id);
CREATE INDEX vulnerabilities_by_first_seen ON vulnerabilities (first_seen);
CREATE INDEX vulnerabilities_by_last_seen ON vulnerabilities (last_seen);
CREATE INDEX vulnerabilities_muted ON vulnerabilities (status, mute_until);

-- Which branches report a vulnerability now: a full scan of a branch drops the rows of
-- what it no longer reports, and a vulnerability left with no row is fixed.
CREATE TABLE vulnerability_branches (
    vulnerability_id INTEGER NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    branch TEXT NOT NULL,
    last_scan_id INTEGER NOT NULL REFERENCES scans (id),
    PRIMARY KEY (vulnerability_id, branch)
);
CREATE INDEX vulnerability_branches_by_branch ON vulnerability_branches (project_id, branch, last_scan_id);

CREATE TABLE vulnerability_events (
    id INTEGER PRIMARY KEY,
    vulnerability_id INTEGER NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    detail TEXT,
    scan_id INTEGER REFERENCES scans (id)
);
CREATE INDEX vulnerability_events_by_vulnerability ON vulnerability_events (vulnerability_id, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    vulnerability_id INTEGER NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    time INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX comments_by_vulnerability ON comments (vulnerability_id, id);

-- Rows of an upload in progress; written and emptied inside the upload's transaction, so
-- no other transaction ever sees them.
CREATE TABLE upload_staging (
    scan_id INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    cwe TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    snippet TEXT NOT NULL,
    remediation TEXT NOT NULL,
    evidence TEXT NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (scan_id, fingerprint)
);

-- Software components: from SBOMs (context 'branch:<name>') and from the libraries a
-- runtime agent saw loaded (context 'env:<name>'). An upload replaces its context's set.
CREATE TABLE components (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    context TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    purl TEXT,
    component_type TEXT,
    licenses TEXT NOT NULL,
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    seen_at INTEGER NOT NULL
);
CREATE INDEX components_by_context ON components (project_id, context, name);
