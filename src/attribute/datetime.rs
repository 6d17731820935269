//! Timezone-aware datetimes, stored as the original library stores them:
//! UTC text `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};

use super::{
    Attribute, AttributeAccess, AttributeValue, KeyAttribute, ScalarType, ValueError,
    ValueErrorKind, ValueRef,
};

/// Formats a datetime in the stored form. Precision below a microsecond is
/// cut, as the original's six fraction digits allow no more.
pub fn format_datetime(value: &DateTime<Utc>) -> Result<String, ValueError> {
    let (digits, _) = local_digits(&value.naive_utc(), || value.to_rfc3339())?;
    let mut stored = String::with_capacity(32);
    stored.push_str(std::str::from_utf8(&digits).unwrap_or_default());
    stored.push_str("+00:00");
    Ok(stored)
}

/// Formats a datetime as Python's `datetime.isoformat()` does, in its own
/// offset: the fraction only when the microseconds are not zero, the offset
/// as `+HH:MM` (`+HH:MM:SS` when it has seconds). The JSON view
/// (`Model::to_json`) writes datetimes so in UTC, as the original's
/// `to_json_dict()` does. Years Python cannot hold (outside 1..=9999) are an
/// error.
///
/// ```
/// use chrono::DateTime;
/// use dynamodb_mapper::attribute::isoformat;
///
/// let noon = DateTime::parse_from_rfc3339("2012-05-31T12:00:00+02:00").unwrap();
/// assert_eq!(isoformat(&noon).unwrap(), "2012-05-31T12:00:00+02:00");
/// let later = DateTime::parse_from_rfc3339("2012-05-31T12:00:00.5-05:30").unwrap();
/// assert_eq!(isoformat(&later).unwrap(), "2012-05-31T12:00:00.500000-05:30");
/// ```
pub fn isoformat<Tz: chrono::TimeZone>(value: &DateTime<Tz>) -> Result<String, ValueError>
where
    Tz::Offset: std::fmt::Display,
{
    let (digits, micros) = local_digits(&value.naive_local(), || value.to_rfc3339())?;
    let shown = if micros == 0 {
        &digits[..19]
    } else {
        &digits[..]
    };
    let mut text = std::str::from_utf8(shown).unwrap_or_default().to_owned();
    let offset = value.offset().fix().local_minus_utc();
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    let (hours, minutes, seconds) = (offset / 3600, offset / 60 % 60, offset % 60);
    text.push_str(&format!("{sign}{hours:02}:{minutes:02}"));
    if seconds != 0 {
        text.push_str(&format!(":{seconds:02}"));
    }
    Ok(text)
}

/// `YYYY-MM-DDTHH:MM:SS.ffffff` of a date and time (ASCII), and its microseconds;
/// years Python cannot hold are an error naming the value (`shown`).
fn local_digits(
    value: &chrono::NaiveDateTime,
    shown: impl FnOnce() -> String,
) -> Result<([u8; 26], u32), ValueError> {
    let year = value.year();
    if !(1..=9999).contains(&year) {
        return Err(ValueError::new(ValueErrorKind::InvalidDatetime {
            value: shown(),
            reason: "years outside 1..=9999 cannot be stored in the shared text form".to_owned(),
        }));
    }
    // A leap second's nanoseconds run past 1e9; the text form has no room for it.
    let micros = (value.nanosecond() / 1_000).min(999_999);
    let (date, time) = (value.date(), value.time());
    // Written digit by digit into a template: this runs for every datetime of every item.
    let mut text = *b"0000-00-00T00:00:00.000000";
    for (range, number) in [
        (0..4, year as u32),
        (5..7, date.month()),
        (8..10, date.day()),
        (11..13, time.hour()),
        (14..16, time.minute()),
        (17..19, time.second()),
        (20..26, micros),
    ] {
        let mut rest = number;
        for digit in text[range].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
    }
    Ok((text, micros))
}

/// Parses the stored form; also a trailing `Z`, other offsets, and `+0000`.
pub fn parse_datetime(text: &str) -> Result<DateTime<Utc>, ValueError> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|dt| dt.with_timezone(&Utc))
        .map_err(|e| {
            ValueError::new(ValueErrorKind::InvalidDatetime {
                value: text.to_owned(),
                reason: e.to_string(),
            })
        })
}

