//! Origins whose pages may use the shop's publishable keys.
//!
//! An origin is compared with the browser's `Origin` header byte for byte, so it is
//! accepted only in the form browsers send: lower-case scheme and host, no default
//! port, no path, not even a trailing slash. Anything else is refused with the form to
//! use, never rewritten: a merchant should see what is stored.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::invalid;
use crate::service::WriteError;
use crate::store::entities::shop_origins;
use crate::store::unit::{Change, ShopWrite};

/// The longest origin accepted (a host name is at most 253 characters; no real shop
/// comes near).
const MAX_LENGTH: usize = 200;

/// `text` (trimmed) if it is an origin as browsers send it; otherwise a refusal of
/// `origin` saying what to write instead.
pub fn check_origin(text: &str) -> Result<String, WriteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("origin", "cannot be empty"));
    }
    if text.chars().count() > MAX_LENGTH {
        return Err(invalid(
            "origin",
            format!("must be at most {MAX_LENGTH} characters"),
        ));
    }
    let reading = read(text).map_err(|detail| invalid("origin", detail))?;
    let canonical = reading.canonical();
    if canonical == text {
        return Ok(canonical);
    }
    let reason = if reading.tail == "/" {
        "remove the trailing slash"
    } else if !reading.tail.is_empty() {
        "an origin has no path, query or fragment"
    } else if reading.userinfo {
        "an origin has no user name or password"
    } else if reading.default_port {
        "browsers leave out the default port"
    } else if text.to_ascii_lowercase() == canonical {
        "browsers send it in lower case"
    } else {
        "write the port without leading zeros"
    };
    Err(invalid("origin", format!("{reason}: write {canonical}")))
}

/// Allows pages of `origin` to use the shop's publishable keys.
pub async fn add_origin(mut w: ShopWrite, origin: &str) -> Result<String, WriteError> {
    let origin = check_origin(origin)?;
    if find(&w, w.shop(), &origin).await?.is_some() {
        return Err(invalid("origin", format!("{origin} is already allowed")));
    }
    shop_origins::ActiveModel {
        shop_id: Set(w.shop()),
        origin: Set(origin.clone()),
        ..Default::default()
    }
    .insert(&w)
    .await?;
    w.record(Change::new("shop_origin.add", "shop_origin", origin.clone()).after(json!({"origin": origin})))
        .await?;
    w.commit().await?;
    Ok(origin)
}

/// Stops allowing `origin` (exactly as stored).
pub async fn remove_origin(mut w: ShopWrite, origin: &str) -> Result<(), WriteError> {
    let row = find(&w, w.shop(), origin)
        .await?
        .ok_or_else(|| WriteError::NotFound(format!("{origin} is not an allowed origin (any more)")))?;
    shop_origins::Entity::delete_by_id(row.id).exec(&w).await?;
    w.record(
        Change::new("shop_origin.remove", "shop_origin", origin)
            .before(Some(json!({"origin": origin})))
            .after(serde_json::Value::Null),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

async fn find(
    db: &impl sea_orm::ConnectionTrait,
    shop_id: i64,
    origin: &str,
) -> Result<Option<shop_origins::Model>, WriteError> {
    Ok(shop_origins::Entity::find()
        .filter(shop_origins::Column::ShopId.eq(shop_id))
        .filter(shop_origins::Column::Origin.eq(origin))
        .one(db)
        .await?)
}

/// An origin read leniently, so a refusal can say what to write instead.
struct Reading {
    scheme: String,
    host: String,
    /// The port when it is not the scheme's default.
    port: Option<u16>,
    default_port: bool,
    userinfo: bool,
    /// Whatever follows the host and port (`/`, `/shop?x`).
    tail: String,
}

impl Reading {
    fn canonical(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }
}

fn read(text: &str) -> Result<Reading, String> {
    const SCHEME: &str = "an origin starts with https:// or http:// (https://shop.example)";
    let (scheme, rest) = text.split_once("://").ok_or(SCHEME)?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err(SCHEME.into()),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((_, host_port)) => (true, host_port),
        None => (false, authority),
    };
    let (host, port) = split_port(host_port)?;
    let host = checked_host(host)?;
    let port = match port {
        None => None,
        Some(digits) => Some(
            digits
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0 && digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("“{digits}” is not a port (a number from 1 to 65535)"))?,
        ),
    };
    Ok(Reading {
        scheme,
        host,
        port: port.filter(|p| *p != default_port),
        default_port: port == Some(default_port),
        userinfo,
        tail: tail.to_string(),
    })
}

