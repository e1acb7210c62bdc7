//! Carriers' tracking webhooks: the shared secret each provider is given, and the two body
//! formats, read into one [`Report`].
//!
//! - `builtin`: this platform's own format, for the built-in provider and any carrier
//!   integration that posts it: `{"id", "tracking_number", "status", "detail", "location"?,
//!   "occurred_at"}`.
//! - `shippo`: Shippo's `track_updated` event, `{"event", "test", "data": <Track>}`, whose
//!   `data.tracking_status` is the update; its `object_id` is the event's id.
//!
//! Unknown fields are ignored in both: a provider adding one must not see its deliveries
//! refused (and retried) from then on.

use crate::domain::tracking::{Reported, TrackingStatus, from_shippo};
use kernel::error::FieldError;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const MAX_ID: usize = 100;
pub const MAX_DETAIL: usize = 500;
pub const MAX_LOCATION: usize = 200;

/// The body formats, by provider name (the `{provider}` of the URL and the key under
/// `[shipping.webhooks]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Builtin,
    Shippo,
}

impl Format {
    pub const NAMES: [&'static str; 2] = ["builtin", "shippo"];

    pub fn of(provider: &str) -> Option<Self> {
        match provider {
            "builtin" => Some(Self::Builtin),
            "shippo" => Some(Self::Shippo),
            _ => None,
        }
    }
}

/// One carrier report, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub event_id: String,
    pub tracking_number: String,
    pub status: TrackingStatus,
    pub detail: String,
    pub location: Option<String>,
    pub occurred_at: Timestamp,
}

/// What a delivery holds: a report to record, or nothing worth recording (a Shippo event of
/// another kind, or one whose status is still `UNKNOWN`), acknowledged all the same so that
/// the provider does not retry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Report(Report),
    Nothing,
}

/// True when `given` is `expected`. Both are hashed first, so the comparison takes the same
/// time whatever their lengths and wherever they differ: a caller timing answers learns
/// nothing about the secret.
pub fn secret_matches(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(expected.as_bytes()));
    a.as_slice().ct_eq(b.as_slice()).into()
}

/// Reads `body` as `format`; 422 `tracking_payload_invalid` naming what is wrong otherwise.
pub fn parse(format: Format, body: &[u8]) -> Result<Delivery, Error> {
    match format {
        Format::Builtin => builtin(body).map(Delivery::Report),
        Format::Shippo => shippo(body),
    }
}

#[derive(Deserialize)]
struct BuiltinEvent {
    id: String,
    tracking_number: String,
    status: String,
    detail: String,
    #[serde(default)]
    location: Option<String>,
    occurred_at: String,
}

fn builtin(body: &[u8]) -> Result<Report, Error> {
    let e: BuiltinEvent = json(body, "builtin tracking event")?;
    let mut check = Check::default();
    let status = TrackingStatus::parse(e.status.trim());
    if status.is_none() {
        let names: Vec<&str> = TrackingStatus::ALL.iter().map(|s| s.as_str()).collect();
        check.push("status", format!("must be one of {}", names.join(", ")));
    }
    let report = Report {
        event_id: check.id("id", &e.id),
        tracking_number: check.id("tracking_number", &e.tracking_number),
        status: status.unwrap_or(TrackingStatus::InTransit),
        detail: check.text("detail", &e.detail, MAX_DETAIL),
        location: check.optional("location", e.location.as_deref()),
        occurred_at: check.time("occurred_at", Some(&e.occurred_at)),
    };
    check.finish("builtin tracking event").map(|()| report)
}

#[derive(Deserialize)]
struct ShippoHead {
    event: String,
}

#[derive(Deserialize)]
struct ShippoEvent {
    data: ShippoTrack,
}

#[derive(Deserialize)]
struct ShippoTrack {
    tracking_number: String,
    tracking_status: Option<ShippoStatus>,
}

#[derive(Deserialize)]
struct ShippoStatus {
    object_id: Option<String>,
    status: String,
    #[serde(default)]
    substatus: Option<ShippoSubstatus>,
    #[serde(default)]
    status_details: Option<String>,
    #[serde(default)]
    status_date: Option<String>,
    #[serde(default)]
    object_created: Option<String>,
    #[serde(default)]
    location: Option<ShippoLocation>,
}

