//! The report of `moat scan --format json` (docs/output.md), read finding by finding.

use std::fmt;
use std::io::Read;

use moat_core::Finding;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Emitter, IngestError, Parsed, stop};

/// The report versions this server reads.
const VERSION: u64 = 1;

/// Reads a report from `reader`, emitting each finding as soon as it is parsed.
pub(crate) fn parse(reader: &mut dyn Read, emitter: &mut Emitter) -> Result<Parsed, IngestError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let parsed = Report {
        emitter: &mut *emitter,
    }
    .deserialize(&mut de)
    .and_then(|parsed| de.end().map(|()| parsed))
    .map_err(|e| IngestError::from_json("not a moat JSON report", &e))?;
    emitter.flush()?;
    Ok(parsed)
}

struct Report<'a> {
    emitter: &'a mut Emitter,
}

#[derive(Deserialize)]
struct Tool {
    name: String,
    #[serde(default)]
    version: String,
}

impl<'de> DeserializeSeed<'de> for Report<'_> {
    type Value = Parsed;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parsed, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Report<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with `version` and `findings`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut parsed = Parsed::default();
        let mut findings = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" => {
                    let version: u64 = map.next_value()?;
                    if version != VERSION {
                        return Err(serde::de::Error::custom(format!(
                            "report version {version} is not supported; this server reads version {VERSION}"
                        )));
                    }
                }
                "tool" => {
                    let tool: Tool = map.next_value()?;
                    parsed.tool = Some(format!("{} {}", tool.name, tool.version).trim().to_owned());
                }
                "findings" => {
                    map.next_value_seed(Findings {
                        emitter: &mut *self.emitter,
                    })?;
                    findings = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if findings {
            Ok(parsed)
        } else {
            Err(serde::de::Error::missing_field("findings"))
        }
    }
}

struct Findings<'a> {
    emitter: &'a mut Emitter,
}

impl<'de> DeserializeSeed<'de> for Findings<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Findings<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of findings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(finding) = seq.next_element::<Finding>()? {
            self.emitter.emit(finding).map_err(|e| stop(&e))?;
        }
        Ok(())
    }
}
