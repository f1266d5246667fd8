//! Software components: what an SBOM lists and what a runtime agent saw loaded.

use serde::Serialize;
use sqlx::Row;

use super::{Arg, Sql, Store};

/// One component to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ComponentRow {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) purl: Option<String>,
    pub(crate) component_type: Option<String>,
    pub(crate) licenses: Vec<String>,
}

/// A component as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct ListedComponent {
    /// `repository` or `service`.
    pub(crate) project_kind: String,
    /// The repository or service.
    pub(crate) project: String,
    /// `branch:NAME` for an SBOM of that branch, `env:NAME` for libraries loaded there.
    pub(crate) context: String,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) purl: Option<String>,
    /// CycloneDX component type (`library`, `framework`...).
    #[serde(rename = "type")]
    pub(crate) component_type: Option<String>,
    pub(crate) licenses: Vec<String>,
    /// When the upload that listed it arrived (RFC 3339).
    pub(crate) seen_at: String,
}

impl Store {
    /// Components of one project (or all), sorted by project, context and name.
    pub(crate) async fn components(
        &self,
        project: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ListedComponent>, i64), sqlx::Error> {
        let mut filter = Sql::new(" FROM components c JOIN projects p ON p.id = c.project_id");
        if let Some(project) = project {
            filter
                .push(" WHERE p.name = ")
                .bind(Arg::Text(project.to_owned()));
        }
        let mut count = Sql::new("SELECT COUNT(*) AS n");
        count.push(&filter.text);
        count.args.clone_from(&filter.args);
        let total: i64 = count.query().fetch_one(self.pool()).await?.try_get("n")?;
        let mut page = Sql::new(
            "SELECT p.kind AS project_kind, p.name AS project, c.context, c.name, c.version, c.purl, \
             c.component_type, c.licenses, c.seen_at",
        );
        page.push(&filter.text);
        page.args.clone_from(&filter.args);
        page.push(" ORDER BY p.name, c.context, c.name, c.version LIMIT ")
            .bind(Arg::Int(limit))
            .push(" OFFSET ")
            .bind(Arg::Int(offset));
        let rows = page.query().fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| {
                let licenses: String = row.try_get("licenses")?;
                Ok(ListedComponent {
                    project_kind: row.try_get("project_kind")?,
                    project: row.try_get("project")?,
                    context: row.try_get("context")?,
                    name: row.try_get("name")?,
                    version: row.try_get("version")?,
                    purl: row.try_get("purl")?,
                    component_type: row.try_get("component_type")?,
                    licenses: licenses
                        .split(", ")
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    seen_at: crate::clock::rfc3339(row.try_get("seen_at")?),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((items, total))
    }
}
