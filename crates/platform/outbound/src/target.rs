//! Where a request to a URL someone else gave (a webhook endpoint, a browser's push
//! subscription) may go: the URL's shape, which addresses are off limits, and the address
//! to connect to, judged at the moment of the call. Such a request is made on a stranger's
//! say-so, so without these rules it could reach the cloud's metadata service or anything
//! else on the inside (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

pub const MAX_URL: usize = 2048;

/// A checked URL, ready to be resolved and called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL as stored and shown: normalised, without a fragment.
    pub url: String,
    /// The host as the URL names it (`[…]` around IPv6): what `Host` and TLS are given.
    pub host: String,
    /// The host as an address already, when the URL gives one.
    pub ip: Option<IpAddr>,
    pub port: u16,
    pub tls: bool,
    /// Path and query, what the request line carries.
    pub path: String,
}

/// Parses a URL to call: `https://` (or `http://` when `allow_http`), a host, no user or
/// password, at most [`MAX_URL`] characters. Answers why not otherwise.
pub fn url_parse(raw: &str, allow_http: bool) -> Result<Target, String> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(format!("must be at most {MAX_URL} characters"));
    }
    let mut url = Url::parse(raw).map_err(|e| format!("is not a URL ({e})"))?;
    let tls = match url.scheme() {
        "https" => true,
        "http" if allow_http => false,
        _ => return Err("must be an https:// URL".into()),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold a user name or password".into());
    }
    let ip = match url.host() {
        Some(Host::Domain(d)) if !d.is_empty() => None,
        Some(Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        _ => return Err("must name a host".into()),
    };
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(if tls { 443 } else { 80 });
    if port == 0 {
        return Err("must not use port 0".into());
    }
    url.set_fragment(None);
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    if url.as_str().len() > MAX_URL {
        return Err(format!("must be at most {MAX_URL} characters"));
    }
    Ok(Target { url: url.into(), host, ip, port, tls, path })
}

/// Why an address may not be called, or `None` when it is a public unicast address.
pub fn address_refusal(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => v4_refusal(a),
        IpAddr::V6(a) => v6_refusal(a),
    }
}

fn v4_refusal(a: Ipv4Addr) -> Option<&'static str> {
    let [b0, b1, b2, _] = a.octets();
    let reason = match (b0, b1, b2) {
        (0, _, _) => "an unspecified (0.0.0.0/8) address",
        _ if a.is_loopback() => "a loopback address",
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => "a private address",
        (100, 64..=127, _) => "a shared (CGNAT) address",
        (169, 254, _) => "a link-local address",
        (192, 0, 0) => "an IETF protocol assignment",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation address",
        (198, 18..=19, _) => "a benchmarking address",
        (224..=239, _, _) => "a multicast address",
        _ if a.is_broadcast() => "the broadcast address",
        (240..=255, _, _) => "a reserved address",
        _ => return None,
    };
    Some(reason)
}

fn v6_refusal(a: Ipv6Addr) -> Option<&'static str> {
    let s = a.segments();
    // An IPv4 address wrapped in IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64
    // 64:ff9b::a.b.c.d) reaches that IPv4 address: judge it as one.
    let embedded = match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some((hi, lo)),
        [0, 0, 0, 0, 0, 0, hi, lo] if (hi, lo) > (0, 1) => Some((hi, lo)),
        _ => None,
    };
    if let Some((hi, lo)) = embedded {
        let v4 = Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
        return v4_refusal(v4);
    }
    // 6to4 (2002::/16) carries its IPv4 address in the next 32 bits.
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::from((u32::from(s[1]) << 16) | u32::from(s[2]));
        if let Some(r) = v4_refusal(v4) {
            return Some(r);
        }
    }
    let reason = match s[0] {
        _ if a.is_unspecified() => "the unspecified address",
        _ if a.is_loopback() => "a loopback address",
        0xfc00..=0xfdff => "a unique-local address",
        0xfe80..=0xfebf => "a link-local address",
        0xfec0..=0xfeff => "a site-local address",
        0xff00..=0xffff => "a multicast address",
        0x2001 if s[1] == 0x0db8 => "a documentation address",
        0x3fff if s[1] <= 0x0fff => "a documentation address",
        // Teredo, ORCHID and the other IETF protocol assignments.
        0x2001 if s[1] < 0x0200 => "an IETF protocol assignment",
        0x2000..=0x3fff => return None,
        // Anything outside global unicast (2000::/3) is reserved or special.
        _ => "a reserved address",
    };
    Some(reason)
}

/// How long a lookup may take.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a target cannot be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// The host has no address (or the lookup failed or took too long).
    Unresolved(String),
    /// An address is off limits.
    Forbidden(String),
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unresolved(why) | Self::Forbidden(why) => f.write_str(why),
        }
    }
}

/// The address to call: the URL's own, or the host's first. A host with any address off
/// limits is refused whole, so that which address a resolver puts first cannot matter.
pub async fn target_resolve(target: &Target, allow_private: bool) -> Result<SocketAddr, Unreachable> {
    let addresses: Vec<SocketAddr> = match target.ip {
        Some(ip) => vec![SocketAddr::new(ip, target.port)],
        None => {
            let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
            match tokio::time::timeout(LOOKUP_TIMEOUT, lookup).await {
                Ok(Ok(found)) => found.collect(),
                Ok(Err(e)) => return Err(Unreachable::Unresolved(format!("{} does not resolve: {e}", target.host))),
                Err(_) => return Err(Unreachable::Unresolved(format!("{} did not resolve in time", target.host))),
            }
        }
    };
    let Some(first) = addresses.first().copied() else {
        return Err(Unreachable::Unresolved(format!("{} has no address", target.host)));
    };
    if !allow_private {
        for a in &addresses {
            if let Some(reason) = address_refusal(a.ip()) {
                return Err(Unreachable::Forbidden(format!("{} is {reason}", a.ip())));
            }
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(ip: &str) -> bool {
        address_refusal(ip.parse().expect("address")).is_some()
    }

    #[test]
    fn only_public_unicast_is_allowed() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.7",
            "198.51.100.1",
            "203.0.113.9",
            "198.18.0.1",
            "192.0.0.8",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "2002:7f00:1::1",
            "2001:0:1::1",
            "fec0::1",
            "100::1",
        ] {
            assert!(refused(ip), "{ip} must be refused");
        }
        for ip in [
            "93.184.215.14",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
        ] {
            assert!(!refused(ip), "{ip} is public");
        }
    }

    #[test]
    fn urls_are_https_with_a_host_and_nothing_else() {
        let t = url_parse("https://Hooks.Example.com:8443/in?x=1#frag", false).expect("valid");
        assert_eq!((t.host.as_str(), t.port, t.tls, t.path.as_str()), ("hooks.example.com", 8443, true, "/in?x=1"));
        assert_eq!(t.url, "https://hooks.example.com:8443/in?x=1");
        let t = url_parse("https://[::1]/", false).expect("valid syntax");
        assert_eq!((t.host.as_str(), t.ip), ("[::1]", Some("::1".parse().expect("ip"))));
        // A decimal IPv4 host is read as the address it is.
        assert_eq!(url_parse("https://2130706433/", false).expect("valid").ip, Some("127.0.0.1".parse().expect("ip")));
        for bad in [
            "http://example.com/",
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "https://u@example.com",
            "example.com/hook",
            "https://example.com:0/",
        ] {
            assert!(url_parse(bad, false).is_err(), "{bad}");
        }
        assert!(url_parse("http://127.0.0.1:9/", true).is_ok());
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL));
        assert!(url_parse(&long, false).is_err());
    }
}