#[derive(Deserialize)]
struct ShippoSubstatus {
    #[serde(default)]
    code: Option<String>,
}

#[derive(Deserialize)]
struct ShippoLocation {
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    zip: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

const SHIPPO: &str = "Shippo track_updated event";

fn shippo(body: &[u8]) -> Result<Delivery, Error> {
    // Another kind of event (a transaction's) sent to this URL is not ours to read.
    let head: ShippoHead = json(body, SHIPPO)?;
    if head.event != "track_updated" {
        return Ok(Delivery::Nothing);
    }
    let track = json::<ShippoEvent>(body, SHIPPO)?.data;
    let Some(s) = track.tracking_status else { return Ok(Delivery::Nothing) };
    let mut check = Check::default();
    let substatus = s.substatus.as_ref().and_then(|x| x.code.as_deref());
    let status = match from_shippo(&s.status, substatus) {
        Some(Reported::Status(status)) => Some(status),
        Some(Reported::Nothing) => return Ok(Delivery::Nothing),
        None => {
            let names = "PRE_TRANSIT, TRANSIT, DELIVERED, RETURNED, FAILURE or UNKNOWN";
            check.push("data.tracking_status.status", format!("must be one of {names}"));
            None
        }
    };
    let location = s.location.as_ref().and_then(place);
    let report = Report {
        event_id: check.id("data.tracking_status.object_id", s.object_id.as_deref().unwrap_or_default()),
        tracking_number: check.id("data.tracking_number", &track.tracking_number),
        status: status.unwrap_or(TrackingStatus::InTransit),
        detail: check.text(
            "data.tracking_status.status_details",
            s.status_details.as_deref().unwrap_or(""),
            MAX_DETAIL,
        ),
        location: check.optional("data.tracking_status.location", location.as_deref()),
        // A status Shippo has not dated is dated by when Shippo made it.
        occurred_at: check.time("data.tracking_status.status_date", s.status_date.or(s.object_created).as_deref()),
    };
    check.finish(SHIPPO).map(|()| Delivery::Report(report))
}

/// "City, ST 12345, US" from the parts Shippo gives; `None` when it gives none.
fn place(l: &ShippoLocation) -> Option<String> {
    let part = |p: &Option<String>| p.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
    let region = [part(&l.state), part(&l.zip)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let parts: Vec<String> =
        [part(&l.city), Some(region).filter(|r| !r.is_empty()), part(&l.country)].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The body as `T`, or 422 `tracking_payload_invalid` with the field serde stopped at.
fn json<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Error> {
    kernel::json::parse(body).map_err(|e| {
        let detail = match e.errors.first() {
            Some(f) if !f.field.is_empty() => format!("The body is not a {what}: `{}`: {}.", f.field, f.message),
            Some(f) => format!("The body is not a {what}: {}.", f.message),
            None => format!("The body is not a {what}: it is not valid JSON."),
        };
        invalid(detail).with_errors(e.errors)
    })
}

fn invalid(detail: String) -> Error {
    Error::new(ErrorKind::Invalid, "tracking_payload_invalid", detail)
}

/// The faults found in a parsed body, all reported at once.
#[derive(Default)]
struct Check(Vec<FieldError>);

impl Check {
    fn push(&mut self, field: &str, message: String) {
        self.0.push(FieldError { field: field.to_owned(), message });
    }

    /// An id or tracking number: 1-100 characters, none of them blank or a control.
    fn id(&mut self, field: &str, value: &str) -> String {
        let value = value.trim();
        let ok = value.chars().all(|c| !c.is_control() && !c.is_whitespace());
        if value.is_empty() || value.chars().count() > MAX_ID || !ok {
            self.push(field, format!("must be 1-{MAX_ID} characters, without spaces"));
        }
        value.to_owned()
    }

    fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.chars().count() > max {
            self.push(field, format!("must be at most {max} characters"));
        }
        value.to_owned()
    }

    /// Blank is the same as absent.
    fn optional(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = self.text(field, value.unwrap_or(""), MAX_LOCATION);
        (!value.is_empty()).then_some(value)
    }

    /// An RFC 3339 date-time; one without an offset (some carriers leave it out) is UTC.
    fn time(&mut self, field: &str, value: Option<&str>) -> Timestamp {
        let value = value.map(str::trim).unwrap_or_default();
        let parsed = Timestamp::parse_rfc3339(value).or_else(|| Timestamp::parse_rfc3339(&format!("{value}Z")));
        parsed.unwrap_or_else(|| {
            self.push(field, "must be an RFC 3339 date-time, such as 2026-05-01T14:30:00Z".into());
            Timestamp::from_micros(0)
        })
    }

    fn finish(self, what: &str) -> Result<(), Error> {
        let Some(first) = self.0.first() else { return Ok(()) };
        Err(invalid(format!("The body is not a {what}: `{}` {}.", first.field, first.message)).with_errors(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(secret_matches("s3cret-s3cret-s3cret", "s3cret-s3cret-s3cret"));
        assert!(!secret_matches("s3cret-s3cret-s3cre", "s3cret-s3cret-s3cret"));
        assert!(!secret_matches("", "s3cret-s3cret-s3cret"));
    }

    #[test]
    fn builtin_events_are_checked_field_by_field() {
        let body = br#"{"id": "e1", "tracking_number": "OX1", "status": "delivered", "detail": " Left at door ",
            "occurred_at": "2026-05-01T14:30:00+02:00", "extra": 1}"#;
        let Ok(Delivery::Report(r)) = parse(Format::Builtin, body) else { panic!("a report") };
        assert_eq!((r.status, r.detail.as_str(), r.location), (TrackingStatus::Delivered, "Left at door", None));
        assert_eq!(
            r.occurred_at,
            Timestamp::parse_rfc3339("2026-05-01T12:30:00Z").unwrap_or(Timestamp::from_micros(1))
        );

        let bad = br#"{"id": "", "tracking_number": "OX1", "status": "lost", "detail": "x", "occurred_at": "May 1"}"#;
        let e = parse(Format::Builtin, bad).expect_err("refused");
        assert_eq!((e.code.as_ref(), e.status().as_u16()), ("tracking_payload_invalid", 422));
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["status", "id", "occurred_at"]);
        assert!(e.detail.contains("`status` must be one of pre_transit"), "{}", e.detail);
        let e = parse(Format::Builtin, b"{\"id\": ").expect_err("not JSON");
        assert_eq!(e.code, "tracking_payload_invalid");
        let e = parse(Format::Builtin, br#"{"id": "e1"}"#).expect_err("fields missing");
        assert!(e.detail.contains("tracking_number"), "{}", e.detail);
    }

    #[test]
    fn shippo_events_map_status_substatus_and_place() {
        let body = br#"{"event": "track_updated", "test": true, "data": {"tracking_number": "9205",
            "carrier": "usps", "tracking_status": {"object_id": "ts_1", "status": "TRANSIT",
            "substatus": {"code": "out_for_delivery", "text": "Out", "action_required": false},
            "status_details": "Out for delivery", "status_date": "2026-05-01T08:00:00Z",
            "location": {"city": "Las Vegas", "state": "NV", "zip": "89101", "country": "US"}}}}"#;
        let Ok(Delivery::Report(r)) = parse(Format::Shippo, body) else { panic!("a report") };
        assert_eq!((r.event_id.as_str(), r.status), ("ts_1", TrackingStatus::OutForDelivery));
        assert_eq!(r.location.as_deref(), Some("Las Vegas, NV 89101, US"));
        let unknown = br#"{"event": "track_updated", "data": {"tracking_number": "9205", "tracking_status":
            {"object_id": "ts_2", "status": "UNKNOWN", "substatus": null, "location": null}}}"#;
        assert_eq!(parse(Format::Shippo, unknown).ok(), Some(Delivery::Nothing));
        assert_eq!(
            parse(Format::Shippo, br#"{"event": "transaction_created", "data": {}}"#).ok(),
            Some(Delivery::Nothing)
        );
        let lost = br#"{"event": "track_updated", "data": {"tracking_number": "9205", "tracking_status":
            {"object_id": "ts_3", "status": "LOST", "status_date": "2026-05-01T08:00:00"}}}"#;
        let e = parse(Format::Shippo, lost).expect_err("refused");
        assert_eq!(e.errors[0].field, "data.tracking_status.status");
    }
}