/// `host[:port]` or `[v6]:port` into the host and the port's text.
fn split_port(host_port: &str) -> Result<(&str, Option<&str>), String> {
    if host_port.starts_with('[') {
        let close = host_port.find(']').ok_or("an IPv6 address ends with ]")?;
        let (host, rest) = host_port.split_at(close + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if rest.is_empty() => Ok((host, None)),
            None => Err(format!("“{rest}” cannot follow the address")),
        };
    }
    Ok(match host_port.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    })
}

/// The host in lower case, refused when it cannot be a host name or address.
fn checked_host(host: &str) -> Result<String, String> {
    const EXAMPLE: &str = "name the host, as in https://shop.example";
    if host.is_empty() {
        return Err(EXAMPLE.into());
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let valid = !v6.is_empty() && v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        if !valid {
            return Err(format!("“{host}” is not an IPv6 address"));
        }
        return Ok(host.to_ascii_lowercase());
    }
    if !host.is_ascii() {
        // Browsers send international names in their xn-- form; that is what matches.
        return Err(format!(
            "write the host “{host}” in its ASCII (xn--) form, as browsers send it"
        ));
    }
    let host = host.to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !host.split('.').all(label_ok) {
        return Err(format!("“{host}” is not a host name ({EXAMPLE})"));
    }
    Ok(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> String {
        match check_origin(text) {
            Err(WriteError::Invalid { field, detail }) => {
                assert_eq!(field, "origin");
                detail
            }
            other => panic!("{text:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn origins_as_browsers_send_them_are_accepted() {
        for origin in [
            "https://shop.example",
            "http://localhost:3000",
            "http://127.0.0.1:3000",
            "https://xn--bcher-kva.example",
            "https://[::1]:8443",
        ] {
            assert_eq!(check_origin(origin).unwrap(), origin);
        }
        assert_eq!(
            check_origin("  https://shop.example ").unwrap(),
            "https://shop.example"
        );
    }

    #[test]
    fn anything_else_is_refused_with_the_form_to_use() {
        for (text, says) in [
            (
                "https://shop.example/",
                "remove the trailing slash: write https://shop.example",
            ),
            (
                "https://shop.example/cart?x=1",
                "no path, query or fragment: write https://shop.example",
            ),
            ("HTTPS://Shop.Example", "lower case: write https://shop.example"),
            (
                "https://shop.example:443",
                "default port: write https://shop.example",
            ),
            (
                "http://shop.example:80/",
                "trailing slash: write http://shop.example",
            ),
            (
                "https://me@shop.example",
                "user name or password: write https://shop.example",
            ),
            (
                "https://shop.example:08080",
                "leading zeros: write https://shop.example:8080",
            ),
        ] {
            let detail = refusal(text);
            assert!(detail.contains(says), "{text}: {detail}");
        }
        for (text, says) in [
            ("shop.example", "starts with https://"),
            ("ftp://shop.example", "starts with https://"),
            ("https://", "name the host"),
            ("https://shop..example", "not a host name"),
            ("https://shop.example:99999", "not a port"),
            ("https://bücher.example", "xn--"),
            ("", "empty"),
        ] {
            let detail = refusal(text);
            assert!(detail.contains(says), "{text}: {detail}");
        }
    }
}
