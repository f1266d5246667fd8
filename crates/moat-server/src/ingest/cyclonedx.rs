//! CycloneDX JSON SBOMs (1.2 to 1.6): the components, nested ones included.

use std::io::Read;

use serde::Deserialize;

use super::IngestError;
use crate::store::ComponentRow;

#[derive(Debug, Deserialize)]
struct Bom {
    #[serde(rename = "bomFormat")]
    format: Option<String>,
    #[serde(rename = "specVersion")]
    spec_version: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Debug, Deserialize)]
struct Component {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    group: Option<String>,
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    licenses: Vec<LicenseChoice>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Debug, Deserialize)]
struct LicenseChoice {
    #[serde(default)]
    license: Option<License>,
    #[serde(default)]
    expression: Option<String>,
}

#[derive(Debug, Deserialize)]
struct License {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// Reads an SBOM's components, flattened, in document order.
pub(crate) fn parse(reader: &mut dyn Read) -> Result<Vec<ComponentRow>, IngestError> {
    let bom: Bom = serde_json::from_reader(reader)
        .map_err(|e| IngestError::from_json("not a CycloneDX JSON SBOM", &e))?;
    if bom.format.as_deref() != Some("CycloneDX") {
        return Err(IngestError::Invalid(
            "not a CycloneDX JSON SBOM: `bomFormat` must be \"CycloneDX\"".to_owned(),
        ));
    }
    let version = bom.spec_version.unwrap_or_default();
    if !version.starts_with("1.") {
        return Err(IngestError::Invalid(format!(
            "CycloneDX spec version `{version}` is not supported; send 1.2 to 1.6"
        )));
    }
    let mut rows = Vec::new();
    let mut stack: Vec<Component> = bom.components.into_iter().rev().collect();
    while let Some(component) = stack.pop() {
        let name = match &component.group {
            Some(group) if !group.is_empty() => format!("{group}/{}", component.name),
            _ => component.name.clone(),
        };
        rows.push(ComponentRow {
            name,
            version: component.version.clone().unwrap_or_default(),
            purl: component.purl.clone(),
            component_type: component.kind.clone(),
            licenses: component
                .licenses
                .iter()
                .filter_map(|choice| {
                    choice.expression.clone().or_else(|| {
                        let license = choice.license.as_ref()?;
                        license.id.clone().or_else(|| license.name.clone())
                    })
                })
                .collect(),
        });
        stack.extend(component.components.into_iter().rev());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_nested_components_with_licenses() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
            {"type": "library", "group": "org.apache", "name": "commons-text", "version": "1.9",
             "licenses": [{"license": {"id": "Apache-2.0"}}],
             "components": [{"type": "library", "name": "inner", "version": "2"}]},
            {"type": "library", "name": "flask", "version": "2.0.1", "purl": "pkg:pypi/flask@2.0.1",
             "licenses": [{"expression": "BSD-3-Clause OR MIT"}]}]}"#;
        let rows = parse(&mut text.as_bytes()).unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["org.apache/commons-text", "inner", "flask"]);
        assert_eq!(rows[0].licenses, ["Apache-2.0"]);
        assert_eq!(rows[2].licenses, ["BSD-3-Clause OR MIT"]);
        assert_eq!(rows[2].purl.as_deref(), Some("pkg:pypi/flask@2.0.1"));
    }

    #[test]
    fn refuses_other_documents() {
        let spdx = r#"{"spdxVersion": "SPDX-2.3"}"#;
        assert!(matches!(
            parse(&mut spdx.as_bytes()),
            Err(IngestError::Invalid(_))
        ));
        assert!(matches!(
            parse(&mut "{\"bomFormat\":".as_bytes()),
            Err(IngestError::Syntax(_))
        ));
    }
}