fn stored_text<V: AttributeAccess>(value: &V) -> Result<Option<&str>, ValueError> {
    match value.access() {
        ValueRef::S(text) => Ok(Some(text)),
        ValueRef::Null => Ok(None),
        _ => Err(ValueError::type_mismatch("S", value)),
    }
}

/// A missing datetime reads as "now", as in the original library.
impl Attribute for DateTime<Utc> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        format_datetime(self).map(AttributeValue::S)
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match stored_text(value)? {
            Some(text) => parse_datetime(text),
            None => Ok(Utc::now()),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Utc::now())
    }
    /// Python's `isoformat()`, as the original's `to_json_dict()` writes it.
    fn to_json(&self) -> Result<serde_json::Value, ValueError> {
        isoformat(self).map(serde_json::Value::String)
    }
}

/// Stored in UTC; reads back with offset `+00:00`.
impl Attribute for DateTime<FixedOffset> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        format_datetime(&self.with_timezone(&Utc)).map(AttributeValue::S)
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        DateTime::<Utc>::from_attribute_ref(value).map(|dt| dt.fixed_offset())
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Utc::now().fixed_offset())
    }
    /// Python's `isoformat()` in UTC, as the original's `to_json_dict()`
    /// writes every datetime (`value.astimezone(utc).isoformat()`).
    fn to_json(&self) -> Result<serde_json::Value, ValueError> {
        isoformat(&self.with_timezone(&Utc)).map(serde_json::Value::String)
    }
}

impl KeyAttribute for DateTime<Utc> {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

impl KeyAttribute for DateTime<FixedOffset> {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_matches_the_original() {
        let dt = parse_datetime("2012-05-31T12:30:01.000042+00:00").unwrap();
        assert_eq!(
            format_datetime(&dt).unwrap(),
            "2012-05-31T12:30:01.000042+00:00"
        );
        let zulu = parse_datetime("2012-05-31T12:30:01.000042Z").unwrap();
        assert_eq!(dt, zulu);
        let offset = parse_datetime("2012-05-31T14:30:01+02:00").unwrap();
        assert_eq!(
            format_datetime(&offset).unwrap(),
            "2012-05-31T12:30:01.000000+00:00"
        );
        assert!(
            parse_datetime("2012-05-31T12:30:01").is_err(),
            "no timezone"
        );
    }
}

/// Field-option module: a datetime stored as epoch seconds (`N`), the form
/// DynamoDB's time to live reads. `#[dynamodb(epoch_seconds)]` selects it.
pub mod epoch_seconds {
    use chrono::{DateTime, TimeZone, Utc};

    use super::{parse_datetime, AttributeValue, ValueError};

    /// Encodes as whole seconds since 1970-01-01 UTC.
    pub fn to_attribute(value: &DateTime<Utc>) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::N(value.timestamp().to_string()))
    }

    /// Decodes epoch seconds (or, leniently, the datetime text form).
    pub fn from_attribute(value: AttributeValue) -> Result<DateTime<Utc>, ValueError> {
        match value {
            AttributeValue::N(text) => {
                let seconds =
                    <i64 as crate::Attribute>::from_attribute(AttributeValue::N(text.clone()))?;
                Utc.timestamp_opt(seconds, 0)
                    .single()
                    .ok_or_else(|| ValueError::out_of_range(text, "DateTime<Utc>"))
            }
            AttributeValue::S(text) => parse_datetime(&text),
            AttributeValue::Null => Ok(Utc::now()),
            other => Err(ValueError::type_mismatch("N", &other)),
        }
    }

    /// A missing datetime reads as now, as other datetimes do.
    pub fn from_missing() -> Result<DateTime<Utc>, ValueError> {
        Ok(Utc::now())
    }

    /// ISO text in the JSON view, as Python's `isoformat()` writes it.
    pub fn to_json(value: &DateTime<Utc>) -> Result<serde_json::Value, ValueError> {
        super::isoformat(value).map(serde_json::Value::String)
    }
}
